#include "bench/support/write_mix.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "server/admin.h"
#include "server/core/time_proto.h"
#include "storage/sqlite_store.h"

namespace amends::bench {
namespace {

// The texts of one incident's life, after DOMAIN.md's cases.
struct Case {
  v1::Kind kind;
  v1::Severity severity;
  const char* contact;
  const char* summary;
  const char* details;
  v1::Channel apology_channel;
  const char* apology;
  const char* note;
  const char* escalation;
  const char* approval;
  const char* visit;
  const char* measure;
};

// Client-facing kinds only: each runs the whole lifecycle.
constexpr Case kCases[] = {
    {v1::KIND_MISSED_APPOINTMENT, v1::SEVERITY_HIGH, "総務部 山田様",
     "15時のサンプル受け渡しの打ち合わせを失念",
     "17時前に先方から電話。部長が立腹、「誠意を見せてほしい」とのこと。", v1::CHANNEL_CALL,
     "当日中に電話で謝罪", "部長の懸念は今後の納期対応とのこと。山田様から伺った",
     "先方部長がお怒り。上長同行での訪問が必要", "明日午前に同行します",
     "部長に直接謝罪。原因（予定の個人管理）と再発防止策を説明",
     "共有スケジュールで全アポイントを管理し、前日にダブルチェック"},
    {v1::KIND_LATE_DELIVERABLE, v1::SEVERITY_HIGH, "企画部 佐藤様",
     "会議前に必要な報告書を未提出、進捗報告もなし",
     "長年のお取引先から強い調子の苦情メール。リーダーは謝罪メールのみで誰にも報告していなかった。",
     v1::CHANNEL_MAIL, "上長名でもお詫びのメールを送付", "金曜夕方の受信。週明けまで放置しない",
     "長年のお客様からの苦情。上長名での謝罪と訪問が必要", "月曜朝一番で訪問します",
     "報告書を持参して謝罪。今後は週次で進捗を報告すると約束",
     "週次の進捗報告を定例化し、リーダーが上長に共有"},
    {v1::KIND_DELIVERY_DELAY, v1::SEVERITY_MEDIUM, "購買課 鈴木様", "部品の出荷が3日遅延",
     "先方の生産ラインが止まる恐れ。原因は出荷前検査の滞留。", v1::CHANNEL_CALL,
     "電話で遅延の原因を説明し謝罪", "損害の補填として次回分の値引きを検討",
     "補償の判断が必要", "値引き5%で了承", "原因と補償内容を説明し、先方に了承いただいた",
     "出荷前検査の進捗を毎日共有し、遅延の見込みは2日前までに連絡"},
    {v1::KIND_COMPLAINT, v1::SEVERITY_MEDIUM, "管理部 高橋様",
     "問い合わせへの回答が遅いとの苦情",
     "電話で30分。最後まで伺い、次の対応と時刻（15時までに折り返し）を約束した。",
     v1::CHANNEL_CALL, "最後までお話を伺い、お詫び", "15時に折り返し済み。毎日中間報告を入れる",
     "要求が担当の権限を超えている", "私から先方にご説明します",
     "上長同席で説明。要求の一部はお断りし、ご理解いただいた",
     "回答期限を受付時にお伝えし、期限前に必ず中間報告"},
    {v1::KIND_OTHER, v1::SEVERITY_LOW, "情報システム部 伊藤様",
     "担当交代で未完了の約束が引き継がれていなかった",
     "先方が同じ説明を二度求められた。前任者の約束（見積の再提出）が漏れていた。",
     v1::CHANNEL_MAIL, "メールでお詫びし、見積を本日中に再提出", "前任者に経緯を確認済み",
     "前任の約束漏れ。チームとしてのお詫びが必要", "来週、前任者と三人で伺います",
     "三人で訪問し謝罪。見積を手渡しした",
     "引き継ぎ時に未完了の約束と連絡先を一覧にして渡す"},
    {v1::KIND_LATE_DELIVERABLE, v1::SEVERITY_HIGH, "購買部 渡辺様",
     "見積書の提出が約束の期日より2日遅れた", "先方の社内稟議に間に合わず、購買部長から指摘。",
     v1::CHANNEL_VISIT, "購買部長に直接お詫び", "稟議の再申請に必要な資料を確認",
     "部長対応が必要", "私が同行します", "上長同行で謝罪し、資料一式を手渡し",
     "見積の提出期日を案件管理表に登録し、3日前に確認"},
};
constexpr int kCaseCount = sizeof(kCases) / sizeof(kCases[0]);

// 96 clients per team: a client comes back now and then, as a recurrence.
constexpr const char* kClientNames[] = {"ＡＢＣ", "北斗", "みなと", "さくら", "青葉", "東雲",
                                        "大和",   "富士", "若葉",   "ひかり", "銀河", "日向"};
constexpr const char* kClientKinds[] = {"商事", "物産",         "精機", "不動産",
                                        "システム", "ホールディングス", "工業", "電機"};

const Case& CaseOf(int64_t number) { return kCases[number % kCaseCount]; }

std::string ClientOf(int64_t number) {
  const int64_t n = number / kCaseCount;
  return absl::StrCat(kClientNames[n % 12], kClientKinds[(n / 12) % 8]);
}

absl::Status FromGrpc(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

// One API call in flight: what gRPC's callback API needs to outlive the call.
template <typename Request>
struct Call {
  grpc::ClientContext ctx;
  Request request;
  v1::Incident response;
};

using Finished = std::function<void(const absl::StatusOr<v1::Incident>&, size_t request_bytes)>;

// A request id of its own, as long as the CLI's (128 bits in hex), so that the write path
// does what a retry-safe change costs: a lookup and an insert in the requests table.
std::string NewRequestId() {
  static std::atomic<uint64_t> next{0};
  return absl::StrFormat("%016x%016x", uint64_t{0x616d656e6473}, next.fetch_add(1));
}

// `method(ctx, request, response, callback)` starts the call, e.g. on stub.async().
template <typename Request, typename Method>
void Send(Request request, const std::string& token, Method method, Finished finished) {
  auto* call = new Call<Request>;
  call->request = std::move(request);
  call->request.set_request_id(NewRequestId());
  call->ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  method(&call->ctx, &call->request, &call->response,
         [call, finished = std::move(finished)](grpc::Status status) {
           if (status.ok()) {
             finished(std::move(call->response), call->request.ByteSizeLong());
           } else {
             finished(FromGrpc(status), call->request.ByteSizeLong());
           }
           delete call;
         });
}

}  // namespace

absl::StatusOr<std::vector<MixTeam>> CreateMixTeams(const std::string& db_path, int teams,
                                                    const MixTeamsOptions& options) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  std::vector<MixTeam> out;
  for (int t = 1; t <= teams; ++t) {
    MixTeam team{.team = absl::StrFormat("team-%03d", t),
                 .member = absl::StrFormat("member-%03d", t),
                 .manager = absl::StrFormat("manager-%03d", t)};
    if (auto s = AddTeam(**store, team.team, "Asia/Tokyo"); !s.ok()) return s;
    if (options.always_open) {
      absl::StatusOr<std::string> calendar = EditTeamCalendar(
          **store, team.team, {.hours = {"mon,tue,wed,thu,fri,sat,sun=00:00-24:00"}});
      if (!calendar.ok()) return calendar.status();
    }
    auto contact = [&](const std::string& user) -> Contact {
      if (options.email_domain.empty()) return {};
      return {.email = absl::StrCat(user, "@", options.email_domain)};
    };
    absl::StatusOr<std::string> token =
        AddUser(**store, team.member, team.team, "member", contact(team.member));
    if (!token.ok()) return token.status();
    team.member_token = *std::move(token);
    token = AddUser(**store, team.manager, team.team, "manager", contact(team.manager));
    if (!token.ok()) return token.status();
    team.manager_token = *std::move(token);
    out.push_back(std::move(team));
  }
  return out;
}

MixSlot::MixSlot(const MixTeam& team, int64_t number)
    : team_(team),
      member_{.name = team.member, .team = team.team, .role = Role::kMember},
      manager_{.name = team.manager, .team = team.team, .role = Role::kManager},
      number_(number) {}

const Actor& MixSlot::actor() const {
  return step_ == MixStep::kApprove ? manager_ : member_;
}

const std::string& MixSlot::token() const {
  return step_ == MixStep::kApprove ? team_.manager_token : team_.member_token;
}

v1::ReportIncidentRequest MixSlot::ReportRequest() const {
  const Case& c = CaseOf(number_);
  v1::ReportIncidentRequest r;
  r.set_team(team_.team);
  r.mutable_client()->set_name(ClientOf(number_));
  r.mutable_client()->set_contact(c.contact);
  r.set_kind(c.kind);
  r.set_severity(c.severity);
  r.set_summary(c.summary);
  r.set_details(c.details);
  return r;
}

Action MixSlot::NextAction(absl::Time now) const {
  const Case& c = CaseOf(number_);
  switch (step_) {
    case MixStep::kReport:
      break;
    case MixStep::kApologise:
      return {.type = ActionType::kRecordFirstApology, .text = c.apology,
              .channel = c.apology_channel};
    case MixStep::kNote:
      return {.type = ActionType::kAddNote, .text = c.note};
    case MixStep::kEscalate:
      return {.type = ActionType::kEscalate, .text = c.escalation};
    case MixStep::kApprove:
      return {.type = ActionType::kApproveEscalation, .text = c.approval};
    case MixStep::kVisitDone:
      // Not scheduled in amends: recorded with the time it took place, in one step.
      return {.type = ActionType::kRecordVisit, .text = c.visit, .at = now};
    case MixStep::kAddMeasure:
      return {.type = ActionType::kAddMeasure, .text = c.measure, .at = now + absl::Hours(7 * 24),
              .user = member_};
  }
  return {};
}

void MixSlot::Advance(const absl::StatusOr<v1::Incident>& result) {
  if (result.ok() && step_ != MixStep::kAddMeasure) {
    incident_id_ = result->id();
    step_ = static_cast<MixStep>(static_cast<int>(step_) + 1);
    return;
  }
  ++number_;
  step_ = MixStep::kReport;
  incident_id_ = 0;
}

WriteMix::WriteMix(const std::vector<MixTeam>& teams, int slots) {
  for (int i = 0; i < slots; ++i) {
    // Spread the slots' first cases and clients apart, so that they do not move in step.
    slots_.push_back(std::make_unique<MixSlot>(teams[i % teams.size()], int64_t{i} * 7919));
  }
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) free_.push_back(it->get());
}

