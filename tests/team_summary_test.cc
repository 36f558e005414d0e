// The team summary (`amends summary`) as tanaka, manager of 営業一課, reads it on Monday
// 2026-12-07 at 10:00 JST: what is open at which stage, who is behind, what waits for the
// managers, and what went wrong over the week before. sato and yamada are members; suzuki is
// the other manager; crm-sync is the team's observer; ito manages 営業部長会, the department
// heads an escalation chain asks. Incidents are built as messages, each with the deadlines
// the case needs, so that every figure can be traced to the incident that makes it.
#include "server/core/team_summary.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/core/deadlines.h"
#include "server/core/time_proto.h"

namespace amends {
namespace {

constexpr char kTeam[] = "営業一課";
constexpr char kDirectors[] = "営業部長会";

const Actor kTanaka{.name = "tanaka", .team = kTeam, .role = Role::kManager};
const Actor kSuzuki{.name = "suzuki", .team = kTeam, .role = Role::kManager};
const Actor kSato{.name = "sato", .team = kTeam, .role = Role::kMember};
const Actor kCrmSync{.name = "crm-sync", .team = kTeam, .role = Role::kObserver};
const Actor kRoot{.name = "root", .team = "本社", .role = Role::kAdmin};
const Actor kIto{.name = "ito", .team = kDirectors, .role = Role::kManager};

// A Tokyo wall-clock time.
absl::Time At(int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute),
                         absl::FixedTimeZone(9 * 3600));
}

const absl::Time kNow = At(12, 7, 10);

v1::Incident Incident(int64_t id, v1::State state, v1::Severity severity,
                      const std::string& team = kTeam) {
  v1::Incident i;
  i.set_id(id);
  i.set_team(team);
  i.set_team_time_zone("Asia/Tokyo");
  i.mutable_client()->set_name("ＡＢＣ商事");
  i.set_kind(v1::KIND_MISSED_APPOINTMENT);
  i.set_severity(severity);
  i.set_summary(absl::StrCat("案件", id));
  i.set_reporter("sato");
  i.set_owner("sato");
  i.set_state(state);
  return i;
}

// A deadline of `incident` due at `due`, naming `user` or asking the managers of `team`.
void AddDeadline(v1::Incident& incident, const std::string& key, const std::string& user,
                 const std::string& managers_of, absl::Time due) {
  v1::Deadline* d = incident.add_deadlines();
  d->set_key(key);
  d->set_what(key);
  d->set_user(user);
  d->set_managers_of(managers_of);
  *d->mutable_due() = ToProto(due);
}

// An escalated incident whose approval is asked of the managers of `asked`, due at `due`.
v1::Incident Escalated(int64_t id, absl::Time due, const std::string& asked = kTeam,
                       const std::string& team = kTeam) {
  v1::Incident i = Incident(id, v1::STATE_ESCALATED, v1::SEVERITY_MEDIUM, team);
  AddDeadline(i, "approve", "", asked, due);
  return i;
}

// Conduct: about `subject`, confidential, reported and owned by tanaka.
v1::Incident ConductCase(int64_t id, const std::string& subject) {
  v1::Incident i = Escalated(id, At(12, 7, 9));
  i.set_kind(v1::KIND_CONDUCT);
  i.set_confidential(true);
  i.set_subject(subject);
  i.set_reporter("tanaka");
  i.set_owner("tanaka");
  return i;
}

v1::Event Event(int64_t incident_id, v1::EventType type, absl::Time time,
                const std::string& actor = std::string(kSystemActor)) {
  v1::Event e;
  e.set_incident_id(incident_id);
  e.set_type(type);
  e.set_actor(actor);
  *e.mutable_time() = ToProto(time);
  return e;
}

struct Week {
  std::vector<v1::Incident> open;
  std::vector<v1::Event> events;
  std::vector<v1::Incident> incidents;  // those the events are on
};

v1::TeamSummary Summarize(const Actor& actor, const Week& week,
                          const std::string& team = kTeam) {
  return SummarizeTeam(actor, {.team = team,
                               .time_zone = "Asia/Tokyo",
                               .open = week.open,
                               .recent = week.events,
                               .recent_incidents = week.incidents,
                               .now = kNow});
}

