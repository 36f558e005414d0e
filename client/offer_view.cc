#include "client/offer_view.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/display.h"
#include "client/i18n.h"
#include "client/labels.h"
#include "client/utf8_text.h"
#include "client/yen.h"

namespace amends::cli {
namespace {

using amends::v1::Offer;

std::string OrDash(absl::string_view text) { return text.empty() ? "-" : std::string(text); }

// Who did what to `offer` so far.
std::string Decision(const Offer& offer) {
  switch (offer.state()) {
    case Offer::STATE_ASKED:
      return absl::Substitute(Tr("waits for $0"), OfferApprover(offer));
    case Offer::STATE_APPROVED:
      return absl::Substitute(Tr("approved by $0"), OrDash(offer.decided_by()));
    case Offer::STATE_DECLINED:
      return absl::Substitute(Tr("declined by $0"), OrDash(offer.decided_by()));
    case Offer::STATE_DELIVERED:
      return absl::Substitute(Tr("approved by $0, delivered by $1"), OrDash(offer.decided_by()),
                              OrDash(offer.delivered_by()));
    case Offer::STATE_UNSPECIFIED:
    case amends::v1::Offer_State_Offer_State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Offer_State_Offer_State_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "-";  // a state this build does not know
}

// The offer's text, and why it was declined or the approval's note.
std::string Text(const Offer& offer) {
  if (offer.decision_note().empty()) return offer.text();
  return absl::Substitute(
      offer.state() == Offer::STATE_DECLINED ? Tr("$0; reason: $1") : Tr("$0; note: $1"),
      offer.text(), offer.decision_note());
}

}  // namespace

std::string OfferApprover(const Offer& offer) {
  if (offer.approver_team().empty()) return Tr("an admin");
  return absl::Substitute(Tr("managers of $0"), offer.approver_team());
}

std::string RenderOffers(const amends::v1::Incident& incident) {
  if (incident.offers().empty()) return absl::StrCat("\n", Tr("Offers: none"), "\n");
  // Amounts right-aligned, so that their digits line up.
  int amount_width = 0;
  for (const Offer& offer : incident.offers()) {
    amount_width = std::max(amount_width, DisplayWidth(FormatYen(offer.amount_yen())));
  }
  Table table({{"OFFER"}, {"KIND"}, {"AMOUNT"}, {"DECISION", Table::kNoLimit},
               {"TEXT", Table::kNoLimit}});
  for (int i = 0; i < incident.offers_size(); ++i) {
    const Offer& offer = incident.offers(i);
    const std::string amount = FormatYen(offer.amount_yen());
    table.AddRow({absl::StrCat(offer.number() > 0 ? offer.number() : i + 1, ". [",
                               Label(offer.state()), "]"),
                  Label(offer.kind()),
                  absl::StrCat(std::string(amount_width - DisplayWidth(amount), ' '), amount),
                  Decision(offer), Text(offer)});
  }
  return absl::StrCat("\n", Tr("Offers:"), "\n", table.RenderRows("  "));
}

std::string OfferMade(const amends::v1::Incident& incident) {
  if (incident.offers().empty()) return Tr("offer made");
  const Offer& offer = incident.offers(incident.offers_size() - 1);
  if (offer.state() == Offer::STATE_ASKED) {
    return absl::Substitute(Tr("offer $0 made: $1 $2, asked of $3"), offer.number(),
                            Label(offer.kind()), FormatYen(offer.amount_yen()),
                            OfferApprover(offer));
  }
  return absl::Substitute(Tr("offer $0 made: $1 $2, $3"), offer.number(),
                          Label(offer.kind()), FormatYen(offer.amount_yen()),
                          Label(offer.state()));
}

}  // namespace amends::cli
