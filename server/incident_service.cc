#include "server/incident_service.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/core/client_name.h"
#include "server/core/inbox.h"
#include "server/core/team_summary.h"
#include "server/core/text.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "server/page_token.h"
#include "server/status_map.h"

namespace amends {
namespace {

using Reactor = grpc::ServerUnaryReactor;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
// ListIncidentsResponse.more counts up to this many.
constexpr int kMaxCountedMore = 1000;
// GetTimeline's pages: events, and bytes (a page ends before them, but holds at least one).
constexpr int kDefaultTimelinePage = 500;
constexpr int kMaxTimelinePage = 1000;
constexpr size_t kMaxPageBytes = 1 << 20;
// The page size an inbox reads open incidents in.
constexpr int kInboxPage = 1000;

// The RFC 3339 range protobuf allows: 0001-01-01 to 9999-12-31.
absl::StatusOr<std::optional<absl::Time>> ParseTime(absl::string_view field, bool has,
                                                    const google::protobuf::Timestamp& ts) {
  if (!has) return std::nullopt;
  if (ts.nanos() < 0 || ts.nanos() > 999'999'999 || ts.seconds() < -62'135'596'800 ||
      ts.seconds() > 253'402'300'799) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": malformed timestamp"));
  }
  return FromProto(ts);
}

// Every incident `q` matches, page by page.
absl::Status ReadAll(Store& store, IncidentQuery q, std::vector<v1::Incident>& out) {
  for (;;) {
    absl::StatusOr<std::vector<v1::Incident>> found = store.ListIncidents(q);
    if (!found.ok()) return found.status();
    const bool more = static_cast<int>(found->size()) == q.limit;
    if (more) q.before_id = found->back().id();
    for (v1::Incident& i : *found) out.push_back(std::move(i));
    if (!more) return absl::OkStatus();
  }
}

// The open incidents of `team` and those an escalation chain asks its managers about, each
// once. The team's are read stage by stage: each stage straight from the index on (team,
// state, id), never through the team's closed incidents, however many.
absl::StatusOr<std::vector<v1::Incident>> OpenIncidentsOf(Store& store, const std::string& team) {
  std::vector<v1::Incident> incidents;
  for (v1::State state : SummaryStages()) {
    absl::Status s = ReadAll(store, {.team = team, .states = {state}, .limit = kMaxPageSize},
                             incidents);
    if (!s.ok()) return s;
  }
  std::vector<v1::Incident> asked;
  absl::Status s = ReadAll(
      store, {.open_only = true, .asked_team = team, .limit = kMaxPageSize}, asked);
  if (!s.ok()) return s;
  for (v1::Incident& i : asked) {
    if (i.team() != team) incidents.push_back(std::move(i));  // else read with the team's
  }
  return incidents;
}

absl::Status CheckId(int64_t id) {
  if (id <= 0) return absl::InvalidArgumentError("id: required (a positive incident number)");
  return absl::OkStatus();
}

// How many incidents matching `q` `actor` may read, counted up to `cap`.
absl::StatusOr<int> CountReadable(Store& store, IncidentQuery q, const Actor& actor, int cap) {
  q.limit = kMaxPageSize;
  int n = 0;
  for (;;) {
    absl::StatusOr<std::vector<v1::Incident>> found = store.ListIncidents(q);
    if (!found.ok()) return found.status();
    for (const v1::Incident& i : *found) {
      if (n < cap && CanRead(i, actor)) ++n;
    }
    if (n >= cap || static_cast<int>(found->size()) < q.limit) return n;
    q.before_id = found->back().id();
  }
}

}  // namespace

Reactor* IncidentService::Answer(Ctx* ctx, const grpc::Status& status) {
  Reactor* reactor = ctx->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

Reactor* IncidentService::Started(
    Ctx* ctx, absl::FunctionRef<grpc::Status(Reactor*)> start) {
  Reactor* reactor = ctx->DefaultReactor();
  if (grpc::Status s = start(reactor); !s.ok()) reactor->Finish(s);
  return reactor;
}

IncidentWriter::Done<v1::Incident> IncidentService::Completing(Reactor* reactor,
                                                               v1::Incident* out) {
  return [reactor, out](absl::StatusOr<v1::Incident> incident) {
    if (!incident.ok()) return reactor->Finish(ToGrpc(incident.status()));
    *out = *std::move(incident);
    reactor->Finish(grpc::Status::OK);
  };
}

absl::StatusOr<Actor> IncidentService::Caller(Ctx* ctx) const {
  ctx->AddInitialMetadata(
      "amends-now", absl::FormatTime(absl::RFC3339_full, clock_.Now(), absl::UTCTimeZone()));
  return auth_.Authenticate(AuthorizationOf(*ctx));
}

absl::StatusOr<Actor> IncidentService::NamedUser(absl::string_view field,
                                                 absl::string_view name) const {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (absl::Status s = CheckBytes(field, name, kMaxNameBytes); !s.ok()) return s;
  absl::StatusOr<User> user = store_.GetUser(name);
  if (absl::IsNotFound(user.status())) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown user ", name));
  }
  if (!user.ok()) return user.status();
  return ToActor(*user);
}

Reactor* IncidentService::Mutate(Ctx* ctx, Target target,
                                 const std::function<absl::StatusOr<Action>()>& parse,
                                 v1::Incident* out) {
  return MutateSeeing(
      ctx, target, [&](const v1::Incident&) { return parse(); }, out);
}

Reactor* IncidentService::MutateSeeing(
    Ctx* ctx, Target target,
    const std::function<absl::StatusOr<Action>(const v1::Incident&)>& parse, v1::Incident* out) {
  return Started(ctx, [&](Reactor* reactor) -> grpc::Status {
    absl::StatusOr<Actor> actor = Caller(ctx);
    if (!actor.ok()) return ToGrpc(actor.status());
    const int64_t id = target.id;
    if (auto s = CheckId(id); !s.ok()) return ToGrpc(s);
    if (target.expected_version < 0) {
      return ToGrpc(absl::InvalidArgumentError("expected_version: must not be negative"));
    }
    if (auto s = CheckBytes("request_id", target.request_id, kMaxNameBytes); !s.ok()) {
      return ToGrpc(s);
    }
    // Visibility first, so that a request about a hidden incident learns nothing from
    // parsing, such as whether a user it names exists. The writer checks again.
    absl::StatusOr<v1::Incident> current = store_.GetIncident(id);
    if (!current.ok()) return ToGrpc(current.status());
    if (auto s = CheckCanRead(*current, *actor); !s.ok()) return ToGrpc(s);
    absl::StatusOr<Action> action = parse(*current);
    if (!action.ok()) return ToGrpc(action.status());
    writer_.Apply(id, target.expected_version, *std::move(action), *std::move(actor),
                  std::string(target.request_id), Completing(reactor, out));
    return grpc::Status::OK;
  });
}

Reactor* IncidentService::ReportIncident(Ctx* ctx, const v1::ReportIncidentRequest* req,
                                         v1::Incident* out) {
  return Started(ctx, [&](Reactor* reactor) -> grpc::Status {
    absl::StatusOr<Actor> actor = Caller(ctx);
    if (!actor.ok()) return ToGrpc(actor.status());
    v1::ReportIncidentRequest request = *req;
    if (request.team().empty()) request.set_team(actor->team);
    if (absl::Status s = CheckBytes("team", request.team(), kMaxNameBytes); !s.ok()) {
      return ToGrpc(s);
    }
    ReportUsers users;
    if (!request.subject().empty()) {
      absl::StatusOr<Actor> subject = NamedUser("subject", request.subject());
      if (!subject.ok()) return ToGrpc(subject.status());
      users.subject = *std::move(subject);
    }
    writer_.Report(std::move(request), *std::move(actor), std::move(users),
                   Completing(reactor, out));
    return grpc::Status::OK;
  });
}

// Reads answer at once, on gRPC's thread: they never wait for a group.
Reactor* IncidentService::GetIncident(Ctx* ctx, const v1::GetIncidentRequest* req,
                                      v1::Incident* out) {
  return Answer(ctx, Read(ctx, req, out));
}
Reactor* IncidentService::ListIncidents(Ctx* ctx, const v1::ListIncidentsRequest* req,
                                        v1::ListIncidentsResponse* out) {
  return Answer(ctx, Read(ctx, req, out));
}
Reactor* IncidentService::GetTimeline(Ctx* ctx, const v1::GetTimelineRequest* req,
                                      v1::GetTimelineResponse* out) {
  return Answer(ctx, Read(ctx, req, out));
}
Reactor* IncidentService::GetInbox(Ctx* ctx, const v1::GetInboxRequest* req,
                                   v1::GetInboxResponse* out) {
  return Answer(ctx, Read(ctx, req, out));
}
Reactor* IncidentService::GetSummary(Ctx* ctx, const v1::GetSummaryRequest* req,
                                     v1::TeamSummary* out) {
  return Answer(ctx, Read(ctx, req, out));
}

grpc::Status IncidentService::Read(Ctx* ctx, const v1::GetIncidentRequest* req,
                                          v1::Incident* out) {
  absl::StatusOr<Actor> actor = Caller(ctx);
  if (!actor.ok()) return ToGrpc(actor.status());
  if (auto s = CheckId(req->id()); !s.ok()) return ToGrpc(s);
  absl::StatusOr<v1::Incident> incident = store_.GetIncident(req->id());
  if (!incident.ok()) return ToGrpc(incident.status());
  if (auto s = CheckCanRead(*incident, *actor); !s.ok()) return ToGrpc(s);
  *out = std::move(*incident);
  return grpc::Status::OK;
}

grpc::Status IncidentService::Read(Ctx* ctx, const v1::ListIncidentsRequest* req,
                                            v1::ListIncidentsResponse* out) {
  absl::StatusOr<Actor> actor = Caller(ctx);
  if (!actor.ok()) return ToGrpc(actor.status());
  for (auto [field, value] : {std::pair{"team", &req->team()}, {"owner", &req->owner()},
                               {"client", &req->client()}}) {
    if (absl::Status s = CheckBytes(field, *value, kMaxNameBytes); !s.ok()) return ToGrpc(s);
  }
  IncidentQuery q;
  q.team = req->team().empty() ? actor->team : req->team();
  if (!ReadsTeam(*actor, q.team)) {
    return ToGrpc(absl::PermissionDeniedError(
        absl::StrCat("team: you may list only your own team (", actor->team, ")")));
  }
  if (!v1::State_IsValid(req->state())) {
    return ToGrpc(absl::InvalidArgumentError(absl::StrCat("state: unknown value ", req->state())));
  }
  if (req->state() != v1::STATE_UNSPECIFIED) q.states.push_back(req->state());
  for (int state : req->states()) {
    if (!v1::State_IsValid(state) || state == v1::STATE_UNSPECIFIED) {
      return ToGrpc(absl::InvalidArgumentError(absl::StrCat("states: unknown value ", state)));
    }
    if (absl::c_find(q.states, state) == q.states.end()) {
      q.states.push_back(static_cast<v1::State>(state));
    }
  }
  if (!v1::Severity_IsValid(req->severity())) {
    return ToGrpc(
        absl::InvalidArgumentError(absl::StrCat("severity: unknown value ", req->severity())));
  }
  if (req->page_size() < 0 || req->page_size() > kMaxPageSize) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 1 and ", kMaxPageSize, " (0: default)")));
  }
  if (!req->page_token().empty()) {
    absl::StatusOr<int64_t> before = ParsePageToken(req->page_token());
    if (!before.ok()) return ToGrpc(before.status());
    q.before_id = *before;
  }
  q.severity = req->severity();
  q.owner = req->mine() ? actor->name : req->owner();
  q.client_key = ClientKey(req->client());
  if (!req->client().empty() && q.client_key.empty()) {
    return ToGrpc(absl::InvalidArgumentError("client: a name needs more than white space"));
  }
  if (req->overdue() && req->has_due_within()) {
    return ToGrpc(absl::InvalidArgumentError("due_within: give either overdue or due_within"));
  }
  if (req->overdue()) q.due_before = clock_.Now();
  if (req->has_due_within()) {
    const google::protobuf::Duration& d = req->due_within();
    if (d.seconds() < 0 || d.nanos() < 0 || d.nanos() > 999'999'999 ||
        d.seconds() > 366LL * 24 * 3600) {
      return ToGrpc(absl::InvalidArgumentError("due_within: must be between 0 and 366 days"));
    }
    q.due_before = clock_.Now() + absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  }
  const size_t page_size = req->page_size() == 0 ? kDefaultPageSize : req->page_size();
  q.limit = page_size + 1;  // one more tells whether there is a next page
  // What the caller may read, store page by store page until the page is full.
  std::vector<v1::Incident> page;
  for (;;) {
    absl::StatusOr<std::vector<v1::Incident>> found = store_.ListIncidents(q);
    if (!found.ok()) return ToGrpc(found.status());
    for (v1::Incident& i : *found) {
      if (page.size() > page_size) break;
      if (CanRead(i, *actor)) page.push_back(std::move(i));
    }
    if (page.size() > page_size || static_cast<int>(found->size()) < q.limit) break;
    q.before_id = found->back().id();
  }
  if (page.size() > page_size) {
    page.resize(page_size);
    out->set_next_page_token(PageTokenFor(page.back().id()));
    if (req->count_more()) {
      q.before_id = page.back().id();
      absl::StatusOr<int> more = CountReadable(store_, q, *actor, kMaxCountedMore);
      if (!more.ok()) return ToGrpc(more.status());
      out->set_more(*more);
      out->set_more_at_least(*more >= kMaxCountedMore);
    }
  }
  for (v1::Incident& i : page) *out->add_incidents() = std::move(i);
  return grpc::Status::OK;
}


