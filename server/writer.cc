#include "server/writer.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/client_name.h"
#include "server/core/day_off_warning.h"
#include "server/core/deadlines.h"
#include "server/core/hand_over.h"
#include "server/core/visibility.h"
#include "server/outbox.h"

namespace amends {
namespace {

// How many earlier incidents of a client a new report links to.
constexpr int kMaxEarlierLinks = 20;

}  // namespace

IncidentWrite ToWrite(Change change, std::string request_id) {
  IncidentWrite write{.incident = std::move(change.incident),
                      .event = std::move(change.event),
                      .request_id = std::move(request_id)};
  write.client_key = ClientKey(write.incident.client().name());
  write.wake_at = NextWake(write.incident);
  write.next_due = NextDue(write.incident);
  write.asked_team = AskedTeam(write.incident);
  return write;
}

// The calls of one group, inside its transaction. Remembers what they committed, so that the
// listeners hear of it only once the group is durable.
class IncidentWriter::Group {
 public:
  explicit Group(WriteTransaction& txn) : txn_(txn) {}

  WriteTransaction& txn() { return txn_; }
  // What the outbox read in this transaction (server/outbox.h).
  OutboxReads& outbox_reads() { return outbox_reads_; }

  // Writes the change; the listeners hear of it once the group is durable.
  absl::StatusOr<Committed> Write(const IncidentWrite& write) {
    absl::StatusOr<Committed> done = txn_.Write(write);
    if (done.ok()) outcomes_.push_back({done->incident.id(), write.wake_at, *done});
    return done;
  }

  // An incident's next point when nothing was committed (a stale wake-up).
  void Wake(int64_t id, std::optional<absl::Time> wake) {
    outcomes_.push_back({id, wake, std::nullopt});
  }

  struct Outcome {
    int64_t id;
    std::optional<absl::Time> wake;
    std::optional<Committed> committed;
  };
  std::vector<Outcome> TakeOutcomes() { return std::move(outcomes_); }

 private:
  WriteTransaction& txn_;
  OutboxReads outbox_reads_;
  std::vector<Outcome> outcomes_;
};

template <typename T>
class IncidentWriter::CallOf final : public Call {
 public:
  CallOf(absl::AnyInvocable<absl::StatusOr<T>(Group&)> decide, Done<T> done)
      : decide_(std::move(decide)), done_(std::move(done)) {}

  absl::Status Run(Group& group) override {
    absl::StatusOr<T> decided = decide_(group);
    if (!decided.ok()) return decided.status();
    outcome_ = *std::move(decided);
    return absl::OkStatus();
  }
  void Finish(absl::Status status) override {
    if (status.ok()) {
      done_(*std::move(outcome_));
    } else {
      done_(std::move(status));
    }
  }

 private:
  absl::AnyInvocable<absl::StatusOr<T>(Group&)> decide_;
  Done<T> done_;
  std::optional<T> outcome_;
};

IncidentWriter::IncidentWriter(Store& store, const Clock& clock, const Policy& policy)
    : store_(store), clock_(clock), policy_(policy), thread_([this] { Loop(); }) {}

IncidentWriter::~IncidentWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    work_.Signal();
  }
  thread_.join();
}

IncidentWriter::Stats IncidentWriter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

int IncidentWriter::WaitingForTest() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

template <typename T>
void IncidentWriter::Submit(absl::AnyInvocable<absl::StatusOr<T>(Group&)> decide, Done<T> done,
                            bool urgent) {
  size_t waiting = 0;
  {
    absl::MutexLock lock(&mu_);
    waiting = queue_.size();
    if (!stopping_ && (urgent || waiting < kMaxWaiting)) {
      auto call = std::make_unique<CallOf<T>>(std::move(decide), std::move(done));
      // A call it displaces from the front waits for the next group.
      if (urgent) {
        queue_.push_front(std::move(call));
      } else {
        queue_.push_back(std::move(call));
      }
      work_.Signal();
      return;
    }
  }
  done(waiting >= kMaxWaiting
           ? absl::ResourceExhaustedError(absl::StrCat(
                 "the server is busy: ", waiting,
                 " changes are waiting to be written; nothing was changed, try again shortly"))
           : absl::UnavailableError("the server is shutting down; nothing was changed"));
}

