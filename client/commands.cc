#include "client/commands.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "absl/strings/str_join.h"
#include "client/cause_view.h"
#include "client/correction_view.h"
#include "client/display.h"
#include "client/exit_code.h"
#include "client/inbox_view.h"
#include "client/i18n.h"
#include "client/incident_view.h"
#include "client/labels.h"
#include "client/notification_view.h"
#include "client/offer_view.h"
#include "client/summary_view.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"

namespace amends::cli {
namespace {

using amends::v1::Incident;
using amends::v1::Notification;
using Stub = amends::v1::IncidentService::StubInterface;
using NotificationStub = amends::v1::NotificationService::StubInterface;

template <typename Request, typename Response, typename S = Stub>
using Rpc = grpc::Status (S::*)(grpc::ClientContext*, const Request&, Response*);

// The session's stub of service S.
Stub* StubOf(Session& s, Stub*) { return s.stub; }
NotificationStub* StubOf(Session& s, NotificationStub*) { return s.notifications; }

constexpr absl::string_view kServerClockKey = "amends-now";

// Keeps the server's clock from the metadata of the call `context` made, if it sent one.
void RecordServerClock(Session& s, const grpc::ClientContext& context) {
  // GetServerInitialMetadata may only be asked once a call went out; a fake stub makes none
  // and leaves the peer empty.
  if (context.peer().empty()) return;
  const auto& metadata = context.GetServerInitialMetadata();
  const auto it = metadata.find(grpc::string_ref(kServerClockKey.data(), kServerClockKey.size()));
  if (it == metadata.end()) return;
  if (std::optional<absl::Time> now =
          ParseServerClock(absl::string_view(it->second.data(), it->second.size()))) {
    s.server_now = *now;
  }
}

// 128 random bits, in hex: no two changes share one.
std::string NewRequestId() {
  absl::BitGen random;  // seeded from the system's entropy
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(random), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(random), absl::kZeroPad16));
}

// One unary call with the session's credentials and deadline.
template <typename Request, typename Response, typename S>
absl::Status Call(Session& s, Rpc<Request, Response, S> rpc, const Request& request,
                  Response* response) {
  S* stub = StubOf(s, static_cast<S*>(nullptr));
  if (stub == nullptr) {
    return absl::InternalError(Tr("the session has no stub for this service"));
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(s.deadline));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", s.token));
  grpc::Status status;
  if constexpr (requires(Request r) { r.set_request_id(""); }) {
    // A change carries an id of its own, so that the channel's one retry of a call that was
    // lost (UNAVAILABLE: main.cc) never applies it twice.
    Request change = request;
    if (change.request_id().empty()) change.set_request_id(NewRequestId());
    status = (stub->*rpc)(&context, change, response);
  } else {
    status = (stub->*rpc)(&context, request, response);
  }
  RecordServerClock(s, context);
  return FromGrpcStatus(status);
}

// Text for people: through TerminalSafe, so that nothing a user typed acts on the terminal.
void Print(Session& s, absl::string_view text) { *s.out << TerminalSafe(text); }

absl::Status PrintJson(Session& s, const google::protobuf::Message& message) {
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) return absl::InternalError(status.ToString());
  *s.out << json << "\n";
  return absl::OkStatus();
}

absl::Status PrintIncident(Session& s, const Incident& incident, absl::string_view what) {
  if (s.json) return PrintJson(s, incident);
  Print(s, RenderChange(incident, what));
  return absl::OkStatus();
}

// The server's warnings about a change just made ("... is not a working day for 営業一課"),
// one line each on s.err, in either output form: the change succeeded all the same.
void PrintWarnings(Session& s, const Incident& incident) {
  for (const std::string& warning : incident.warnings()) {
    *s.err << "amends: " << Tr("warning: ") << TerminalSafe(OneLine(warning)) << "\n";
  }
}

// Every mutating command: address the request to `t`, call, confirm with "#id <what> →
// state ..." and print the server's warnings. `what` is text, or a function of the answer
// (e.g. naming the new measure).
template <typename Request, typename What>
absl::Status Mutate(Session& s, Rpc<Request, Incident> rpc, Target t, Request request,
                    const What& what) {
  request.set_id(t.id);
  request.set_expected_version(t.expected_version);
  Incident incident;
  if (absl::Status status = Call(s, rpc, request, &incident); !status.ok()) return status;
  absl::Status printed;
  if constexpr (std::is_invocable_v<What, const Incident&>) {
    printed = PrintIncident(s, incident, what(incident));
  } else {
    printed = PrintIncident(s, incident, what);
  }
  PrintWarnings(s, incident);
  return printed;
}