grpc::Status IncidentService::Read(Ctx* ctx, const v1::GetTimelineRequest* req,
                                          v1::GetTimelineResponse* out) {
  // The same authentication and visibility as reading the incident itself.
  v1::Incident incident;
  v1::GetIncidentRequest get;
  get.set_id(req->id());
  if (grpc::Status s = Read(ctx, &get, &incident); !s.ok()) return s;
  if (req->page_size() < 0 || req->page_size() > kMaxTimelinePage) {
    return ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 1 and ", kMaxTimelinePage, " (0: default)")));
  }
  int64_t after = 0;
  if (!req->page_token().empty()) {
    absl::StatusOr<int64_t> token = ParsePageToken(req->page_token());
    if (!token.ok()) return ToGrpc(token.status());
    after = *token;
  }
  const int page_size = req->page_size() == 0 ? kDefaultTimelinePage : req->page_size();
  // One more tells whether there is a next page.
  absl::StatusOr<std::vector<v1::Event>> events =
      store_.GetTimeline(req->id(), after, page_size + 1);
  if (!events.ok()) return ToGrpc(events.status());
  size_t bytes = 0;
  for (v1::Event& e : *events) {
    bytes += e.ByteSizeLong();
    if (out->events_size() == page_size || (out->events_size() > 0 && bytes > kMaxPageBytes)) {
      out->set_next_page_token(PageTokenFor(out->events().rbegin()->sequence()));
      break;
    }
    *out->add_events() = std::move(e);
  }
  return grpc::Status::OK;
}

