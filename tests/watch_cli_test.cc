// `amends watch` end to end: the real CLI binary follows the change stream of an in-process
// server (tests/service_fixture.h, fake clock) while DOMAIN.md case 1 unfolds — the forgotten
// 15:00 meeting with ＡＢＣ商事 is reported, apologised for and escalated — including across a
// server restart on the same port and database, and stops cleanly on SIGINT and SIGTERM.
//
// Nothing here sleeps: the watcher says on stderr when its stream is open ("amends: watching
// changes after #N"), and every wait for a line gives up (killing the watcher) after kWait.
#include <signal.h>
#include <string.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "amends/v1/amends.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::chrono::milliseconds kWait = std::chrono::seconds(30);

class WatchCliTest : public ServiceTest {
 protected:
  std::map<std::string, std::string> Env(const std::string& user) {
    return {{"AMENDS_SERVER", absl::StrCat("127.0.0.1:", server_->port())},
            {"AMENDS_TOKEN", tokens_.at(user)}};
  }

  // Starts `amends watch ARGS` as `user` and waits until its stream is open: every change
  // committed from then on is one it must print.
  std::unique_ptr<ChildProcess> StartWatch(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDS_PATH, "watch"});
    auto watcher = std::make_unique<ChildProcess>(args, Env(user));
    EXPECT_TRUE(watcher->started());
    std::string line;
    EXPECT_TRUE(watcher->ReadErrLineWithin(&line, kWait)) << absl::StrJoin(args, " ");
    EXPECT_THAT(line, StartsWith("amends: watching changes after #"));
    return watcher;
  }

  // The next NDJSON line of `watcher`, parsed.
  static bool NextChange(ChildProcess& watcher, v1::IncidentChange* change) {
    std::string line;
    if (!watcher.ReadLineWithin(&line, kWait)) {
      ADD_FAILURE() << "no line within " << kWait.count() << " ms";
      return false;
    }
    const auto status = google::protobuf::util::JsonStringToMessage(line, change);
    EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << line;
    return status.ok();
  }

  void Escalate(int64_t id) {
    v1::EscalateRequest request;
    request.set_id(id);
    request.set_reason("先方部長がお怒り。上長同行での訪問が必要");
    v1::Incident incident;
    const grpc::Status s = stub_->Escalate(As("sato").get(), request, &incident);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::vector<v1::Event> Timeline(int64_t id) {
    v1::GetTimelineRequest request;
    request.set_id(id);
    v1::GetTimelineResponse timeline;
    const grpc::Status s = stub_->GetTimeline(As("sato").get(), request, &timeline);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {timeline.events().begin(), timeline.events().end()};
  }

  // Stops `watcher` with `sig`; expects exit code 0 and nothing more on stdout.
  static RunResult Stop(ChildProcess& watcher, int sig = SIGINT) {
    watcher.Signal(sig);
    RunResult r = watcher.Wait();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "") << "printed after the last expected line";
    return r;
  }
};

TEST_F(WatchCliTest, JsonPrintsOneLinePerChangeMadeAfterItStarted) {
  std::unique_ptr<ChildProcess> watcher = StartWatch("tanaka", {"--output", "json"});
  const v1::Incident incident = Report("sato", MissedAppointment());
  Apologize("sato", incident.id());
  Escalate(incident.id());

  const std::vector<v1::Event> timeline = Timeline(incident.id());
  ASSERT_EQ(timeline.size(), 3u);
  const v1::EventType types[] = {v1::EVENT_TYPE_REPORTED, v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED,
                                 v1::EVENT_TYPE_ESCALATED};
  const v1::State states[] = {v1::STATE_REPORTED, v1::STATE_REPORTED, v1::STATE_ESCALATED};
  for (int i = 0; i < 3; ++i) {
    v1::IncidentChange change;
    ASSERT_TRUE(NextChange(*watcher, &change));
    EXPECT_EQ(change.event().sequence(), i + 1);
    EXPECT_EQ(change.event().type(), types[i]);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(change.event(), timeline[i]))
        << change.event().DebugString() << "\n"
        << timeline[i].DebugString();
    EXPECT_EQ(change.incident().id(), incident.id());
    EXPECT_EQ(change.incident().client().name(), "ＡＢＣ商事");
    EXPECT_EQ(change.incident().state(), states[i]);
    EXPECT_EQ(change.incident().version(), i + 1);  // the incident right after the change
  }
  Stop(*watcher);
}

