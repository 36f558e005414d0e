#include "client/incident_view.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "client/cause_view.h"
#include "client/contact_log_view.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/i18n.h"
#include "client/labels.h"
#include "client/offer_view.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

using amends::v1::Incident;

std::string OrDash(absl::string_view text) { return text.empty() ? "-" : std::string(text); }

std::string YesNo(bool b) { return b ? Tr("yes") : Tr("no"); }

// Formats times of one incident: in its team zone, relative to one `now`.
class Clock {
 public:
  Clock(absl::TimeZone zone, absl::Time now) : zone_(zone), now_(now) {}
  std::string operator()(const google::protobuf::Timestamp& ts, bool set = true) const {
    return set ? FormatTime(FromProto(ts), zone_, now_) : "-";
  }
  // A time something is due by: "in 3h" before it, "overdue by 2h" after it.
  std::string Due(const google::protobuf::Timestamp& ts, bool set = true) const {
    return set ? FormatDue(FromProto(ts), zone_, now_) : "-";
  }

 private:
  absl::TimeZone zone_;
  absl::Time now_;
};

// A multi-line note inside a block: its continuation lines indented, so that no line of it
// can pass for one of the view's own.
std::string Continued(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\n", "\n      "}});
}

// "label         value", continuation lines of a multi-line value indented under it.
void Field(std::string& out, absl::string_view label, absl::string_view value) {
  constexpr int kLabelWidth = 19;
  const std::string indent(kLabelWidth + 2, ' ');
  absl::StrAppend(&out, "  ", label,
                  std::string(static_cast<size_t>(std::max(1, kLabelWidth - DisplayWidth(label))),
                              ' '),
                  absl::StrReplaceAll(value, {{"\n", "\n" + indent}}), "\n");
}

// An apology given: "call by sato, 2026-11-27 (Fri) 17:05 (2h ago): note".
std::string ApologyGiven(const amends::v1::FirstApology& a, const Clock& clock) {
  std::string text = absl::Substitute(Tr("$0 by $1, $2"), Label(a.channel()),
                                      OrDash(a.recorded_by()),
                                      clock(a.recorded_at(), a.has_recorded_at()));
  if (!a.note().empty()) absl::StrAppend(&text, ": ", a.note());
  return text;
}

std::string Apology(const Incident& incident, const Clock& clock) {
  const amends::v1::FirstApology& a = incident.first_apology();
  if (!incident.has_first_apology() || a.channel() == amends::v1::CHANNEL_UNSPECIFIED) {
    return Tr("not yet");
  }
  return ApologyGiven(a, clock);
}

std::string Visit(const Incident& incident, const Clock& clock) {
  const amends::v1::ApologyVisit& v = incident.visit();
  if (!v.has_planned_at() && v.outcome().empty()) return Tr("not scheduled");
  std::string text = absl::Substitute(Tr("planned $0"), clock(v.planned_at(), v.has_planned_at()));
  if (v.attendees_size() > 0) {
    text = absl::Substitute(Tr("$0 with $1"), text, absl::StrJoin(v.attendees(), ", "));
  }
  if (!v.outcome().empty()) {
    absl::StrAppend(&text, "\n", absl::Substitute(Tr("outcome: $0"), v.outcome()), "\n",
                    absl::Substitute(Tr("(recorded by $0, $1)"), OrDash(v.recorded_by()),
                                     clock(v.recorded_at(), v.has_recorded_at())));
  }
  return text;
}