Reactor* IncidentService::AddNote(Ctx* ctx, const v1::AddNoteRequest* req,
                                      v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kAddNote, .text = req->text()};
  }, out);
}

Reactor* IncidentService::Assign(Ctx* ctx, const v1::AssignRequest* req,
                                     v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<Actor> owner = NamedUser("new_owner", req->new_owner());
    if (!owner.ok()) return owner.status();
    return Action{.type = ActionType::kAssign, .text = req->note(), .user = *owner};
  }, out);
}

Reactor* IncidentService::RecordFirstApology(Ctx* ctx,
                                                 const v1::RecordFirstApologyRequest* req,
                                                 v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{
        .type = ActionType::kRecordFirstApology, .text = req->note(), .channel = req->channel()};
  }, out);
}

Reactor* IncidentService::Escalate(Ctx* ctx, const v1::EscalateRequest* req,
                                       v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kEscalate, .text = req->reason()};
  }, out);
}

Reactor* IncidentService::ApproveEscalation(Ctx* ctx,
                                                const v1::ApproveEscalationRequest* req,
                                                v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kApproveEscalation, .text = req->note()};
  }, out);
}

Reactor* IncidentService::DeclineEscalation(Ctx* ctx,
                                                const v1::DeclineEscalationRequest* req,
                                                v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kDeclineEscalation, .text = req->reason()};
  }, out);
}

