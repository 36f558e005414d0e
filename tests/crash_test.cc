// Durability: every change amendsd acknowledged is there after `kill -9`, whenever it lands.
#include <atomic>
#include <functional>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "amends/v1/amends.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/smtp_server.h"

namespace amends {
namespace {

struct Acked {
  int64_t id;
  std::string summary;
  int notes;  // acknowledged notes on it
};

// A call authenticated with `token` that gives up after 5 s: the server may be gone.
void Authenticate(grpc::ClientContext& ctx, const std::string& token) {
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

// What one write of a writer thread did: whether a report was acknowledged, and whether the
// writer goes on (false once a call failed: the server is gone).
struct Wrote {
  bool acked = false;
  bool more = false;
};

// Runs `writers` threads that call write(w, n) for n = 0, 1, ... until it says to stop, and
// kills the server with SIGKILL once `target` reports were acknowledged, so that the kill
// lands while commits are grouped.
void WriteUntilKilled(ChildProcess& server, int writers, int target,
                      const std::function<Wrote(int w, int n)>& write) {
  std::atomic<int> acks{0};
  std::atomic<int> running{writers};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      absl::Cleanup done = [&] { --running; };
      for (int n = 0;; ++n) {
        const Wrote wrote = write(w, n);
        if (wrote.acked) ++acks;
        if (!wrote.more) return;
      }
    });
  }
  while (acks < target && running > 0) std::this_thread::yield();
  server.Signal(SIGKILL);
  for (std::thread& t : threads) t.join();
  EXPECT_GE(acks, target) << "the writers stopped before the kill";
  EXPECT_EQ(server.Wait().exit_code, 128 + SIGKILL);
}

