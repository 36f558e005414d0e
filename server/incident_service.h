// IncidentService: the gRPC handlers of amends.v1.IncidentService.
//
// Each handler reads like a paragraph: authenticate, parse the request into a core Action,
// hand it to the writer (or read from the store), map the Status to a gRPC code. No business
// rule lives here; they are in server/core. The handlers are gRPC's callback API: a read
// answers at once; a change is queued with the writer and its call is finished from the
// writer's `done` when its group commits, so no thread waits for a commit. Thread-safe: gRPC
// calls handlers concurrently.
#ifndef AMENDS_SERVER_INCIDENT_SERVICE_H_
#define AMENDS_SERVER_INCIDENT_SERVICE_H_

#include <functional>

#include "absl/functional/function_ref.h"

#include "amends/v1/amends.grpc.pb.h"
#include "server/authenticator.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

class IncidentService final : public v1::IncidentService::CallbackService {
 public:
  IncidentService(Store& store, IncidentWriter& writer, const Clock& clock)
      : store_(store), writer_(writer), clock_(clock), auth_(store) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* ReportIncident(Ctx*, const v1::ReportIncidentRequest*, v1::Incident*) override;
  Reactor* GetIncident(Ctx*, const v1::GetIncidentRequest*, v1::Incident*) override;
  Reactor* ListIncidents(Ctx*, const v1::ListIncidentsRequest*,
                             v1::ListIncidentsResponse*) override;
  Reactor* GetTimeline(Ctx*, const v1::GetTimelineRequest*,
                           v1::GetTimelineResponse*) override;
  Reactor* AddNote(Ctx*, const v1::AddNoteRequest*, v1::Incident*) override;
  Reactor* Assign(Ctx*, const v1::AssignRequest*, v1::Incident*) override;
  Reactor* RecordFirstApology(Ctx*, const v1::RecordFirstApologyRequest*,
                                  v1::Incident*) override;
  Reactor* Escalate(Ctx*, const v1::EscalateRequest*, v1::Incident*) override;
  Reactor* ApproveEscalation(Ctx*, const v1::ApproveEscalationRequest*,
                                 v1::Incident*) override;
  Reactor* DeclineEscalation(Ctx*, const v1::DeclineEscalationRequest*,
                                 v1::Incident*) override;
  Reactor* ScheduleApologyVisit(Ctx*, const v1::ScheduleApologyVisitRequest*,
                                    v1::Incident*) override;
  Reactor* RecordApologyVisit(Ctx*, const v1::RecordApologyVisitRequest*,
                                  v1::Incident*) override;
  Reactor* AddPreventionMeasure(Ctx*, const v1::AddPreventionMeasureRequest*,
                                    v1::Incident*) override;
  Reactor* CompletePreventionMeasure(Ctx*, const v1::CompletePreventionMeasureRequest*,
                                         v1::Incident*) override;
  Reactor* PresentPreventionPlan(Ctx*, const v1::PresentPreventionPlanRequest*,
                                     v1::Incident*) override;
  Reactor* LogFollowUp(Ctx*, const v1::LogFollowUpRequest*, v1::Incident*) override;
  Reactor* CloseIncident(Ctx*, const v1::CloseIncidentRequest*, v1::Incident*) override;
  Reactor* ReopenIncident(Ctx*, const v1::ReopenIncidentRequest*, v1::Incident*) override;
  Reactor* MakePromise(Ctx*, const v1::MakePromiseRequest*, v1::Incident*) override;
  Reactor* KeepPromise(Ctx*, const v1::KeepPromiseRequest*, v1::Incident*) override;
  Reactor* Hold(Ctx*, const v1::HoldRequest*, v1::Incident*) override;
  Reactor* Resume(Ctx*, const v1::ResumeRequest*, v1::Incident*) override;
  Reactor* AcknowledgeReminders(Ctx*, const v1::AcknowledgeRemindersRequest*,
                                    v1::Incident*) override;
  Reactor* GetInbox(Ctx*, const v1::GetInboxRequest*, v1::GetInboxResponse*) override;
  Reactor* GetSummary(Ctx*, const v1::GetSummaryRequest*, v1::TeamSummary*) override;
  Reactor* HandOver(Ctx*, const v1::HandOverRequest*, v1::HandOverResponse*) override;
  Reactor* DecideResponse(Ctx*, const v1::DecideResponseRequest*, v1::Incident*) override;
  Reactor* UpdateChecklist(Ctx*, const v1::UpdateChecklistRequest*, v1::Incident*) override;
  Reactor* EditIncident(Ctx*, const v1::EditIncidentRequest*, v1::Incident*) override;
  Reactor* AssignPreventionMeasure(Ctx*, const v1::AssignPreventionMeasureRequest*,
                                       v1::Incident*) override;
  Reactor* RecordExpectation(Ctx*, const v1::RecordExpectationRequest*,
                                 v1::Incident*) override;
  Reactor* RecordCause(Ctx*, const v1::RecordCauseRequest*, v1::Incident*) override;
  Reactor* RecordManagerApology(Ctx*, const v1::RecordManagerApologyRequest*,
                                    v1::Incident*) override;
  Reactor* MakeOffer(Ctx*, const v1::MakeOfferRequest*, v1::Incident*) override;
  Reactor* ApproveOffer(Ctx*, const v1::ApproveOfferRequest*, v1::Incident*) override;
  Reactor* DeclineOffer(Ctx*, const v1::DeclineOfferRequest*, v1::Incident*) override;
  Reactor* DeliverOffer(Ctx*, const v1::DeliverOfferRequest*, v1::Incident*) override;
  Reactor* LogClientUpdate(Ctx*, const v1::LogClientUpdateRequest*, v1::Incident*) override;
  Reactor* VerifyPreventionMeasure(Ctx*, const v1::VerifyPreventionMeasureRequest*,
                                       v1::Incident*) override;