Reactor* IncidentService::ScheduleApologyVisit(Ctx* ctx,
                                                   const v1::ScheduleApologyVisitRequest* req,
                                                   v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> at =
        ParseTime("planned_at", req->has_planned_at(), req->planned_at());
    if (!at.ok()) return at.status();
    return Action{.type = ActionType::kScheduleVisit,
                  .at = *at,
                  .attendees = {req->attendees().begin(), req->attendees().end()}};
  }, out);
}

Reactor* IncidentService::RecordApologyVisit(Ctx* ctx,
                                                 const v1::RecordApologyVisitRequest* req,
                                                 v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> held =
        ParseTime("held_at", req->has_held_at(), req->held_at());
    if (!held.ok()) return held.status();
    return Action{.type = ActionType::kRecordVisit,
                  .text = req->outcome(),
                  .at = *held,
                  .attendees = {req->attendees().begin(), req->attendees().end()}};
  }, out);
}

Reactor* IncidentService::AddPreventionMeasure(Ctx* ctx,
                                                   const v1::AddPreventionMeasureRequest* req,
                                                   v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> due = ParseTime("due", req->has_due(), req->due());
    if (!due.ok()) return due.status();
    absl::StatusOr<Actor> owner = NamedUser("owner", req->owner());
    if (!owner.ok()) return owner.status();
    return Action{
        .type = ActionType::kAddMeasure, .text = req->text(), .at = *due, .user = *owner};
  }, out);
}