void IncidentWriter::Loop() {
  for (;;) {
    std::vector<std::unique_ptr<Call>> group;
    {
      absl::MutexLock lock(&mu_);
      while (queue_.empty() && !stopping_) work_.Wait(&mu_);
      if (queue_.empty()) return;  // stopping, and every call is answered
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<absl::Status> statuses;
    {
      absl::MutexLock lock(&group_mu_);
      statuses = RunGroup(group);
    }
    {
      absl::MutexLock lock(&mu_);
      ++stats_.groups;
      stats_.changes += static_cast<int64_t>(group.size());
      stats_.largest_group = std::max(stats_.largest_group, static_cast<int64_t>(group.size()));
    }
    for (size_t i = 0; i < group.size(); ++i) group[i]->Finish(std::move(statuses[i]));
  }
}

std::vector<absl::Status> IncidentWriter::RunGroup(
    const std::vector<std::unique_ptr<Call>>& calls) {
  std::vector<absl::Status> statuses(calls.size());
  std::vector<Group::Outcome> outcomes;
  const absl::Status committed = store_.Transact([&](WriteTransaction& txn) {
    group_mu_.AssertHeld();
    Group group(txn);
    for (size_t i = 0; i < calls.size(); ++i) statuses[i] = calls[i]->Run(group);
    outcomes = group.TakeOutcomes();
    return absl::OkStatus();
  });
  if (!committed.ok()) {
    for (absl::Status& status : statuses) {
      if (status.ok()) status = committed;
    }
    return statuses;
  }
  for (const Group::Outcome& outcome : outcomes) {
    if (wake_listener_) wake_listener_(outcome.id, outcome.wake);
    if (outcome.committed && commit_listener_) commit_listener_(*outcome.committed);
  }
  return statuses;
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

absl::StatusOr<Rules> IncidentWriter::RulesForIncident(WriteTransaction& txn,
                                                       const v1::Incident& incident) {
  absl::StatusOr<Team> team = txn.GetTeam(incident.team());
  if (!team.ok()) return team.status();
  return RulesFor(*team);
}

absl::StatusOr<Committed> IncidentWriter::Write(Group& group, const v1::Incident& before,
                                                IncidentWrite write, const Rules& rules,
                                                const ExtraNotices& extra) {
  if (notify_) {
    write.notifications = [&](const Committed& committed) {
      group_mu_.AssertHeld();  // runs inside group.Write below
      auto calendar_for = [&](const Team& team) -> absl::StatusOr<const BusinessCalendar*> {
        group_mu_.AssertHeld();  // runs inside OutboxRows below
        absl::StatusOr<Rules> team_rules = RulesFor(team);
        if (!team_rules.ok()) return team_rules.status();
        return &team_rules->calendar;
      };
      return OutboxRows({.txn = group.txn(),
                         .reads = group.outbox_reads(),
                         .now = clock_.Now(),
                         .calendar_for = calendar_for,
                         .team_channels = &team_channels_},
                        before, {committed.incident, committed.event}, rules,
                        extra ? extra(committed.incident) : std::vector<Notice>());
    };
  }
  return group.Write(write);
}

absl::StatusOr<std::vector<v1::Incident>> IncidentWriter::EarlierOf(WriteTransaction& txn,
                                                                    absl::string_view team,
                                                                    absl::string_view client) {
  const std::string key = ClientKey(client);
  if (key.empty()) return std::vector<v1::Incident>();
  // Every one of the client's: the core decides what it may link.
  return txn.ListIncidents(
      {.team = std::string(team), .client_key = key, .limit = kMaxEarlierLinks});
}

void IncidentWriter::Report(v1::ReportIncidentRequest request, Actor actor, ReportUsers users,
                            Done<v1::Incident> done) {
  Submit<v1::Incident>(
      [this, request = std::move(request), actor = std::move(actor),
       users = std::move(users)](Group& group) -> absl::StatusOr<v1::Incident> {
        group_mu_.AssertHeld();  // run by the writer (RunGroup)
        WriteTransaction& txn = group.txn();
        if (!request.request_id().empty()) {
          absl::StatusOr<std::optional<v1::Incident>> existing =
              txn.FindByRequestId(actor.name, request.request_id());
          if (!existing.ok()) return existing.status();
          if (*existing) return **std::move(existing);
        }
        absl::StatusOr<Team> team = txn.GetTeam(request.team());
        if (absl::IsNotFound(team.status())) {
          return absl::InvalidArgumentError(absl::StrCat("team: unknown team ", request.team()));
        }
        if (!team.ok()) return team.status();
        absl::StatusOr<Rules> rules = RulesFor(*team);
        if (!rules.ok()) return rules.status();

        absl::StatusOr<std::vector<v1::Incident>> earlier =
            EarlierOf(txn, request.team(), request.client().name());
        if (!earlier.ok()) return earlier.status();
        absl::StatusOr<Change> change = amends::Report(request, actor, team->time_zone,
                                                       clock_.Now(), *earlier, *rules, users);
        if (!change.ok()) return change.status();
        absl::StatusOr<Committed> done =
            Write(group, v1::Incident(), ToWrite(std::move(*change), request.request_id()), *rules);
        if (!done.ok()) return done.status();
        return std::move(done->incident);
      },
      std::move(done), /*urgent=*/false);
}

namespace {

// A retry of a change already made (`first`): its outcome, or INVALID_ARGUMENT
// if the request id was used for another change.
absl::StatusOr<v1::Incident> Retried(WriteTransaction::FoundRequest first, int64_t id,
                                     const Action& action, v1::Incident current) {
  const absl::string_view call = ActionName(action.type);
  if (first.call != call || first.incident_id != id) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: you used it for ", first.call, " on incident ",
                     first.incident_id, "; a new change needs a new id"));
  }
  // As the first call left it, or as it is now once the stream no longer holds that.
  return first.incident ? *std::move(first.incident) : std::move(current);
}

}  // namespace