absl::StatusOr<Incident> GetIncident(Session& s, int64_t id) {
  amends::v1::GetIncidentRequest request;
  request.set_id(id);
  Incident incident;
  if (absl::Status status = Call(s, &Stub::GetIncident, request, &incident); !status.ok()) {
    return status;
  }
  return incident;
}

// A time option read in the team zone of incident `id` (fetched first), "today" being the
// server's (the answer carries its clock).
absl::StatusOr<google::protobuf::Timestamp> TeamTime(Session& s, int64_t id,
                                                     absl::string_view option,
                                                     absl::string_view text) {
  absl::StatusOr<Incident> incident = GetIncident(s, id);
  if (!incident.ok()) return incident.status();
  absl::StatusOr<absl::Time> t =
      ParseTimeArg(option, text, incident->team_time_zone(), s.now());
  if (!t.ok()) return t.status();
  return ToProto(*t);
}

// The first `limit` incidents `request` lists, following pages, and how many more match.
struct Listed {
  Incidents incidents;
  int more = 0;  // not fetched, as the server counted them
  bool more_at_least = false;
};

constexpr amends::v1::State kOpenStates[] = {
    amends::v1::STATE_REPORTED, amends::v1::STATE_ESCALATED, amends::v1::STATE_APOLOGY_VISIT,
    amends::v1::STATE_PREVENTION_PLAN, amends::v1::STATE_FOLLOW_UP};
static_assert(std::size(kOpenStates) == amends::v1::State_ARRAYSIZE - 2,
              "every state but UNSPECIFIED and CLOSED");

absl::StatusOr<Listed> FetchIncidents(Session& s, amends::v1::ListIncidentsRequest request,
                                      int limit) {
  constexpr int kMaxPage = 500;  // the server's
  Listed listed;
  Incidents& incidents = listed.incidents;
  do {
    const int wanted = limit - incidents.size();
    request.set_page_size(std::clamp(wanted, 1, kMaxPage));
    request.set_count_more(wanted <= kMaxPage);  // only the last page's count matters
    amends::v1::ListIncidentsResponse page;
    if (absl::Status status = Call(s, &Stub::ListIncidents, request, &page); !status.ok()) {
      return status;
    }
    for (Incident& incident : *page.mutable_incidents()) {
      if (incidents.size() < limit) *incidents.Add() = std::move(incident);
    }
    request.set_page_token(page.next_page_token());
    listed.more = page.more();
    listed.more_at_least = page.more_at_least();
  } while (!request.page_token().empty() && incidents.size() < limit);
  if (request.page_token().empty()) listed.more = 0;
  return listed;
}

absl::Status PrintIncidents(Session& s, const Listed& listed, int limit, absl::string_view none,
                            std::string (*render)(const Incidents&, absl::Time, int)) {
  const Incidents& incidents = listed.incidents;
  if (s.json) {
    for (const Incident& incident : incidents) {
      if (absl::Status status = PrintJson(s, incident); !status.ok()) return status;
    }
  } else if (incidents.empty()) {
    Print(s, absl::StrCat(none, "\n"));
  } else {
    Print(s, render(incidents, s.now(), s.width));
  }
  if (listed.more > 0) {
    // In JSON the objects alone go to stdout.
    std::ostream& out = s.json ? std::cerr : *s.out;
    out << (listed.more_at_least
                ? absl::Substitute(Tr("... and at least $0 more: narrow the list (--state, "
                                      "--owner, --client) or raise --limit"),
                                   listed.more)
                : absl::Substitute(Tr("... and $0 more: --limit $1 shows them all"), listed.more,
                                   limit + listed.more))
        << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WaitForServer(grpc::Channel& channel, absl::string_view target,
                           absl::Duration timeout) {
  const auto deadline = std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout);
  for (grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
       state != GRPC_CHANNEL_READY; state = channel.GetState(/*try_to_connect=*/true)) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN ||
        !channel.WaitForStateChange(state, deadline)) {
      return absl::UnavailableError(absl::Substitute(Tr("cannot reach server at $0"), target));
    }
  }
  return absl::OkStatus();
}