Reactor* IncidentService::CompletePreventionMeasure(
    Ctx* ctx, const v1::CompletePreventionMeasureRequest* req, v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kCompleteMeasure, .number = req->number()};
  }, out);
}

Reactor* IncidentService::PresentPreventionPlan(Ctx* ctx,
                                                    const v1::PresentPreventionPlanRequest* req,
                                                    v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kPresentPlan};
  }, out);
}

Reactor* IncidentService::LogFollowUp(Ctx* ctx, const v1::LogFollowUpRequest* req,
                                          v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kLogFollowUp, .text = req->note()};
  }, out);
}

Reactor* IncidentService::CloseIncident(Ctx* ctx, const v1::CloseIncidentRequest* req,
                                            v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kClose, .text = req->reason()};
  }, out);
}

Reactor* IncidentService::ReopenIncident(Ctx* ctx, const v1::ReopenIncidentRequest* req,
                                             v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kReopen, .text = req->reason()};
  }, out);
}

Reactor* IncidentService::MakePromise(Ctx* ctx, const v1::MakePromiseRequest* req,
                                          v1::Incident* out) {
  auto parse = [&](const v1::Incident& current) -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> by = ParseTime("by", req->has_by(), req->by());
    if (!by.ok()) return by.status();
    // The promise is the owner's: the core checks that they can still act.
    absl::StatusOr<Actor> owner = NamedUser("owner", current.owner());
    if (!owner.ok()) return owner.status();
    return Action{
        .type = ActionType::kMakePromise, .text = req->text(), .at = *by, .user = *owner};
  };
  return MutateSeeing(ctx, TargetOf(*req), parse, out);
}

Reactor* IncidentService::KeepPromise(Ctx* ctx, const v1::KeepPromiseRequest* req,
                                          v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kKeepPromise, .number = req->number()};
  }, out);
}