// The stage rows as "stage: low medium high critical total".
std::vector<std::string> Matrix(const v1::TeamSummary& s) {
  std::vector<std::string> rows;
  auto row = [](const v1::StageCount& c) {
    return absl::StrCat(v1::State_Name(c.state()), ": ", c.low(), " ", c.medium(), " ", c.high(),
                        " ", c.critical(), " ", c.total());
  };
  for (const v1::StageCount& c : s.open()) rows.push_back(row(c));
  rows.push_back(row(s.open_total()));
  return rows;
}

// The overdue rows as "whom: deadlines, oldest YYYY-MM-DD HH:MM".
std::vector<std::string> Overdue(const v1::TeamSummary& s) {
  std::vector<std::string> rows;
  for (const v1::OverdueCount& o : s.overdue()) {
    rows.push_back(absl::StrCat(
        o.user().empty() ? absl::StrCat("managers of ", o.managers_of()) : o.user(), ": ",
        o.deadlines(), ", oldest ",
        absl::FormatTime("%Y-%m-%d %H:%M", FromProto(o.oldest_due()),
                         absl::FixedTimeZone(9 * 3600))));
  }
  return rows;
}

std::vector<int64_t> ApprovalIds(const v1::TeamSummary& s) {
  std::vector<int64_t> ids;
  for (const v1::ApprovalWaiting& a : s.approvals()) ids.push_back(a.incident_id());
  return ids;
}

TEST(TeamSummaryTest, OpenIncidentsAreCountedByStageAndSeverity) {
  Week week;
  week.open = {Incident(1, v1::STATE_REPORTED, v1::SEVERITY_HIGH),
               Incident(2, v1::STATE_REPORTED, v1::SEVERITY_LOW),
               Incident(3, v1::STATE_ESCALATED, v1::SEVERITY_CRITICAL),
               Incident(4, v1::STATE_APOLOGY_VISIT, v1::SEVERITY_HIGH),
               Incident(5, v1::STATE_FOLLOW_UP, v1::SEVERITY_MEDIUM),
               Incident(6, v1::STATE_FOLLOW_UP, v1::SEVERITY_MEDIUM),
               // Neither a closed one nor another team's counts.
               Incident(7, v1::STATE_CLOSED, v1::SEVERITY_HIGH),
               Incident(8, v1::STATE_REPORTED, v1::SEVERITY_HIGH, "営業二課")};
  EXPECT_EQ(Matrix(Summarize(kTanaka, week)),
            (std::vector<std::string>{"STATE_REPORTED: 1 0 1 0 2",
                                      "STATE_ESCALATED: 0 0 0 1 1",
                                      "STATE_APOLOGY_VISIT: 0 0 1 0 1",
                                      "STATE_PREVENTION_PLAN: 0 0 0 0 0",
                                      "STATE_FOLLOW_UP: 0 2 0 0 2",
                                      "STATE_UNSPECIFIED: 1 2 2 1 6"}));
}

TEST(TeamSummaryTest, OverdueDeadlinesAreCountedForThePersonTheyName) {
  v1::Incident reported = Incident(1, v1::STATE_REPORTED, v1::SEVERITY_HIGH);
  AddDeadline(reported, "first-apology", "sato", "", At(12, 4, 17));
  AddDeadline(reported, "escalate", "sato", kTeam, At(12, 4, 18));  // breached: still sato's
  v1::Incident plan = Incident(2, v1::STATE_PREVENTION_PLAN, v1::SEVERITY_MEDIUM);
  plan.set_owner("yamada");
  AddDeadline(plan, "measure-1", "sato", "", At(12, 7, 9, 30));
  AddDeadline(plan, "plan", "yamada", "", At(12, 8, 18));  // not due yet
  AddDeadline(plan, "measure-2", "yamada", "", kNow);        // due now: as good as overdue
  v1::Incident held = Incident(3, v1::STATE_APOLOGY_VISIT, v1::SEVERITY_LOW);
  v1::Deadline* visit = held.add_deadlines();  // on hold: no due time, not overdue
  visit->set_key("visit");
  visit->set_user("sato");
  Week week;
  week.open = {reported, plan, held, Escalated(4, At(12, 7, 9, 45))};

  EXPECT_EQ(Overdue(Summarize(kTanaka, week)),
            (std::vector<std::string>{"sato: 3, oldest 2026-12-04 17:00",
                                      "managers of 営業一課: 1, oldest 2026-12-07 09:45",
                                      "yamada: 1, oldest 2026-12-07 10:00"}));
}