MixSlot* WriteMix::Acquire() {
  absl::MutexLock lock(&mu_);
  if (free_.empty()) {
    // A bug in the caller (more calls than slots), not a condition to measure.
    std::fprintf(stderr, "WriteMix: more calls in flight than its %zu slots\n", slots_.size());
    std::abort();
  }
  MixSlot* slot = free_.back();
  free_.pop_back();
  return slot;
}

void WriteMix::Finish(MixSlot* slot, const absl::StatusOr<v1::Incident>& result,
                      size_t request_bytes) {
  if (observer_ && result.ok()) observer_(slot->step(), *result);
  slot->Advance(result);
  absl::MutexLock lock(&mu_);
  free_.push_back(slot);
  if (result.ok()) {
    if (request_bytes > 0) {
      ++calls_;
      request_bytes_ += static_cast<int64_t>(request_bytes);
      response_bytes_ += static_cast<int64_t>(result->ByteSizeLong());
    }
  } else {
    ErrorCount& e = errors_[result.status().code()];
    if (e.count++ == 0) e.first = result.status().ToString();
  }
}

void WriteMix::StartGrpc(v1::IncidentService::Stub& stub, Done done) {
  MixSlot* slot = Acquire();
  Finished finished = [this, slot, done = std::move(done)](
                          const absl::StatusOr<v1::Incident>& result, size_t request_bytes) {
    Finish(slot, result, request_bytes);
    done(result.ok());
  };
  auto* async = stub.async();
  const std::string& token = slot->token();
  if (slot->step() == MixStep::kReport) {
    Send(slot->ReportRequest(), token,
         [async](auto... a) { async->ReportIncident(std::move(a)...); }, std::move(finished));
    return;
  }
  const Action action = slot->NextAction(absl::Now());
  const int64_t id = slot->incident_id();
  switch (slot->step()) {
    case MixStep::kReport:
      break;
    case MixStep::kApologise: {
      v1::RecordFirstApologyRequest r;
      r.set_id(id);
      r.set_channel(action.channel);
      r.set_note(action.text);
      Send(std::move(r), token,
           [async](auto... a) { async->RecordFirstApology(std::move(a)...); },
           std::move(finished));
      break;
    }
    case MixStep::kNote: {
      v1::AddNoteRequest r;
      r.set_id(id);
      r.set_text(action.text);
      Send(std::move(r), token, [async](auto... a) { async->AddNote(std::move(a)...); },
           std::move(finished));
      break;
    }
    case MixStep::kEscalate: {
      v1::EscalateRequest r;
      r.set_id(id);
      r.set_reason(action.text);
      Send(std::move(r), token, [async](auto... a) { async->Escalate(std::move(a)...); },
           std::move(finished));
      break;
    }
    case MixStep::kApprove: {
      v1::ApproveEscalationRequest r;
      r.set_id(id);
      r.set_note(action.text);
      Send(std::move(r), token,
           [async](auto... a) { async->ApproveEscalation(std::move(a)...); },
           std::move(finished));
      break;
    }
    case MixStep::kVisitDone: {
      v1::RecordApologyVisitRequest r;
      r.set_id(id);
      r.set_outcome(action.text);
      *r.mutable_held_at() = ToProto(*action.at);
      Send(std::move(r), token,
           [async](auto... a) { async->RecordApologyVisit(std::move(a)...); },
           std::move(finished));
      break;
    }
    case MixStep::kAddMeasure: {
      v1::AddPreventionMeasureRequest r;
      r.set_id(id);
      r.set_text(action.text);
      r.set_owner(action.user->name);
      *r.mutable_due() = ToProto(*action.at);
      Send(std::move(r), token,
           [async](auto... a) { async->AddPreventionMeasure(std::move(a)...); },
           std::move(finished));
      break;
    }
  }
}

