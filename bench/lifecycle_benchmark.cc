// How long the core takes to decide one change, and to normalise a client name. Both run on
// every write, on the group leader's thread, so they bound the write path from above.
//
//   build/bin/lifecycle_benchmark [--size tiny|quick|full] [--results FILE]
#include <benchmark/benchmark.h>

#include "server/core/client_name.h"
#include "bench/bench_rules.h"
#include "server/core/lifecycle.h"
#include "bench/support/gbench_report.h"

namespace amends {
namespace {

const Actor kRep{"sato", "tokyo-sales", Role::kMember};

v1::Incident ReportedIncident() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.set_kind(v1::KIND_MISSED_APPOINTMENT);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  v1::Incident i = Report(r, kRep, "Asia/Tokyo", absl::UnixEpoch(), {}, TokyoRules())->incident;
  i.set_id(1);
  return i;
}

void BM_ApplyNote(benchmark::State& state) {
  const v1::Incident incident = ReportedIncident();
  const Action note{.type = ActionType::kAddNote, .text = "先方部長は誠意を見せてほしいとのこと"};
  for (auto _ : state) {
    benchmark::DoNotOptimize(Apply(incident, note, kRep, absl::UnixEpoch(), TokyoRules()));
  }
}
BENCHMARK(BM_ApplyNote);

void BM_ClientKey(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ClientKey("株式会社　ＡＢＣ商事"));
}
BENCHMARK(BM_ClientKey);

}  // namespace
}  // namespace amends

int main(int argc, char** argv) {
  return amends::bench::RunGoogleBenchmarks(
      argc, argv, "lifecycle", "How long the core takes to decide a change and to key a name.");
}