void IncidentWriter::Apply(int64_t id, int64_t expected_version, Action action, Actor actor,
                           std::string request_id, Done<v1::Incident> done) {
  Submit<v1::Incident>(
      [this, id, expected_version, action = std::move(action), actor = std::move(actor),
       request_id = std::move(request_id)](Group& group) -> absl::StatusOr<v1::Incident> {
        group_mu_.AssertHeld();  // run by the writer (RunGroup)
        absl::StatusOr<v1::Incident> current = group.txn().GetIncident(id);
        if (!current.ok()) return current.status();
        // Before the version check, so that a conflict never reveals a hidden incident.
        if (auto s = CheckCanRead(*current, actor); !s.ok()) return s;
        if (!request_id.empty()) {
          absl::StatusOr<std::optional<WriteTransaction::FoundRequest>> first =
              group.txn().FindRequest(actor.name, request_id);
          if (!first.ok()) return first.status();
          if (*first) return Retried(**std::move(first), id, action, *std::move(current));
        }
        if (expected_version != 0 && expected_version != current->version()) {
          return absl::AbortedError(absl::StrCat("incident ", id, " is at version ",
                                                 current->version(), ", not ", expected_version,
                                                 ": someone else changed it; reload and retry"));
        }
        absl::StatusOr<Rules> rules = RulesForIncident(group.txn(), *current);
        if (!rules.ok()) return rules.status();
        // A correction of the client links the incident to that client's incidents, read in
        // this transaction; a cause is compared with theirs.
        const Action* decided = &action;
        Action with_links;
        if (action.type == ActionType::kEdit && action.correction.client) {
          absl::StatusOr<std::vector<v1::Incident>> others =
              EarlierOf(group.txn(), current->team(), *action.correction.client);
          if (!others.ok()) return others.status();
          with_links = action;
          with_links.correction.client_incidents = *std::move(others);
          decided = &with_links;
        }
        if (action.type == ActionType::kRecordCause) {
          absl::StatusOr<std::vector<v1::Incident>> others =
              EarlierOf(group.txn(), current->team(), current->client().name());
          if (!others.ok()) return others.status();
          with_links = action;
          with_links.client_incidents = *std::move(others);
          decided = &with_links;
        }
        absl::StatusOr<Change> change =
            amends::Apply(*current, *decided, actor, clock_.Now(), *rules);
        if (!change.ok()) return change.status();
        IncidentWrite write = ToWrite(std::move(*change), "");
        if (!request_id.empty()) {
          write.request = {.caller = actor.name,
                           .id = request_id,
                           .call = std::string(ActionName(action.type))};
        }
        absl::StatusOr<Committed> done = Write(group, *current, std::move(write), *rules);
        if (!done.ok()) return done.status();
        v1::Incident applied = std::move(done->incident);
        // For the caller alone: the stored incident and the stream's never carry them.
        for (std::string& warning : DayOffWarnings(action, rules->calendar, applied.team())) {
          applied.add_warnings(std::move(warning));
        }
        return applied;
      },
      std::move(done), /*urgent=*/false);
}