absl::Status WriteMix::ApplyNext(IncidentWriter& writer) {
  MixSlot* slot = Acquire();
  v1::ReportIncidentRequest report;
  if (slot->step() == MixStep::kReport) {
    report = slot->ReportRequest();
    report.set_request_id(NewRequestId());
  }
  const absl::StatusOr<v1::Incident> result =
      slot->step() == MixStep::kReport
          ? ReportAndWait(writer, report, slot->actor())
          : ApplyAndWait(writer, slot->incident_id(), 0, slot->NextAction(absl::Now()),
                         slot->actor(), NewRequestId());
  Finish(slot, result, 0);
  return result.status();
}

LoadResult WriteMix::DriveWriter(IncidentWriter& writer, absl::Duration duration) {
  return RunOnThreads(static_cast<int>(slots_.size()), duration,
                      [&](int) { return ApplyNext(writer).ok(); });
}

MixSizes WriteMix::sizes() const {
  absl::MutexLock lock(&mu_);
  if (calls_ == 0) return {};
  return {.calls = calls_,
          .request_bytes = static_cast<double>(request_bytes_) / calls_,
          .response_bytes = static_cast<double>(response_bytes_) / calls_};
}


std::string WriteMix::errors() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [code, e] : errors_) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", e.count, " ", absl::StatusCodeToString(code),
                    " (first: ", e.first, ")");
  }
  return out;
}

}  // namespace amends::bench
