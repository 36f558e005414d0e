// The scheduler over a real SQLite file: points fire at their time, once, across restarts and
// across a kill -9 between a breach and the escalation it calls for.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"

#include "gtest/gtest.h"
#include "server/admin.h"
#include "server/scheduler.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "server/core/time_proto.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

const Actor kYamada{"yamada", "tokyo-sales", Role::kMember};

// DOMAIN.md case 2: the late report to a client of many years, answered with a mail only.
v1::ReportIncidentRequest LateReport() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ミドリ精機株式会社");
  r.set_kind(v1::KIND_LATE_DELIVERABLE);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_summary("会議前に必要な報告書を未提出、先方から強い抗議");
  return r;
}

// One amendsd "lifetime": a store, writer and scheduler over the same file, on a fake clock.
struct Server {
  explicit Server(const std::string& path, absl::Time now)
      : clock(now),
        store(*SqliteStore::Open(path)),
        writer(*store, clock, DefaultPolicy()),
        scheduler(writer, clock) {
    absl::Status loaded = scheduler.Load(*store);
    EXPECT_TRUE(loaded.ok()) << loaded;
  }

  FakeClock clock;
  std::unique_ptr<SqliteStore> store;
  IncidentWriter writer;
  Scheduler scheduler;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (TestDir() / "amends.db").string();
    auto store = *SqliteStore::Open(path_);
    ASSERT_TRUE(AddTeam(*store, "tokyo-sales", "Asia/Tokyo").ok());
  }

  // Reports case 2 on Friday 17:30 and records the apology mail; returns the incident's id.
  int64_t ReportFridayEvening() {
    Server s(path_, TokyoTime(2026, 11, 27, 17, 30));
    absl::StatusOr<v1::Incident> i = ReportAndWait(s.writer, LateReport(), kYamada);
    EXPECT_TRUE(i.ok()) << i.status();
    EXPECT_TRUE(ApplyAndWait(s.writer, i->id(), 0,
                             {.type = ActionType::kRecordFirstApology,
                              .text = "お詫びのメールのみ",
                              .channel = v1::CHANNEL_MAIL},
                             kYamada)
                    .ok());
    return i->id();
  }

  // How many events of each type the incident's timeline holds.
  std::map<v1::EventType, int> Count(int64_t id) {
    auto store = *SqliteStore::Open(path_);
    absl::StatusOr<std::vector<v1::Event>> timeline = store->GetTimeline(id, 0, 0);
    EXPECT_TRUE(timeline.ok()) << timeline.status();
    std::map<v1::EventType, int> n;
    for (const v1::Event& e : timeline.value()) ++n[e.type()];
    return n;
  }

  std::string path_;
};

TEST_F(SchedulerTest, NothingFiresBeforeItsTimeAndEachPointFiresAtIt) {
  const int64_t id = ReportFridayEvening();
  Server s(path_, TokyoTime(2026, 11, 27, 17, 31));
  EXPECT_EQ(s.scheduler.size(), 1u);
  EXPECT_EQ(s.scheduler.NextWake(), TokyoTime(2026, 11, 30, 9, 30));  // half-way, Monday
  EXPECT_EQ(s.scheduler.RunDue(), 0);
  s.clock.Set(TokyoTime(2026, 11, 30, 9, 29));
  EXPECT_EQ(s.scheduler.RunDue(), 0);
  s.clock.Set(TokyoTime(2026, 11, 30, 9, 30));
  EXPECT_EQ(s.scheduler.RunDue(), 1);
  EXPECT_EQ(s.scheduler.NextWake(), TokyoTime(2026, 11, 30, 10, 0));  // 30 minutes before
  EXPECT_EQ(Count(id)[v1::EVENT_TYPE_REMINDER], 1);
}

// Deadlines are wall-clock times and follow a step of the system clock; the operator is told.
TEST_F(SchedulerTest, AStepOfTheWallClockIsLogged) {
  Server s(path_, TokyoTime(2026, 11, 27, 17, 30));
  s.scheduler.RunDue();
  testing::internal::CaptureStderr();
  s.clock.Advance(absl::Seconds(30));
  s.scheduler.RunDue();  // a turn on time says nothing
  s.clock.Set(s.clock.Now() - absl::Hours(1));
  s.scheduler.RunDue();
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "amendsd: scheduler: the system clock stepped backwards by 1h; deadlines follow "
            "the new time\n");
}