 private:
  // What every request that changes one incident names: which, at what version, and the
  // client's request id.
  struct Target {
    int64_t id;
    int64_t expected_version;
    absl::string_view request_id;
  };
  template <typename Request>
  static Target TargetOf(const Request& r) {
    return {r.id(), r.expected_version(), r.request_id()};
  }
  // A call finished at once with `status`.
  static Reactor* Answer(Ctx* ctx, const grpc::Status& status);
  // A call that `start` hands to the writer, whose `done` finishes it; an error `start`
  // returns instead finishes it at once.
  static Reactor* Started(Ctx* ctx, absl::FunctionRef<grpc::Status(Reactor*)> start);
  // The writer's `done` that answers the call with the incident as changed.
  static IncidentWriter::Done<v1::Incident> Completing(Reactor* reactor, v1::Incident* out);
  // The reads, for their handlers (which answer at once) and GetTimeline's visibility check.
  grpc::Status Read(Ctx* ctx, const v1::GetIncidentRequest* req, v1::Incident* out);
  grpc::Status Read(Ctx* ctx, const v1::ListIncidentsRequest* req,
                    v1::ListIncidentsResponse* out);
  grpc::Status Read(Ctx* ctx, const v1::GetTimelineRequest* req, v1::GetTimelineResponse* out);
  grpc::Status Read(Ctx* ctx, const v1::GetInboxRequest* req, v1::GetInboxResponse* out);
  grpc::Status Read(Ctx* ctx, const v1::GetSummaryRequest* req, v1::TeamSummary* out);
  // Authenticates, builds the action (which may look users up), and queues it with the writer.
  Reactor* Mutate(Ctx* ctx, Target target, const std::function<absl::StatusOr<Action>()>& parse,
                  v1::Incident* out);
  // Mutate, for an action built from the incident as read (once) for the visibility check.
  Reactor* MutateSeeing(
      Ctx* ctx, Target target,
      const std::function<absl::StatusOr<Action>(const v1::Incident&)>& parse,
      v1::Incident* out);
  // Authenticates the call, and tells the client the server's time (initial metadata
  // "amends-now", RFC 3339): deadlines are the server's, so "in 3h" must be counted from it.
  absl::StatusOr<Actor> Caller(Ctx* ctx) const;
  // The user named in a request field, as an Actor; INVALID_ARGUMENT naming `field` if unknown.
  absl::StatusOr<Actor> NamedUser(absl::string_view field, absl::string_view name) const;

  Store& store_;
  IncidentWriter& writer_;
  const Clock& clock_;
  Authenticator auth_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_INCIDENT_SERVICE_H_
