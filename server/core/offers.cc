#include "server/core/offers.h"

#include <cstddef>

#include "absl/strings/str_cat.h"

namespace amends {

std::string ManagersAt(const ChainLevel& level, const v1::Incident& incident) {
  switch (level.kind) {
    case ChainLevel::Kind::kOwner:
      return "";
    case ChainLevel::Kind::kManagers:
      return incident.team();
    case ChainLevel::Kind::kTeam:
      return level.team;
  }
  return "";
}

OfferApprover ApproverFor(int64_t amount_yen, const v1::Incident& incident,
                          const Policy& policy) {
  const std::vector<ChainLevel>& chain = policy.For(incident.severity()).chain;
  const std::vector<int64_t>& limits = policy.offer_limits();
  for (size_t level = 1; level < chain.size() && level <= limits.size(); ++level) {
    if (amount_yen <= limits[level - 1]) {
      return {.level = static_cast<int>(level), .team = ManagersAt(chain[level], incident)};
    }
  }
  return {};
}

bool MayDecideOffer(const Actor& actor, const v1::Offer& offer, const v1::Incident& incident,
                    const Policy& policy) {
  if (actor.role == Role::kAdmin) return true;
  if (actor.role != Role::kManager || offer.approver_level() < 1) return false;
  const std::vector<ChainLevel>& chain = policy.For(incident.severity()).chain;
  for (size_t level = offer.approver_level(); level < chain.size(); ++level) {
    if (ManagersAt(chain[level], incident) == actor.team) return true;
  }
  return false;
}

std::string FormatYen(int64_t yen) {
  std::string digits = absl::StrCat(yen < 0 ? -yen : yen);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return absl::StrCat(yen < 0 ? "-" : "", "¥", out);
}

absl::string_view OfferKindName(v1::OfferKind kind) {
  switch (kind) {
    case v1::OFFER_KIND_DISCOUNT:
      return "discount";
    case v1::OFFER_KIND_REFUND:
      return "refund";
    case v1::OFFER_KIND_FREE_SERVICE:
      return "free-service";
    case v1::OFFER_KIND_OTHER:
      return "other";
    case v1::OFFER_KIND_UNSPECIFIED:
    case v1::OfferKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::OfferKind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

}  // namespace amends