// Whether the team let the client down (DOMAIN.md): only then is there a client to apologise
// to, whose expectation, cause, compensation and updates `show` tracks.
bool ClientFacing(amends::v1::Kind kind) {
  switch (kind) {
    case amends::v1::KIND_MISSED_APPOINTMENT:
    case amends::v1::KIND_LATE_DELIVERABLE:
    case amends::v1::KIND_DELIVERY_DELAY:
    case amends::v1::KIND_COMPLAINT:
    case amends::v1::KIND_OTHER:
      return true;
    case amends::v1::KIND_HARASSMENT:
    case amends::v1::KIND_CONDUCT:
    case amends::v1::KIND_HAND_OVER:
    case amends::v1::KIND_UNSPECIFIED:
    case amends::v1::Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Kind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return false;
}

// "Client expects: ...", under the title: what the whole response is for.
void Expectation(std::string& out, const Incident& incident, const Clock& clock) {
  if (!incident.has_expectation()) {
    absl::StrAppend(&out,
                    absl::Substitute(Tr("Client expects: not asked yet (amends expect $0 --text "
                                        "TEXT)"),
                                     incident.id()),
                    "\n");
    return;
  }
  const amends::v1::ClientExpectation& e = incident.expectation();
  absl::StrAppend(&out,
                  absl::Substitute(Tr("Client expects: $0"),
                                   absl::StrReplaceAll(OrDash(e.text()), {{"\n", "\n  "}})),
                  "\n  ",
                  absl::Substitute(Tr("($0, $1)"), OrDash(e.recorded_by()),
                                   clock(e.recorded_at(), e.has_recorded_at())),
                  "\n");
}

int MeasureNumber(const amends::v1::PreventionMeasure& m, int index) {
  return m.number() > 0 ? m.number() : index + 1;
}

// Who must act: a user, the managers of a team, or both (a breached deadline).
std::string Addressee(absl::string_view user, absl::string_view managers_of) {
  std::vector<std::string> who;
  if (!user.empty()) who.emplace_back(user);
  if (!managers_of.empty()) who.push_back(absl::Substitute(Tr("managers of $0"), managers_of));
  return who.empty() ? "-" : absl::StrJoin(who, ", ");
}

// The manager's own apology: given, owed (while its deadline runs), or not yet.
std::string ManagerApology(const Incident& incident, const Clock& clock) {
  const amends::v1::FirstApology& a = incident.manager_apology();
  if (incident.has_manager_apology() && a.channel() != amends::v1::CHANNEL_UNSPECIFIED) {
    return ApologyGiven(a, clock);
  }
  for (const amends::v1::Deadline& d : incident.deadlines()) {
    if (d.key() != "manager-apology") continue;
    return absl::Substitute(Tr("owed by $0, due $1 (amends apologize $2 --as-manager)"),
                            Addressee(d.user(), d.managers_of()),
                            d.has_due() ? clock.Due(d.due()) : "-", incident.id());
  }
  return Tr("not yet");
}

// A done measure's check by someone other than its owner, or an open one's failed check.
std::string Verification(const amends::v1::PreventionMeasure& m, const Clock& clock) {
  if (m.has_done_at()) {
    if (!m.has_verified_at()) return Tr("not verified");
    std::string text =
        absl::Substitute(Tr("verified by $0, $1"), OrDash(m.verified_by()), clock(m.verified_at()));
    if (!m.verification_note().empty()) absl::StrAppend(&text, ": ", m.verification_note());
    return text;
  }
  if (m.verified_by().empty() && m.verification_note().empty()) return "";
  std::string text =
      m.has_verified_at()
          ? absl::Substitute(Tr("failed verification by $0, $1"), OrDash(m.verified_by()),
                             clock(m.verified_at()))
          : absl::Substitute(Tr("failed verification by $0"), OrDash(m.verified_by()));
  if (!m.verification_note().empty()) absl::StrAppend(&text, ": ", m.verification_note());
  return text;
}

// `text` when it is "PREFIX N: REST" with N a number: N and REST.
bool Numbered(absl::string_view text, absl::string_view prefix, absl::string_view& number,
              absl::string_view& rest) {
  if (!absl::ConsumePrefix(&text, prefix)) return false;
  const size_t colon = text.find(": ");
  if (colon == 0 || colon == absl::string_view::npos) return false;
  number = text.substr(0, colon);
  rest = text.substr(colon + 2);
  return std::all_of(number.begin(), number.end(), absl::ascii_isdigit);
}

// `text` when it is "PREFIX N" with N a number: N.
bool Counted(absl::string_view text, absl::string_view prefix, absl::string_view& number) {
  if (!absl::ConsumePrefix(&text, prefix) || text.empty()) return false;
  number = text;
  return std::all_of(number.begin(), number.end(), absl::ascii_isdigit);
}

// An offer as the server names it in a deadline, "refund ¥1,500,000": its kind in the
// language in use.
std::string OfferNamed(absl::string_view kind_and_amount) {
  const size_t space = kind_and_amount.find(' ');
  if (space == absl::string_view::npos) return std::string(kind_and_amount);
  absl::StatusOr<amends::v1::OfferKind> kind =
      ParseCliEnum<amends::v1::OfferKind>("", kind_and_amount.substr(0, space));
  if (!kind.ok()) return std::string(kind_and_amount);
  return absl::StrCat(Label(*kind), kind_and_amount.substr(space));
}

// Every section of `show` indents its lines by this much.
constexpr absl::string_view kIndent = "  ";

void Deadlines(std::string& out, const Incident& incident, const Clock& clock) {
  absl::StrAppend(&out, "\n",
                  incident.deadlines().empty() ? Tr("Deadlines: none") : Tr("Deadlines:"), "\n");
  // Room for what an offer waiting for approval says ("have an admin approve or decline offer
  // 3: refund ¥1,500,000"): the amount must not be cut.
  Table table(
      {{"WHAT", 64}, {"DUE", kTimeColumnWidth}, {"WHO"}, {"MARKS", Table::kNoLimit}});
  for (const amends::v1::Deadline& d : incident.deadlines()) {
    std::string due = clock.Due(d.due(), d.has_due());
    if (!d.has_due() && d.has_held_left()) {
      due = absl::Substitute(Tr("held, $0 left"), CompactDuration(FromProto(d.held_left())));
    }
    std::vector<std::string> marks;
    if (d.has_breached_at()) marks.push_back(Tr("(breached)"));
    if (d.wall_clock()) marks.push_back(Tr("(wall clock)"));
    table.AddRow({d.what().empty() ? d.key() : DeadlineWhat(d.what()), due,
                  Addressee(d.user(), d.managers_of()), absl::StrJoin(marks, " ")});
  }
  absl::StrAppend(&out, table.RenderRows(kIndent));
}

void Promises(std::string& out, const Incident& incident, const Clock& clock) {
  absl::StrAppend(&out, "\n", incident.promises().empty() ? Tr("Promises: none") : Tr("Promises:"),
                  "\n");
  Table table({{"PROMISE"}, {"BY", kTimeColumnWidth}, {"OWNER"}, {"TEXT", Table::kNoLimit}});
  for (int i = 0; i < incident.promises_size(); ++i) {
    const amends::v1::Promise& p = incident.promises(i);
    const bool kept = p.has_kept_at();
    // An open promise is due; a kept one is history, its time shown as any other.
    const std::string by = kept ? clock(p.by(), p.has_by()) : clock.Due(p.by(), p.has_by());
    const int number = p.number() > 0 ? p.number() : i + 1;
    table.AddRow({absl::Substitute(kept ? Tr("$0. [kept]") : Tr("$0. [open]"), number),
                  absl::Substitute(Tr("by $0"), by),
                  absl::Substitute(Tr("owner $0"), OrDash(p.owner())), p.text()});
  }
  absl::StrAppend(&out, table.RenderRows(kIndent));
}

void OnHold(std::string& out, const Incident& incident, const Clock& clock) {
  if (!incident.has_hold()) return;
  const amends::v1::Hold& h = incident.hold();
  const std::string since = clock(h.since(), h.has_since());
  absl::StrAppend(&out, "\n", absl::Substitute(Tr("On hold: $0"), OneLine(OrDash(h.reason()))),
                  "\n", kIndent,
                  h.has_until() ? absl::Substitute(Tr("since $0 by $1, until $2"), since,
                                                   OrDash(h.held_by()), clock(h.until()))
                                : absl::Substitute(Tr("since $0 by $1, until resumed"), since,
                                                   OrDash(h.held_by())),
                  "\n");
}

void Reminders(std::string& out, const Incident& incident, const Clock& clock) {
  if (incident.reminders().empty()) return;
  absl::StrAppend(&out, "\n",
                  absl::Substitute(Tr("Reminders to acknowledge (amends ack $0):"), incident.id()),
                  "\n");
  Table table({{"FIRED", kTimeColumnWidth}, {"TO"}, {"WHAT"}, {"DUE", Table::kNoLimit}});
  for (const amends::v1::ReminderNotice& r : incident.reminders()) {
    table.AddRow({clock(r.fired_at(), r.has_fired_at()),
                  absl::Substitute(Tr("to $0"), Addressee(r.user(), r.managers_of())),
                  r.what().empty() ? r.deadline_key() : DeadlineWhat(r.what()),
                  r.has_due() ? absl::Substitute(Tr("due $0"), clock.Due(r.due())) : ""});
  }
  absl::StrAppend(&out, table.RenderRows(kIndent));
}

}  // namespace

