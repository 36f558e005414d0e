// The change stream (WatchService) over a real loopback port and a real SQLite file, as a chat
// notifier or a CRM sync sees it: live delivery, resuming from a cursor, retention, filters,
// permissions, a slow subscriber, heartbeats, token revocation and server restarts.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "grpcpp/support/channel_arguments.h"
#include "server/admin.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// One subscriber's stream. Each read gives up after a while, so a missing message fails the
// test instead of hanging it.
class Subscription {
 public:
  Subscription(v1::WatchService::Stub& stub, const std::string& token, v1::WatchRequest request) {
    ctx_.AddMetadata("authorization", "Bearer " + token);
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    reader_ = stub.Watch(&ctx_, request);
  }
  ~Subscription() {
    if (finished_) return;
    ctx_.TryCancel();
    reader_->Finish().IgnoreError();
  }

  // The next message, or nullopt once the stream has ended.
  std::optional<v1::WatchResponse> Next() {
    v1::WatchResponse r;
    if (!reader_->Read(&r)) return std::nullopt;
    return r;
  }
  // The next change, skipping heartbeats; nullopt once the stream has ended.
  std::optional<v1::IncidentChange> NextChange() {
    for (;;) {
      std::optional<v1::WatchResponse> r = Next();
      if (!r) return std::nullopt;
      if (r->has_change()) return r->change();
    }
  }
  // The sequences of the next n changes.
  std::vector<int64_t> NextSequences(int n) {
    std::vector<int64_t> seqs;
    for (int i = 0; i < n; ++i) {
      std::optional<v1::IncidentChange> c = NextChange();
      if (!c) break;
      seqs.push_back(c->event().sequence());
    }
    return seqs;
  }
  // Reads to the end of the stream and returns how it ended.
  grpc::Status Finish() {
    while (Next()) {
    }
    finished_ = true;
    return reader_->Finish();
  }
  grpc::ClientContext& context() { return ctx_; }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> reader_;
  bool finished_ = false;
};

v1::WatchRequest FromNow() {
  v1::WatchRequest r;
  r.set_from_now(true);
  return r;
}
v1::WatchRequest After(int64_t sequence) {
  v1::WatchRequest r;
  r.set_after_sequence(sequence);
  return r;
}
v1::WatchRequest FromOldest() {
  v1::WatchRequest r;
  r.set_from_oldest(true);
  return r;
}

// DOMAIN.md case 3: the Osaka team's delivery delay, another team's incident.
v1::ReportIncidentRequest LateDelivery() {
  v1::ReportIncidentRequest r;
  r.set_team("osaka-sales");
  r.mutable_client()->set_name("なにわ精機株式会社");
  r.set_kind(v1::KIND_DELIVERY_DELAY);
  r.set_severity(v1::SEVERITY_MEDIUM);
  r.set_summary("部品の納品が3日遅延");
  return r;
}

// A harassment report: confidential by default.
v1::ReportIncidentRequest Harassment() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.set_kind(v1::KIND_HARASSMENT);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_summary("先方担当者からの不適切な発言");
  return r;
}

class WatchTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    ResetWatchStub();
  }
  void ResetWatchStub() { watch_ = v1::WatchService::NewStub(channel_); }

  std::unique_ptr<Subscription> Subscribe(const std::string& user, v1::WatchRequest request) {
    auto sub = std::make_unique<Subscription>(*watch_, tokens_.at(user), std::move(request));
    // The opening heartbeat: once it is here the stream is listening.
    std::optional<v1::WatchResponse> first = sub->Next();
    EXPECT_TRUE(first && first->has_heartbeat()) << "no opening heartbeat";
    if (first) opening_ = first->heartbeat();
    return sub;
  }

  v1::Incident Note(int64_t id, const std::string& text, const std::string& user = "sato") {
    v1::AddNoteRequest req;
    req.set_id(id);
    req.set_text(text);
    v1::Incident out;
    grpc::Status s = stub_->AddNote(As(user).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Incident Apologize(int64_t id) {
    v1::RecordFirstApologyRequest req;
    req.set_id(id);
    req.set_channel(v1::CHANNEL_CALL);
    req.set_note("山田様にお電話でお詫び。明日伺う旨をお伝えした");
    v1::Incident out;
    grpc::Status s = stub_->RecordFirstApology(As("sato").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Incident Escalate(int64_t id) {
    v1::EscalateRequest req;
    req.set_id(id);
    req.set_reason("先方部長がお怒り、上長同行での訪問が必要");
    v1::Incident out;
    grpc::Status s = stub_->Escalate(As("sato").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // How the server refuses `request` from `user`: the stream ends before its first message.
  grpc::Status Refusal(const std::string& user, const v1::WatchRequest& request) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tokens_.at(user));
    auto reader = watch_->Watch(&ctx, request);
    v1::WatchResponse r;
    EXPECT_FALSE(reader->Read(&r)) << r.DebugString();
    return reader->Finish();
  }

  // The sequence of the newest event of the incident.
  int64_t LastSequenceOf(int64_t id) {
    v1::GetTimelineRequest req;
    req.set_id(id);
    v1::GetTimelineResponse resp;
    EXPECT_TRUE(stub_->GetTimeline(As("tanaka").get(), req, &resp).ok());
    return resp.events().empty() ? 0 : resp.events().rbegin()->sequence();
  }

  // A stub whose connection grants little flow-control window, so that the server's writes to
  // a subscriber that stops reading block soon.
  std::unique_ptr<v1::WatchService::Stub> StallableStub() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
    return v1::WatchService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials(), args));
  }

  std::unique_ptr<v1::WatchService::Stub> watch_;
  v1::Heartbeat opening_;
};

TEST_F(WatchTest, ChangesArriveLiveInOrderWithTheIncidentAsEachLeftIt) {
  auto manager = Subscribe("tanaka", FromNow());
  const v1::Incident reported = Report("sato", MissedAppointment());
  Apologize(reported.id());
  Escalate(reported.id());

  std::vector<v1::IncidentChange> changes;
  for (int i = 0; i < 3; ++i) {
    std::optional<v1::IncidentChange> c = manager->NextChange();
    ASSERT_TRUE(c) << "change " << i << " never arrived";
    changes.push_back(*c);
  }
  EXPECT_EQ(changes[0].event().type(), v1::EVENT_TYPE_REPORTED);
  EXPECT_EQ(changes[1].event().type(), v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED);
  EXPECT_EQ(changes[2].event().type(), v1::EVENT_TYPE_ESCALATED);
  for (int i = 0; i < 3; ++i) {
    const v1::IncidentChange& c = changes[i];
    EXPECT_EQ(c.event().sequence(), opening_.sequence() + 1 + i);
    EXPECT_EQ(c.event().incident_id(), reported.id());
    EXPECT_EQ(c.event().actor(), "sato");
    EXPECT_EQ(c.incident().version(), i + 1);
    EXPECT_EQ(c.incident().client().name(), "ＡＢＣ商事");
  }
  EXPECT_EQ(changes[0].incident().state(), v1::STATE_REPORTED);
  EXPECT_FALSE(changes[0].incident().has_first_apology());
  EXPECT_TRUE(changes[1].incident().has_first_apology());
  EXPECT_EQ(changes[2].incident().state(), v1::STATE_ESCALATED);
}

TEST_F(WatchTest, ResumingAfterTheLastSeenSequenceHasNoGapAndNoDuplicate) {
  const int64_t id = Report("sato", MissedAppointment()).id();
  int64_t cursor = 0;
  {
    auto crm = Subscribe("crm-sync", FromNow());
    Note(id, "1回目: 先方へ折り返し連絡");
    Note(id, "2回目: 訪問日程を調整中");
    std::vector<int64_t> seen = crm->NextSequences(2);
    ASSERT_EQ(seen.size(), 2u);
    cursor = seen.back();
  }  // the CRM sync restarts
  Note(id, "3回目: 部長同席で訪問決定");
  Note(id, "4回目: 手土産を手配");
  const int64_t fourth = LastSequenceOf(id);

  auto crm = Subscribe("crm-sync", After(cursor));
  EXPECT_EQ(opening_.sequence(), cursor);
  Note(id, "5回目: 訪問完了");
  std::vector<std::string> texts;
  std::vector<int64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    std::optional<v1::IncidentChange> c = crm->NextChange();
    ASSERT_TRUE(c);
    texts.push_back(c->event().text());
    seqs.push_back(c->event().sequence());
  }
  EXPECT_THAT(texts, ElementsAre("3回目: 部長同席で訪問決定", "4回目: 手土産を手配",
                                 "5回目: 訪問完了"));
  EXPECT_THAT(seqs, ElementsAre(cursor + 1, fourth, fourth + 1));
}