// DOMAIN.md case 6: the rep a conduct case is about never sees it go by, nor any change to it.
TEST_F(WatchCliTest, ConductCaseNeverReachesTheStreamOfThePersonItIsAbout) {
  std::unique_ptr<ChildProcess> yamada = StartWatch("yamada", {"--output", "json"});
  std::unique_ptr<ChildProcess> suzuki = StartWatch("suzuki", {"--output", "json"});
  v1::ReportIncidentRequest conduct = MissedAppointment();
  conduct.set_kind(v1::KIND_CONDUCT);
  conduct.set_summary("担当者と先方担当者との間の利益相反の懸念");
  conduct.set_subject("yamada");
  const v1::Incident about = Report("tanaka", conduct);
  v1::ApproveEscalationRequest approve;
  approve.set_id(about.id());
  v1::Incident approved;
  ASSERT_TRUE(stub_->ApproveEscalation(As("suzuki").get(), approve, &approved).ok());
  const v1::Incident ordinary = Report("sato", MissedAppointment());

  v1::IncidentChange change;
  ASSERT_TRUE(NextChange(*yamada, &change));
  EXPECT_EQ(change.incident().id(), ordinary.id()) << "the first change yamada may see";
  EXPECT_EQ(change.event().sequence(), 3);
  for (int64_t id : {about.id(), about.id(), ordinary.id()}) {  // a manager sees all three
    ASSERT_TRUE(NextChange(*suzuki, &change));
    EXPECT_EQ(change.incident().id(), id);
  }
  Stop(*yamada);
  Stop(*suzuki);
}

TEST_F(WatchCliTest, ResumesAfterItsCursorWhenTheServerRestartsOnTheSamePort) {
  std::unique_ptr<ChildProcess> watcher = StartWatch("sato", {"--output", "json"});
  const v1::Incident incident = Report("sato", MissedAppointment());
  v1::IncidentChange change;
  ASSERT_TRUE(NextChange(*watcher, &change));
  ASSERT_EQ(change.event().sequence(), 1);

  // The server goes away. While the watcher's address is dead, another server on the same
  // database commits a change, then goes away too; then the server comes back on the old
  // port and a change is made there.
  const int port = server_->port();
  StartServer({.listen = "127.0.0.1:0", .run_background = false});
  ASSERT_NE(server_->port(), port);
  Apologize("sato", incident.id());
  StartServer({.listen = absl::StrCat("127.0.0.1:", port), .run_background = false});
  ASSERT_EQ(server_->port(), port);
  Escalate(incident.id());

  // Both, once each, in order: it resumed after #1.
  ASSERT_TRUE(NextChange(*watcher, &change));
  EXPECT_EQ(change.event().sequence(), 2);
  EXPECT_EQ(change.event().type(), v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED);
  ASSERT_TRUE(NextChange(*watcher, &change));
  EXPECT_EQ(change.event().sequence(), 3);
  EXPECT_EQ(change.event().type(), v1::EVENT_TYPE_ESCALATED);
  EXPECT_EQ(change.incident().state(), v1::STATE_ESCALATED);

  const RunResult r = Stop(*watcher);  // no duplicate of #1, #2 or #3 came after
  EXPECT_THAT(r.err, HasSubstr("amends: connection lost ("));
  EXPECT_THAT(r.err, HasSubstr("reconnecting after #1\n"));
}

TEST_F(WatchCliTest, AStreamSilentForThreeHeartbeatIntervalsIsTakenForDeadAndResumed) {
  // Heartbeats follow the fake clock, which does not move here: after the opening heartbeat
  // (interval 100ms) the stream stays silent, as a dead connection would. The watcher gives
  // up on it after 3 × 100ms and resumes with its cursor.
  StartServer({.run_background = false, .heartbeat = absl::Milliseconds(100)});
  std::unique_ptr<ChildProcess> watcher = StartWatch("sato", {"--output", "json"});
  std::string line;
  ASSERT_TRUE(watcher->ReadErrLineWithin(&line, kWait)) << line << watcher->Wait().err;
  EXPECT_EQ(line,
            "amends: connection lost (no message from the server for 300ms); reconnecting after #0");
  ASSERT_TRUE(watcher->ReadErrLineWithin(&line, kWait));
  EXPECT_EQ(line, "amends: reconnected; watching changes after #0");
  Report("sato", MissedAppointment());
  v1::IncidentChange change;
  ASSERT_TRUE(NextChange(*watcher, &change));
  EXPECT_EQ(change.event().sequence(), 1);
  Stop(*watcher);
}

