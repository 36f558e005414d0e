// Prefill: a database holding many realistic incidents, for the read and growth benchmarks.
//
// Writes straight through the store in transactions of 1,000 changes (set-up, not measured),
// deciding each change with the core, as amendsd would: reports with Japanese text, and a mix
// of later stages (apologised, escalated, approved, visited, with a prevention plan, closed),
// so that the rows, indexes and timelines have the sizes real use gives them.
// Thread-safety: call from one thread, with no server open on the database.
#ifndef AMENDS_BENCH_SUPPORT_PREFILL_H_
#define AMENDS_BENCH_SUPPORT_PREFILL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace amends::bench {

struct Population {
  struct TeamUsers {
    std::string team;           // "team-001", ...; Asia/Tokyo
    std::string member;         // "member-001", ...
    std::string member_token;
    std::string manager;        // "manager-001", ...
    std::string manager_token;
  };
  std::vector<TeamUsers> teams;
  int64_t incidents = 0;  // stored in all
  int64_t events = 0;     // timeline events stored in all
};

// Creates the database at db_path (which must not exist) with `teams` teams, each with one
// member and one manager, and `incidents` incidents spread evenly over the teams: incident ids
// are 1 to `incidents`, id k in teams[(k - 1) % teams], all reported by the team's member.
// Everything is dated a few weeks ahead, so that no deadline falls due while a benchmark runs;
// the stream's replay window keeps only the newest 10,000 changes. Deterministic but for the
// tokens and the dates.
absl::StatusOr<Population> Prefill(const std::string& db_path, int teams, int64_t incidents);

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_PREFILL_H_
