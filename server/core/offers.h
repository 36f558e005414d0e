// Offers: who approves compensation offered to a client (a discount, a refund, free work).
//
// The policy's offer_limit_yen gives each level of the severity's escalation chain above the
// owner a limit: an offer is asked of the lowest level whose limit covers its amount, and one
// above the limit of every level the chain has is an admin's. A manager of the level asked, or
// of any level above it, may approve or decline it; an admin always may; nobody decides an
// offer they made themselves (lifecycle.cc checks that).
//
// Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_OFFERS_H_
#define AMENDS_SERVER_CORE_OFFERS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/policy.h"

namespace amends {

// Whom an offer of `amount_yen` in `incident` is asked of.
struct OfferApprover {
  int level = 0;     // the escalation chain's level, from 1; 0: an admin's
  std::string team;  // whose managers; empty for an admin
};
OfferApprover ApproverFor(int64_t amount_yen, const v1::Incident& incident, const Policy& policy);

// Whether `actor` holds the authority `offer` needs (whoever made it).
bool MayDecideOffer(const Actor& actor, const v1::Offer& offer, const v1::Incident& incident,
                    const Policy& policy);

// The team whose managers a chain level names in `incident`; empty for the owner's level.
std::string ManagersAt(const ChainLevel& level, const v1::Incident& incident);

// "¥1,250,000".
std::string FormatYen(int64_t yen);
// "discount", "free-service": as the CLI spells it.
absl::string_view OfferKindName(v1::OfferKind kind);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_OFFERS_H_
