// The commands of `amends`, one function each: build the request, call the server through
// the generated stub, print the answer to session.out — a table or confirmation line for
// people, or with session.json the protobuf JSON form, one object per line.
//
//   Session session{.stub = stub.get(), .token = "t0k3n"};
//   absl::Status status = Escalate(session, {.id = 12}, "部長の同席が必要");
//   // prints "#12 escalated → state escalated (version 3)"
//
// Errors are the server's status (code and message) or INVALID_ARGUMENT for input the
// client can reject itself (a time it cannot read). Nothing is printed on error. A change
// the server made but warns about (a visit on a day off of the team: Incident.warnings)
// succeeds, and each warning goes to session.err as "amends: warning: ...".
//
// Time options (--at, --due, --by, --until, --held-at) take every form ParseTimeArg
// (time_input.h) accepts; "today" and "tomorrow" are the server's, in the team's zone.
//
// Relative hints ("in 3h", "overdue by 2h") count from the server's clock, which every
// answer carries in the metadata "amends-now" (Session::server_now), so that they agree
// with the server's idea of overdue; from this machine's clock when the server sent none.
// Thread-compatible: a Session is used by one thread.
#ifndef AMENDS_CLIENT_COMMANDS_H_
#define AMENDS_CLIENT_COMMANDS_H_

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "client/terminal_width.h"
#include "grpcpp/channel.h"

namespace amends::cli {

struct Session {
  amends::v1::IncidentService::StubInterface* stub = nullptr;
  // For `notifications` and `me`; on the same channel as `stub`.
  amends::v1::NotificationService::StubInterface* notifications = nullptr;
  std::string token;  // sent as "authorization: Bearer <token>"
  bool json = false;
  std::ostream* out = &std::cout;
  // The display columns a table line may take (terminal_width.h): tables cut their free text
  // to fit. kUnlimitedWidth when output is not to a terminal; kWideOutput (--wide): no cuts.
  int width = kUnlimitedWidth;
  std::ostream* err = &std::cerr;  // warnings about a change that was made all the same
  absl::Duration deadline = absl::Seconds(10);  // per call
  // The server's clock as of the latest answer that carried one ("amends-now"); a test with
  // a fake stub may set it beforehand.
  std::optional<absl::Time> server_now;