absl::TimeZone TeamZone(const Incident& incident) {
  return LoadTeamZone(incident.team_time_zone()).value_or(absl::UTCTimeZone());
}

std::string RenderIncident(const Incident& incident, absl::Time now) {
  const Clock clock(TeamZone(incident), now);
  std::string out = absl::StrCat("#", incident.id(), "  ", OneLine(incident.summary()), "\n");
  if (incident.has_last_hand_over()) {
    const amends::v1::HandOver& h = incident.last_hand_over();
    absl::StrAppend(
        &out,
        absl::Substitute(Tr("Hand-over from $0: $1"), OrDash(h.from_owner()),
                         Continued(OrDash(h.note()))),
        "\n  ",
        absl::Substitute(Tr("handed to $0, $1"), OrDash(h.to_owner()), clock(h.at(), h.has_at())),
        "\n");
  }
  const amends::v1::Kind kind = incident.kind();
  const bool client_facing = ClientFacing(kind);
  if (client_facing) Expectation(out, incident, clock);
  absl::StrAppend(&out, "\n");
  Field(out, Tr("team"),
        absl::StrCat(incident.team(), " (", OrDash(incident.team_time_zone()), ")"));
  std::string client = OrDash(incident.client().name());
  if (!incident.client().contact().empty()) {
    absl::StrAppend(&client, " — ",
                    absl::Substitute(Tr("contact $0"), incident.client().contact()));
  }
  Field(out, Tr("client"), client);
  Field(out, Tr("kind"), Label(incident.kind()));
  Field(out, Tr("severity"), Label(incident.severity()));
  Field(out, Tr("state"),
        absl::StrCat(Label(incident.state()), incident.has_hold() ? Tr(" (on hold)") : ""));
  Field(out, Tr("owner"), OrDash(incident.owner()));
  Field(out, Tr("reporter"), OrDash(incident.reporter()));
  Field(out, Tr("manager"), OrDash(incident.manager()));
  Field(out, Tr("confidential"), YesNo(incident.confidential()));
  if (!incident.subject().empty()) Field(out, Tr("about"), incident.subject());
  std::string recurrence = YesNo(incident.recurrence());
  if (incident.recurrence()) {
    absl::StrAppend(&recurrence, " — ", Tr("the last prevention plan did not hold"));
  }
  for (const amends::v1::RelatedIncident& r : incident.earlier_incidents()) {
    absl::StrAppend(&recurrence, "\n#", r.id(), " ", r.summary(), " (", Label(r.state()), ")");
  }
  Field(out, Tr("recurrence"), recurrence);
  if (incident.related_open_size() > 0) {
    std::string related;
    for (const amends::v1::RelatedIncident& r : incident.related_open()) {
      absl::StrAppend(&related, related.empty() ? "" : "\n", "#", r.id(), " ", r.summary(), " (",
                      Label(r.state()), ")");
    }
    Field(out, Tr("related, open"), related);
  }
  Field(out, Tr("details"), OrDash(incident.details()));
  // What the kind's playbook has: nobody apologises to a harasser nor for a hand-over; a
  // hand-over's visit introduces the successor.
  if (kind != amends::v1::KIND_HARASSMENT && kind != amends::v1::KIND_HAND_OVER) {
    Field(out, Tr("first apology"), Apology(incident, clock));
  }
  if (client_facing) Field(out, Tr("manager's apology"), ManagerApology(incident, clock));
  if (kind == amends::v1::KIND_HAND_OVER) {
    Field(out, Tr("introduction"), Visit(incident, clock));
  } else if (kind != amends::v1::KIND_HARASSMENT && kind != amends::v1::KIND_CONDUCT) {
    Field(out, Tr("visit"), Visit(incident, clock));
  }
  if (kind == amends::v1::KIND_HARASSMENT) {
    const amends::v1::CompanyResponse& r = incident.response();
    Field(out, Tr("response"),
          incident.has_response()
              ? absl::StrCat(Label(r.decision()), r.note().empty() ? "" : ": ", r.note(),
                             "\n", OrDash(r.decided_by()), ", ",
                             clock(r.decided_at(), r.has_decided_at()))
              : Tr("not decided yet (amends response)"));
  }
  Field(out, Tr("escalation reason"), OrDash(incident.escalation_reason()));
  Field(out, Tr("close reason"), OrDash(incident.close_reason()));
  Field(out, Tr("created"), clock(incident.created_at(), incident.has_created_at()));
  Field(out, Tr("updated"), clock(incident.updated_at(), incident.has_updated_at()));
  Field(out, Tr("version"), absl::StrCat(incident.version()));

  if (client_facing) absl::StrAppend(&out, RenderCause(incident, TeamZone(incident), now));
  if (kind != amends::v1::KIND_HAND_OVER) {  // what passes goes on its checklist instead
    absl::StrAppend(&out, "\n",
                    incident.measures().empty() ? Tr("Prevention measures: none")
                                                : Tr("Prevention measures:"),
                    "\n");
  }
  for (int i = 0; i < incident.measures_size(); ++i) {
    const amends::v1::PreventionMeasure& m = incident.measures(i);
    const std::string due = clock(m.due(), m.has_due());
    absl::StrAppend(&out, "  ", MeasureNumber(m, i), ". ",
                    m.has_done_at() ? Tr("[done]") : Tr("[open]"), " ", m.text(), "\n     ",
                    m.has_done_at()
                        ? absl::Substitute(Tr("owner $0, due $1, done $2 by $3"), OrDash(m.owner()),
                                           due, clock(m.done_at()), OrDash(m.done_by()))
                        : absl::Substitute(Tr("owner $0, due $1"), OrDash(m.owner()), due),
                    "\n");
    if (const std::string verification = Verification(m, clock); !verification.empty()) {
      absl::StrAppend(&out, "     ", Continued(verification), "\n");
    }
  }
  if (client_facing) {
    // Follow-ups are contacts with the client: the log has them among the others.
    absl::StrAppend(&out, RenderOffers(incident),
                    RenderClientContacts(incident, TeamZone(incident), now));
  } else {
    absl::StrAppend(&out, "\n",
                    incident.follow_ups().empty() ? Tr("Follow-ups: none") : Tr("Follow-ups:"),
                    "\n");
    for (const amends::v1::FollowUp& f : incident.follow_ups()) {
      absl::StrAppend(&out, "  ", clock(f.logged_at(), f.has_logged_at()), " ",
                      OrDash(f.logged_by()), ": ", Continued(f.note()), "\n");
    }
  }
  if (!incident.checklist().empty()) absl::StrAppend(&out, "\n", ChecklistLines(incident));
  Deadlines(out, incident, clock);
  Promises(out, incident, clock);
  OnHold(out, incident, clock);
  Reminders(out, incident, clock);
  return out;
}

