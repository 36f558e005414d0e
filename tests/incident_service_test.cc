// IncidentService over a real loopback port with a real SQLite file: authentication, every
// status code, idempotency, conflicts, paging, confidentiality and recurrence.
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "grpcpp/generic/generic_stub.h"

#include "server/core/incident_limits.h"
#include "server/honest_errors.h"
#include "server/writer.h"
#include "server/status_map.h"
#include "server/token.h"
#include "storage/storage_error.h"
#include "tests/reflection_flood.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

int TimelineLength(v1::IncidentService::Stub& stub, grpc::ClientContext* ctx, int64_t id) {
  v1::GetTimelineRequest req;
  req.set_id(id);
  v1::GetTimelineResponse resp;
  EXPECT_TRUE(stub.GetTimeline(ctx, req, &resp).ok());
  return resp.events_size();
}

class IncidentServiceTest : public ServiceTest {
 protected:
  v1::Incident Escalate(int64_t id, const std::string& user = "sato") {
    v1::EscalateRequest req;
    req.set_id(id);
    req.set_reason("先方部長がお怒り、上長同行での訪問が必要");
    v1::Incident out;
    grpc::Status s = stub_->Escalate(As(user).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<int64_t> ListIds(const std::string& user, v1::ListIncidentsRequest req) {
    v1::ListIncidentsResponse resp;
    grpc::Status s = stub_->ListIncidents(As(user).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<int64_t> ids;
    for (const v1::Incident& i : resp.incidents()) ids.push_back(i.id());
    return ids;
  }
};

TEST_F(IncidentServiceTest, CallWithoutTokenIsUnauthenticated) {
  v1::Incident out;
  grpc::Status s = stub_->ReportIncident(As("").get(), MissedAppointment(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer amd_0000000000000000000000000000000000000000");
  EXPECT_EQ(stub_->ReportIncident(&ctx, MissedAppointment(), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IncidentServiceTest, RevokedAndRotatedTokensStopWorkingAtOnce) {
  const std::string old_token = tokens_["sato"];
  ASSERT_TRUE(RotateToken(*store_, "sato").ok());
  v1::Incident out;
  EXPECT_EQ(stub_->ReportIncident(As("sato").get(), MissedAppointment(), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(RevokeToken(*store_, "yamada").ok());
  EXPECT_EQ(stub_->ReportIncident(As("yamada").get(), MissedAppointment(), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(IncidentServiceTest, TokensAreStoredOnlyAsHashes) {
  absl::StatusOr<User> user = store_->GetUserByTokenHash(HashToken(tokens_["sato"]));
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "sato");
  EXPECT_FALSE(store_->GetUserByTokenHash(tokens_["sato"]).ok());
  EXPECT_GE(tokens_["sato"].size(), 4u + 32u);  // "amd_" and at least 128 bits in hex
}

TEST_F(IncidentServiceTest, ReportedIncidentReadsBackInJapanese) {
  v1::Incident reported = Report("sato", MissedAppointment());
  v1::GetIncidentRequest get;
  get.set_id(reported.id());
  v1::Incident got;
  ASSERT_TRUE(stub_->GetIncident(As("tanaka").get(), get, &got).ok());
  EXPECT_EQ(got.summary(), "15時のサンプル受け渡しの打ち合わせを失念");
  EXPECT_EQ(got.client().name(), "ＡＢＣ商事");
  EXPECT_EQ(got.state(), v1::STATE_REPORTED);
  EXPECT_EQ(got.owner(), "sato");
  EXPECT_EQ(got.team_time_zone(), "Asia/Tokyo");
  EXPECT_EQ(got.created_at().seconds(), absl::ToUnixSeconds(Friday()));
}

TEST_F(IncidentServiceTest, DatabaseFailureIsLoggedButItsSqlAndPathNeverReachTheClient) {
  // Another program (here: a trigger) makes the database refuse every new incident.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "amends.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER refuse BEFORE INSERT ON incidents "
                         "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  testing::internal::CaptureStderr();
  v1::Incident out;
  grpc::Status s = stub_->ReportIncident(As("sato").get(), MissedAppointment(), &out);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "the change conflicts with what the database "
                                                  "holds; nothing was changed (server log, "))
      << s.error_message();
  for (const char* secret : {"INSERT", "incidents", "trigger", "sqlite", "amends.db", "/"}) {
    EXPECT_FALSE(absl::StrContains(s.error_message(), secret)) << s.error_message();
  }
  // The log has the detail, stamped with the time the client was told.
  EXPECT_TRUE(absl::StrContains(log, "refused by a trigger")) << log;
  EXPECT_TRUE(absl::StrContains(log, "INSERT INTO incidents")) << log;
  const std::string when(
      absl::StripSuffix(s.error_message().substr(s.error_message().rfind(", ") + 2), ")"));
  EXPECT_TRUE(absl::StrContains(log, when)) << when << "\n" << log;
}

TEST(StatusMapTest, FullDiskIsToldAsSuchWhileTheLogKeepsTheDetail) {
  testing::internal::CaptureStderr();
  grpc::Status s = ToGrpc(MarkStorageError(absl::ResourceExhaustedError(
      "INSERT INTO events VALUES (?): database or disk is full (sqlite 13)")));
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StartsWith(s.error_message(),
                               "the server's disk is full; nothing was changed (server log, "))
      << s.error_message();
  EXPECT_FALSE(absl::StrContains(s.error_message(), "INSERT")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(log, "answered RESOURCE_EXHAUSTED: INSERT INTO events VALUES (?): "
                                     "database or disk is full"))
      << log;
  // A rule of amends, not the database's, reaches the client as it is.
  EXPECT_EQ(ToGrpc(absl::ResourceExhaustedError("too many watchers")).error_message(),
            "too many watchers");
}

TEST_F(IncidentServiceTest, RetriedReportWithTheSameRequestIdCreatesOneIncident) {
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_request_id("cli-7f3a");
  v1::Incident first = Report("sato", r);
  v1::Incident again = Report("sato", r);
  EXPECT_EQ(first.id(), again.id());
  EXPECT_EQ(ListIds("sato", {}).size(), 1u);
  r.set_request_id("cli-other");
  EXPECT_NE(Report("sato", r).id(), first.id());
}

TEST_F(IncidentServiceTest, StaleExpectedVersionIsAbortedAndChangesNothing) {
  v1::Incident i = Report("sato", MissedAppointment());
  v1::AddNoteRequest note;
  note.set_id(i.id());
  note.set_expected_version(i.version());
  note.set_text("部長は来週木曜なら在席");
  v1::Incident after;
  ASSERT_TRUE(stub_->AddNote(As("yamada").get(), note, &after).ok());
  EXPECT_EQ(after.version(), i.version() + 1);

  // sato still holds version 1 and tries to escalate: someone else changed it meanwhile.
  v1::EscalateRequest esc;
  esc.set_id(i.id());
  esc.set_expected_version(i.version());
  esc.set_reason("部長対応が必要");
  v1::Incident out;
  grpc::Status s = stub_->Escalate(As("sato").get(), esc, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 2);
  v1::GetIncidentRequest get;
  get.set_id(i.id());
  ASSERT_TRUE(stub_->GetIncident(As("sato").get(), get, &out).ok());
  EXPECT_EQ(out.state(), v1::STATE_REPORTED);
  EXPECT_EQ(out.version(), 2);
}

TEST_F(IncidentServiceTest, EachStatusCodeAndRejectedCallsChangeNothing) {
  v1::Incident i = Report("sato", MissedAppointment());
  v1::Incident out;

  v1::ReportIncidentRequest bad = MissedAppointment();
  bad.set_summary("");
  grpc::Status s = stub_->ReportIncident(As("sato").get(), bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "summary: required");

  v1::GetIncidentRequest missing;
  missing.set_id(999);
  EXPECT_EQ(stub_->GetIncident(As("sato").get(), missing, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ApproveEscalationRequest approve;
  approve.set_id(i.id());
  s = stub_->ApproveEscalation(As("tanaka").get(), approve, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("state reported"), std::string::npos);

  Escalate(i.id());
  s = stub_->ApproveEscalation(As("yamada").get(), approve, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("needs role manager"), std::string::npos);

  v1::AssignRequest assign;
  assign.set_id(i.id());
  assign.set_new_owner("nobody");
  assign.set_note("引き継ぎ");
  s = stub_->Assign(As("sato").get(), assign, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "new_owner: unknown user nobody");

  v1::ListIncidentsRequest list;
  list.set_page_size(501);
  v1::ListIncidentsResponse listed;
  EXPECT_EQ(stub_->ListIncidents(As("sato").get(), list, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Only the report and the escalation made it to the timeline.
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 2);
}

TEST_F(IncidentServiceTest, ManagerApprovesAndTheTimelineRecordsEveryChange) {
  v1::Incident i = Report("sato", MissedAppointment());
  Escalate(i.id());
  v1::ApproveEscalationRequest approve;
  approve.set_id(i.id());
  approve.set_note("明日午前に同行訪問する");
  v1::Incident out;
  ASSERT_TRUE(stub_->ApproveEscalation(As("tanaka").get(), approve, &out).ok());
  EXPECT_EQ(out.state(), v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(out.manager(), "tanaka");

  v1::GetTimelineRequest req;
  req.set_id(i.id());
  v1::GetTimelineResponse tl;
  ASSERT_TRUE(stub_->GetTimeline(As("sato").get(), req, &tl).ok());
  ASSERT_EQ(tl.events_size(), 3);
  EXPECT_EQ(tl.events(0).type(), v1::EVENT_TYPE_REPORTED);
  EXPECT_EQ(tl.events(1).type(), v1::EVENT_TYPE_ESCALATED);
  EXPECT_EQ(tl.events(1).from_state(), v1::STATE_REPORTED);
  EXPECT_EQ(tl.events(1).to_state(), v1::STATE_ESCALATED);
  EXPECT_EQ(tl.events(2).actor(), "tanaka");
  EXPECT_EQ(tl.events(2).text(), "明日午前に同行訪問する");
  EXPECT_LT(tl.events(0).sequence(), tl.events(1).sequence());
  EXPECT_LT(tl.events(1).sequence(), tl.events(2).sequence());
}

TEST_F(IncidentServiceTest, PagesStayStableWhileNewIncidentsArrive) {
  std::set<int64_t> before;
  for (int n = 0; n < 25; ++n) before.insert(Report("sato", MissedAppointment()).id());

  std::vector<int64_t> seen;
  v1::ListIncidentsRequest req;
  req.set_page_size(10);
  std::thread writer;
  int page = 0;
  do {
    v1::ListIncidentsResponse resp;
    ASSERT_TRUE(stub_->ListIncidents(As("sato").get(), req, &resp).ok());
    for (const v1::Incident& i : resp.incidents()) seen.push_back(i.id());
    req.set_page_token(resp.next_page_token());
    if (page++ == 0) {  // others keep reporting while we page
      writer = std::thread([this] {
        for (int n = 0; n < 5; ++n) Report("yamada", MissedAppointment());
      });
      writer.join();
    }
  } while (!req.page_token().empty());

  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()), before);
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));  // newest first
  EXPECT_EQ(page, 3);
}

TEST_F(IncidentServiceTest, ConfidentialIncidentIsInvisibleToColleaguesEverywhere) {
  v1::ReportIncidentRequest r = MissedAppointment();
  r.set_kind(v1::KIND_CONDUCT);
  r.set_summary("担当者と先方担当者の私的な関係について相談");
  v1::Incident conduct = Report("sato", r);
  ASSERT_TRUE(conduct.confidential());
  v1::Incident open = Report("sato", MissedAppointment());

  v1::GetIncidentRequest get;
  get.set_id(conduct.id());
  v1::Incident out;
  EXPECT_EQ(stub_->GetIncident(As("yamada").get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->GetIncident(As("crm-sync").get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetTimelineRequest tl;
  tl.set_id(conduct.id());
  v1::GetTimelineResponse events;
  EXPECT_EQ(stub_->GetTimeline(As("yamada").get(), tl, &events).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::AddNoteRequest note;
  note.set_id(conduct.id());
  note.set_text("x");
  note.set_expected_version(99);  // not even a conflict may reveal it
  EXPECT_EQ(stub_->AddNote(As("yamada").get(), note, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  EXPECT_EQ(ListIds("yamada", {}), std::vector<int64_t>{open.id()});
  EXPECT_EQ(ListIds("crm-sync", {}), std::vector<int64_t>{open.id()});
  EXPECT_EQ(ListIds("sato", {}), (std::vector<int64_t>{open.id(), conduct.id()}));
  EXPECT_EQ(ListIds("tanaka", {}), (std::vector<int64_t>{open.id(), conduct.id()}));
  EXPECT_TRUE(stub_->GetIncident(As("tanaka").get(), get, &out).ok());

  // A later incident of the same client does not link, and so does not reveal, the case.
  v1::Incident later = Report("yamada", MissedAppointment());
  ASSERT_EQ(later.related_open_size(), 1);
  EXPECT_EQ(later.related_open(0).id(), open.id());
}

TEST_F(IncidentServiceTest, OtherTeamsIncidentsAreOutOfReach) {
  v1::Incident i = Report("sato", MissedAppointment());
  v1::GetIncidentRequest get;
  get.set_id(i.id());
  v1::Incident out;
  grpc::Status s = stub_->GetIncident(As("kobayashi").get(), get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);  // as if it did not exist
  v1::AssignRequest assign;
  assign.set_id(i.id());
  assign.set_new_owner("nosuchuser");
  assign.set_note("x");
  EXPECT_EQ(stub_->Assign(As("kobayashi").get(), assign, &out).error_message(),
            s.error_message());  // nothing about users leaks either
  v1::ListIncidentsRequest list;
  list.set_team("tokyo-sales");
  v1::ListIncidentsResponse resp;
  EXPECT_EQ(stub_->ListIncidents(As("kobayashi").get(), list, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(ListIds("kobayashi", {}).empty());
  v1::ReportIncidentRequest r = MissedAppointment();
  EXPECT_EQ(stub_->ReportIncident(As("kobayashi").get(), r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IncidentServiceTest, ClientNamesMatchAcrossWidthAndCaseAndLinkTheOpenIncident) {
  v1::ReportIncidentRequest late = MissedAppointment();
  late.mutable_client()->set_name("abc商事");
  late.set_kind(v1::KIND_LATE_DELIVERABLE);
  late.set_summary("会議前に必要な報告書の提出遅れ");
  v1::Incident first = Report("yamada", late);
  EXPECT_FALSE(first.recurrence());

  // The first is still open: related, not a recurrence (its plan has not failed).
  v1::Incident second = Report("sato", MissedAppointment());  // "ＡＢＣ商事"
  EXPECT_FALSE(second.recurrence());
  ASSERT_EQ(second.related_open_size(), 1);
  EXPECT_EQ(second.related_open(0).id(), first.id());
  EXPECT_EQ(second.related_open(0).summary(), "会議前に必要な報告書の提出遅れ");

  v1::ListIncidentsRequest by_client;
  by_client.set_client("ABC商事");
  EXPECT_EQ(ListIds("sato", by_client), (std::vector<int64_t>{second.id(), first.id()}));
  by_client.set_client("XYZ物産");
  EXPECT_TRUE(ListIds("sato", by_client).empty());
}

TEST_F(IncidentServiceTest, ListFiltersByStateOwnerSeverityAndMine) {
  v1::Incident a = Report("sato", MissedAppointment());
  v1::ReportIncidentRequest low = MissedAppointment();
  low.set_severity(v1::SEVERITY_LOW);
  v1::Incident b = Report("yamada", low);
  Escalate(a.id());

  v1::ListIncidentsRequest req;
  req.set_state(v1::STATE_ESCALATED);
  EXPECT_EQ(ListIds("tanaka", req), std::vector<int64_t>{a.id()});
  req.Clear();
  req.set_owner("yamada");
  EXPECT_EQ(ListIds("tanaka", req), std::vector<int64_t>{b.id()});
  req.Clear();
  req.set_severity(v1::SEVERITY_HIGH);
  EXPECT_EQ(ListIds("tanaka", req), std::vector<int64_t>{a.id()});
  req.Clear();
  req.set_mine(true);
  EXPECT_EQ(ListIds("yamada", req), std::vector<int64_t>{b.id()});
}

TEST_F(IncidentServiceTest, ConcurrentChangesWithoutVersionsAreAllKept) {
  v1::Incident i = Report("sato", MissedAppointment());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 10; ++n) {
        v1::AddNoteRequest note;
        note.set_id(i.id());
        note.set_text(absl::StrCat("進捗メモ ", t, "-", n));
        v1::Incident out;
        EXPECT_TRUE(stub_->AddNote(As(t % 2 ? "sato" : "yamada").get(), note, &out).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  v1::GetIncidentRequest get;
  get.set_id(i.id());
  v1::Incident out;
  ASSERT_TRUE(stub_->GetIncident(As("sato").get(), get, &out).ok());
  EXPECT_EQ(out.version(), 41);
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 41);
}

// A 9 KB team name once came back whole inside the error, over gRPC's limit on metadata, and
// notes added on the same connection meanwhile were committed but reported as failed. Names
// are measured before any lookup and error messages are capped (server/honest_errors.h): the
// neighbours never notice.
TEST_F(IncidentServiceTest, OversizedNameIsAnsweredBrieflyAndLeavesItsConnectionNeighboursAlone) {
  const v1::Incident i = Report("sato", MissedAppointment());
  std::atomic<bool> stop{false};
  std::thread oversized([&] {
    v1::ReportIncidentRequest req = MissedAppointment();
    req.set_team(std::string(9000, 'x'));
    while (!stop) {
      v1::Incident out;
      const grpc::Status s = stub_->ReportIncident(As("sato").get(), req, &out);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_EQ(s.error_message(), "team: 9000 bytes, at most 200 allowed");
    }
  });
  int told_ok = 0;
  for (int n = 0; n < 100; ++n) {
    v1::AddNoteRequest note;
    note.set_id(i.id());
    note.set_text(absl::StrCat("進捗メモ ", n));
    v1::Incident out;
    const grpc::Status s = stub_->AddNote(As("yamada").get(), note, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    told_ok += s.ok();
  }
  stop = true;
  oversized.join();
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 1 + told_ok);
}

// The answer to a change was lost (UNAVAILABLE, a timeout) and the client sends it again.
TEST_F(IncidentServiceTest, ARetriedChangeWithTheSameRequestIdIsAppliedOnce) {
  const v1::Incident i = Report("sato", MissedAppointment());
  v1::AddNoteRequest note;
  note.set_id(i.id());
  note.set_text("先方部長は『誠意を見せてほしい』とのこと");
  note.set_request_id("8f14e45fceea167a5a36dedd4bea2543");
  v1::Incident first, retried;
  ASSERT_TRUE(stub_->AddNote(As("sato").get(), note, &first).ok());
  // Someone else changes it in between; the retry still answers what the first call did.
  v1::AddNoteRequest other = note;
  other.set_text("山田から先方へ折り返し済み");
  ASSERT_TRUE(stub_->AddNote(As("yamada").get(), other, &retried).ok());  // ids are per caller
  grpc::Status s = stub_->AddNote(As("sato").get(), note, &retried);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retried.version(), first.version());
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 3);

  v1::EscalateRequest escalate;
  escalate.set_id(i.id());
  escalate.set_reason("部長が立腹");
  escalate.set_request_id(note.request_id());
  s = stub_->Escalate(As("sato").get(), escalate, &retried);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), absl::StrCat("request_id: you used it for note on incident ",
                                            i.id(), "; a new change needs a new id"));
  EXPECT_EQ(TimelineLength(*stub_, As("sato").get(), i.id()), 3);
}

TEST_F(IncidentServiceTest, ATimelineIsReadPageByPageEachEventOnceInOrder) {
  const v1::Incident i = Report("sato", MissedAppointment());
  v1::AddNoteRequest note;
  note.set_id(i.id());
  v1::Incident out;
  for (int n = 0; n < 120; ++n) {
    note.set_text(absl::StrCat("進捗メモ ", n));
    ASSERT_TRUE(stub_->AddNote(As("yamada").get(), note, &out).ok());
  }
  v1::GetTimelineRequest req;
  req.set_id(i.id());
  req.set_page_size(50);
  std::vector<int> sizes;
  std::vector<int64_t> sequences;
  for (;;) {
    v1::GetTimelineResponse page;
    ASSERT_TRUE(stub_->GetTimeline(As("sato").get(), req, &page).ok());
    sizes.push_back(page.events_size());
    for (const v1::Event& e : page.events()) sequences.push_back(e.sequence());
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(sizes, (std::vector<int>{50, 50, 21}));
  EXPECT_TRUE(absl::c_is_sorted(sequences));
  EXPECT_EQ(std::set<int64_t>(sequences.begin(), sequences.end()).size(), 121u);

  req.set_page_token("+5");
  v1::GetTimelineResponse page;
  grpc::Status s = stub_->GetTimeline(As("sato").get(), req, &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "page_token: not a token this server issued");
  req.clear_page_token();
  req.set_page_size(1001);
  s = stub_->GetTimeline(As("sato").get(), req, &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "page_size: ")) << s.error_message();
}

// Notes of 10 KiB: 500 of them would make a 5 MB answer, past gRPC's 4 MB default.
TEST_F(IncidentServiceTest, ATimelinePageEndsBeforeOneMebibyte) {
  const v1::Incident i = Report("sato", MissedAppointment());
  v1::AddNoteRequest note;
  note.set_id(i.id());
  note.set_text(std::string(10 * 1024, 'x'));
  v1::Incident out;
  for (int n = 0; n < 150; ++n) ASSERT_TRUE(stub_->AddNote(As("yamada").get(), note, &out).ok());
  v1::GetTimelineRequest req;
  req.set_id(i.id());
  v1::GetTimelineResponse page;
  ASSERT_TRUE(stub_->GetTimeline(As("sato").get(), req, &page).ok());
  EXPECT_LT(page.events_size(), 151);
  EXPECT_LE(page.ByteSizeLong(), size_t{1} << 20);
  EXPECT_FALSE(page.next_page_token().empty());
}

// Before the limits (server/core/incident_limits.h), one `visit schedule` could name 100,000
// attendees. Such an incident stays readable and workable: it can be escalated, handed to
// someone else and closed; only what adds to it is refused.
TEST_F(IncidentServiceTest, AnIncidentStoredOverItsLimitsStaysReadableAndWorkable) {
  v1::Incident incident = Report("sato", MissedAppointment());
  for (int n = 0; n < 100'000; ++n) {
    incident.mutable_visit()->add_attendees(absl::StrCat("attendee-", n));
  }
  ASSERT_GT(ContentBytes(incident), kMaxIncidentBytes);
  incident.set_version(2);
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_NOTE_ADDED);
  event.set_actor("sato");
  ASSERT_TRUE(store_->Commit(ToWrite({incident, event}, "")).ok());

  v1::GetIncidentRequest get;
  get.set_id(incident.id());
  v1::Incident read;
  ASSERT_TRUE(stub_->GetIncident(As("tanaka").get(), get, &read).ok());
  EXPECT_EQ(read.visit().attendees_size(), 100'000);
  v1::EscalateRequest escalate;
  escalate.set_id(incident.id());
  escalate.set_reason("部長が立腹");
  grpc::Status s = stub_->Escalate(As("sato").get(), escalate, &read);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::AssignRequest assign;
  assign.set_id(incident.id());
  assign.set_new_owner("yamada");
  assign.set_note("佐藤の出張中は山田が担当");
  s = stub_->Assign(As("tanaka").get(), assign, &read);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::LogClientUpdateRequest update;
  update.set_id(incident.id());
  update.set_channel(v1::CHANNEL_CALL);
  update.set_note("明日までに書面でご報告します");
  s = stub_->LogClientUpdate(As("sato").get(), update, &read);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "incident size: ")) << s.error_message();
  v1::CloseIncidentRequest close;
  close.set_id(incident.id());
  close.set_reason("先方と合意済み");
  s = stub_->CloseIncident(As("tanaka").get(), close, &read);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(read.state(), v1::STATE_CLOSED);
  EXPECT_EQ(read.visit().attendees_size(), 100'000);
}

TEST_F(IncidentServiceTest, OversizedNamesAreRefusedNamingTheFieldBeforeAnyLookup) {
  const std::string huge(9000, 'x');
  v1::Incident incident = Report("sato", MissedAppointment());
  v1::AssignRequest assign;
  assign.set_id(incident.id());
  assign.set_new_owner(huge);
  v1::ListIncidentsRequest list;
  list.set_owner(huge);
  v1::GetSummaryRequest summary;
  summary.set_team(huge);
  v1::Incident out;
  v1::ListIncidentsResponse listed;
  v1::TeamSummary summed;
  for (const auto& [status, field] :
       {std::pair{stub_->Assign(As("sato").get(), assign, &out), "new_owner"},
        {stub_->ListIncidents(As("sato").get(), list, &listed), "owner"},
        {stub_->GetSummary(As("tanaka").get(), summary, &summed), "team"}}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(status.error_message(), absl::StrCat(field, ": 9000 bytes, at most 200 allowed"));
  }
}

TEST_F(IncidentServiceTest, InboxReachesTheOldestOfManyOpenIncidents) {
  // More open incidents than one page of the inbox's reads: the oldest, likeliest to be
  // overdue, must still be there.
  IncidentWriter& writer = server_->writer();
  const Actor sato{"sato", "tokyo-sales", Role::kMember};
  for (int n = 0; n < 1001; ++n) ASSERT_TRUE(ReportAndWait(writer, MissedAppointment(), sato).ok());
  v1::GetInboxResponse inbox;
  ASSERT_TRUE(stub_->GetInbox(As("sato").get(), {}, &inbox).ok());
  // The first apology, the escalation and the update to the client of each.
  EXPECT_EQ(inbox.items_size(), 3 * 1001);
  EXPECT_TRUE(std::any_of(inbox.items().begin(), inbox.items().end(),
                          [](const v1::InboxItem& item) { return item.incident_id() == 1; }));
}

TEST_F(IncidentServiceTest, SecondServerOnTheSamePortRefusesToStart) {
  absl::StatusOr<std::unique_ptr<AmendsServer>> second =
      AmendsServer::Start(*store_, clock_, DefaultPolicy(),
                          {.listen = absl::StrCat("127.0.0.1:", server_->port())});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(IncidentServiceTest, StandardHealthServiceAnswersServingWithoutToken) {
  grpc::GenericStub generic(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                                grpc::InsecureChannelCredentials()));
  grpc::Slice empty("");  // HealthCheckRequest{service: ""}: the whole server
  grpc::ByteBuffer request(&empty, 1), response;
  grpc::ClientContext ctx;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) { done.set_value(s); });
  ASSERT_TRUE(done.get_future().get().ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices) bytes.append(s.begin(), s.end());
  EXPECT_EQ(bytes, std::string("\x08\x01"));  // HealthCheckResponse{status: SERVING}
}

// gRPC itself answers a request it cannot decode with an empty INTERNAL, as if the server had
// failed; the caller's mistake is said to be theirs, and nothing changes.
TEST_F(IncidentServiceTest, UndecodableRequestIsInvalidArgumentNamingTheMethod) {
  const v1::Incident incident = Report("sato", MissedAppointment());
  grpc::GenericStub generic(channel_);
  // AddNoteRequest bytes: cut short, and a note (field 3) whose one byte is not UTF-8.
  for (const std::string& bytes : {std::string("\x08\x01\x1a\x05" "abc"),
                                   std::string("\x08\x01\x10\x01\x1a\x01\xff")}) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    std::unique_ptr<grpc::ClientContext> ctx = As("sato");
    std::promise<grpc::Status> done;
    generic.UnaryCall(ctx.get(), "/amends.v1.IncidentService/AddNote", grpc::StubOptions(),
                      &request, &response, [&](grpc::Status s) { done.set_value(s); });
    const grpc::Status status = done.get_future().get();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(status.error_message(),
              "request: not a valid request of /amends.v1.IncidentService/AddNote (malformed "
              "bytes, or a text field that is not UTF-8)");
  }
  v1::GetIncidentRequest get;
  get.set_id(incident.id());
  v1::Incident now;
  ASSERT_TRUE(stub_->GetIncident(As("sato").get(), get, &now).ok());
  EXPECT_EQ(now.version(), incident.version());
}

// Server reflection answers anyone, without a token: it is served only when asked for
// (amendsd --reflection).
TEST_F(IncidentServiceTest, ReflectionIsServedOnlyWhenAskedFor) {
  auto list_services = [&]() -> std::pair<grpc::Status, std::string> {
    grpc::GenericStub generic(channel_);
    grpc::Slice slice(std::string("\x3a\x00", 2));  // ServerReflectionRequest{list_services: ""}
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::ClientContext ctx;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                      grpc::StubOptions(), &request, &response,
                      [&](grpc::Status s) { done.set_value(s); });
    const grpc::Status status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (status.ok() && response.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) bytes.append(s.begin(), s.end());
    }
    return {status, bytes};
  };
  EXPECT_EQ(list_services().first.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  StartServer({.run_background = false, .reflection = true});
  const auto [status, services] = list_services();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(absl::StrContains(services, "amends.v1.IncidentService")) << services;
}

// The threads of this process, server and client together (/proc/self/status).
int ThreadsOfThisProcess() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (absl::StartsWith(line, "Threads:")) return std::stoi(line.substr(8));
  }
  return -1;
}

// Anyone who can connect may open reflection streams, without a token, and leave them idle.
// Before, each took a server thread: 1,000 streams over 10 connections made 1,014 threads.
TEST_F(IncidentServiceTest, AFloodOfIdleReflectionStreamsIsCappedAndTheTeamIsStillAnswered) {
  StartServer({.run_background = false, .reflection = true});
  ReflectionFlood flood(absl::StrCat("127.0.0.1:", server_->port()), 1000, 10);
  // Past the synchronous services' thread quota, a stream is refused at once.
  EXPECT_EQ(flood.NextEnded().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_LT(ThreadsOfThisProcess(), 300);
  // The team's calls take no thread of that quota.
  const v1::Incident incident = Report("sato", MissedAppointment());
  v1::AddNoteRequest note;
  note.set_id(incident.id());
  note.set_text("お客様へ折り返しの電話");
  v1::Incident noted;
  ASSERT_TRUE(stub_->AddNote(As("sato").get(), note, &noted).ok());
  EXPECT_EQ(noted.version(), incident.version() + 1);
  v1::ListIncidentsRequest list;
  v1::ListIncidentsResponse listed;
  ASSERT_TRUE(stub_->ListIncidents(As("tanaka").get(), list, &listed).ok());
  EXPECT_EQ(listed.incidents_size(), 1);
  EXPECT_LT(ThreadsOfThisProcess(), 300);
}

TEST_F(IncidentServiceTest, HealthWatchersHearNotServingOnceTheServerShutsDown) {
  grpc::GenericStub generic(grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                                grpc::InsecureChannelCredentials()));
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      generic.PrepareCall(&ctx, "/grpc.health.v1.Health/Watch", &cq);
  // Each step waits for its own completion.
  auto step = [&](auto start) {
    int tag = 0;
    start(&tag);
    void* got = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq.Next(&got, &ok));
    EXPECT_EQ(got, &tag);
    return ok;
  };
  auto read = [&]() -> std::string {
    grpc::ByteBuffer response;
    if (!step([&](void* tag) { call->Read(&response, tag); })) return "(stream ended)";
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(response.Dump(&slices).ok());
    std::string bytes;
    for (const grpc::Slice& s : slices) bytes.append(s.begin(), s.end());
    return bytes;
  };
  ASSERT_TRUE(step([&](void* tag) { call->StartCall(tag); }));
  grpc::Slice empty("");  // HealthCheckRequest{service: ""}: the whole server
  grpc::ByteBuffer request(&empty, 1);
  ASSERT_TRUE(step([&](void* tag) { call->Write(request, tag); }));
  ASSERT_TRUE(step([&](void* tag) { call->WritesDone(tag); }));
  EXPECT_EQ(read(), std::string("\x08\x01"));  // SERVING

  std::thread shutdown([this] { server_->Shutdown(absl::Seconds(5)); });
  EXPECT_EQ(read(), std::string("\x08\x02"));  // NOT_SERVING, before the stream ends
  ctx.TryCancel();
  grpc::Status status;
  step([&](void* tag) { call->Finish(&status, tag); });
  shutdown.join();
  cq.Shutdown();
  void* got = nullptr;
  bool ok = false;
  while (cq.Next(&got, &ok)) {
  }
}

}  // namespace
}  // namespace amends