TEST_F(WatchTest, FromOldestReplaysEveryRetainedChange) {
  const int64_t id = Report("sato", MissedAppointment()).id();
  Apologize(id);
  auto sub = Subscribe("tanaka", FromOldest());
  EXPECT_EQ(opening_.sequence(), 0);
  EXPECT_THAT(sub->NextSequences(2), ElementsAre(1, 2));
}

TEST_F(WatchTest, CursorOlderThanRetentionIsOutOfRangeWithTheOldestSequence) {
  const int64_t id = Report("sato", MissedAppointment()).id();
  Apologize(id);
  clock_.Advance(absl::Hours(24 * 31));
  Note(id, "一か月後のフォロー");
  const int64_t kept = LastSequenceOf(id);
  ASSERT_TRUE(server_->PruneStream().ok());

  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + tokens_.at("crm-sync"));
  auto reader = watch_->Watch(&ctx, After(1));
  v1::WatchResponse r;
  EXPECT_FALSE(reader->Read(&r));
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_TRUE(absl::StrContains(s.error_message(), absl::StrCat("oldest available sequence is ",
                                                                kept)))
      << s.error_message();
  auto oldest = ctx.GetServerTrailingMetadata().find("amends-oldest-sequence");
  ASSERT_NE(oldest, ctx.GetServerTrailingMetadata().end());
  EXPECT_EQ(std::string(oldest->second.data(), oldest->second.size()), absl::StrCat(kept));

  // The incident's own timeline keeps everything; the stream restarts from what it kept.
  v1::GetTimelineRequest timeline;
  timeline.set_id(id);
  v1::GetTimelineResponse events;
  ASSERT_TRUE(stub_->GetTimeline(As("sato").get(), timeline, &events).ok());
  EXPECT_EQ(events.events_size(), 3);
  auto sub = Subscribe("crm-sync", FromOldest());
  EXPECT_THAT(sub->NextSequences(1), ElementsAre(kept));
  // The cursor just before the oldest kept change is still good.
  auto resumed = Subscribe("crm-sync", After(kept - 1));
  EXPECT_THAT(resumed->NextSequences(1), ElementsAre(kept));
}

TEST_F(WatchTest, CursorBeyondTheNewestChangeIsInvalidArgument) {
  Report("sato", MissedAppointment());
  grpc::Status s = Refusal("crm-sync", After(99));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "after_sequence:")) << s.error_message();
}

TEST_F(WatchTest, OversizedFilterNamesAreRefusedNamingTheFieldWithoutEchoingThem) {
  for (const std::string field : {"team", "client"}) {
    v1::WatchRequest request = FromNow();
    const std::string huge(9000, 'x');
    if (field == "team") request.set_team(huge);
    if (field == "client") request.set_client(huge);
    grpc::Status s = Refusal("crm-sync", request);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(), field + ": 9000 bytes, at most 200 allowed");
  }
}

