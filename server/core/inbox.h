// Inbox: what needs a person now, from the incidents they can see. Pure; thread-safe.
//
// An item for each deadline the person must meet (they are its user), each approval (of an
// escalation or an offer of compensation) or breach their team's managers are asked about when
// they are one of those managers, and each fired reminder addressed to them that they have not
// acknowledged. Deadlines on hold have no due
// time and wait until resumed. Soonest due first; incidents the person may not read are
// skipped.
#ifndef AMENDS_SERVER_CORE_INBOX_H_
#define AMENDS_SERVER_CORE_INBOX_H_

#include <span>
#include <vector>

#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"

namespace amends {

// `failed` notifications (those that gave up) add, for a manager, an item for each one of
// their own team (test messages aside), due when it was made, so that nobody is silently left
// untold. Nothing for anyone else.
std::vector<v1::InboxItem> InboxFor(std::span<const v1::Incident> incidents,
                                    const Actor& actor,
                                    std::span<const v1::Notification> failed = {});

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_INBOX_H_