Reactor* IncidentService::Hold(Ctx* ctx, const v1::HoldRequest* req, v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> until =
        ParseTime("until", req->has_until(), req->until());
    if (!until.ok()) return until.status();
    return Action{.type = ActionType::kHold, .text = req->reason(), .at = *until};
  }, out);
}

Reactor* IncidentService::Resume(Ctx* ctx, const v1::ResumeRequest* req, v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kResume};
  }, out);
}

Reactor* IncidentService::AcknowledgeReminders(Ctx* ctx,
                                                   const v1::AcknowledgeRemindersRequest* req,
                                                   v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kAcknowledge};
  }, out);
}

grpc::Status IncidentService::Read(Ctx* ctx, const v1::GetInboxRequest*,
                                       v1::GetInboxResponse* out) {
  absl::StatusOr<Actor> actor = Caller(ctx);
  if (!actor.ok()) return ToGrpc(actor.status());
  // The open incidents of the caller's team, and those an escalation chain asks the caller's
  // team about; the core keeps what is the caller's.
  IncidentQuery own;
  own.team = actor->team;
  own.open_only = true;
  own.limit = kInboxPage;
  IncidentQuery asked;
  asked.asked_team = actor->team;
  asked.open_only = true;
  asked.limit = kInboxPage;
  std::vector<v1::Incident> incidents;
  for (IncidentQuery* q : {&own, &asked}) {
    // Every open incident, page by page: the oldest are the likeliest to be overdue.
    for (;;) {
      absl::StatusOr<std::vector<v1::Incident>> found = store_.ListIncidents(*q);
      if (!found.ok()) return ToGrpc(found.status());
      const bool more = static_cast<int>(found->size()) == q->limit;
      if (more) q->before_id = found->back().id();
      for (v1::Incident& i : *found) {
        if (q == &asked && i.team() == actor->team) continue;  // already in `own`
        incidents.push_back(std::move(i));
      }
      if (!more) break;
    }
  }
  // And the notifications of the team that gave up, for its managers.
  std::vector<v1::Notification> failed;
  if (actor->role == Role::kManager) {
    absl::StatusOr<std::vector<v1::Notification>> found = store_.ListNotifications(
        {.teams = {actor->team}, .state = v1::Notification::STATE_FAILED, .limit = kInboxPage});
    if (!found.ok()) return ToGrpc(found.status());
    failed = *std::move(found);
  }
  for (v1::InboxItem& item : InboxFor(incidents, *actor, failed)) {
    *out->add_items() = std::move(item);
  }
  return grpc::Status::OK;
}

grpc::Status IncidentService::Read(Ctx* ctx, const v1::GetSummaryRequest* req,
                                         v1::TeamSummary* out) {
  absl::StatusOr<Actor> actor = Caller(ctx);
  if (!actor.ok()) return ToGrpc(actor.status());
  if (absl::Status s = CheckBytes("team", req->team(), kMaxNameBytes); !s.ok()) return ToGrpc(s);
  const std::string team = req->team().empty() ? actor->team : req->team();
  if (auto s = CheckMaySummarize(*actor, team); !s.ok()) return ToGrpc(s);
  absl::StatusOr<Team> found = store_.GetTeam(team);
  if (!found.ok()) return ToGrpc(found.status());
  // What the summary may count; the core keeps what the caller may read.
  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<v1::Incident>> open = OpenIncidentsOf(store_, team);
  if (!open.ok()) return ToGrpc(open.status());
  absl::StatusOr<TeamEvents> recent =
      store_.ListEventsSince(team, SummaryPeriodStart(now), SummaryEventTypes());
  if (!recent.ok()) return ToGrpc(recent.status());
  *out = SummarizeTeam(*actor, {.team = team,
                                .time_zone = found->time_zone,
                                .open = *open,
                                .recent = recent->events,
                                .recent_incidents = recent->incidents,
                                .now = now});
  return grpc::Status::OK;
}

