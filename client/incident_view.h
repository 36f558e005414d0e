// The CLI's table output: incidents, lists and timelines rendered as text for people.
// Times are shown in the incident's team zone (Incident.team_time_zone; UTC when this
// machine does not know the zone) with a hint relative to `now`.
//
//   std::cout << RenderIncident(incident, absl::Now());       // amends show 12
//   std::cout << RenderChange(incident, "escalated");
//       // "#12 escalated → state escalated (version 3)\n"
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_INCIDENT_VIEW_H_
#define AMENDS_CLIENT_INCIDENT_VIEW_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/terminal_width.h"

namespace amends::cli {

using Incidents = google::protobuf::RepeatedPtrField<amends::v1::Incident>;
using Events = google::protobuf::RepeatedPtrField<amends::v1::Event>;

// The zone the incident's times are shown in.
absl::TimeZone TeamZone(const amends::v1::Incident& incident);

// Every field of one incident: title, the latest hand-over note (first, so the new owner
// sees it), for a client-facing kind what the client expects, the fields one per line (the
// manager's own apology among them: given, owed, or not yet), then for a client-facing kind
// the cause (cause_view.h), the numbered prevention measures (a done one verified or not),
// then for a client-facing kind the offers (offer_view.h) and the client-communication log
// (contact_log_view.h: the follow-ups among the other contacts), for other kinds the
// follow-ups, open deadlines and promises, and — only when there are any — the hold and the
// reminders not acknowledged yet:
//
//   #12  15時の打ち合わせを失念
//   Client expects: 再発防止策を書面で示してほしい
//     (sato, 2026-11-27 (Fri) 17:20 (2h ago))
//
//     team               営業一課 (Asia/Tokyo)
//     ...
//     manager's apology  owed by tanaka, due 2026-12-01 (Tue) 17:45 (in 4d) (amends ...)
//     ...
//
//   Prevention measures:
//     1. [done] 共有スケジュールで予定を管理
//        owner sato, due 2026-12-04 (Fri) 18:00 (in 7d), done 2026-11-30 (Mon) 09:00 by sato
//        verified by yamada, 2026-12-01 (Tue) 10:00 (1h ago): 2週間分の登録を確認
//
//   Deadlines:
//     approve          2026-11-27 08:00 (overdue by 2h)  managers of 営業一課  (breached)
//     apology visit    2026-11-28 10:00 (in 1d)          sato
//     prevention plan  held, 2h 10m left                 sato
//
//   Promises:
//     1. [open]  by 2026-11-27 15:00 (in 5h)    owner sato  15時までに折り返し電話する
//     2. [kept]  by 2026-11-26 18:00 (16h ago)  owner sato  見積書を再送する
//
//   On hold: 先方の回答待ち
//     since 2026-11-27 08:30 (2h ago) by tanaka, until 2026-12-01 18:00 (in 4d)
//
//   Reminders to acknowledge (amends ack 12):
//     2026-11-27 09:00 (1h ago)  to sato  apology visit  due 2026-11-28 10:00 (in 1d)
std::string RenderIncident(const amends::v1::Incident& incident, absl::Time now);

// What a deadline asks (Deadline.what, also in reminders and the inbox), which the server
// writes in English ("apology visit", "measure 2: 共有スケジュールで管理"): in Japanese the
// server's phrasings are translated, their numbers and the team's own text kept; any other
// text, and every text in English, is returned as it is.
std::string DeadlineWhat(absl::string_view what);

// How soon the incident's soonest running deadline is due: "in 3h", "overdue 2h", "due now"
// within a minute; "held" when every deadline is paused by a hold, "-" without a deadline.
std::string NextDue(const amends::v1::Incident& incident, absl::Time now);

// A hand-over's checklist, "  2. [open] key contacts introduced to the successor" per item.
std::string ChecklistLines(const amends::v1::Incident& incident);

// The table views below fit their lines in `width` display columns (terminal_width.h) by
// cutting their free text (summaries, measures, event texts) with kCutMark, never their
// ids, times, states or names; kWideOutput cuts nothing.

// One row per incident: ID, STATE, SEVERITY, KIND, CLIENT, OWNER, NEXT DUE (as NextDue),
// SUMMARY (free text), UPDATED. Too narrow for them all, it leaves out UPDATED, then KIND.
std::string RenderIncidentList(const Incidents& incidents, absl::Time now,
                               int width = kUnlimitedWidth);

// One client's incidents with their prevention measures: a row per measure (the incident's
// columns filled on its first row only) — ID, STATE, SEVERITY, CAUSE (the cause's category;
// left out first when too narrow), SUMMARY, MEASURE (both free text), OWNER, DUE, DONE; then,
// after a blank line, a line per cause category that repeats (cause_view.h CauseRepeats).
std::string RenderClientIncidents(const Incidents& incidents, absl::Time now,
                                  int width = kUnlimitedWidth);

// One row per event: TIME, ACTOR, EVENT, STATE ("reported -> escalated"), TEXT (notes,
// hand-over notes and reasons on one line: whole unless cut to fit `width`). Too narrow for
// them all, it leaves out STATE.
std::string RenderTimeline(const Events& events, absl::TimeZone zone, absl::Time now,
                           int width = kUnlimitedWidth);

// The notes of an incident's timeline for `show`, the newest `last` of them, oldest first:
//   Notes (amends note 12 TEXT):
//     2026-11-27 09:00 (1h ago) tanaka: 先方部長は来週月曜午前なら時間が取れるとのこと
//     (3 earlier: amends timeline 12)
// "Notes: none" without any.
std::string RenderNotes(const Events& events, int64_t id, absl::TimeZone zone, absl::Time now,
                        int last);

// The confirmation after a change: "#12 <what> → state <state> (version <n>)\n".
std::string RenderChange(const amends::v1::Incident& incident, absl::string_view what);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_INCIDENT_VIEW_H_