TEST_F(WatchCliTest, SigintAndSigtermExitWithCodeZero) {
  int64_t sequence = 0;
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(strsignal(sig));
    ++sequence;
    std::unique_ptr<ChildProcess> watcher = StartWatch("sato", {});
    std::string header;
    ASSERT_TRUE(watcher->ReadLineWithin(&header, kWait));
    EXPECT_THAT(header, StartsWith("SEQ "));
    Report("sato", MissedAppointment());
    std::string line;
    ASSERT_TRUE(watcher->ReadLineWithin(&line, kWait));
    EXPECT_THAT(line, StartsWith(absl::StrCat("#", sequence, " ")));
    EXPECT_THAT(line, HasSubstr("ＡＢＣ商事"));
    EXPECT_THAT(line, HasSubstr("reported"));
    EXPECT_THAT(line, HasSubstr("2026-11-27 (Fri) 16:50"));  // the event's time, in Tokyo
    const RunResult r = Stop(*watcher, sig);
    EXPECT_THAT(r.err, Not(HasSubstr("connection lost")));
  }
}

TEST_F(WatchCliTest, FromBeyondTheNewestSequenceFailsNamingAfterSequence) {
  Report("sato", MissedAppointment());
  ChildProcess watcher({AMENDS_PATH, "watch", "--from", "999999"}, Env("sato"));
  std::string line;
  ASSERT_TRUE(watcher.ReadErrLineWithin(&line, kWait));
  EXPECT_THAT(line, StartsWith("amends: after_sequence: 999999 is after the newest change"));
  const RunResult r = watcher.Wait();
  EXPECT_EQ(r.exit_code, 2) << r.err;  // INVALID_ARGUMENT: not retried
  EXPECT_EQ(r.out, "");
}

TEST_F(WatchCliTest, ACursorOlderThanTheServerKeepsFailsSuggestingFromOldest) {
  const v1::Incident incident = Report("sato", MissedAppointment());
  Apologize("sato", incident.id());
  clock_.Advance(absl::Hours(24 * 31));
  ASSERT_TRUE(server_->PruneStream().ok());

  ChildProcess watcher({AMENDS_PATH, "watch", "--from", "1"}, Env("sato"));
  std::string line;
  ASSERT_TRUE(watcher.ReadErrLineWithin(&line, kWait));
  EXPECT_THAT(line, StartsWith("amends: after_sequence: the changes after 1 are no longer kept"));
  EXPECT_THAT(line, HasSubstr("oldest available sequence is 3"));
  EXPECT_THAT(line, HasSubstr("--from oldest"));
  const RunResult r = watcher.Wait();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(WatchCliTest, AnUnknownTokenIsNotRetried) {
  ChildProcess watcher({AMENDS_PATH, "watch"},
                       {{"AMENDS_SERVER", absl::StrCat("127.0.0.1:", server_->port())},
                        {"AMENDS_TOKEN", "amd_not-a-token"}});
  std::string line;
  ASSERT_TRUE(watcher.ReadErrLineWithin(&line, kWait));
  const RunResult r = watcher.Wait();
  EXPECT_EQ(r.exit_code, 4) << line << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("retrying")));
}

TEST_F(WatchCliTest, BadFromIsAUsageErrorNamingTheOption) {
  for (const char* from : {"0", "-1", "abc", "12x"}) {
    const RunResult r = RunCommand({AMENDS_PATH, "watch", "--from", from}, Env("sato"));
    EXPECT_EQ(r.exit_code, 2) << from << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("--from")) << from;
    EXPECT_EQ(r.out, "") << from;
  }
}

}  // namespace
}  // namespace amends
