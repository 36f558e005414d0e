// `amends summary` for people: one team at a glance, times in the team's zone with a hint
// relative to the summary's own time (TeamSummary.as_of, the server's clock).
//
//   std::cout << RenderSummary(summary);
// prints
//   Team tokyo-sales (Asia/Tokyo), 2026-12-07 11:30 JST
//
//   Open incidents
//   STAGE            LOW  MEDIUM  HIGH  CRITICAL  TOTAL
//   reported           -       1     -         1      2
//   escalated          -       -     1         -      1
//   apology-visit      -       -     -         -      -
//   prevention-plan    -       -     -         -      -
//   follow-up          -       -     1         -      1
//   total              -       1     2         1      4
//
//   Overdue deadlines
//   WHO   DEADLINES  OLDEST DUE
//   sato          2  2026-12-07 09:00 (overdue by 3h)
//
//   Approvals waiting: 1
//   DUE                       ID  SEVERITY  CLIENT              SUMMARY
//   2026-12-07 12:31 (in 1h)  3   high      ミドリ精機株式会社  報告書を未提出、先方から抗議
//
//   Last 7 days, since 2026-11-30 11:30 JST
//     deadlines breached    3
//     escalated by amends   1
//     recurrences reported  1
//   Open recurrences: 1
// A section with nothing in it is one line ("Overdue deadlines: none"); an approval of another
// team's case (an escalation chain asks this team) adds a TEAM column. Approvals beyond those
// listed are counted below the table ("and 3 more, due later").
// Columns line up by display width; counts are right-aligned, "-" is none. Only characters of
// one unambiguous width are used, so that it lines up in every terminal.
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_SUMMARY_VIEW_H_
#define AMENDS_CLIENT_SUMMARY_VIEW_H_

#include <string>

#include "amends/v1/amends.pb.h"

namespace amends::cli {

std::string RenderSummary(const amends::v1::TeamSummary& summary);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_SUMMARY_VIEW_H_