TEST_F(WatchTest, FiltersByTeamIncidentClientStateAndType) {
  absl::StatusOr<std::string> admin = AddUser(*store_, "ito", "tokyo-sales", "admin");
  ASSERT_TRUE(admin.ok());
  tokens_["ito"] = *admin;
  v1::WatchRequest osaka = FromNow();
  osaka.set_team("osaka-sales");
  v1::WatchRequest by_client = FromNow();
  by_client.set_client("abc商事");  // matches ＡＢＣ商事 after normalisation
  v1::WatchRequest escalated = FromNow();
  escalated.add_states(v1::STATE_ESCALATED);
  v1::WatchRequest notes = FromNow();
  notes.add_types(v1::EVENT_TYPE_NOTE_ADDED);
  auto osaka_sub = Subscribe("ito", osaka);
  auto client_sub = Subscribe("ito", by_client);
  auto escalated_sub = Subscribe("ito", escalated);
  auto notes_sub = Subscribe("ito", notes);

  const v1::Incident tokyo = Report("sato", MissedAppointment());
  const v1::Incident kansai = Report("kobayashi", LateDelivery());
  v1::WatchRequest one = FromNow();
  one.set_incident_id(tokyo.id());
  auto incident_sub = Subscribe("ito", one);
  Note(kansai.id(), "物流センターに確認中", "kobayashi");
  Note(tokyo.id(), "先方へ折り返し連絡");
  Escalate(tokyo.id());

  auto types = [](Subscription& sub, int n) {
    std::vector<v1::EventType> out;
    for (int i = 0; i < n; ++i) {
      std::optional<v1::IncidentChange> c = sub.NextChange();
      if (!c) break;
      out.push_back(c->event().type());
      EXPECT_NE(c->incident().team(), "") << "incident missing";
    }
    return out;
  };
  // Each stream's first changes are exactly the matching ones; a final osaka note proves the
  // non-matching ones were skipped, not merely late.
  Note(kansai.id(), "最終: 納品完了", "kobayashi");
  EXPECT_THAT(types(*osaka_sub, 3), ElementsAre(v1::EVENT_TYPE_REPORTED,
                                                v1::EVENT_TYPE_NOTE_ADDED,
                                                v1::EVENT_TYPE_NOTE_ADDED));
  EXPECT_THAT(types(*client_sub, 3),
              ElementsAre(v1::EVENT_TYPE_REPORTED, v1::EVENT_TYPE_NOTE_ADDED,
                          v1::EVENT_TYPE_ESCALATED));
  EXPECT_THAT(types(*escalated_sub, 1), ElementsAre(v1::EVENT_TYPE_ESCALATED));
  EXPECT_THAT(types(*incident_sub, 2),
              ElementsAre(v1::EVENT_TYPE_NOTE_ADDED, v1::EVENT_TYPE_ESCALATED));
  std::vector<std::string> note_texts;
  for (int i = 0; i < 3; ++i) {
    std::optional<v1::IncidentChange> c = notes_sub->NextChange();
    ASSERT_TRUE(c);
    note_texts.push_back(c->event().text());
  }
  EXPECT_THAT(note_texts, ElementsAre("物流センターに確認中", "先方へ折り返し連絡",
                                      "最終: 納品完了"));
}

TEST_F(WatchTest, BadFiltersAreRejectedNamingTheField) {
  v1::WatchRequest bad_state = FromNow();
  bad_state.add_states(static_cast<v1::State>(42));
  v1::WatchRequest blank_client = FromNow();
  blank_client.set_client("　 ");
  for (const auto& [request, field] :
       {std::pair{bad_state, "states:"}, std::pair{blank_client, "client:"}}) {
    grpc::Status s = Refusal("sato", request);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StartsWith(s.error_message(), field)) << s.error_message();
  }
}

TEST_F(WatchTest, SubscribersSeeOnlyTheirTeamsAndConfidentialCasesTheirRoleAllows) {
  auto member = Subscribe("sato", FromNow());
  auto manager = Subscribe("tanaka", FromNow());
  auto observer = Subscribe("crm-sync", FromNow());

  Report("kobayashi", LateDelivery());                 // another team
  const v1::Incident hidden = Report("yamada", Harassment());  // yamada's confidential case
  const v1::Incident own = Report("sato", Harassment());       // sato's own confidential case
  const v1::Incident open = Report("yamada", MissedAppointment());

  auto ids = [](Subscription& sub, int n) {
    std::vector<int64_t> out;
    for (int i = 0; i < n; ++i) {
      std::optional<v1::IncidentChange> c = sub.NextChange();
      if (!c) break;
      out.push_back(c->incident().id());
    }
    return out;
  };
  EXPECT_THAT(ids(*member, 2), ElementsAre(own.id(), open.id()));
  EXPECT_THAT(ids(*manager, 3), ElementsAre(hidden.id(), own.id(), open.id()));
  EXPECT_THAT(ids(*observer, 1), ElementsAre(open.id()));

  // Asking for what one may not read is refused up front, as elsewhere in the API.
  v1::WatchRequest other_team = FromNow();
  other_team.set_team("osaka-sales");
  v1::WatchRequest hidden_incident = FromNow();
  hidden_incident.set_incident_id(hidden.id());
  for (const auto& [request, code] :
       {std::pair{other_team, grpc::StatusCode::PERMISSION_DENIED},
        std::pair{hidden_incident, grpc::StatusCode::NOT_FOUND}}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tokens_.at("sato"));
    auto reader = watch_->Watch(&ctx, request);
    v1::WatchResponse r;
    EXPECT_FALSE(reader->Read(&r));
    EXPECT_EQ(reader->Finish().error_code(), code);
  }
}

