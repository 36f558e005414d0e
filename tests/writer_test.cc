// Group commit in the writer (server/writer.h), over a real SQLite file: concurrent changes are
// all acknowledged and durable, waiting changes share one transaction, a change that fails in a
// group fails alone, and a lone change commits in a group of its own.
//
// A group is lined up deterministically by holding the leader of the group before it inside
// the commit listener (which the leader calls after its commit), so that the next calls queue.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "server/admin.h"
#include "server/core/deadlines.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"
#include "tests/service_fixture.h"
#include "tests/test_rules.h"

namespace amends {
namespace {

const Actor kSato{"sato", "tokyo-sales", Role::kMember};

Action Note(std::string text) { return {.type = ActionType::kAddNote, .text = std::move(text)}; }

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (TestDir() / "amends.db").string();
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(AddTeam(*store_, "tokyo-sales", "Asia/Tokyo").ok());
    writer_ = std::make_unique<IncidentWriter>(*store_, clock_, DefaultPolicy());
    writer_->SetCommitListener([this](const Committed&) {
      if (hold_next_.exchange(false)) {
        held_.Notify();
        release_.WaitForNotification();
      }
    });
  }

  // DOMAIN.md case 1, reported by sato.
  int64_t ReportMissedAppointment() {
    absl::StatusOr<v1::Incident> incident = ReportAndWait(*writer_, MissedAppointment(), kSato);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? incident->id() : 0;
  }

  // Starts a note on `id` on a thread of its own whose leader will stay inside its commit
  // listener until Release(), and returns once it is held there.
  void HoldALeader(int64_t id) {
    hold_next_ = true;
    threads_.emplace_back(
        [this, id] { EXPECT_TRUE(ApplyAndWait(*writer_, id, 0, Note("先方へ電話"), kSato).ok()); });
    held_.WaitForNotification();
  }
  // Starts `call` on a thread of its own and returns once it waits in the writer's queue.
  template <typename Fn>
  void Queue(Fn call) {
    const int before = writer_->WaitingForTest();
    threads_.emplace_back(std::move(call));
    while (writer_->WaitingForTest() == before) std::this_thread::yield();
  }
  void ReleaseAndJoin() {
    release_.Notify();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  // The incident and its timeline as a fresh store on the same file reads them.
  std::vector<v1::Event> DurableTimeline(int64_t id) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> reopened = SqliteStore::Open(path_);
    EXPECT_TRUE(reopened.ok()) << reopened.status();
    absl::StatusOr<std::vector<v1::Event>> timeline = (*reopened)->GetTimeline(id, 0, 0);
    EXPECT_TRUE(timeline.ok()) << timeline.status();
    return timeline.ok() ? *timeline : std::vector<v1::Event>();
  }

  std::string path_;
  std::unique_ptr<SqliteStore> store_;
  FakeClock clock_{TokyoTime(2026, 11, 27, 16, 50)};  // a Friday, in business hours
  std::unique_ptr<IncidentWriter> writer_;
  std::atomic<bool> hold_next_{false};
  absl::Notification held_;
  absl::Notification release_;
  std::vector<std::thread> threads_;
};

TEST_F(WriterTest, ConcurrentWritersAreAllAcknowledgedAndDurable) {
  constexpr int kWriters = 16;
  constexpr int kNotes = 20;
  std::vector<int64_t> ids(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      v1::ReportIncidentRequest report = MissedAppointment();
      report.set_summary(absl::StrCat("15時の打ち合わせを失念 ", w));
      absl::StatusOr<v1::Incident> incident = ReportAndWait(*writer_, report, kSato);
      ASSERT_TRUE(incident.ok()) << incident.status();
      ids[w] = incident->id();
      for (int n = 0; n < kNotes; ++n) {
        absl::StatusOr<v1::Incident> noted =
            ApplyAndWait(*writer_, ids[w], 0, Note(absl::StrCat("経過 ", n)), kSato);
        ASSERT_TRUE(noted.ok()) << noted.status();
        EXPECT_EQ(noted->version(), 2 + n);
      }
    });
  }
  for (std::thread& t : writers) t.join();

  for (int w = 0; w < kWriters; ++w) {
    std::vector<v1::Event> timeline = DurableTimeline(ids[w]);
    ASSERT_EQ(timeline.size(), 1u + kNotes) << "incident " << ids[w];
    for (int n = 0; n < kNotes; ++n) EXPECT_EQ(timeline[1 + n].text(), absl::StrCat("経過 ", n));
  }
  EXPECT_EQ(writer_->stats().changes, kWriters * (1 + kNotes));
}

TEST_F(WriterTest, ChangesWaitingForACommitShareTheNextTransaction) {
  const int64_t id = ReportMissedAppointment();
  HoldALeader(id);
  for (int n = 0; n < 8; ++n) {
    Queue([&, n] {
      EXPECT_TRUE(ApplyAndWait(*writer_, id, 0, Note(absl::StrCat("経過 ", n)), kSato).ok());
    });
  }
  const IncidentWriter::Stats before = writer_->stats();
  ReleaseAndJoin();

  const IncidentWriter::Stats after = writer_->stats();
  EXPECT_EQ(after.groups - before.groups, 2);  // the held one, then all eight together
  EXPECT_EQ(after.largest_group, 8);
  EXPECT_EQ(DurableTimeline(id).size(), 1u + 1 + 8);
}