Reactor* IncidentService::HandOver(Ctx* ctx, const v1::HandOverRequest* req,
                                   v1::HandOverResponse* out) {
  return Started(ctx, [&](Reactor* reactor) -> grpc::Status {
    absl::StatusOr<Actor> actor = Caller(ctx);
    if (!actor.ok()) return ToGrpc(actor.status());
    absl::StatusOr<Actor> from = NamedUser("from", req->from());
    if (!from.ok()) return ToGrpc(from.status());
    if (!ManagesTeam(*actor, from->team)) {
      return ToGrpc(absl::PermissionDeniedError(absl::StrCat(
          "handover needs role manager of ", from->team, ", the team of ", from->name)));
    }
    absl::StatusOr<Actor> to = NamedUser("to", req->to());
    if (!to.ok()) return ToGrpc(to.status());
    if (to->name == from->name) {
      return ToGrpc(absl::InvalidArgumentError("to: the successor must be someone else than from"));
    }
    if (auto s = CheckRequired("note", req->note(), kMaxLongTextBytes); !s.ok()) return ToGrpc(s);
    const std::string client_key = ClientKey(req->client());
    if (!req->client().empty() && client_key.empty()) {
      return ToGrpc(absl::InvalidArgumentError("client: no visible text"));
    }
    // Every open incident of the team in which `from` holds something, the client's only if one
    // is named; the writer decides them all again inside its transaction.
    IncidentQuery q{
        .team = from->team, .client_key = client_key, .open_only = true, .limit = kMaxPageSize};
    std::vector<int64_t> ids;
    for (;;) {
      absl::StatusOr<std::vector<v1::Incident>> found = store_.ListIncidents(q);
      if (!found.ok()) return ToGrpc(found.status());
      for (const v1::Incident& i : *found) {
        // What the caller may not read (another's confidential case, for an admin) is left
        // to the team's managers, unseen.
        if (HoldsWork(i, from->name) && CanRead(i, *actor)) ids.push_back(i.id());
      }
      if (static_cast<int>(found->size()) < q.limit) break;
      q.before_id = found->back().id();
    }
    if (ids.empty()) {
      return ToGrpc(absl::FailedPreconditionError(
          absl::StrCat(from->name, " holds no open incident, measure or promise",
                       req->client().empty() ? "" : absl::StrCat(" with ", req->client()),
                       ": nothing to hand over")));
    }
    writer_.HandOver(
        std::move(ids),
        {.type = ActionType::kHandOver, .text = req->note(), .user = *to, .from = from->name},
        *std::move(actor), req->dry_run(),
        [reactor, out](absl::StatusOr<IncidentWriter::HandedOver> done) {
          if (!done.ok()) return reactor->Finish(ToGrpc(done.status()));
          for (v1::Incident& i : done->moved) *out->add_incidents() = std::move(i);
          for (v1::Incident& i : done->cases) *out->add_checklists() = std::move(i);
          reactor->Finish(grpc::Status::OK);
        });
    return grpc::Status::OK;
  });
}

Reactor* IncidentService::DecideResponse(Ctx* ctx, const v1::DecideResponseRequest* req,
                                             v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kDecideResponse, .text = req->note(),
                  .decision = req->decision()};
  }, out);
}

Reactor* IncidentService::UpdateChecklist(Ctx* ctx, const v1::UpdateChecklistRequest* req,
                                              v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    switch (req->change_case()) {
      case v1::UpdateChecklistRequest::kAdd:
        return Action{.type = ActionType::kAddChecklistItem, .text = req->add()};
      case v1::UpdateChecklistRequest::kDone:
        return Action{.type = ActionType::kCompleteChecklistItem, .number = req->done()};
      case v1::UpdateChecklistRequest::CHANGE_NOT_SET:
        break;
    }
    return absl::InvalidArgumentError("change: give add (a new item) or done (its number)");
  }, out);
}

