// The client-communication log of `amends show`: every contact with the client the incident
// records — the first apology, the manager's own apology, the updates while the case takes
// time, and the follow-ups — in time order, so that anyone can see how often the client heard
// from the team and from whom.
//
//   std::cout << RenderClientContacts(incident, tokyo, absl::Now());
//   // Client communication:
//   //   2026-11-27 (Fri) 17:05 (3d ago)  call   sato    first apology      当日中に電話でお詫び
//   //   2026-11-28 (Sat) 10:00 (2d ago)  visit  tanaka  manager's apology  部長に直接お詫び
//   //   2026-11-30 (Mon) 17:00 (1h ago)  mail   sato    update             原因調査の途中経過を報告
//   //   2026-12-07 (Mon) 10:00 (in 7d)   -      sato    follow-up          1週間後に電話
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_CONTACT_LOG_VIEW_H_
#define AMENDS_CLIENT_CONTACT_LOG_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"

namespace amends::cli {

// The "Client communication:" section, after a blank line: a row per contact, oldest first
// (those of the same time in the order above), with its time in `zone` (weekday and a hint
// relative to `now`), channel ("-" for a follow-up, which has none), who, what kind of
// contact, and the note (never cut). "Client communication: none" without any.
std::string RenderClientContacts(const amends::v1::Incident& incident, absl::TimeZone zone,
                                 absl::Time now);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_CONTACT_LOG_VIEW_H_
