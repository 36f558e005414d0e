#include "server/core/team_summary.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/deadlines.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

// The rows of the stage matrix, in lifecycle order.
constexpr v1::State kOpenStages[] = {v1::STATE_REPORTED, v1::STATE_ESCALATED,
                                     v1::STATE_APOLOGY_VISIT, v1::STATE_PREVENTION_PLAN,
                                     v1::STATE_FOLLOW_UP};

void Count(v1::StageCount& row, v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_LOW:
      row.set_low(row.low() + 1);
      break;
    case v1::SEVERITY_MEDIUM:
      row.set_medium(row.medium() + 1);
      break;
    case v1::SEVERITY_HIGH:
      row.set_high(row.high() + 1);
      break;
    case v1::SEVERITY_CRITICAL:
      row.set_critical(row.critical() + 1);
      break;
    case v1::SEVERITY_UNSPECIFIED:  // in the total only
    case v1::Severity_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Severity_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  row.set_total(row.total() + 1);
}

// Whom an overdue deadline is counted for: the person it names, else the managers it asks.
struct Whom {
  std::string user;
  std::string managers_of;
  auto operator<=>(const Whom&) const = default;
};

struct Overdue {
  int deadlines = 0;
  absl::Time oldest = absl::InfiniteFuture();
};

bool IsApprovalOf(const v1::Deadline& d, absl::string_view team) {
  return d.key() == "approve" && d.managers_of() == team;
}

}  // namespace

std::span<const v1::State> SummaryStages() { return kOpenStages; }

absl::Time SummaryPeriodStart(absl::Time now) { return now - kSummaryPeriod; }

std::vector<v1::EventType> SummaryEventTypes() {
  return {v1::EVENT_TYPE_REPORTED, v1::EVENT_TYPE_ESCALATED, v1::EVENT_TYPE_DEADLINE_BREACHED};
}

absl::Status CheckMaySummarize(const Actor& actor, absl::string_view team) {
  switch (actor.role) {
    case Role::kMember:
      return absl::PermissionDeniedError(
          absl::StrCat("summary needs role manager or observer; you are ", RoleName(actor.role)));
    case Role::kManager:
    case Role::kObserver:
    case Role::kAdmin:
      break;
  }
  if (!ReadsTeam(actor, team)) {
    return absl::PermissionDeniedError(
        absl::StrCat("team: you may see the summary of your own team only (", actor.team, ")"));
  }
  return absl::OkStatus();
}

v1::TeamSummary SummarizeTeam(const Actor& actor, const TeamSummaryInput& input) {
  v1::TeamSummary summary;
  summary.set_team(input.team);
  summary.set_team_time_zone(input.time_zone);
  *summary.mutable_as_of() = ToProto(input.now);
  const absl::Time since = SummaryPeriodStart(input.now);
  *summary.mutable_since() = ToProto(since);

  std::map<v1::State, v1::StageCount> stages;
  for (v1::State state : kOpenStages) stages[state].set_state(state);
  v1::StageCount& total = *summary.mutable_open_total();
  std::map<Whom, Overdue> overdue;
  std::vector<v1::ApprovalWaiting> approvals;

  for (const v1::Incident& incident : input.open) {
    if (incident.state() == v1::STATE_CLOSED || !CanRead(incident, actor)) continue;
    const bool own = incident.team() == input.team;
    if (own) {
      if (auto row = stages.find(incident.state()); row != stages.end()) {
        Count(row->second, incident.severity());
        Count(total, incident.severity());
      }
      if (incident.recurrence()) summary.set_open_recurrences(summary.open_recurrences() + 1);
    }
    for (const v1::Deadline& d : incident.deadlines()) {
      const bool asks_team = IsApprovalOf(d, input.team);
      if (asks_team) {
        v1::ApprovalWaiting& a = approvals.emplace_back();
        a.set_incident_id(incident.id());
        a.set_team(incident.team());
        a.set_client(incident.client().name());
        a.set_summary(incident.summary());
        a.set_severity(incident.severity());
        if (d.has_due()) *a.mutable_due() = d.due();
      }
      // Of another team's incident, only what asks this team's managers.
      if (!d.has_due() || (!own && d.managers_of() != input.team)) continue;
      const absl::Time due = FromProto(d.due());
      if (due > input.now) continue;  // due at now is due, as list --overdue has it
      Whom whom = d.user().empty() ? Whom{"", d.managers_of()} : Whom{d.user(), ""};
      if (whom.user.empty() && whom.managers_of.empty()) continue;  // names nobody
      Overdue& o = overdue[std::move(whom)];
      ++o.deadlines;
      o.oldest = std::min(o.oldest, due);
    }
  }
  for (v1::State state : kOpenStages) *summary.add_open() = std::move(stages[state]);

  std::vector<std::pair<Whom, Overdue>> people(overdue.begin(), overdue.end());
  std::stable_sort(people.begin(), people.end(), [](const auto& a, const auto& b) {
    if (a.second.deadlines != b.second.deadlines) return a.second.deadlines > b.second.deadlines;
    return a.second.oldest < b.second.oldest;
  });
  for (auto& [whom, o] : people) {
    v1::OverdueCount& row = *summary.add_overdue();
    row.set_user(whom.user);
    row.set_managers_of(whom.managers_of);
    row.set_deadlines(o.deadlines);
    *row.mutable_oldest_due() = ToProto(o.oldest);
  }

  summary.set_approvals_waiting(static_cast<int32_t>(approvals.size()));
  std::stable_sort(approvals.begin(), approvals.end(),
                   [](const v1::ApprovalWaiting& a, const v1::ApprovalWaiting& b) {
                     if (a.has_due() != b.has_due()) return a.has_due();
                     return FromProto(a.due()) < FromProto(b.due());
                   });
  if (approvals.size() > static_cast<size_t>(kSummaryApprovalsListed)) {
    approvals.resize(kSummaryApprovalsListed);
  }
  for (v1::ApprovalWaiting& a : approvals) *summary.add_approvals() = std::move(a);

  std::unordered_map<int64_t, const v1::Incident*> incidents;
  for (const v1::Incident& incident : input.recent_incidents) incidents[incident.id()] = &incident;
  for (const v1::Event& event : input.recent) {
    if (FromProto(event.time()) < since || FromProto(event.time()) > input.now) continue;
    auto it = incidents.find(event.incident_id());
    if (it == incidents.end()) continue;
    const v1::Incident& incident = *it->second;
    if (incident.team() != input.team || !CanRead(incident, actor)) continue;
    if (event.type() == v1::EVENT_TYPE_DEADLINE_BREACHED) {
      summary.set_breaches(summary.breaches() + 1);
    } else if (event.type() == v1::EVENT_TYPE_ESCALATED && event.actor() == kSystemActor) {
      summary.set_automatic_escalations(summary.automatic_escalations() + 1);
    } else if (event.type() == v1::EVENT_TYPE_REPORTED && incident.recurrence()) {
      summary.set_recurrences_reported(summary.recurrences_reported() + 1);
    }
  }
  return summary;
}

}  // namespace amends
