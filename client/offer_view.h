// Compensation offered to the client (Incident.offers) as `amends show` and the `amends
// offer` commands print it.
//
//   std::cout << RenderOffers(incident);
//   // Offers:
//   //   1. [delivered]  discount       ¥50,000  approved by tanaka, delivered by sato  値引き
//   //   2. [asked]      free-service  ¥300,000  waits for managers of 営業本部         保守無償
//   std::cout << OfferMade(incident);
//   // "offer 2 made: free-service ¥300,000, asked of managers of 営業本部"
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_OFFER_VIEW_H_
#define AMENDS_CLIENT_OFFER_VIEW_H_

#include <string>

#include "amends/v1/amends.pb.h"

namespace amends::cli {

// Who may approve `offer`: "managers of TEAM" (its approver_team: that level of the escalation
// chain, or a higher one) or "an admin" (above every level's limit).
std::string OfferApprover(const amends::v1::Offer& offer);

// The "Offers:" section of `amends show`, after a blank line: one row per offer — number and
// state, kind, amount (right-aligned), who decided (for an asked offer, whose approval it
// waits for; for a delivered one, who delivered it too), and the offer's text with the
// decline's reason or the approval's note. "Offers: none" without any.
std::string RenderOffers(const amends::v1::Incident& incident);

// The confirmation of MakeOffer, naming the offer made last: "offer 2 made: discount ¥50,000,
// asked of managers of 営業一課".
std::string OfferMade(const amends::v1::Incident& incident);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_OFFER_VIEW_H_
