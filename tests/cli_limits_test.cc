// The limits of one incident (server/core/incident_limits.h) as a user meets them: through the
// real `amends` against a running amendsd. What fills an incident up to its limit goes
// through the API (faster than hundreds of processes); the change that would pass the limit
// goes through the CLI, which exits 5 with the server's reason, and the incident is as before.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "amends/v1/amends.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/core/incident_limits.h"
#include "server/core/time_proto.h"
#include "tests/case1.h"
#include "tests/cli_fixture.h"

namespace amends {
namespace {

class CliLimitsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    stub_ = v1::IncidentService::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    v1::ReportIncidentRequest report = MissedAppointment();
    report.set_team("営業一課");
    ASSERT_TRUE(Call("sato", &v1::IncidentService::Stub::ReportIncident, report).ok());
  }

  // Calls `method` as `user` with `request` on incident 1.
  template <typename Request, typename Response>
  grpc::Status Call(const std::string& user,
                    grpc::Status (v1::IncidentService::Stub::*method)(grpc::ClientContext*,
                                                                      const Request&, Response*),
                    Request request) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tokens_[user]);
    if constexpr (requires { request.set_id(1); }) request.set_id(1);
    Response out;
    grpc::Status s = (stub_.get()->*method)(&ctx, request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return s;
  }

  // Escalated and approved: the apology visit is next.
  void ToApologyVisit() {
    v1::EscalateRequest escalate;
    escalate.set_reason("部長が立腹");
    Call("sato", &v1::IncidentService::Stub::Escalate, escalate);
    Call("tanaka", &v1::IncidentService::Stub::ApproveEscalation,
         v1::ApproveEscalationRequest());
  }

  // The visit held: the prevention plan is being drawn up.
  void ToPreventionPlan() {
    ToApologyVisit();
    v1::RecordApologyVisitRequest visit;
    *visit.mutable_held_at() = ToProto(absl::Now() - absl::Hours(1));
    visit.set_outcome("部長に直接謝罪。取引は継続");
    Call("sato", &v1::IncidentService::Stub::RecordApologyVisit, visit);
  }

  void AddMeasure(int n) {
    v1::AddPreventionMeasureRequest measure;
    measure.set_text(absl::StrCat("対策 ", n));
    measure.set_owner("sato");
    *measure.mutable_due() = ToProto(absl::Now() + absl::Hours(24 * 7));
    Call("sato", &v1::IncidentService::Stub::AddPreventionMeasure, measure);
  }

  // Plan presented: following up with the client.
  void ToFollowUp() {
    ToPreventionPlan();
    v1::RecordCauseRequest cause;
    cause.set_what("15時のアポイントを個人の手帳にだけ記入した");
    cause.set_why_missed("当日の確認で見落とした");
    Call("sato", &v1::IncidentService::Stub::RecordCause, cause);
    AddMeasure(1);
    Call("sato", &v1::IncidentService::Stub::PresentPreventionPlan,
         v1::PresentPreventionPlanRequest());
  }

  v1::Incident Show() {
    RunResult r = Amends("tanaka", {"show", "1", "--output", "json"});
    v1::Incident incident;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &incident).ok()) << r.out;
    return incident;
  }

  // Runs `args` as sato, expects it refused with exit 5 and `reason`, and the incident as it
  // was.
  void ExpectRefused(std::vector<std::string> args, const std::string& reason) {
    const int64_t version = Show().version();
    RunResult r = Amends("sato", std::move(args), 5);
    EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
    EXPECT_EQ(Show().version(), version);
  }

  std::unique_ptr<v1::IncidentService::Stub> stub_;
};

TEST_F(CliLimitsTest, AVisitWithMoreThanTwentyAttendeesIsRefused) {
  ToApologyVisit();
  std::vector<std::string> args = {"visit", "schedule", "1", "--at", InDays(2)};
  for (int n = 1; n <= kMaxAttendees; ++n) {
    args.insert(args.end(), {"--attendee", absl::StrCat("同行者", n)});
  }
  Amends("sato", args);
  args.insert(args.end(), {"--attendee", "同行者21"});
  ExpectRefused(args, "--attendee: 21 named, a visit has at most 20");
}