TEST_F(SchedulerTest, PointsMissedWhileDownFireAtStartUpExactlyOnce) {
  const int64_t id = ReportFridayEvening();
  // The server was down all Monday morning; it comes back at 11:00.
  {
    Server s(path_, TokyoTime(2026, 11, 30, 11, 0));
    // Both reminders, the breach and the automatic escalation, in their order.
    EXPECT_EQ(s.scheduler.RunDue(), 4);
    EXPECT_EQ(s.scheduler.RunDue(), 0);
    EXPECT_EQ(s.store->GetIncident(id)->state(), v1::STATE_ESCALATED);
  }
  // Restarted again at the same moment: everything that fired is marked, nothing repeats.
  {
    Server s(path_, TokyoTime(2026, 11, 30, 11, 0));
    EXPECT_EQ(s.scheduler.RunDue(), 0);
    EXPECT_EQ(s.scheduler.NextWake(), TokyoTime(2026, 11, 30, 12, 0));  // approval half-way
  }
  std::map<v1::EventType, int> n = Count(id);
  EXPECT_EQ(n[v1::EVENT_TYPE_REMINDER], 2);
  EXPECT_EQ(n[v1::EVENT_TYPE_DEADLINE_BREACHED], 1);
  EXPECT_EQ(n[v1::EVENT_TYPE_ESCALATED], 1);
}

TEST_F(SchedulerTest, KillNineBetweenBreachAndEscalationEscalatesOnceAfterRestart) {
  const int64_t id = ReportFridayEvening();
  const absl::Time monday = TokyoTime(2026, 11, 30, 10, 45);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The doomed server: fires in order and freezes right after the breach is committed,
    // before the escalation it calls for, until the parent kills it.
    close(ready[0]);
    Server s(path_, monday);
    s.scheduler.SetFiredListener([&](int64_t fired, absl::Duration) {
      absl::StatusOr<std::vector<v1::Event>> timeline = s.store->GetTimeline(fired, 0, 0);
      if (timeline.ok() && timeline->back().type() == v1::EVENT_TYPE_DEADLINE_BREACHED) {
        (void)!write(ready[1], "b", 1);
        for (;;) pause();
      }
    });
    s.scheduler.RunDue();
    _exit(1);  // never reached when the breach fires
  }
  close(ready[1]);
  char got = 0;
  ASSERT_EQ(read(ready[0], &got, 1), 1);
  close(ready[0]);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  std::map<v1::EventType, int> before = Count(id);
  EXPECT_EQ(before[v1::EVENT_TYPE_DEADLINE_BREACHED], 1);
  EXPECT_EQ(before[v1::EVENT_TYPE_ESCALATED], 0);

  Server s(path_, monday + absl::Minutes(1));
  EXPECT_EQ(s.scheduler.RunDue(), 1);  // the owed escalation, and nothing else
  std::map<v1::EventType, int> after = Count(id);
  EXPECT_EQ(after[v1::EVENT_TYPE_DEADLINE_BREACHED], 1);
  EXPECT_EQ(after[v1::EVENT_TYPE_ESCALATED], 1);
  EXPECT_EQ(after[v1::EVENT_TYPE_REMINDER], 2);
  v1::Incident i = *s.store->GetIncident(id);
  EXPECT_EQ(i.state(), v1::STATE_ESCALATED);
  EXPECT_EQ(i.escalation_reason().find("escalate to a manager was due 2026-11-30 10:30"), 0u)
      << i.escalation_reason();
}