TEST_F(WatchTest, ChangesOfAConfidentialCaseReachOnlyThoseWhoMayStillReadIt) {
  auto sato = Subscribe("sato", FromNow());
  const v1::Incident harassment = Report("yamada", Harassment());
  v1::AssignRequest to_sato;
  to_sato.set_id(harassment.id());
  to_sato.set_new_owner("sato");
  to_sato.set_note("担当交代: 先方とのやり取りは佐藤が引き継ぐ");
  v1::Incident out;
  ASSERT_TRUE(stub_->Assign(As("yamada").get(), to_sato, &out).ok());
  std::optional<v1::IncidentChange> handed = sato->NextChange();
  ASSERT_TRUE(handed);
  EXPECT_EQ(handed->event().type(), v1::EVENT_TYPE_ASSIGNED);
  EXPECT_EQ(handed->incident().owner(), "sato");

  // The manager gives the case back to yamada: sato may no longer read it.
  v1::AssignRequest back = to_sato;
  back.set_new_owner("yamada");
  back.set_note("担当を山田に戻す");
  ASSERT_TRUE(stub_->Assign(As("tanaka").get(), back, &out).ok());
  const int64_t open = Report("sato", MissedAppointment()).id();
  std::optional<v1::IncidentChange> next = sato->NextChange();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->incident().id(), open);

  // Nor does a replay show sato the version he once owned.
  auto replay = Subscribe("sato", FromOldest());
  next = replay->NextChange();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->incident().id(), open);
}

TEST_F(WatchTest, DeadlineEventsFromTheSchedulerReachTheStream) {
  v1::WatchRequest notifier = FromNow();
  notifier.add_types(v1::EVENT_TYPE_REMINDER);
  notifier.add_types(v1::EVENT_TYPE_DEADLINE_BREACHED);
  notifier.add_types(v1::EVENT_TYPE_ESCALATED);
  auto chat = Subscribe("tanaka", notifier);
  const int64_t id = Report("sato", MissedAppointment()).id();
  Apologize(id);
  // DOMAIN.md case 2: nobody escalates; the deadline passes over the weekend.
  clock_.Advance(absl::Hours(24 * 4));
  ASSERT_GT(server_->scheduler().RunDue(), 0);

  std::optional<v1::IncidentChange> c = chat->NextChange();
  ASSERT_TRUE(c);
  bool escalated_by_amends = false;
  while (c) {
    EXPECT_EQ(c->event().actor(), "amends");
    if (c->event().type() == v1::EVENT_TYPE_ESCALATED) {
      escalated_by_amends = true;
      break;
    }
    c = chat->NextChange();
  }
  EXPECT_TRUE(escalated_by_amends);
}

// NTP or a resumed VM steps the system clock back an hour: heartbeats count steady time, so
// the next one still comes after 15 s, carrying the wall time as stepped.
TEST_F(WatchTest, AStepOfTheWallClockBackwardsDoesNotStallHeartbeats) {
  auto sub = Subscribe("crm-sync", FromNow());
  clock_.Set(clock_.Now() - absl::Hours(1));
  clock_.Advance(absl::Seconds(15));
  server_->feed().WakeAllForTest();
  std::optional<v1::WatchResponse> r = sub->Next();
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_heartbeat()) << r->DebugString();
  EXPECT_EQ(r->heartbeat().time().seconds(), absl::ToUnixSeconds(clock_.Now()));
}