Reactor* IncidentService::EditIncident(Ctx* ctx, const v1::EditIncidentRequest* req,
                                           v1::Incident* out) {
  auto parse = [&](const v1::Incident& current) -> absl::StatusOr<Action> {
    Correction c{.severity = req->severity(), .kind = req->kind(),
                 .confidential = req->confidential()};
    if (req->has_summary()) c.summary = req->summary();
    if (req->has_details()) c.details = req->details();
    if (req->has_client()) c.client = req->client();
    if (req->has_contact()) c.contact = req->contact();
    if (c.confidential) {
      // Whoever holds open work in it: the core checks that they could still read it.
      std::set<std::string> holders;
      for (const v1::PreventionMeasure& m : current.measures()) {
        if (!m.has_done_at()) holders.insert(m.owner());
      }
      for (const v1::Promise& p : current.promises()) {
        if (!p.has_kept_at()) holders.insert(p.owner());
      }
      for (const std::string& name : holders) {
        absl::StatusOr<Actor> holder = NamedUser("confidential", name);
        if (holder.ok()) {
          c.holders.push_back(*std::move(holder));
        } else if (!absl::IsInvalidArgument(holder.status())) {  // unknown: cannot read it
          return holder.status();
        }
      }
    }
    return Action{.type = ActionType::kEdit, .text = req->reason(), .correction = std::move(c)};
  };
  return MutateSeeing(ctx, TargetOf(*req), parse, out);
}

Reactor* IncidentService::AssignPreventionMeasure(
    Ctx* ctx, const v1::AssignPreventionMeasureRequest* req, v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<Actor> owner = NamedUser("new_owner", req->new_owner());
    if (!owner.ok()) return owner.status();
    return Action{.type = ActionType::kAssignMeasure,
                  .text = req->note(),
                  .user = *owner,
                  .number = req->number()};
  }, out);
}

Reactor* IncidentService::RecordExpectation(Ctx* ctx, const v1::RecordExpectationRequest* req,
                                                v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kRecordExpectation, .text = req->text()};
  }, out);
}

Reactor* IncidentService::RecordCause(Ctx* ctx, const v1::RecordCauseRequest* req,
                                          v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    // The writer adds the client's other incidents, read in its transaction.
    return Action{.type = ActionType::kRecordCause,
                  .text = req->what(),
                  .why_missed = req->why_missed(),
                  .category = req->category()};
  }, out);
}

Reactor* IncidentService::RecordManagerApology(Ctx* ctx,
                                                   const v1::RecordManagerApologyRequest* req,
                                                   v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kRecordManagerApology,
                  .text = req->note(),
                  .channel = req->channel()};
  }, out);
}

Reactor* IncidentService::MakeOffer(Ctx* ctx, const v1::MakeOfferRequest* req,
                                        v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kMakeOffer,
                  .text = req->text(),
                  .offer_kind = req->kind(),
                  .amount_yen = req->amount_yen()};
  }, out);
}

Reactor* IncidentService::ApproveOffer(Ctx* ctx, const v1::ApproveOfferRequest* req,
                                           v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kApproveOffer, .text = req->note(), .number = req->number()};
  }, out);
}

Reactor* IncidentService::DeclineOffer(Ctx* ctx, const v1::DeclineOfferRequest* req,
                                           v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{
        .type = ActionType::kDeclineOffer, .text = req->reason(), .number = req->number()};
  }, out);
}

Reactor* IncidentService::DeliverOffer(Ctx* ctx, const v1::DeliverOfferRequest* req,
                                           v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{.type = ActionType::kDeliverOffer, .text = req->note(), .number = req->number()};
  }, out);
}

Reactor* IncidentService::LogClientUpdate(Ctx* ctx, const v1::LogClientUpdateRequest* req,
                                              v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    return Action{
        .type = ActionType::kLogClientUpdate, .text = req->note(), .channel = req->channel()};
  }, out);
}

Reactor* IncidentService::VerifyPreventionMeasure(
    Ctx* ctx, const v1::VerifyPreventionMeasureRequest* req, v1::Incident* out) {
  return Mutate(ctx, TargetOf(*req), [&]() -> absl::StatusOr<Action> {
    absl::StatusOr<std::optional<absl::Time>> due = ParseTime("due", req->has_due(), req->due());
    if (!due.ok()) return due.status();
    return Action{.type = ActionType::kVerifyMeasure,
                  .text = req->note(),
                  .at = *due,
                  .number = req->number(),
                  .failed = req->failed()};
  }, out);
}

}  // namespace amends