TEST_F(SchedulerTest, IncidentFromBeforeTheUpgradeGetsItsStageDeadlinesAtStartUp) {
  const int64_t id = ReportFridayEvening();
  {
    // As the upgrade leaves it: no deadlines, and wake_at 0 (see the v3 migration).
    auto store = *SqliteStore::Open(path_);
    v1::Incident old = *store->GetIncident(id);
    old.clear_deadlines();
    old.set_version(old.version() + 1);
    v1::Event note;
    note.set_type(v1::EVENT_TYPE_NOTE_ADDED);
    note.set_actor("yamada");
    ASSERT_TRUE(store->Commit({.incident = old, .event = note, .wake_at = absl::UnixEpoch()}).ok());
  }
  Server s(path_, TokyoTime(2026, 11, 30, 9, 0));  // Monday morning, after the upgrade
  EXPECT_EQ(s.scheduler.RunDue(), 1);
  const v1::Incident i = *s.store->GetIncident(id);
  ASSERT_EQ(i.deadlines_size(), 2);
  EXPECT_EQ(i.deadlines(0).key(), "escalate");
  EXPECT_EQ(FromProto(i.deadlines(0).due()), TokyoTime(2026, 11, 30, 11, 0));
  // HIGH: the client hears from the team within 2 working days, by Tuesday's close.
  EXPECT_EQ(i.deadlines(1).key(), "update");
  EXPECT_EQ(FromProto(i.deadlines(1).due()), TokyoTime(2026, 12, 1, 18, 0));
  const v1::Event last = s.store->GetTimeline(id, 0, 0)->back();
  EXPECT_EQ(last.actor(), "amends");
  EXPECT_EQ(last.text(),
            "deadlines set from the policy: escalate to a manager by 2026-11-30 11:00 JST; an "
            "update to the client by 2026-12-01 18:00 JST");
  EXPECT_EQ(s.scheduler.NextWake(), TokyoTime(2026, 11, 30, 10, 0));
  EXPECT_EQ(s.scheduler.RunDue(), 0);
}

TEST_F(SchedulerTest, TeamHolidaySetByAdminIsSkippedByTheNextDeadline) {
  {
    auto store = *SqliteStore::Open(path_);
    absl::StatusOr<std::string> shown =
        EditTeamCalendar(*store, "tokyo-sales", {.add_holidays = {"2026-11-30"}});
    ASSERT_TRUE(shown.ok()) << shown.status();
    EXPECT_EQ(*shown, "holidays: \"2026-11-30\"\n");
    EXPECT_EQ(EditTeamCalendar(*store, "tokyo-sales", {.add_holidays = {"2026-11-31"}}).status(),
              absl::InvalidArgumentError(
                  "--holiday 2026-11-31: \"2026-11-31\" is not a date YYYY-MM-DD"));
    EXPECT_EQ(EditTeamCalendar(*store, "tokyo-sales", {.hours = {"mon-fri=9:00-18:00"}}).status(),
              absl::InvalidArgumentError(
                  "--hours mon-fri=9:00-18:00: \"9:00\" is not HH:MM"));
    // Nothing was changed by the rejected edits.
    EXPECT_EQ(*EditTeamCalendar(*store, "tokyo-sales", {}), "holidays: \"2026-11-30\"\n");
  }
  const int64_t id = ReportFridayEvening();
  // Monday is the team's day off: the 90 minutes left fall on Tuesday.
  Server s(path_, TokyoTime(2026, 11, 27, 17, 31));
  const v1::Incident i = *s.store->GetIncident(id);
  ASSERT_EQ(i.deadlines_size(), 2);
  EXPECT_EQ(FromProto(i.deadlines(0).due()), TokyoTime(2026, 12, 1, 10, 30));
  // The update to the client too: two working days from Friday 17:30 are Wednesday's.
  EXPECT_EQ(i.deadlines(1).key(), "update");
  EXPECT_EQ(FromProto(i.deadlines(1).due()), TokyoTime(2026, 12, 2, 17, 30));
}

TEST_F(SchedulerTest, ServerWithABrokenPolicyFileRefusesToStartNamingLineAndField) {
  const std::string policy =
      (std::filesystem::path(path_).parent_path() / "policy.textproto").string();
  std::string text = ReadSourceFile("deploy/policy.textproto");
  // The first LOW severity's escalate_within, not the comments above it that mention it.
  const std::string field = "\n  escalate_within: \"";
  const size_t at = text.find(field);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, field.size(), field + "4x");
  const int line = 2 + std::count(text.begin(), text.begin() + at, '\n');
  FILE* f = fopen(policy.c_str(), "w");
  fputs(text.c_str(), f);
  fclose(f);

  RunResult r = RunCommand(
      {AMENDSD_PATH, "--db", path_, "--listen", "127.0.0.1:0", "--policy", policy});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat("policy.textproto:", line, ": severity[0]")))
      << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "escalate_within")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(ReadmeTest, ShowsTheDefaultPolicyExactlyAsShipped) {
  EXPECT_TRUE(absl::StrContains(ReadSourceFile("README.md"),
                                ReadSourceFile("deploy/policy.textproto")))
      << "README.md's copy of deploy/policy.textproto is out of date";
}

}  // namespace
}  // namespace amends