void IncidentWriter::HandOver(std::vector<int64_t> ids, Action action, Actor actor, bool dry_run,
                              Done<HandedOver> done) {
  Submit<HandedOver>(
      [this, ids = std::move(ids), action = std::move(action), actor = std::move(actor),
       dry_run](Group& group) -> absl::StatusOr<HandedOver> {
        group_mu_.AssertHeld();  // run by the writer (RunGroup)
        WriteTransaction& txn = group.txn();
        HandedOver result;
        const absl::Time now = clock_.Now();
        struct Decided {
          v1::Incident before;
          Change change;
          Rules rules;
        };
        std::vector<Decided> decided;
        std::vector<std::string> refused;
        for (int64_t id : ids) {
          absl::StatusOr<v1::Incident> current = txn.GetIncident(id);
          if (!current.ok()) return current.status();
          absl::StatusOr<Rules> rules = RulesForIncident(txn, *current);
          if (!rules.ok()) return rules.status();
          absl::StatusOr<Change> change = amends::Apply(*current, action, actor, now, *rules);
          if (!change.ok()) {
            refused.push_back(absl::StrCat("#", id, ": ", change.status().message()));
            continue;
          }
          decided.push_back({*std::move(current), *std::move(change), *std::move(rules)});
        }
        std::vector<v1::Incident> moved;
        for (const Decided& d : decided) moved.push_back(d.change.incident);
        // The hand-over case of each client, decided as reports by the caller for the successor.
        std::vector<Decided> cases;
        if (refused.empty()) {
          for (const v1::ReportIncidentRequest& request :
               HandOverCases(moved, action.from, action.user->name, action.text)) {
            absl::StatusOr<Team> team = txn.GetTeam(request.team());
            if (!team.ok()) return team.status();
            absl::StatusOr<Rules> rules = RulesFor(*team);
            if (!rules.ok()) return rules.status();
            absl::StatusOr<std::vector<v1::Incident>> earlier =
            EarlierOf(txn, request.team(), request.client().name());
            if (!earlier.ok()) return earlier.status();
            absl::StatusOr<Change> change = amends::Report(
                request, actor, team->time_zone, now, *earlier, *rules, {.owner = action.user});
            if (!change.ok()) {
              refused.push_back(absl::StrCat("the hand-over case of ", request.client().name(),
                                             ": ", change.status().message()));
              continue;
            }
            cases.push_back({v1::Incident(), *std::move(change), *std::move(rules)});
          }
        }
        if (!refused.empty()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "nothing was changed; refused for ", refused.size(), " of ", ids.size(),
              " incident(s): ", absl::StrJoin(refused, "; ")));
        }
        if (dry_run) {
          result.moved = std::move(moved);
          for (Decided& c : cases) result.cases.push_back(std::move(c.change.incident));
          return result;
        }
        for (Decided& d : decided) {
          absl::StatusOr<Committed> done =
              Write(group, d.before, ToWrite(std::move(d.change), ""), d.rules);
          if (!done.ok()) return done.status();
          result.moved.push_back(std::move(done->incident));
        }
        for (size_t n = 0; n < cases.size(); ++n) {
          // The last case carries the one message that tells the successor of everything.
          ExtraNotices tell;
          if (n + 1 == cases.size()) {
            tell = [&](const v1::Incident& last) {
              std::vector<v1::Incident> all = result.cases;
              all.push_back(last);
              return std::vector<Notice>{
                  HandOverNotice(result.moved, all, action.from, action.user->name)};
            };
          }
          absl::StatusOr<Committed> done =
              Write(group, v1::Incident(), ToWrite(std::move(cases[n].change), ""),
                    cases[n].rules, tell);
          if (!done.ok()) return done.status();
          result.cases.push_back(std::move(done->incident));
        }
        return result;
      },
      std::move(done), /*urgent=*/false);
}

absl::StatusOr<IncidentWriter::Fired> IncidentWriter::Fire(std::vector<Due> due) {
  return Await<Fired>([&](Done<Fired> done) {
    Submit<Fired>(
      [this, due = std::move(due)](Group& group) -> absl::StatusOr<Fired> {
        group_mu_.AssertHeld();  // run by the writer (RunGroup)
        Fired fired;
        for (const Due& point : due) {
          absl::StatusOr<v1::Incident> current = group.txn().GetIncident(point.id);
          absl::StatusOr<Rules> rules = current.ok() ? RulesForIncident(group.txn(), *current)
                                                     : absl::StatusOr<Rules>(current.status());
          if (!rules.ok()) {
            fired.failed.emplace_back(point, rules.status());
            continue;
          }
          std::optional<Change> change = point.at == absl::UnixEpoch()
                                             ? AdoptDeadlines(*current, *rules, clock_.Now())
                                             : amends::Fire(*current, *rules, clock_.Now());
          if (!change) {
            // Nothing due (a stale wake-up): say when the next point really is.
            group.Wake(point.id, NextWake(*current));
            continue;
          }
          if (absl::StatusOr<Committed> done =
                  Write(group, *current, ToWrite(std::move(*change), ""), *rules);
              done.ok()) {
            fired.committed.push_back(point);
          } else {
            fired.failed.emplace_back(point, done.status());
          }
        }
        return fired;
      },
      std::move(done), /*urgent=*/true);
  });
}

}  // namespace amends