TEST(CrashTest, AcknowledgedChangesSurviveKillNine) {
  const std::string db = (TestDir() / "amends.db").string();
  ASSERT_EQ(RunCommand({AMENDSD_PATH, "admin", "--db", db, "team", "add", "tokyo-sales", "--tz",
                 "Asia/Tokyo"})
                .exit_code,
            0);
  RunResult user = RunCommand({AMENDSD_PATH, "admin", "--db", db, "user", "add", "sato", "--team",
                        "tokyo-sales", "--role", "member"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  const std::string token(absl::StripAsciiWhitespace(user.out));

  std::vector<Acked> acked;
  std::mutex mu;
  for (int round = 0; round < 3; ++round) {
    ChildProcess server({AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0"});
    std::string address;
    ASSERT_TRUE(StartServer(server, &address));
    auto stub = v1::IncidentService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));

    // Everything acknowledged before the kill (from earlier rounds too) is still there.
    for (const Acked& a : acked) {
      grpc::ClientContext ctx;
      Authenticate(ctx, token);
      v1::GetIncidentRequest get;
      get.set_id(a.id);
      v1::Incident out;
      ASSERT_TRUE(stub->GetIncident(&ctx, get, &out).ok()) << "lost incident " << a.id;
      EXPECT_EQ(out.summary(), a.summary);
      EXPECT_GE(out.version(), 1 + a.notes) << "lost a note on incident " << a.id;
    }

    // Sixteen writers report and annotate until the server dies under them, killed at a
    // different point each round: after 20, 60, 100 acknowledged reports.
    WriteUntilKilled(server, 16, 20 + 40 * round, [&](int w, int n) -> Wrote {
      v1::ReportIncidentRequest r = MissedAppointment();
      r.set_summary(absl::StrCat("納期遅延 第", round, "回 ", w, "-", n));
      grpc::ClientContext ctx;
      Authenticate(ctx, token);
      v1::Incident created;
      if (!stub->ReportIncident(&ctx, r, &created).ok()) return {};
      Acked a{created.id(), r.summary(), 0};
      grpc::ClientContext note_ctx;
      Authenticate(note_ctx, token);
      v1::AddNoteRequest note;
      note.set_id(created.id());
      note.set_text("お客様へ経緯を説明済み");
      v1::Incident noted;
      if (stub->AddNote(&note_ctx, note, &noted).ok()) a.notes = 1;
      std::lock_guard<std::mutex> lock(mu);
      acked.push_back(a);
      return {.acked = true, .more = a.notes == 1};
    });
  }
  EXPECT_GE(acked.size(), 180u);
}

// The outbox across crashes: every acknowledged change's notification reaches the mail
// server after a restart, resends carry the same Message-ID, and no mail speaks of an incident
// that was never committed.
TEST(CrashTest, NotificationsOfAcknowledgedChangesAreDeliveredAfterKillNine) {
  SmtpServer smtp;
  ASSERT_TRUE(smtp.ok()) << smtp.error();
  const std::filesystem::path dir = TestDir();
  const std::string db = (dir / "amends.db").string();
  const std::string notify = (dir / "notify.textproto").string();
  std::ofstream(notify) << "smtp { server: \"" << smtp.address()
                        << "\" from: \"amends@example.com\" }\n";
  ASSERT_EQ(RunCommand({AMENDSD_PATH, "admin", "--db", db, "team", "add", "tokyo-sales", "--tz",
                        "Asia/Tokyo"})
                .exit_code,
            0);
  RunResult manager = RunCommand({AMENDSD_PATH, "admin", "--db", db, "user", "add", "tanaka",
                                  "--team", "tokyo-sales", "--role", "manager", "--email",
                                  "tanaka@example.co.jp"});
  ASSERT_EQ(manager.exit_code, 0) << manager.err;
  RunResult user = RunCommand({AMENDSD_PATH, "admin", "--db", db, "user", "add", "sato", "--team",
                               "tokyo-sales", "--role", "member"});
  ASSERT_EQ(user.exit_code, 0) << user.err;
  const std::string token(absl::StripAsciiWhitespace(user.out));

  std::set<int64_t> acked;
  std::mutex mu;
  for (int round = 0; round < 3; ++round) {
    ChildProcess server({AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0", "--notify", notify});
    std::string address;
    ASSERT_TRUE(StartServer(server, &address));
    auto stub = v1::IncidentService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    // Eight writers report HIGH incidents (each mails the manager at once) until the kill.
    WriteUntilKilled(server, 8, 20 + 40 * round, [&](int w, int n) -> Wrote {
      v1::ReportIncidentRequest r = MissedAppointment();
      r.set_summary(absl::StrCat("報告書遅延 第", round, "回 ", w, "-", n));
      grpc::ClientContext ctx;
      Authenticate(ctx, token);
      v1::Incident created;
      if (!stub->ReportIncident(&ctx, r, &created).ok()) return {};
      std::lock_guard<std::mutex> lock(mu);
      acked.insert(created.id());
      return {.acked = true, .more = true};
    });
  }

  // A last start delivers whatever the kills left in the outbox.
  ChildProcess server({AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0", "--notify", notify});
  std::string address;
  ASSERT_TRUE(StartServer(server, &address));
  auto stub = v1::IncidentService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  const std::regex number(R"(\[amends #([0-9]+)\])");
  std::map<int64_t, std::set<std::string>> message_ids;  // incident -> Message-IDs received
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (;;) {
    message_ids.clear();
    for (const ReceivedMail& m : smtp.Received()) {
      std::smatch found;
      ASSERT_TRUE(std::regex_search(m.subject, found, number)) << m.subject;
      message_ids[std::stoll(found[1])].insert(m.Header("Message-ID"));
    }
    bool all = true;
    for (int64_t id : acked) all = all && message_ids.count(id) > 0;
    if (all || absl::Now() > give_up) break;
    absl::SleepFor(absl::Milliseconds(50));  // polling for the deliveries, not for time
  }
  for (int64_t id : acked) EXPECT_EQ(message_ids.count(id), 1u) << "no mail for incident " << id;
  for (const auto& [id, ids] : message_ids) {
    EXPECT_EQ(ids.size(), 1u) << "incident " << id << " was mailed under different Message-IDs";
    // Only committed incidents are mailed about (some committed without their answer arriving).
    grpc::ClientContext ctx;
    Authenticate(ctx, token);
    v1::GetIncidentRequest get;
    get.set_id(id);
    v1::Incident out;
    EXPECT_TRUE(stub->GetIncident(&ctx, get, &out).ok()) << "mail about incident " << id;
  }
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait().exit_code, 0);
}

}  // namespace
}  // namespace amends