absl::Status Report(Session& s, const ReportArgs& args) {
  amends::v1::ReportIncidentRequest request;
  request.set_team(args.team);
  request.mutable_client()->set_name(args.client);
  request.mutable_client()->set_contact(args.contact);
  request.set_kind(args.kind);
  request.set_severity(args.severity);
  request.set_summary(args.summary);
  request.set_details(args.details);
  if (args.confidential.has_value()) request.set_confidential(*args.confidential);
  request.set_request_id(args.request_id);
  request.set_subject(args.subject);
  for (const std::string& item : args.checklist) request.add_checklist(item);
  Incident incident;
  if (absl::Status status = Call(s, &Stub::ReportIncident, request, &incident); !status.ok()) {
    return status;
  }
  if (absl::Status status = PrintIncident(s, incident, TrIn("confirmation", "reported"));
      !status.ok() || s.json) {
    return status;
  }
  if (incident.recurrence()) {
    std::vector<std::string> earlier;
    for (const auto& e : incident.earlier_incidents()) earlier.push_back(absl::StrCat("#", e.id()));
    std::string line = absl::Substitute(Tr("recurrence: $0 had earlier incidents: $1"),
                                        incident.client().name(), absl::StrJoin(earlier, " "));
    if (earlier.empty()) absl::StripTrailingAsciiWhitespace(&line);  // none this caller may see
    // "—" stays out of the msgid, which is ASCII.
    absl::StrAppend(&line, " \u2014 ", Tr("the last prevention plan did not hold"));
    if (incident.severity() != args.severity) {
      absl::StrAppend(&line, absl::Substitute(Tr("; severity raised from $0 to $1"),
                                              Label(args.severity), Label(incident.severity())));
    }
    Print(s, absl::StrCat(line, "\n"));
  }
  if (incident.related_open_size() > 0) {
    std::vector<std::string> related;
    for (const auto& r : incident.related_open()) related.push_back(absl::StrCat("#", r.id()));
    Print(s, absl::StrCat(absl::Substitute(Tr("related, open: $0 also has $1"),
                                           incident.client().name(), absl::StrJoin(related, " ")),
                          "\n"));
  }
  return absl::OkStatus();
}

absl::Status List(Session& s, const ListArgs& args) {
  amends::v1::ListIncidentsRequest request;
  request.set_team(args.team);
  if (!args.states.empty()) {
    for (amends::v1::State state : args.states) request.add_states(state);
  } else if (!args.all) {
    for (amends::v1::State state : kOpenStates) request.add_states(state);
  }
  request.set_owner(args.owner);
  request.set_client(args.client);
  request.set_severity(args.severity);
  request.set_mine(args.mine);
  request.set_overdue(args.overdue);
  if (args.due_within > absl::ZeroDuration()) {
    *request.mutable_due_within() = ToProto(args.due_within);
  }
  absl::StatusOr<Listed> listed = FetchIncidents(s, request, args.limit);
  if (!listed.ok()) return listed.status();
  return PrintIncidents(s, *listed, args.limit,
                        args.states.empty() && !args.all
                            ? Tr("no open incidents (--all lists closed ones too)")
                            : Tr("no incidents"),
                        &RenderIncidentList);
}

absl::Status ListClient(Session& s, const std::string& client, int limit) {
  amends::v1::ListIncidentsRequest request;
  request.set_client(client);
  absl::StatusOr<Listed> listed = FetchIncidents(s, request, limit);
  if (!listed.ok()) return listed.status();
  return PrintIncidents(s, *listed, limit, absl::Substitute(Tr("no incidents for $0"), client),
                        &RenderClientIncidents);
}

namespace {

// Every event of incident `id`, page by page, oldest first.
absl::StatusOr<amends::v1::GetTimelineResponse> FetchTimeline(Session& s, int64_t id) {
  amends::v1::GetTimelineRequest request;
  request.set_id(id);
  amends::v1::GetTimelineResponse all;
  for (;;) {
    amends::v1::GetTimelineResponse page;
    if (absl::Status status = Call(s, &Stub::GetTimeline, request, &page); !status.ok()) {
      return status;
    }
    for (amends::v1::Event& e : *page.mutable_events()) *all.add_events() = std::move(e);
    if (page.next_page_token().empty()) return all;
    request.set_page_token(page.next_page_token());
  }
}

}  // namespace

absl::Status Show(Session& s, int64_t id) {
  absl::StatusOr<Incident> incident = GetIncident(s, id);
  if (!incident.ok()) return incident.status();
  if (s.json) return PrintJson(s, *incident);
  absl::StatusOr<amends::v1::GetTimelineResponse> timeline = FetchTimeline(s, id);
  if (!timeline.ok()) return timeline.status();
  constexpr int kNotesShown = 5;
  Print(s, absl::StrCat(RenderIncident(*incident, s.now()),
                        RenderNotes(timeline->events(), id, TeamZone(*incident), s.now(),
                                    kNotesShown)));
  return absl::OkStatus();
}