TEST_F(WatchTest, IdleStreamGetsHeartbeatsCarryingTheNewestSequence) {
  v1::WatchRequest tokyo = FromNow();
  tokyo.set_team("tokyo-sales");
  auto team_stream = Subscribe("crm-sync", tokyo);
  auto member = Subscribe("sato", FromNow());
  const int64_t start = opening_.sequence();
  EXPECT_EQ(absl::Seconds(opening_.interval().seconds()), absl::Seconds(15));
  // Another team's change is not for sato, but a heartbeat lets sato's cursor move past it.
  Report("kobayashi", LateDelivery());
  clock_.Advance(absl::Seconds(15));
  server_->feed().WakeAllForTest();
  std::optional<v1::WatchResponse> r = member->Next();
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_heartbeat()) << r->DebugString();
  EXPECT_EQ(r->heartbeat().sequence(), start + 1);
  EXPECT_EQ(absl::FromUnixSeconds(r->heartbeat().time().seconds()),
            absl::FromUnixSeconds(absl::ToUnixSeconds(clock_.Now())));
  // A team-filtered stream sleeps through other teams' changes, and moves past them too.
  r = team_stream->Next();
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_heartbeat()) << r->DebugString();
  EXPECT_EQ(r->heartbeat().sequence(), start + 1);
}

TEST_F(WatchTest, RevokedTokenEndsItsStreams) {
  auto crm = Subscribe("crm-sync", FromNow());
  ASSERT_TRUE(RevokeToken(*store_, "crm-sync").ok());
  clock_.Advance(absl::Seconds(15));
  server_->feed().WakeAllForTest();
  EXPECT_EQ(crm->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(WatchTest, SlowSubscriberCatchesUpFromStorageWhileOthersStayLive) {
  // A small in-memory buffer, so that the slow subscriber falls behind it.
  StartServer({.run_background = false, .feed_capacity = 8});
  ResetWatchStub();
  auto slow_stub = StallableStub();
  Subscription slow(*slow_stub, tokens_.at("crm-sync"), FromNow());
  ASSERT_TRUE(slow.Next());  // opening heartbeat
  auto live = Subscribe("tanaka", FromNow());

  const int64_t id = Report("sato", MissedAppointment()).id();
  constexpr int kNotes = 200;
  const std::string long_note(3000, 'x');
  std::vector<int64_t> expected = {LastSequenceOf(id)};
  for (int i = 0; i < kNotes; ++i) {
    // The writers never wait for the stalled subscriber.
    Note(id, absl::StrCat(i, long_note));
    expected.push_back(expected.back() + 1);
    // The live one keeps up as changes happen.
    std::optional<v1::IncidentChange> c = live->NextChange();
    if (i == 0) {
      ASSERT_TRUE(c);
      EXPECT_EQ(c->event().sequence(), expected[0]);
      c = live->NextChange();
    }
    ASSERT_TRUE(c);
    ASSERT_EQ(c->event().sequence(), expected.back());
  }
  // Now the slow one reads: everything, in order, once, partly from the store; then it is
  // live again.
  EXPECT_THAT(slow.NextSequences(kNotes + 1), ElementsAreArray(expected));
  EXPECT_GT(server_->watch().PagesReadFromStoreForTest(), 0);
  Note(id, "最後のメモ");
  std::optional<v1::IncidentChange> last = slow.NextChange();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->event().text(), "最後のメモ");
}

// Large incidents fill the feed's bytes long before its entries: a 256 KiB incident changed
// 4,096 times would otherwise hold a gigabyte. The slow subscriber reads the store instead.
TEST_F(WatchTest, AFeedFullInBytesSendsSlowSubscribersToTheStore) {
  StartServer({.run_background = false, .feed_bytes = 64 * 1024});
  ResetWatchStub();
  auto slow_stub = StallableStub();
  Subscription slow(*slow_stub, tokens_.at("crm-sync"), FromNow());
  ASSERT_TRUE(slow.Next());  // opening heartbeat
  const int64_t id = Report("sato", MissedAppointment()).id();
  std::vector<int64_t> expected = {LastSequenceOf(id)};
  for (int i = 0; i < 100; ++i) {
    Note(id, absl::StrCat(i, std::string(3000, 'x')));
    expected.push_back(expected.back() + 1);
  }
  EXPECT_THAT(slow.NextSequences(expected.size()), ElementsAreArray(expected));
  EXPECT_GT(server_->watch().PagesReadFromStoreForTest(), 0);
}

TEST_F(WatchTest, SubscriberOvertakenByPruningIsToldInsteadOfSkippedAhead) {
  StartServer({.run_background = false, .feed_capacity = 8});
  auto slow_stub = StallableStub();
  Subscription slow(*slow_stub, tokens_.at("crm-sync"), FromNow());
  ASSERT_TRUE(slow.Next());  // opening heartbeat
  const int64_t id = Report("sato", MissedAppointment()).id();
  const int64_t first = LastSequenceOf(id);
  const std::string long_note(3000, 'x');
  for (int i = 0; i < 200; ++i) Note(id, absl::StrCat(i, long_note));
  // The subscriber stays away for a month: its place in the stream is pruned.
  clock_.Advance(absl::Hours(24 * 31));
  Note(id, "一か月後のフォロー");
  ASSERT_TRUE(server_->PruneStream().ok());

  // It gets what the server had already taken in hand, without a gap, then OUT_OF_RANGE.
  int64_t next = first;
  while (std::optional<v1::IncidentChange> c = slow.NextChange()) {
    EXPECT_EQ(c->event().sequence(), next);
    next = c->event().sequence() + 1;
  }
  EXPECT_LT(next, first + 200);
  EXPECT_EQ(slow.Finish().error_code(), grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(WatchTest, OneUserMayNotOpenMoreStreamsThanTheLimit) {
  StartServer({.run_background = false, .max_streams_per_user = 2});
  ResetWatchStub();
  auto first = Subscribe("crm-sync", FromNow());
  auto second = Subscribe("crm-sync", FromNow());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + tokens_.at("crm-sync"));
  auto third = watch_->Watch(&ctx, FromNow());
  v1::WatchResponse r;
  EXPECT_FALSE(third->Read(&r));
  grpc::Status s = third->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "crm-sync already has 2 streams open"))
      << s.error_message();
  // Others are not affected, and the open streams go on.
  auto other = Subscribe("sato", FromNow());
  Report("sato", MissedAppointment());
  EXPECT_TRUE(first->NextChange());
  EXPECT_TRUE(other->NextChange());
}

