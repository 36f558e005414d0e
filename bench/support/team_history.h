// Team history: one team's long past in a database, as amendsd would have committed it, for
// the summary benchmark.
//
//   absl::StatusOr<TeamHistory> history =
//       FillTeamHistory(db, {.incidents = 100'000, .span = absl::Hours(24 * 365),
//                            .now = absl::Now()});
//
// The team's member reports `incidents` incidents at even intervals over the `span` before
// `now` (DOMAIN.md's client-facing cases, in Japanese); the member and the team's manager take
// each along its path, ten minutes a step. Those reported before the last `recent` are closed,
// but for 1% left open where they stood; the recent ones are spread over the stages as in
// bench/support/prefill.h (30% closed). Every deadline point due before `now` fires at its
// time, as amendsd's scheduler would have fired it: reminders, breaches, automatic
// escalations. Every change, people's and amends', is committed in time order, so that the
// events' sequence follows their time as on a real server; transactions of 1,000 changes.
// Deterministic but for the tokens and the dates.
// Thread-safety: call from one thread, with no server open on the database.
#ifndef AMENDS_BENCH_SUPPORT_TEAM_HISTORY_H_
#define AMENDS_BENCH_SUPPORT_TEAM_HISTORY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace amends::bench {

struct TeamHistoryOptions {
  int64_t incidents = 0;
  absl::Duration span = absl::Hours(24 * 365);
  absl::Duration recent = absl::Hours(24 * 28);
  absl::Time now;
};

struct TeamHistory {
  std::string team = "営業一課";  // Asia/Tokyo
  std::string member = "sato";
  std::string member_token;
  std::string manager = "tanaka";
  std::string manager_token;
  int64_t incidents = 0;
  int64_t open = 0;         // still open at `now`
  int64_t events = 0;       // timeline events in all
  int64_t fired = 0;        // of them, amends' own (reminders, breaches, escalations)
  int64_t last_week = 0;    // events dated in the 7 days before `now`
  int64_t recurrences = 0;  // incidents reported as recurrences
};

// Creates the database at db_path, which must not exist.
absl::StatusOr<TeamHistory> FillTeamHistory(const std::string& db_path,
                                            const TeamHistoryOptions& options);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_TEAM_HISTORY_H_