std::string ChecklistLines(const Incident& incident) {
  std::string out = absl::StrCat(
      absl::Substitute(Tr("Checklist (amends checklist done $0 N):"), incident.id()), "\n");
  for (int i = 0; i < incident.checklist_size(); ++i) {
    const amends::v1::ChecklistItem& c = incident.checklist(i);
    absl::StrAppend(&out, "  ", c.number() > 0 ? c.number() : i + 1, ". ",
                    c.has_done_at() ? Tr("[done]") : Tr("[open]"), " ", Continued(c.text()));
    if (c.has_done_at()) absl::StrAppend(&out, " (", OrDash(c.done_by()), ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string DeadlineWhat(absl::string_view what) {
  if (!InJapanese()) return std::string(what);
  // The server's phrasings (server/core/deadlines.cc): what each stage asks of the kind.
  const std::pair<absl::string_view, const char*> fixed[] = {
      {"first apology to the client", Tr("first apology to the client")},
      {"escalate to a manager", Tr("escalate to a manager")},
      {"approve or decline the escalation", Tr("approve or decline the escalation")},
      {"take the harassment case on (approve)", Tr("take the harassment case on (approve)")},
      {"take the conduct case on (approve)", Tr("take the conduct case on (approve)")},
      {"apology visit", Tr("apology visit")},
      {"introduction of the successor", Tr("introduction of the successor")},
      {"the manager's own apology to the client", Tr("the manager's own apology to the client")},
      {"present the prevention plan", Tr("present the prevention plan")},
      {"decide the response and the measures protecting the employee",
       Tr("decide the response and the measures protecting the employee")},
      {"decide the measures (reassignment, guidance)",
       Tr("decide the measures (reassignment, guidance)")},
      {"an update to the client", Tr("an update to the client")},
  };
  for (const auto& [english, translated] : fixed) {
    if (what == english) return translated;
  }
  absl::string_view number, rest;
  if (Numbered(what, "measure ", number, rest)) {
    return absl::Substitute(Tr("measure $0: $1"), number, rest);
  }
  if (Numbered(what, "promise ", number, rest)) {
    return absl::Substitute(Tr("promise $0: $1"), number, rest);
  }
  if (Numbered(what, "approve or decline offer ", number, rest)) {
    return absl::Substitute(Tr("approve or decline offer $0: $1"), number, OfferNamed(rest));
  }
  if (Numbered(what, "have an admin approve or decline offer ", number, rest)) {
    return absl::Substitute(Tr("have an admin approve or decline offer $0: $1"), number,
                            OfferNamed(rest));
  }
  // "follow-up contact 2": the second of the follow-ups the policy plans.
  if (Counted(what, "follow-up contact ", number)) {
    return absl::Substitute(Tr("follow-up contact $0"), number);
  }
  if (Counted(what, "follow-up with the employee ", number)) {
    return absl::Substitute(Tr("follow-up with the employee $0"), number);
  }
  return std::string(what);  // a phrasing this build does not know
}

std::string NextDue(const Incident& incident, absl::Time now) {
  std::optional<absl::Time> next;
  for (const amends::v1::Deadline& d : incident.deadlines()) {
    if (!d.has_due()) continue;  // held
    if (const absl::Time due = FromProto(d.due()); !next.has_value() || due < *next) next = due;
  }
  // Promises and measures keep running during a hold: show them first.
  if (!next.has_value()) return incident.has_hold() ? Tr("held") : "-";
  const absl::Duration left = *next - now;
  if (absl::AbsDuration(left) < absl::Minutes(1)) return Tr("due now");
  return absl::Substitute(left > absl::ZeroDuration() ? Tr("in $0") : Tr("overdue $0"),
                          RoundedDuration(left));
}

std::string RenderNotes(const Events& events, int64_t id, absl::TimeZone zone, absl::Time now,
                        int last) {
  std::vector<const amends::v1::Event*> notes;
  for (const amends::v1::Event& e : events) {
    if (e.type() == amends::v1::EVENT_TYPE_NOTE_ADDED) notes.push_back(&e);
  }
  if (notes.empty()) return absl::StrCat("\n", Tr("Notes: none"), "\n");
  const Clock clock(zone, now);
  std::string out =
      absl::StrCat("\n", absl::Substitute(Tr("Notes (amends note $0 TEXT):"), id), "\n");
  const size_t earlier = notes.size() > static_cast<size_t>(last) ? notes.size() - last : 0;
  for (size_t i = earlier; i < notes.size(); ++i) {
    absl::StrAppend(&out, "  ", clock(notes[i]->time(), notes[i]->has_time()), " ",
                    OrDash(notes[i]->actor()), ": ", Continued(notes[i]->text()), "\n");
  }
  if (earlier > 0) {
    absl::StrAppend(&out, "  ",
                    absl::Substitute(Tr("($0 earlier: amends timeline $1)"), earlier, id), "\n");
  }
  return out;
}

std::string RenderIncidentList(const Incidents& incidents, absl::Time now, int width) {
  // On a narrow terminal UPDATED goes first, then KIND: never the ID, state or next due.
  Table table({{Tr("ID")}, {Tr("STATE")}, {Tr("SEVERITY")},
               {Tr("KIND"), 40, false, /*drop_order=*/2}, {Tr("CLIENT"), 20}, {Tr("OWNER"), 16},
               {Tr("NEXT DUE"), kTimeColumnWidth}, {Tr("SUMMARY"), 40, Table::kFreeText},
               {Tr("UPDATED"), kTimeColumnWidth, false, /*drop_order=*/1}},
              width);
  for (const Incident& i : incidents) {
    const Clock clock(TeamZone(i), now);
    table.AddRow({absl::StrCat(i.id()), Label(i.state()), Label(i.severity()), Label(i.kind()),
                  i.client().name(), i.owner(), NextDue(i, now), i.summary(),
                  clock(i.updated_at(), i.has_updated_at())});
  }
  return table.Render();
}

std::string RenderClientIncidents(const Incidents& incidents, absl::Time now, int width) {
  Table table({{Tr("ID")}, {Tr("STATE")}, {Tr("SEVERITY")},
               {Tr("CAUSE"), 20, false, /*drop_order=*/1}, {Tr("SUMMARY"), 30, Table::kFreeText},
               {Tr("MEASURE"), 36, Table::kFreeText}, {Tr("OWNER"), 16},
               {Tr("DUE"), kTimeColumnWidth}, {Tr("DONE")}},
              width);
  for (const Incident& i : incidents) {
    const Clock clock(TeamZone(i), now);
    const std::vector<std::string> incident_cells = {
        absl::StrCat(i.id()), Label(i.state()), Label(i.severity()),
        i.has_cause() ? OrDash(i.cause().category()) : "-", i.summary()};
    if (i.measures().empty()) {
      std::vector<std::string> row = incident_cells;
      row.push_back("-");
      table.AddRow(std::move(row));
    }
    for (int n = 0; n < i.measures_size(); ++n) {
      const amends::v1::PreventionMeasure& m = i.measures(n);
      std::vector<std::string> row =
          n == 0 ? incident_cells : std::vector<std::string>(incident_cells.size());
      row.insert(row.end(), {absl::StrCat(MeasureNumber(m, n), ". ", m.text()), m.owner(),
                             clock(m.due(), m.has_due()), YesNo(m.has_done_at())});
      table.AddRow(std::move(row));
    }
  }
  // The same kind of failure again with this client: the last prevention plans did not reach
  // it.
  const std::string repeats = CauseRepeats(incidents);
  return repeats.empty() ? table.Render() : absl::StrCat(table.Render(), "\n", repeats);
}

std::string RenderTimeline(const Events& events, absl::TimeZone zone, absl::Time now,
                           int width) {
  const Clock clock(zone, now);
  Table table({{Tr("TIME"), kTimeColumnWidth}, {Tr("ACTOR"), 16}, {Tr("EVENT")},
               {Tr("STATE"), 36, false, /*drop_order=*/1},
               {Tr("TEXT"), Table::kNoLimit, Table::kFreeText}},
              width);
  for (const amends::v1::Event& e : events) {
    std::string state = Label(e.to_state());
    if (e.from_state() != amends::v1::STATE_UNSPECIFIED && e.from_state() != e.to_state()) {
      state = absl::StrCat(Label(e.from_state()), " -> ", state);
    }
    table.AddRow({clock(e.time(), e.has_time()), e.actor(), Label(e.type()), state,
                  e.text()});
  }
  return table.Render();
}

std::string RenderChange(const Incident& incident, absl::string_view what) {
  return absl::StrCat("#", incident.id(), " ", what, " → ",
                      absl::Substitute(Tr("state $0 (version $1)"), Label(incident.state()),
                                       incident.version()),
                      "\n");
}

}  // namespace amends::cli
