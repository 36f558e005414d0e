#include "server/writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/client_name.h"
#include "server/core/deadlines.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

// How many earlier incidents of a client a new report links to.
constexpr int kMaxEarlierLinks = 20;

}  // namespace

absl::Condition IncidentWriter::NoFireWaiting() {
  return absl::Condition(
      +[](std::atomic<int>* waiting) { return waiting->load() == 0; }, &fires_waiting_);
}

absl::StatusOr<Rules> IncidentWriter::RulesFor(const Team& team) {
  std::string settings = absl::StrCat(team.time_zone, "\n", team.calendar.SerializeAsString());
  CachedCalendar& cached = calendars_[team.name];
  if (cached.calendar == nullptr || cached.settings != settings) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(team.time_zone, &zone)) {
      return absl::InternalError(absl::StrCat("team ", team.name, ": time zone ",
                                              team.time_zone,
                                              " is missing from this server's tz database"));
    }
    absl::StatusOr<BusinessCalendar> calendar =
        BusinessCalendar::Make(zone, policy_.calendar(), team.calendar);
    if (!calendar.ok()) {
      return absl::InternalError(
          absl::StrCat("team ", team.name, ": calendar: ", calendar.status().message()));
    }
    cached = {std::move(settings), std::make_unique<BusinessCalendar>(*std::move(calendar))};
  }
  return Rules{policy_, *cached.calendar};
}

absl::StatusOr<Rules> IncidentWriter::RulesForIncident(const v1::Incident& incident) {
  absl::StatusOr<Team> team = store_.GetTeam(incident.team());
  if (!team.ok()) return team.status();
  return RulesFor(*team);
}

IncidentWrite IncidentWriter::MakeWrite(Change change, std::string request_id) {
  IncidentWrite write{.incident = std::move(change.incident),
                      .event = std::move(change.event),
                      .request_id = std::move(request_id)};
  write.client_key = ClientKey(write.incident.client().name());
  write.wake_at = NextWake(write.incident);
  write.next_due = NextDue(write.incident);
  write.asked_team = AskedTeam(write.incident);
  return write;
}

absl::StatusOr<Committed> IncidentWriter::CommitLocked(Change change, std::string request_id) {
  const IncidentWrite write = MakeWrite(std::move(change), std::move(request_id));
  absl::StatusOr<Committed> done = store_.Commit(write);
  if (!done.ok()) return done;
  if (wake_listener_) wake_listener_(done->incident.id(), write.wake_at);
  if (commit_listener_) commit_listener_(*done);
  return done;
}

absl::StatusOr<v1::Incident> IncidentWriter::Report(const v1::ReportIncidentRequest& request,
                                                    const Actor& actor) {
  absl::MutexLock lock(&mu_, NoFireWaiting());
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Incident>> existing =
        store_.FindByRequestId(actor.name, request.request_id());
    if (!existing.ok()) return existing.status();
    if (*existing) return **existing;
  }
  absl::StatusOr<Team> team = store_.GetTeam(request.team());
  if (absl::IsNotFound(team.status())) {
    return absl::InvalidArgumentError(absl::StrCat("team: unknown team ", request.team()));
  }
  if (!team.ok()) return team.status();
  absl::StatusOr<Rules> rules = RulesFor(*team);
  if (!rules.ok()) return rules.status();

  std::vector<v1::Incident> earlier;
  if (std::string key = ClientKey(request.client().name()); !key.empty()) {
    IncidentQuery query;
    query.team = request.team();
    query.client_key = key;
    query.all_confidential = true;  // the core decides what it may link
    query.limit = kMaxEarlierLinks;
    absl::StatusOr<std::vector<v1::Incident>> found = store_.ListIncidents(query);
    if (!found.ok()) return found.status();
    earlier = std::move(*found);
  }

  absl::StatusOr<Change> change =
      amends::Report(request, actor, team->time_zone, clock_.Now(), earlier, *rules);
  if (!change.ok()) return change.status();
  absl::StatusOr<Committed> done = CommitLocked(std::move(*change), request.request_id());
  if (!done.ok()) return done.status();
  return std::move(done->incident);
}

absl::StatusOr<v1::Incident> IncidentWriter::Apply(int64_t id, int64_t expected_version,
                                                   const Action& action, const Actor& actor) {
  absl::MutexLock lock(&mu_, NoFireWaiting());
  absl::StatusOr<v1::Incident> current = store_.GetIncident(id);
  if (!current.ok()) return current.status();
  // Before the version check, so that a conflict never reveals a hidden incident.
  if (auto s = CheckCanRead(*current, actor); !s.ok()) return s;
  if (expected_version != 0 && expected_version != current->version()) {
    return absl::AbortedError(absl::StrCat("incident ", id, " is at version ",
                                           current->version(), ", not ", expected_version,
                                           ": someone else changed it; reload and retry"));
  }
  absl::StatusOr<Rules> rules = RulesForIncident(*current);
  if (!rules.ok()) return rules.status();
  absl::StatusOr<Change> change = amends::Apply(*current, action, actor, clock_.Now(), *rules);
  if (!change.ok()) return change.status();
  absl::StatusOr<Committed> done = CommitLocked(std::move(*change), "");
  if (!done.ok()) return done.status();
  return std::move(done->incident);
}

absl::StatusOr<IncidentWriter::Fired> IncidentWriter::Fire(const std::vector<Due>& due) {
  fires_waiting_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  fires_waiting_.fetch_sub(1);
  Fired fired;
  std::vector<IncidentWrite> writes;
  std::vector<Due> changed;
  for (const Due& point : due) {
    absl::StatusOr<v1::Incident> current = store_.GetIncident(point.id);
    absl::StatusOr<Rules> rules =
        current.ok() ? RulesForIncident(*current) : absl::StatusOr<Rules>(current.status());
    if (!rules.ok()) {
      fired.failed.emplace_back(point, rules.status());
      continue;
    }
    std::optional<Change> change = point.at == absl::UnixEpoch()
                                       ? AdoptDeadlines(*current, *rules, clock_.Now())
                                       : amends::Fire(*current, *rules, clock_.Now());
    if (!change) {
      // Nothing due (a stale wake-up): say when the next point really is.
      if (wake_listener_) wake_listener_(point.id, NextWake(*current));
      continue;
    }
    writes.push_back(MakeWrite(std::move(*change), ""));
    changed.push_back(point);
  }
  if (writes.empty()) return fired;
  absl::StatusOr<std::vector<Committed>> done = store_.CommitAll(writes);
  if (!done.ok()) return done.status();
  for (size_t i = 0; i < writes.size(); ++i) {
    if (wake_listener_) wake_listener_(changed[i].id, writes[i].wake_at);
    if (commit_listener_) commit_listener_((*done)[i]);
  }
  fired.committed = std::move(changed);
  return fired;
}

}  // namespace amends