// A subscriber killed without a goodbye reconnects at once: its cancelled streams no longer
// count against its limit, though their threads notice only at their next write.
TEST_F(WatchTest, ACancelledStreamFreesItsSlotAtOnce) {
  StartServer({.run_background = false, .max_streams_per_user = 2});
  ResetWatchStub();
  {
    auto first = Subscribe("crm-sync", FromNow());
    auto second = Subscribe("crm-sync", FromNow());
  }  // both cancelled, as a killed client's streams are
  // The server hears of it by itself: the clock never moves here, so no heartbeat is due.
  // (Before the reactor, a stream noticed only at its next heartbeat, and this never ended.)
  while (server_->watch().OpenStreamsForTest("crm-sync") > 0) std::this_thread::yield();
  auto again = Subscribe("crm-sync", FromNow());
  auto and_again = Subscribe("crm-sync", FromNow());
  Report("sato", MissedAppointment());
  EXPECT_TRUE(again->NextChange());
  EXPECT_TRUE(and_again->NextChange());
}

TEST_F(WatchTest, ServerRestartEndsStreamsWithUnavailableAndResumeLosesNothing) {
  const int64_t id = Report("sato", MissedAppointment()).id();
  auto crm = Subscribe("crm-sync", FromNow());
  Note(id, "再起動前");
  std::optional<v1::IncidentChange> before = crm->NextChange();
  ASSERT_TRUE(before);
  const int64_t cursor = before->event().sequence();

  server_->Shutdown(absl::Seconds(5));
  EXPECT_EQ(crm->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  StartServer({.run_background = false});
  ResetWatchStub();
  Note(id, "再起動後、再接続の前");
  auto resumed = Subscribe("crm-sync", After(cursor));
  Note(id, "再接続の後");
  std::vector<std::string> texts;
  for (int i = 0; i < 2; ++i) {
    std::optional<v1::IncidentChange> c = resumed->NextChange();
    ASSERT_TRUE(c);
    texts.push_back(c->event().text());
  }
  EXPECT_THAT(texts, ElementsAre("再起動後、再接続の前", "再接続の後"));
}

}  // namespace
}  // namespace amends