  // The time relative hints count from: server_now, else this machine's clock.
  absl::Time now() const { return server_now.value_or(absl::Now()); }
};

// UNAVAILABLE "cannot reach server at <target>" unless `channel` connects within `timeout`;
// gives up at once when the connection attempt fails (nothing listening).
absl::Status WaitForServer(grpc::Channel& channel, absl::string_view target,
                           absl::Duration timeout);

// The incident a mutating command changes; expected_version 0 means "whatever is stored".
struct Target {
  int64_t id = 0;
  int64_t expected_version = 0;
};

struct ReportArgs {
  std::string team;
  std::string client;
  std::string contact;
  amends::v1::Kind kind = amends::v1::KIND_UNSPECIFIED;
  amends::v1::Severity severity = amends::v1::SEVERITY_UNSPECIFIED;
  std::string summary;
  std::string details;
  std::optional<bool> confidential;  // unset: the server's default for the kind
  std::string request_id;            // empty: none (every report creates an incident)
  std::string subject;               // conduct: the user it is about
  std::vector<std::string> checklist;  // hand-over: the items; empty: the standard ones
};

// Filters as in ListIncidentsRequest; empty / UNSPECIFIED means "any".
struct ListArgs {
  std::string team;
  std::vector<amends::v1::State> states;  // none: the open ones, unless `all`
  bool all = false;                       // closed incidents too
  std::string owner;
  std::string client;
  amends::v1::Severity severity = amends::v1::SEVERITY_UNSPECIFIED;
  bool mine = false;
  bool overdue = false;                            // only with a deadline already past
  absl::Duration due_within = absl::ZeroDuration();  // zero: any; else due within this long
  int limit = 50;  // rows printed at most; pages are followed until then
};

absl::Status Report(Session& s, const ReportArgs& args);
absl::Status List(Session& s, const ListArgs& args);
// The incidents of one client with their prevention measures.
absl::Status ListClient(Session& s, const std::string& client, int limit);
absl::Status Show(Session& s, int64_t id);
absl::Status Timeline(Session& s, int64_t id);
// What needs the caller now, soonest due first; "Nothing needs you now." when nothing does.
absl::Status Inbox(Session& s);
// One team at a glance (managers and observers of the team, admins); "" is the caller's own.
absl::Status Summary(Session& s, const std::string& team);

// `amends handover`: every open incident, measure and promise of args.from goes to args.to.
struct HandOverArgs {
  std::string from;
  std::string to;
  std::string client;  // only this client's; "": all
  std::string note;
  bool dry_run = false;
};
absl::Status HandOver(Session& s, const HandOverArgs& args);

// `amends edit`: corrections of what was reported; unset fields stay as they are.
struct EditArgs {
  amends::v1::Severity severity = amends::v1::SEVERITY_UNSPECIFIED;  // unspecified: unchanged
  std::string reason;
  std::optional<std::string> summary;
  std::optional<std::string> details;
  std::optional<std::string> client;
  std::optional<std::string> contact;
  amends::v1::Kind kind = amends::v1::KIND_UNSPECIFIED;  // unspecified: unchanged
  bool confidential = false;
};
// Reads the incident first, so that the confirmation can say old -> new and what a change of
// client did (recurrence, related incidents, a severity the policy raised). Errors name the
// options (--severity, --reason, --client, ...), not the request's fields.
absl::Status Edit(Session& s, Target t, const EditArgs& args);

absl::Status AddNote(Session& s, Target t, const std::string& text);
absl::Status Assign(Session& s, Target t, const std::string& new_owner, const std::string& note);
absl::Status Apologize(Session& s, Target t, amends::v1::Channel channel,
                       const std::string& note);
absl::Status Escalate(Session& s, Target t, const std::string& reason);
absl::Status Approve(Session& s, Target t, const std::string& note);
absl::Status Decline(Session& s, Target t, const std::string& reason);
// `at` as accepted by ParseTimeArg, read in the incident's team zone.
absl::Status ScheduleVisit(Session& s, Target t, const std::string& at,
                           const std::vector<std::string>& attendees);
// `held_at` (the team's local time; "" when the visit was scheduled) and `attendees` record a
// visit that was not scheduled, in one step.
absl::Status RecordVisit(Session& s, Target t, const std::string& outcome,
                         const std::string& held_at, const std::vector<std::string>& attendees);
// `due` as accepted by ParseTimeArg, read in the incident's team zone.
absl::Status AddMeasure(Session& s, Target t, const std::string& text, const std::string& owner,
                        const std::string& due);
absl::Status CompleteMeasure(Session& s, Target t, int32_t number);
// Gives open measure `number` to `new_owner`; `note` may be empty.
absl::Status AssignMeasure(Session& s, Target t, int32_t number, const std::string& new_owner,
                           const std::string& note);
absl::Status PresentPlan(Session& s, Target t);
// Harassment: the company's response to the client.
absl::Status DecideResponse(Session& s, Target t, amends::v1::Response decision,
                            const std::string& note);
// Hand-over: the checklist, an item added to it, an item done.
absl::Status ShowChecklist(Session& s, int64_t id);
absl::Status AddChecklistItem(Session& s, Target t, const std::string& text);
absl::Status CompleteChecklistItem(Session& s, Target t, int32_t number);
absl::Status LogFollowUp(Session& s, Target t, const std::string& note);

// Sincerity (DOMAIN.md "What sincerity is made of"): what the client expects, the cause, the
// manager's own apology, compensation offered, updates to the client and measures verified.
absl::Status RecordExpectation(Session& s, Target t, const std::string& text);
// `category` "": the server's "other". The confirmation names the earlier incidents of the
// client with the same category, when there are any.
absl::Status RecordCause(Session& s, Target t, const std::string& what,
                         const std::string& why_missed, const std::string& category);
// The manager's apology in their own name (a manager); `note` may be empty.
absl::Status ManagerApologize(Session& s, Target t, amends::v1::Channel channel,
                              const std::string& note);
// The confirmation says whose approval the offer waits for ("managers of TEAM", "an admin").
absl::Status MakeOffer(Session& s, Target t, amends::v1::OfferKind kind, int64_t amount_yen,
                       const std::string& text);
absl::Status ApproveOffer(Session& s, Target t, int32_t number, const std::string& note);
absl::Status DeclineOffer(Session& s, Target t, int32_t number, const std::string& reason);
absl::Status DeliverOffer(Session& s, Target t, int32_t number, const std::string& note);
absl::Status LogClientUpdate(Session& s, Target t, amends::v1::Channel channel,
                             const std::string& note);
// Done measure `number` checked by someone other than its owner. `failed`: it did not work
// and is open again (`note` says what did not), due at `due` (as accepted by ParseTimeArg,
// read in the incident's team zone) when given.
absl::Status VerifyMeasure(Session& s, Target t, int32_t number, const std::string& note,
                           bool failed, const std::optional<std::string>& due);
absl::Status Close(Session& s, Target t, const std::string& reason);
absl::Status Reopen(Session& s, Target t, const std::string& reason);
// `by` as accepted by ParseTimeArg, read in the incident's team zone.
absl::Status MakePromise(Session& s, Target t, const std::string& by, const std::string& text);
absl::Status KeepPromise(Session& s, Target t, int32_t number);
// `until` as accepted by ParseTimeArg, read in the incident's team zone; nullopt: until
// someone resumes.
absl::Status PutOnHold(Session& s, Target t, const std::string& reason,
                       const std::optional<std::string>& until);
absl::Status Resume(Session& s, Target t);
absl::Status AcknowledgeReminders(Session& s, Target t);

// An incident's notifications, newest first, times in its team's zone.
absl::Status ListNotifications(Session& s, int64_t incident_id);
// The failed notifications of the teams the caller manages, times in this machine's zone.
absl::Status ListFailedNotifications(Session& s);
// Sends failed notification `id` again (managers of its team).
absl::Status RetryNotification(Session& s, int64_t id);
// Sends the caller a test message and prints where it went and the mail server's answer.
// When it was not delivered the error says why (notification_view.h TestOutcome); with
// session.json the notification is printed first all the same.
absl::Status SendTestNotification(Session& s);
// The caller's name, team, role, mail address and language.
absl::Status ShowMe(Session& s);
// Changes the fields that are set ("" clears the address, or the language back to the
// team's), then prints as ShowMe. `language` is checked here first (CheckLanguageArg).
absl::Status UpdateMe(Session& s, const std::optional<std::string>& email,
                      const std::optional<std::string>& language);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_COMMANDS_H_