TEST(TeamSummaryTest, ApprovalsWaitingAreThoseAskedOfTheTeamsManagersWhateverTheTeam) {
  Week week;
  week.open = {Escalated(1, At(12, 7, 12)),
               // Its breach took it up the chain: the department heads decide it now.
               Escalated(2, At(12, 7, 11), kDirectors),
               // 営業二課's case whose chain asks 営業一課's managers.
               Escalated(3, At(12, 7, 9), kTeam, "営業二課")};
  const v1::TeamSummary tanaka = Summarize(kTanaka, week);
  EXPECT_EQ(tanaka.approvals_waiting(), 2);
  EXPECT_EQ(ApprovalIds(tanaka), (std::vector<int64_t>{3, 1}));  // soonest due first
  EXPECT_EQ(tanaka.approvals(0).team(), "営業二課");
  EXPECT_EQ(tanaka.approvals(0).client(), "ＡＢＣ商事");
  // Only the team's own cases fill the stage matrix.
  EXPECT_EQ(tanaka.open_total().total(), 2);
  // The overdue one asked of the team's managers counts for them.
  EXPECT_EQ(Overdue(tanaka),
            (std::vector<std::string>{"managers of 営業一課: 1, oldest 2026-12-07 09:00"}));

  const v1::TeamSummary ito = Summarize(kIto, week, kDirectors);
  EXPECT_EQ(ApprovalIds(ito), (std::vector<int64_t>{2}));
}

TEST(TeamSummaryTest, ApprovalsListTheSoonestDueAndCountThemAll) {
  Week week;
  for (int i = 1; i <= kSummaryApprovalsListed + 5; ++i) {
    week.open.push_back(Escalated(i, kNow + absl::Hours(100 - i)));
  }
  const v1::TeamSummary s = Summarize(kTanaka, week);
  EXPECT_EQ(s.approvals_waiting(), kSummaryApprovalsListed + 5);
  ASSERT_EQ(s.approvals_size(), kSummaryApprovalsListed);
  EXPECT_EQ(s.approvals(0).incident_id(), kSummaryApprovalsListed + 5);
  EXPECT_EQ(s.approvals(kSummaryApprovalsListed - 1).incident_id(), 6);
}

TEST(TeamSummaryTest, BreachesAutomaticEscalationsAndRecurrencesOfTheLastSevenDaysAreCounted) {
  v1::Incident late = Incident(1, v1::STATE_ESCALATED, v1::SEVERITY_HIGH);
  v1::Incident again = Incident(2, v1::STATE_REPORTED, v1::SEVERITY_MEDIUM);
  again.set_recurrence(true);
  v1::Incident closed_recurrence = Incident(3, v1::STATE_CLOSED, v1::SEVERITY_LOW);
  closed_recurrence.set_recurrence(true);
  v1::Incident other_team = Incident(4, v1::STATE_ESCALATED, v1::SEVERITY_HIGH, "営業二課");
  Week week;
  week.open = {late, again};
  week.incidents = {late, again, closed_recurrence, other_team};
  week.events = {
      Event(1, v1::EVENT_TYPE_DEADLINE_BREACHED, At(12, 7, 9)),
      Event(1, v1::EVENT_TYPE_ESCALATED, At(12, 7, 9)),           // by amends
      Event(1, v1::EVENT_TYPE_DEADLINE_BREACHED, At(12, 1, 12)),
      Event(2, v1::EVENT_TYPE_REPORTED, At(12, 4, 15), "sato"),
      Event(2, v1::EVENT_TYPE_ESCALATED, At(12, 4, 16), "sato"),  // by a person
      Event(3, v1::EVENT_TYPE_REPORTED, At(12, 2, 10), "sato"),
      Event(4, v1::EVENT_TYPE_DEADLINE_BREACHED, At(12, 6, 10)),  // 営業二課's
      // More than 7 days ago: before the period.
      Event(1, v1::EVENT_TYPE_DEADLINE_BREACHED, At(11, 30, 9, 59)),
      Event(3, v1::EVENT_TYPE_REPORTED, At(11, 30, 9, 59), "sato"),
  };
  const v1::TeamSummary s = Summarize(kTanaka, week);
  EXPECT_EQ(FromProto(s.since()), At(11, 30, 10));
  EXPECT_EQ(FromProto(s.as_of()), kNow);
  EXPECT_EQ(s.breaches(), 2);
  EXPECT_EQ(s.automatic_escalations(), 1);
  EXPECT_EQ(s.recurrences_reported(), 2);
  EXPECT_EQ(s.open_recurrences(), 1);
}

