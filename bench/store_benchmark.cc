// Durable commits per second through the SQLite store (WAL, synchronous=FULL), one change per
// transaction: the ceiling the single writer path has until commits are grouped.
//
//   build/bin/store_benchmark [--size tiny|quick|full] [--results FILE] [--benchmark_filter=...]
//
// items/s in the table is commits per second.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "server/core/client_name.h"
#include "bench/bench_rules.h"
#include "server/core/lifecycle.h"
#include "storage/sqlite_store.h"
#include "bench/support/gbench_report.h"

namespace amends {
namespace {

const Actor kRep{"sato", "tokyo-sales", Role::kMember};

std::unique_ptr<SqliteStore> FreshStore() {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "amends-store-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = *SqliteStore::Open((dir / "amends.db").string());
  (void)store->CreateTeam({"tokyo-sales", "Asia/Tokyo"});
  return store;
}

v1::ReportIncidentRequest Complaint() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.set_kind(v1::KIND_COMPLAINT);
  r.set_severity(v1::SEVERITY_MEDIUM);
  r.set_summary("納品書の記載誤りについてのご指摘");
  return r;
}

void BM_CommitReport(benchmark::State& state) {
  auto store = FreshStore();
  for (auto _ : state) {
    Change c = *Report(Complaint(), kRep, "Asia/Tokyo", absl::Now(), {}, TokyoRules());
    auto done = store->Commit({c.incident, c.event, ClientKey("ＡＢＣ商事"), ""});
    if (!done.ok()) state.SkipWithError(std::string(done.status().message()).c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommitReport)->UseRealTime();

void BM_CommitNote(benchmark::State& state) {
  auto store = FreshStore();
  Change c = *Report(Complaint(), kRep, "Asia/Tokyo", absl::Now(), {}, TokyoRules());
  v1::Incident incident = store->Commit({c.incident, c.event, ClientKey("ＡＢＣ商事"), ""})->incident;
  const Action note{.type = ActionType::kAddNote, .text = "先方へ経緯を説明、再発防止策を検討中"};
  for (auto _ : state) {
    Change n = *Apply(incident, note, kRep, absl::Now(), TokyoRules());
    auto done = store->Commit({n.incident, n.event, ClientKey("ＡＢＣ商事"), ""});
    if (!done.ok()) state.SkipWithError(std::string(done.status().message()).c_str());
    incident = done->incident;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommitNote)->UseRealTime();

}  // namespace
}  // namespace amends

int main(int argc, char** argv) {
  return amends::bench::RunGoogleBenchmarks(
      argc, argv, "store", "Durable commits per second through the SQLite store.");
}