TEST_F(CliLimitsTest, TheFiftyFirstMeasureOfARoundIsRefused) {
  ToPreventionPlan();
  for (int n = 1; n <= kMaxMeasuresPerRound; ++n) AddMeasure(n);
  ExpectRefused({"measure", "add", "1", "--text", "もう一つの対策", "--owner", "sato", "--due",
                 InDays(7)},
                "incident 1 already has 50 measures in this round, the most it may hold");
}

TEST_F(CliLimitsTest, TheFiftyFirstOpenPromiseIsRefusedUntilOneIsKept) {
  for (int n = 1; n <= kMaxOpenPromises; ++n) {
    v1::MakePromiseRequest promise;
    promise.set_text(absl::StrCat("約束 ", n));
    *promise.mutable_by() = ToProto(absl::Now() + absl::Hours(48));
    Call("sato", &v1::IncidentService::Stub::MakePromise, promise);
  }
  const std::vector<std::string> another = {"promise", "1", "--by", InDays(2), "--text",
                                            "見積書を再送する"};
  ExpectRefused(another, "incident 1 already has 50 open promises, the most it may hold");
  Amends("sato", {"promise", "done", "1", "1"});
  Amends("sato", another);
  EXPECT_EQ(Show().promises_size(), kMaxOpenPromises + 1);
}

TEST_F(CliLimitsTest, TheHundredAndFirstFollowUpIsRefused) {
  ToFollowUp();
  for (int n = 1; n <= kMaxFollowUps; ++n) {
    v1::LogFollowUpRequest followup;
    followup.set_note(absl::StrCat("定期連絡 ", n));
    Call("sato", &v1::IncidentService::Stub::LogFollowUp, followup);
  }
  ExpectRefused({"followup", "1", "--note", "3か月後の確認電話"},
                "incident 1 already has 100 follow-ups, the most it may hold");
}

// Updates have no count of their own: the size of the whole incident bounds them. A change
// that moves the case on (closing here) is never refused, so a full incident can be ended.
TEST_F(CliLimitsTest, AChangePastTheIncidentSizeIsRefusedButTheIncidentCanStillBeClosed) {
  // 3,400 three-byte characters: about 10 KiB, the most one note may carry.
  std::string note;
  for (int n = 0; n < 3400; ++n) note += "報";
  int updates = 0;
  while (ContentBytes(Show()) + note.size() <= kMaxIncidentBytes) {
    Amends("sato", {"update", "1", "--channel", "call", "--note", note});
    ++updates;
  }
  EXPECT_GT(updates, 20);
  ExpectRefused({"update", "1", "--channel", "call", "--note", note},
                "incident size: an incident holds at most 256 KiB of text, and this change "
                "would make it");
  Amends("sato", {"note", "1", "ノートはタイムラインにだけ残り、案件を大きくしない"});
  Amends("tanaka", {"close", "1", "--reason", "先方と合意し、取引継続を確認"});
  EXPECT_EQ(Show().state(), v1::STATE_CLOSED);
}

// 120 notes of 10 KiB: more than one page (server pages end before 1 MiB). The CLI reads
// every page: `timeline` lists all, `show` ends with the newest notes.
TEST_F(CliLimitsTest, ALongTimelineIsReadPageByPage) {
  v1::AddNoteRequest note;
  for (int n = 1; n <= 120; ++n) {
    note.set_text(absl::StrCat("メモ", n, " ", std::string(10 * 1024 - 12, 'x')));
    Call("sato", &v1::IncidentService::Stub::AddNote, note);
  }
  const RunResult timeline = Amends("sato", {"timeline", "1", "--output", "json"});
  EXPECT_EQ(std::count(timeline.out.begin(), timeline.out.end(), '\n'), 121);
  EXPECT_NE(timeline.out.find("メモ120 "), std::string::npos);
  EXPECT_NE(Amends("sato", {"show", "1"}).out.find("メモ120 "), std::string::npos);
}

}  // namespace
}  // namespace amends