TEST(TeamSummaryTest, ConductCaseIsNotCountedForItsSubject) {
  // suzuki, a manager himself, is the subject of the case tanaka recorded.
  v1::Incident conduct = ConductCase(1, "suzuki");
  Week week;
  week.open = {conduct, Incident(2, v1::STATE_REPORTED, v1::SEVERITY_LOW)};
  week.incidents = {conduct};
  week.events = {Event(1, v1::EVENT_TYPE_DEADLINE_BREACHED, At(12, 7, 9))};

  const v1::TeamSummary tanaka = Summarize(kTanaka, week);
  EXPECT_EQ(tanaka.open_total().total(), 2);
  EXPECT_EQ(tanaka.approvals_waiting(), 1);
  EXPECT_EQ(tanaka.overdue_size(), 1);
  EXPECT_EQ(tanaka.breaches(), 1);

  const v1::TeamSummary suzuki = Summarize(kSuzuki, week);
  EXPECT_EQ(suzuki.open_total().total(), 1);
  EXPECT_EQ(suzuki.open(1).total(), 0);  // escalated: nothing
  EXPECT_EQ(suzuki.approvals_waiting(), 0);
  EXPECT_EQ(suzuki.approvals_size(), 0);
  EXPECT_EQ(suzuki.overdue_size(), 0);
  EXPECT_EQ(suzuki.breaches(), 0);
}

TEST(TeamSummaryTest, ConfidentialCaseCountsOnlyForThoseWhoMayReadIt) {
  v1::Incident harassment = Escalated(1, At(12, 7, 9));
  harassment.set_kind(v1::KIND_HARASSMENT);
  harassment.set_confidential(true);
  Week week;
  week.open = {harassment};
  EXPECT_EQ(Summarize(kTanaka, week).open_total().total(), 1);
  // An observer and an admin of another team do not read another's confidential case.
  EXPECT_EQ(Summarize(kCrmSync, week).open_total().total(), 0);
  EXPECT_EQ(Summarize(kCrmSync, week).approvals_waiting(), 0);
  EXPECT_EQ(Summarize(kRoot, week).open_total().total(), 0);
}

TEST(TeamSummaryTest, MembersMayNotSeeASummaryNorManagersAnotherTeams) {
  absl::Status member = CheckMaySummarize(kSato, kTeam);
  EXPECT_TRUE(absl::IsPermissionDenied(member));
  EXPECT_EQ(member.message(), "summary needs role manager or observer; you are member");
  absl::Status other = CheckMaySummarize(kIto, kTeam);
  EXPECT_TRUE(absl::IsPermissionDenied(other));
  EXPECT_EQ(other.message(), "team: you may see the summary of your own team only (営業部長会)");
  EXPECT_TRUE(CheckMaySummarize(kTanaka, kTeam).ok());
  EXPECT_TRUE(CheckMaySummarize(kCrmSync, kTeam).ok());
  EXPECT_TRUE(CheckMaySummarize(kRoot, kTeam).ok());
}

}  // namespace
}  // namespace amends