absl::Status Timeline(Session& s, int64_t id) {
  absl::StatusOr<amends::v1::GetTimelineResponse> timeline = FetchTimeline(s, id);
  if (!timeline.ok()) return timeline.status();
  if (s.json) {
    for (const amends::v1::Event& event : timeline->events()) {
      if (absl::Status status = PrintJson(s, event); !status.ok()) return status;
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Incident> incident = GetIncident(s, id);  // for the team's time zone
  if (!incident.ok()) return incident.status();
  Print(s, RenderTimeline(timeline->events(), TeamZone(*incident), s.now(), s.width));
  return absl::OkStatus();
}

absl::Status Inbox(Session& s) {
  amends::v1::GetInboxResponse inbox;
  if (absl::Status status = Call(s, &Stub::GetInbox, amends::v1::GetInboxRequest(), &inbox);
      !status.ok()) {
    return status;
  }
  if (!s.json) {
    Print(s, RenderInbox(inbox.items(), s.now(), s.width));
    return absl::OkStatus();
  }
  for (const amends::v1::InboxItem& item : inbox.items()) {
    if (absl::Status status = PrintJson(s, item); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status Summary(Session& s, const std::string& team) {
  amends::v1::GetSummaryRequest request;
  request.set_team(team);
  amends::v1::TeamSummary summary;
  if (absl::Status status = Call(s, &Stub::GetSummary, request, &summary); !status.ok()) {
    return status;
  }
  if (s.json) return PrintJson(s, summary);
  Print(s, RenderSummary(summary));
  return absl::OkStatus();
}

absl::Status AddNote(Session& s, Target t, const std::string& text) {
  amends::v1::AddNoteRequest request;
  request.set_text(text);
  return Mutate(s, &Stub::AddNote, t, request, Tr("note added"));
}

absl::Status HandOver(Session& s, const HandOverArgs& args) {
  amends::v1::HandOverRequest request;
  request.set_from(args.from);
  request.set_to(args.to);
  request.set_client(args.client);
  request.set_note(args.note);
  request.set_dry_run(args.dry_run);
  amends::v1::HandOverResponse response;
  if (absl::Status status = Call(s, &Stub::HandOver, request, &response); !status.ok()) {
    return status;
  }
  for (const Incident& incident : response.incidents()) {
    if (s.json) {
      if (absl::Status status = PrintJson(s, incident); !status.ok()) return status;
      continue;
    }
    // What now is the successor's in it.
    std::vector<std::string> theirs;
    if (incident.owner() == args.to) theirs.push_back(Tr("the incident"));
    int measures = 0, promises = 0;
    for (const auto& m : incident.measures()) measures += !m.has_done_at() && m.owner() == args.to;
    for (const auto& p : incident.promises()) promises += !p.has_kept_at() && p.owner() == args.to;
    if (measures > 0) theirs.push_back(absl::Substitute(Tr("$0 measure(s)"), measures));
    if (promises > 0) theirs.push_back(absl::Substitute(Tr("$0 promise(s)"), promises));
    Print(s, absl::StrCat(absl::Substitute(Tr("#$0 $1: $2 ($3): $4"), incident.id(),
                                           OneLine(incident.client().name()),
                                           OneLine(incident.summary()), Label(incident.state()),
                                           absl::StrJoin(theirs, InJapanese() ? "\u3001" : ", ")),
                          "\n"));
  }
  for (const Incident& c : response.checklists()) {
    if (s.json) {
      if (absl::Status status = PrintJson(s, c); !status.ok()) return status;
      continue;
    }
    const std::string client = OneLine(c.client().name());
    Print(s, absl::StrCat(
                 args.dry_run
                     ? absl::Substitute(
                           Tr("would start a hand-over for $0, owned by $1: checklist of $2 "
                              "item(s)"),
                           client, c.owner(), c.checklist_size())
                     : absl::Substitute(
                           Tr("hand-over #$0 for $1, owned by $2: checklist of $3 item(s) "
                              "(amends checklist show $0)"),
                           c.id(), client, c.owner(), c.checklist_size()),
                 "\n"));
  }
  if (!s.json) {
    Print(s, absl::StrCat(
                 args.dry_run
                     ? absl::Substitute(Tr("would hand over $0 incident(s) from $1 to $2 (dry "
                                           "run: nothing changed)"),
                                        response.incidents_size(), args.from, args.to)
                     : absl::Substitute(Tr("handed over $0 incident(s) from $1 to $2"),
                                        response.incidents_size(), args.from, args.to),
                 "\n"));
  }
  return absl::OkStatus();
}

absl::Status Assign(Session& s, Target t, const std::string& new_owner,
                    const std::string& note) {
  amends::v1::AssignRequest request;
  request.set_new_owner(new_owner);
  request.set_note(note);
  return Mutate(s, &Stub::Assign, t, request, absl::Substitute(Tr("assigned to $0"), new_owner));
}

absl::Status Apologize(Session& s, Target t, amends::v1::Channel channel,
                       const std::string& note) {
  amends::v1::RecordFirstApologyRequest request;
  request.set_channel(channel);
  request.set_note(note);
  return Mutate(s, &Stub::RecordFirstApology, t, request, Tr("first apology recorded"));
}

absl::Status Escalate(Session& s, Target t, const std::string& reason) {
  amends::v1::EscalateRequest request;
  request.set_reason(reason);
  return Mutate(s, &Stub::Escalate, t, request, TrIn("confirmation", "escalated"));
}

absl::Status Approve(Session& s, Target t, const std::string& note) {
  amends::v1::ApproveEscalationRequest request;
  request.set_note(note);
  return Mutate(s, &Stub::ApproveEscalation, t, request, Tr("escalation approved"));
}

absl::Status Decline(Session& s, Target t, const std::string& reason) {
  amends::v1::DeclineEscalationRequest request;
  request.set_reason(reason);
  return Mutate(s, &Stub::DeclineEscalation, t, request, Tr("escalation declined"));
}

absl::Status ScheduleVisit(Session& s, Target t, const std::string& at,
                           const std::vector<std::string>& attendees) {
  absl::StatusOr<google::protobuf::Timestamp> planned_at = TeamTime(s, t.id, "--at", at);
  if (!planned_at.ok()) return planned_at.status();
  amends::v1::ScheduleApologyVisitRequest request;
  *request.mutable_planned_at() = *planned_at;
  request.mutable_attendees()->Add(attendees.begin(), attendees.end());
  return Mutate(s, &Stub::ScheduleApologyVisit, t, request, Tr("visit scheduled"));
}

absl::Status RecordVisit(Session& s, Target t, const std::string& outcome,
                         const std::string& held_at, const std::vector<std::string>& attendees) {
  amends::v1::RecordApologyVisitRequest request;
  request.set_outcome(outcome);
  if (!held_at.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> at = TeamTime(s, t.id, "--held-at", held_at);
    if (!at.ok()) return at.status();
    *request.mutable_held_at() = *at;
    request.mutable_attendees()->Add(attendees.begin(), attendees.end());
  }
  return Mutate(s, &Stub::RecordApologyVisit, t, request, Tr("visit recorded"));
}

absl::Status AddMeasure(Session& s, Target t, const std::string& text, const std::string& owner,
                        const std::string& due) {
  absl::StatusOr<google::protobuf::Timestamp> due_at = TeamTime(s, t.id, "--due", due);
  if (!due_at.ok()) return due_at.status();
  amends::v1::AddPreventionMeasureRequest request;
  request.set_text(text);
  request.set_owner(owner);
  *request.mutable_due() = *due_at;
  return Mutate(s, &Stub::AddPreventionMeasure, t, request, [](const Incident& incident) {
    if (incident.measures().empty()) return std::string(Tr("measure added"));
    return absl::Substitute(Tr("measure $0 added"),
                            incident.measures(incident.measures_size() - 1).number());
  });
}

absl::Status CompleteMeasure(Session& s, Target t, int32_t number) {
  amends::v1::CompletePreventionMeasureRequest request;
  request.set_number(number);
  return Mutate(s, &Stub::CompletePreventionMeasure, t, request,
                absl::Substitute(Tr("measure $0 done"), number));
}

absl::Status AssignMeasure(Session& s, Target t, int32_t number, const std::string& new_owner,
                           const std::string& note) {
  amends::v1::AssignPreventionMeasureRequest request;
  request.set_number(number);
  request.set_new_owner(new_owner);
  request.set_note(note);
  return Mutate(s, &Stub::AssignPreventionMeasure, t, request,
                absl::Substitute(Tr("measure $0 assigned to $1"), number, new_owner));
}

absl::Status Edit(Session& s, Target t, const EditArgs& args) {
  if (args.severity == amends::v1::SEVERITY_UNSPECIFIED && !args.summary && !args.details &&
      !args.client && !args.contact && args.kind == amends::v1::KIND_UNSPECIFIED &&
      !args.confidential) {
    return absl::InvalidArgumentError(absl::StrCat(
        "edit: ", Tr("give what to correct: --severity (with --reason), --summary, --details, "
                     "--client, --contact, --kind or --confidential")));
  }
  absl::StatusOr<Incident> before = GetIncident(s, t.id);  // for "old -> new"
  if (!before.ok()) return before.status();
  amends::v1::EditIncidentRequest request;
  request.set_severity(args.severity);
  request.set_reason(args.reason);
  if (args.summary) request.set_summary(*args.summary);
  if (args.details) request.set_details(*args.details);
  if (args.client) request.set_client(*args.client);
  if (args.contact) request.set_contact(*args.contact);
  request.set_kind(args.kind);
  request.set_confidential(args.confidential);
  return Mutate(s, &Stub::EditIncident, t, request,
                [&](const Incident& after) { return CorrectionLine(request, *before, after); });
}

absl::Status PresentPlan(Session& s, Target t) {
  return Mutate(s, &Stub::PresentPreventionPlan, t, amends::v1::PresentPreventionPlanRequest(),
                Tr("prevention plan presented"));
}

absl::Status DecideResponse(Session& s, Target t, amends::v1::Response decision,
                            const std::string& note) {
  amends::v1::DecideResponseRequest request;
  request.set_decision(decision);
  request.set_note(note);
  return Mutate(s, &Stub::DecideResponse, t, request,
                absl::Substitute(Tr("response decided: $0"), Label(decision)));
}

absl::Status ShowChecklist(Session& s, int64_t id) {
  amends::v1::GetIncidentRequest request;
  request.set_id(id);
  Incident incident;
  if (absl::Status status = Call(s, &Stub::GetIncident, request, &incident); !status.ok()) {
    return status;
  }
  if (s.json) return PrintJson(s, incident);
  if (incident.checklist().empty()) {
    return absl::FailedPreconditionError(absl::Substitute(
        Tr("incident $0 has no checklist: only a hand-over (--kind hand-over) has one"), id));
  }
  Print(s, ChecklistLines(incident));
  return absl::OkStatus();
}

absl::Status AddChecklistItem(Session& s, Target t, const std::string& text) {
  amends::v1::UpdateChecklistRequest request;
  request.set_add(text);
  return Mutate(s, &Stub::UpdateChecklist, t, request, [](const Incident& incident) {
    return absl::Substitute(Tr("checklist item $0 added"), incident.checklist_size());
  });
}

absl::Status CompleteChecklistItem(Session& s, Target t, int32_t number) {
  amends::v1::UpdateChecklistRequest request;
  request.set_done(number);
  return Mutate(s, &Stub::UpdateChecklist, t, request,
                absl::Substitute(Tr("checklist item $0 done"), number));
}

absl::Status LogFollowUp(Session& s, Target t, const std::string& note) {
  amends::v1::LogFollowUpRequest request;
  request.set_note(note);
  return Mutate(s, &Stub::LogFollowUp, t, request, Tr("follow-up logged"));
}

absl::Status RecordExpectation(Session& s, Target t, const std::string& text) {
  amends::v1::RecordExpectationRequest request;
  request.set_text(text);
  return Mutate(s, &Stub::RecordExpectation, t, request, Tr("expectation recorded"));
}

absl::Status RecordCause(Session& s, Target t, const std::string& what,
                         const std::string& why_missed, const std::string& category) {
  amends::v1::RecordCauseRequest request;
  request.set_what(what);
  request.set_why_missed(why_missed);
  request.set_category(category);
  return Mutate(s, &Stub::RecordCause, t, request, [](const Incident& incident) {
    const std::string& category = incident.cause().category();
    const std::string same = SameCategory(incident.cause());
    if (category.empty()) {
      return same.empty() ? std::string(Tr("cause recorded"))
                          : absl::Substitute(Tr("cause recorded, $0"), same);
    }
    return same.empty() ? absl::Substitute(Tr("cause recorded ($0)"), category)
                        : absl::Substitute(Tr("cause recorded ($0), $1"), category, same);
  });
}

absl::Status ManagerApologize(Session& s, Target t, amends::v1::Channel channel,
                              const std::string& note) {
  amends::v1::RecordManagerApologyRequest request;
  request.set_channel(channel);
  request.set_note(note);
  return Mutate(s, &Stub::RecordManagerApology, t, request, Tr("manager's apology recorded"));
}

absl::Status MakeOffer(Session& s, Target t, amends::v1::OfferKind kind, int64_t amount_yen,
                       const std::string& text) {
  amends::v1::MakeOfferRequest request;
  request.set_kind(kind);
  request.set_amount_yen(amount_yen);
  request.set_text(text);
  return Mutate(s, &Stub::MakeOffer, t, request, &OfferMade);
}

absl::Status ApproveOffer(Session& s, Target t, int32_t number, const std::string& note) {
  amends::v1::ApproveOfferRequest request;
  request.set_number(number);
  request.set_note(note);
  return Mutate(s, &Stub::ApproveOffer, t, request,
                absl::Substitute(Tr("offer $0 approved"), number));
}

absl::Status DeclineOffer(Session& s, Target t, int32_t number, const std::string& reason) {
  amends::v1::DeclineOfferRequest request;
  request.set_number(number);
  request.set_reason(reason);
  return Mutate(s, &Stub::DeclineOffer, t, request,
                absl::Substitute(Tr("offer $0 declined"), number));
}

absl::Status DeliverOffer(Session& s, Target t, int32_t number, const std::string& note) {
  amends::v1::DeliverOfferRequest request;
  request.set_number(number);
  request.set_note(note);
  return Mutate(s, &Stub::DeliverOffer, t, request,
                absl::Substitute(Tr("offer $0 delivered"), number));
}

absl::Status LogClientUpdate(Session& s, Target t, amends::v1::Channel channel,
                             const std::string& note) {
  amends::v1::LogClientUpdateRequest request;
  request.set_channel(channel);
  request.set_note(note);
  return Mutate(s, &Stub::LogClientUpdate, t, request, Tr("client update logged"));
}

absl::Status VerifyMeasure(Session& s, Target t, int32_t number, const std::string& note,
                           bool failed, const std::optional<std::string>& due) {
  amends::v1::VerifyPreventionMeasureRequest request;
  request.set_number(number);
  request.set_note(note);
  request.set_failed(failed);
  if (due.has_value()) {
    absl::StatusOr<google::protobuf::Timestamp> due_at = TeamTime(s, t.id, "--due", *due);
    if (!due_at.ok()) return due_at.status();
    *request.mutable_due() = *due_at;
  }
  return Mutate(s, &Stub::VerifyPreventionMeasure, t, request, [&](const Incident& incident) {
    if (!failed) return absl::Substitute(Tr("measure $0 verified"), number);
    for (const amends::v1::PreventionMeasure& m : incident.measures()) {
      if (m.number() == number && m.has_due()) {
        return absl::Substitute(Tr("measure $0 failed verification: open again, due $1"), number,
                                FormatDateTime(FromProto(m.due()), TeamZone(incident)));
      }
    }
    return absl::Substitute(Tr("measure $0 failed verification: open again"), number);
  });
}

absl::Status Close(Session& s, Target t, const std::string& reason) {
  amends::v1::CloseIncidentRequest request;
  request.set_reason(reason);
  return Mutate(s, &Stub::CloseIncident, t, request, TrIn("confirmation", "closed"));
}

absl::Status Reopen(Session& s, Target t, const std::string& reason) {
  amends::v1::ReopenIncidentRequest request;
  request.set_reason(reason);
  return Mutate(s, &Stub::ReopenIncident, t, request, Tr("reopened"));
}

absl::Status MakePromise(Session& s, Target t, const std::string& by, const std::string& text) {
  absl::StatusOr<google::protobuf::Timestamp> by_time = TeamTime(s, t.id, "--by", by);
  if (!by_time.ok()) return by_time.status();
  amends::v1::MakePromiseRequest request;
  *request.mutable_by() = *by_time;
  request.set_text(text);
  return Mutate(s, &Stub::MakePromise, t, request, [](const Incident& incident) {
    if (incident.promises().empty()) return std::string(Tr("promise made"));
    return absl::Substitute(Tr("promise $0 made"),
                            incident.promises(incident.promises_size() - 1).number());
  });
}

absl::Status KeepPromise(Session& s, Target t, int32_t number) {
  amends::v1::KeepPromiseRequest request;
  request.set_number(number);
  return Mutate(s, &Stub::KeepPromise, t, request, absl::Substitute(Tr("promise $0 kept"), number));
}

absl::Status PutOnHold(Session& s, Target t, const std::string& reason,
                       const std::optional<std::string>& until) {
  amends::v1::HoldRequest request;
  request.set_reason(reason);
  if (until.has_value()) {
    absl::StatusOr<google::protobuf::Timestamp> until_time =
        TeamTime(s, t.id, "--until", *until);
    if (!until_time.ok()) return until_time.status();
    *request.mutable_until() = *until_time;
  }
  return Mutate(s, &Stub::Hold, t, request, [](const Incident& incident) {
    if (!incident.hold().has_until()) return std::string(Tr("put on hold"));
    return absl::Substitute(Tr("put on hold until $0"),
                            FormatDateTime(FromProto(incident.hold().until()), TeamZone(incident)));
  });
}

absl::Status Resume(Session& s, Target t) {
  return Mutate(s, &Stub::Resume, t, amends::v1::ResumeRequest(), Tr("resumed"));
}

absl::Status AcknowledgeReminders(Session& s, Target t) {
  absl::Status status = Mutate(s, &Stub::AcknowledgeReminders, t,
                               amends::v1::AcknowledgeRemindersRequest(),
                               Tr("reminders acknowledged"));
  // Acknowledging is idempotent: with nothing (left) to acknowledge, the goal is met.
  if (status.code() != absl::StatusCode::kFailedPrecondition) return status;
  if (!s.json) {
    Print(s, absl::StrCat(absl::Substitute(Tr("#$0 nothing to acknowledge: $1"), t.id,
                                           status.message()),
                          "\n"));
    return absl::OkStatus();
  }
  absl::StatusOr<Incident> incident = GetIncident(s, t.id);
  return incident.ok() ? PrintJson(s, *incident) : incident.status();
}

namespace {

absl::StatusOr<amends::v1::ListNotificationsResponse> FetchNotifications(
    Session& s, const amends::v1::ListNotificationsRequest& request) {
  amends::v1::ListNotificationsResponse response;
  if (absl::Status status = Call(s, &NotificationStub::ListNotifications, request, &response);
      !status.ok()) {
    return status;
  }
  return response;
}

absl::Status PrintNotifications(Session& s, const Notifications& notifications,
                                absl::TimeZone zone, bool with_incident) {
  if (!s.json) {
    Print(s, RenderNotifications(notifications, zone, s.now(), with_incident, s.width));
    return absl::OkStatus();
  }
  for (const Notification& n : notifications) {
    if (absl::Status status = PrintJson(s, n); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status PrintMe(Session& s, const amends::v1::Me& me) {
  if (s.json) return PrintJson(s, me);
  Print(s, RenderMe(me));
  return absl::OkStatus();
}

}  // namespace

absl::Status ListNotifications(Session& s, int64_t incident_id) {
  amends::v1::ListNotificationsRequest request;
  request.set_incident_id(incident_id);
  absl::StatusOr<amends::v1::ListNotificationsResponse> response = FetchNotifications(s, request);
  if (!response.ok()) return response.status();
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!s.json) {
    absl::StatusOr<Incident> incident = GetIncident(s, incident_id);  // for the team's zone
    if (!incident.ok()) return incident.status();
    zone = TeamZone(*incident);
  }
  return PrintNotifications(s, response->notifications(), zone, /*with_incident=*/false);
}

absl::Status ListFailedNotifications(Session& s) {
  amends::v1::ListNotificationsRequest request;
  request.set_failed(true);
  absl::StatusOr<amends::v1::ListNotificationsResponse> response = FetchNotifications(s, request);
  if (!response.ok()) return response.status();
  return PrintNotifications(s, response->notifications(), absl::LocalTimeZone(),
                            /*with_incident=*/true);
}

absl::Status RetryNotification(Session& s, int64_t id) {
  amends::v1::RetryNotificationRequest request;
  request.set_id(id);
  Notification n;
  if (absl::Status status = Call(s, &NotificationStub::RetryNotification, request, &n);
      !status.ok()) {
    return status;
  }
  if (s.json) return PrintJson(s, n);
  Print(s, RenderRetried(n));
  return absl::OkStatus();
}

absl::Status SendTestNotification(Session& s) {
  Notification n;
  if (absl::Status status = Call(s, &NotificationStub::SendTestNotification,
                                 amends::v1::SendTestNotificationRequest(), &n);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> outcome = TestOutcome(n, absl::LocalTimeZone(), s.now());
  if (s.json) {
    if (absl::Status status = PrintJson(s, n); !status.ok()) return status;
  } else if (outcome.ok()) {
    Print(s, *outcome);
  }
  return outcome.status();
}

absl::Status ShowMe(Session& s) {
  amends::v1::Me me;
  if (absl::Status status = Call(s, &NotificationStub::GetMe, amends::v1::GetMeRequest(), &me);
      !status.ok()) {
    return status;
  }
  return PrintMe(s, me);
}

absl::Status UpdateMe(Session& s, const std::optional<std::string>& email,
                      const std::optional<std::string>& language) {
  amends::v1::UpdateMeRequest request;
  if (email.has_value()) request.set_email(*email);
  if (language.has_value()) {
    if (absl::Status status = CheckLanguageArg("--lang", *language); !status.ok()) return status;
    request.set_language(*language);
  }
  amends::v1::Me me;
  if (absl::Status status = Call(s, &NotificationStub::UpdateMe, request, &me); !status.ok()) {
    return status;
  }
  return PrintMe(s, me);
}

}  // namespace amends::cli
