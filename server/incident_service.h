// IncidentService: the gRPC handlers of amends.v1.IncidentService.
//
// Each handler reads like a paragraph: authenticate, parse the request into a core Action,
// hand it to the writer (or read from the store), map the Status to a gRPC code. No business
// rule lives here; they are in server/core. Thread-safe: gRPC calls handlers concurrently.
#ifndef AMENDS_SERVER_INCIDENT_SERVICE_H_
#define AMENDS_SERVER_INCIDENT_SERVICE_H_

#include <functional>

#include "amends/v1/amends.grpc.pb.h"
#include "server/authenticator.h"
#include "server/writer.h"
#include "storage/store.h"

namespace amends {

class IncidentService final : public v1::IncidentService::Service {
 public:
  IncidentService(Store& store, IncidentWriter& writer, const Clock& clock)
      : store_(store), writer_(writer), clock_(clock), auth_(store) {}

  using Ctx = grpc::ServerContext;
  grpc::Status ReportIncident(Ctx*, const v1::ReportIncidentRequest*, v1::Incident*) override;
  grpc::Status GetIncident(Ctx*, const v1::GetIncidentRequest*, v1::Incident*) override;
  grpc::Status ListIncidents(Ctx*, const v1::ListIncidentsRequest*,
                             v1::ListIncidentsResponse*) override;
  grpc::Status GetTimeline(Ctx*, const v1::GetTimelineRequest*,
                           v1::GetTimelineResponse*) override;
  grpc::Status AddNote(Ctx*, const v1::AddNoteRequest*, v1::Incident*) override;
  grpc::Status Assign(Ctx*, const v1::AssignRequest*, v1::Incident*) override;
  grpc::Status RecordFirstApology(Ctx*, const v1::RecordFirstApologyRequest*,
                                  v1::Incident*) override;
  grpc::Status Escalate(Ctx*, const v1::EscalateRequest*, v1::Incident*) override;
  grpc::Status ApproveEscalation(Ctx*, const v1::ApproveEscalationRequest*,
                                 v1::Incident*) override;
  grpc::Status DeclineEscalation(Ctx*, const v1::DeclineEscalationRequest*,
                                 v1::Incident*) override;
  grpc::Status ScheduleApologyVisit(Ctx*, const v1::ScheduleApologyVisitRequest*,
                                    v1::Incident*) override;
  grpc::Status RecordApologyVisit(Ctx*, const v1::RecordApologyVisitRequest*,
                                  v1::Incident*) override;
  grpc::Status AddPreventionMeasure(Ctx*, const v1::AddPreventionMeasureRequest*,
                                    v1::Incident*) override;
  grpc::Status CompletePreventionMeasure(Ctx*, const v1::CompletePreventionMeasureRequest*,
                                         v1::Incident*) override;
  grpc::Status PresentPreventionPlan(Ctx*, const v1::PresentPreventionPlanRequest*,
                                     v1::Incident*) override;
  grpc::Status LogFollowUp(Ctx*, const v1::LogFollowUpRequest*, v1::Incident*) override;
  grpc::Status CloseIncident(Ctx*, const v1::CloseIncidentRequest*, v1::Incident*) override;
  grpc::Status ReopenIncident(Ctx*, const v1::ReopenIncidentRequest*, v1::Incident*) override;
  grpc::Status MakePromise(Ctx*, const v1::MakePromiseRequest*, v1::Incident*) override;
  grpc::Status KeepPromise(Ctx*, const v1::KeepPromiseRequest*, v1::Incident*) override;
  grpc::Status Hold(Ctx*, const v1::HoldRequest*, v1::Incident*) override;
  grpc::Status Resume(Ctx*, const v1::ResumeRequest*, v1::Incident*) override;
  grpc::Status AcknowledgeReminders(Ctx*, const v1::AcknowledgeRemindersRequest*,
                                    v1::Incident*) override;
  grpc::Status GetInbox(Ctx*, const v1::GetInboxRequest*, v1::GetInboxResponse*) override;
  grpc::Status GetSummary(Ctx*, const v1::GetSummaryRequest*, v1::TeamSummary*) override;
  grpc::Status HandOver(Ctx*, const v1::HandOverRequest*, v1::HandOverResponse*) override;
  grpc::Status DecideResponse(Ctx*, const v1::DecideResponseRequest*, v1::Incident*) override;
  grpc::Status UpdateChecklist(Ctx*, const v1::UpdateChecklistRequest*, v1::Incident*) override;
  grpc::Status EditIncident(Ctx*, const v1::EditIncidentRequest*, v1::Incident*) override;
  grpc::Status AssignPreventionMeasure(Ctx*, const v1::AssignPreventionMeasureRequest*,
                                       v1::Incident*) override;
  grpc::Status RecordExpectation(Ctx*, const v1::RecordExpectationRequest*,
                                 v1::Incident*) override;
  grpc::Status RecordCause(Ctx*, const v1::RecordCauseRequest*, v1::Incident*) override;
  grpc::Status RecordManagerApology(Ctx*, const v1::RecordManagerApologyRequest*,
                                    v1::Incident*) override;
  grpc::Status MakeOffer(Ctx*, const v1::MakeOfferRequest*, v1::Incident*) override;
  grpc::Status ApproveOffer(Ctx*, const v1::ApproveOfferRequest*, v1::Incident*) override;
  grpc::Status DeclineOffer(Ctx*, const v1::DeclineOfferRequest*, v1::Incident*) override;
  grpc::Status DeliverOffer(Ctx*, const v1::DeliverOfferRequest*, v1::Incident*) override;
  grpc::Status LogClientUpdate(Ctx*, const v1::LogClientUpdateRequest*, v1::Incident*) override;
  grpc::Status VerifyPreventionMeasure(Ctx*, const v1::VerifyPreventionMeasureRequest*,
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
  // Authenticates, builds the action (which may look users up), applies it via the writer.
  grpc::Status Mutate(Ctx* ctx, Target target,
                      const std::function<absl::StatusOr<Action>()>& parse, v1::Incident* out);
  // Mutate, for an action built from the incident as read (once) for the visibility check.
  grpc::Status MutateSeeing(
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