TEST_F(WriterTest, ChangeFailingInAGroupFailsAloneAndItsNeighboursCommit) {
  const int64_t a = ReportMissedAppointment();
  const int64_t b = ReportMissedAppointment();
  HoldALeader(b);
  absl::StatusOr<v1::Incident> first, stale, missing, last;
  Queue([&] { first = ApplyAndWait(*writer_, a, 1, Note("部長へ報告済み"), kSato); });
  // Decided after `first` in the same transaction, so version 1 is already stale.
  Queue([&] { stale = ApplyAndWait(*writer_, a, 1, Note("古い版への追記"), kSato); });
  Queue([&] { missing = ApplyAndWait(*writer_, 9999, 0, Note("存在しない案件"), kSato); });
  Queue([&] { last = ApplyAndWait(*writer_, a, 0, Note("お詫び訪問の日程を調整中"), kSato); });
  ReleaseAndJoin();

  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 2);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound) << missing.status();
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->version(), 3);
  std::vector<v1::Event> timeline = DurableTimeline(a);
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[1].text(), "部長へ報告済み");
  EXPECT_EQ(timeline[2].text(), "お詫び訪問の日程を調整中");
  EXPECT_EQ(writer_->stats().largest_group, 4);
}

TEST_F(WriterTest, RetriedReportInTheSameGroupGetsTheFirstIncident) {
  const int64_t other = ReportMissedAppointment();
  HoldALeader(other);
  v1::ReportIncidentRequest report = MissedAppointment();
  report.set_request_id("sato-2026-11-27-1");
  absl::StatusOr<v1::Incident> sent, retried;
  Queue([&] { sent = ReportAndWait(*writer_, report, kSato); });
  Queue([&] { retried = ReportAndWait(*writer_, report, kSato); });
  ReleaseAndJoin();

  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->id(), sent->id());
  EXPECT_EQ(retried->version(), 1);
  absl::StatusOr<std::vector<v1::Incident>> all = store_->ListIncidents({.limit = 10});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);  // `other` and one report, not two
}

TEST_F(WriterTest, LoneChangeCommitsAtOnceInAGroupOfItsOwn) {
  // Nothing else is written and the fake clock never moves: a writer that waited for company
  // or for a timer would never return here.
  const int64_t id = ReportMissedAppointment();
  absl::StatusOr<v1::Incident> noted = ApplyAndWait(*writer_, id, 0, Note("先方へ電話"), kSato);
  ASSERT_TRUE(noted.ok()) << noted.status();
  EXPECT_EQ(writer_->stats().groups, 2);
  EXPECT_EQ(writer_->stats().largest_group, 1);
  EXPECT_EQ(DurableTimeline(id).size(), 2u);
}

TEST_F(WriterTest, DueDeadlineFiresAheadOfWaitingClientWrites) {
  const int64_t due = ReportMissedAppointment();
  absl::StatusOr<v1::Incident> incident = store_->GetIncident(due);
  ASSERT_TRUE(incident.ok());
  const std::optional<absl::Time> wake = NextWake(*incident);
  ASSERT_TRUE(wake.has_value());
  clock_.Set(*wake);

  const int64_t busy = ReportMissedAppointment();
  HoldALeader(busy);
  for (int n = 0; n < 3; ++n) {
    Queue([&, n] {
      EXPECT_TRUE(ApplyAndWait(*writer_, busy, 0, Note(absl::StrCat("経過 ", n)), kSato).ok());
    });
  }
  absl::StatusOr<IncidentWriter::Fired> fired;
  Queue([&] { fired = writer_->Fire({{.id = due, .at = *wake}}); });
  ReleaseAndJoin();

  ASSERT_TRUE(fired.ok()) << fired.status();
  ASSERT_EQ(fired->committed.size(), 1u);
  const std::vector<v1::Event> fired_timeline = DurableTimeline(due);
  const std::vector<v1::Event> busy_timeline = DurableTimeline(busy);
  ASSERT_EQ(busy_timeline.size(), 1u + 1 + 3);
  // The point was queued last but committed before the three notes that waited before it.
  EXPECT_LT(fired_timeline.back().sequence(), busy_timeline[2].sequence());
}

// An overload answers instead of queueing without end: with kMaxWaiting changes waiting behind
// a group, the next is refused at once, and nothing of it is written.
TEST_F(WriterTest, AFullQueueRefusesTheNextChangeAtOnceAndWritesNothingOfIt) {
  const int64_t id = ReportMissedAppointment();
  HoldALeader(id);
  std::atomic<int> answered{0}, committed{0};
  absl::Notification all_answered;
  for (size_t n = 0; n < IncidentWriter::kMaxWaiting; ++n) {
    // Queued without a thread each, as the callback handlers queue them.
    writer_->Apply(id, 0, Note(absl::StrCat("経過 ", n)), kSato, "",
                   [&](absl::StatusOr<v1::Incident> done) {
                     committed += done.ok();
                     if (++answered == static_cast<int>(IncidentWriter::kMaxWaiting)) {
                       all_answered.Notify();
                     }
                   });
  }
  absl::StatusOr<v1::Incident> refused = ApplyAndWait(*writer_, id, 0, Note("もう一件"), kSato);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            absl::StrCat("the server is busy: ", IncidentWriter::kMaxWaiting,
                         " changes are waiting to be written; nothing was changed, try again "
                         "shortly"));
  ReleaseAndJoin();
  all_answered.WaitForNotification();
  EXPECT_EQ(committed, static_cast<int>(IncidentWriter::kMaxWaiting));
  // And the queue takes changes again.
  ASSERT_TRUE(ApplyAndWait(*writer_, id, 0, Note("お詫び訪問の日程を調整中"), kSato).ok());
  const std::vector<v1::Event> timeline = DurableTimeline(id);
  // The report, the held note, the queued notes and the last; not the refused one.
  EXPECT_EQ(timeline.size(), 1 + 1 + IncidentWriter::kMaxWaiting + 1);
  for (const v1::Event& e : timeline) EXPECT_NE(e.text(), "もう一件");
}

}  // namespace
}  // namespace amends
