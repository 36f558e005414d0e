// The most one incident may hold of what people add to it, so that no member can make a case
// unusable for the team (a `show`, a list or a Watch change too large to answer) or fill the
// disk through it. Each limit refuses only the change a person makes that would pass it,
// with FAILED_PRECONDITION naming the limit; the change is not made. Changes amends makes
// itself (reminders, breaches, escalations at a deadline) are never refused for size, and an
// incident stored over a limit before the limits existed stays readable and workable: only
// what would add to the excess is refused.
//
// The counts are checked with the action's other preconditions (lifecycle.cc); the size
// once the change is decided (CheckIncidentSize). Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_INCIDENT_LIMITS_H_
#define AMENDS_SERVER_CORE_INCIDENT_LIMITS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "amends/v1/amends.pb.h"

namespace amends {

inline constexpr int kMaxAttendees = 20;           // of a visit
inline constexpr int kMaxMeasuresPerRound = 50;    // of the current round
inline constexpr int kMaxOpenPromises = 50;        // not yet kept
inline constexpr int kMaxFollowUps = 100;          // over all rounds
inline constexpr int kMaxChecklistItems = 100;     // of a hand-over
inline constexpr int kMaxOffers = 50;              // of compensation, over all rounds
inline constexpr size_t kMaxIncidentBytes = 256 * 1024;  // serialized, bookkeeping aside

// What people wrote into the incident, in bytes: its serialized size without the bookkeeping
// amends keeps itself (version, update time, deadlines, reminders, hold), which a change of
// stage may grow by a few bytes.
size_t ContentBytes(const v1::Incident& incident);

// OK unless `after`, a person's change to `before` (empty for a report), holds more than
// kMaxIncidentBytes and more than `before` did. A change that `moves_on` (to another stage or
// another owner) is never refused: it replaces what it sets rather than adding to it, so an
// incident over the limit can still be escalated, handed over and closed.
absl::Status CheckIncidentSize(const v1::Incident& before, const v1::Incident& after,
                               bool moves_on);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_INCIDENT_LIMITS_H_
