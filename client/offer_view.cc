#include "client/offer_view.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/display.h"
#include "client/enum_names.h"
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
      return absl::StrCat("waits for ", OfferApprover(offer));
    case Offer::STATE_APPROVED:
      return absl::StrCat("approved by ", OrDash(offer.decided_by()));
    case Offer::STATE_DECLINED:
      return absl::StrCat("declined by ", OrDash(offer.decided_by()));
    case Offer::STATE_DELIVERED:
      return absl::StrCat("approved by ", OrDash(offer.decided_by()), ", delivered by ",
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
  std::string text = offer.text();
  if (!offer.decision_note().empty()) {
    absl::StrAppend(&text, "; ", offer.state() == Offer::STATE_DECLINED ? "reason" : "note", ": ",
                    offer.decision_note());
  }
  return text;
}

}  // namespace

std::string OfferApprover(const Offer& offer) {
  if (offer.approver_team().empty()) return "an admin";
  return absl::StrCat("managers of ", offer.approver_team());
}

std::string RenderOffers(const amends::v1::Incident& incident) {
  if (incident.offers().empty()) return "\nOffers: none\n";
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
                               CliName(offer.state()), "]"),
                  CliName(offer.kind()),
                  absl::StrCat(std::string(amount_width - DisplayWidth(amount), ' '), amount),
                  Decision(offer), Text(offer)});
  }
  return absl::StrCat("\nOffers:\n", table.RenderRows("  "));
}

std::string OfferMade(const amends::v1::Incident& incident) {
  if (incident.offers().empty()) return "offer made";
  const Offer& offer = incident.offers(incident.offers_size() - 1);
  std::string what = absl::StrCat("offer ", offer.number(), " made: ", CliName(offer.kind()), " ",
                                  FormatYen(offer.amount_yen()));
  if (offer.state() == Offer::STATE_ASKED) {
    absl::StrAppend(&what, ", asked of ", OfferApprover(offer));
  } else {
    absl::StrAppend(&what, ", ", CliName(offer.state()));
  }
  return what;
}

}  // namespace amends::cli
