#include "bench/support/team_history.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/bench_rules.h"
#include "bench/support/domain_cases.h"
#include "server/admin.h"
#include "server/core/actor.h"
#include "server/core/deadlines.h"
#include "server/core/lifecycle.h"
#include "server/core/time_proto.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"

namespace amends::bench {
namespace {

constexpr int kChunk = 1000;              // changes per transaction
constexpr int kMaxEarlierLinks = 20;      // as many as IncidentWriter links to a report
constexpr int64_t kStreamKept = 10'000;   // the replay window, as in prefill.cc
constexpr absl::Duration kStep = absl::Minutes(10);
constexpr absl::Duration kWeek = absl::Hours(7 * 24);
constexpr int kStuckPercent = 1;          // of the settled incidents, left open

enum class Step {
  kApologise,
  kEscalate,
  kApprove,
  kScheduleVisit,
  kRecordVisit,
  kAddMeasure,
  kRecordCause,
  kPresentPlan,
  kCompleteMeasure,
  kVerifyMeasure,  // by the manager: the measure's owner may not
  kLogFollowUp,
  kClose,       // by the owner, once the round is complete
  kCloseEarly,  // by the manager, with a reason
};

constexpr Step kFullPath[] = {Step::kApologise,     Step::kEscalate,        Step::kApprove,
                              Step::kScheduleVisit, Step::kRecordVisit,     Step::kAddMeasure,
                              Step::kRecordCause,   Step::kPresentPlan,     Step::kCompleteMeasure,
                              Step::kVerifyMeasure, Step::kLogFollowUp,     Step::kClose};

// How far an incident gets: the first `steps` of kFullPath, then the manager's early close.
struct Fate {
  int steps;
  bool close_early;
  int percent;
};
// Recent incidents: prefill.cc's mix, 30% closed.
constexpr Fate kRecentFates[] = {
    {0, false, 7},  {1, false, 8},  {2, false, 9}, {3, false, 9}, {4, false, 9},
    {7, false, 14}, {10, false, 14}, {12, false, 15}, {1, true, 5}, {2, true, 5}, {4, true, 5},
};
// Settled incidents that were closed: most through the whole path.
constexpr Fate kSettledFates[] = {{12, false, 80}, {1, true, 8}, {2, true, 6}, {4, true, 6}};
// Settled incidents still open: stuck where they stood.
constexpr Fate kStuckFates[] = {{0, false, 20}, {2, false, 20}, {4, false, 20},
                                {7, false, 20}, {10, false, 20}};

std::vector<Step> Pick(std::span<const Fate> fates, std::mt19937_64& rng) {
  int r = std::uniform_int_distribution<int>(0, 99)(rng);
  for (const Fate& fate : fates) {
    if (r < fate.percent) {
      std::vector<Step> steps(kFullPath, kFullPath + fate.steps);
      if (fate.close_early) steps.push_back(Step::kCloseEarly);
      return steps;
    }
    r -= fate.percent;
  }
  return {};
}

v1::Severity PickSeverity(std::mt19937_64& rng) {
  const int r = std::uniform_int_distribution<int>(0, 99)(rng);
  return r < 30 ? v1::SEVERITY_LOW
         : r < 70 ? v1::SEVERITY_MEDIUM
         : r < 95 ? v1::SEVERITY_HIGH
                  : v1::SEVERITY_CRITICAL;
}

// The action a step takes at `now`, and who takes it.
std::pair<Action, const Actor*> MakeAction(Step step, const Actor& member, const Actor& manager,
                                           absl::Time now) {
  switch (step) {
    case Step::kApologise:
      return {{.type = ActionType::kRecordFirstApology, .text = "当日中に電話で謝罪",
               .channel = v1::CHANNEL_CALL},
              &member};
    case Step::kEscalate:
      return {{.type = ActionType::kEscalate, .text = "先方部長がお怒り。上長同行での訪問が必要"},
              &member};
    case Step::kApprove:
      return {{.type = ActionType::kApproveEscalation, .text = "明日午前に同行します"}, &manager};
    case Step::kScheduleVisit:
      return {{.type = ActionType::kScheduleVisit,
               .at = now + absl::Hours(24),
               .attendees = {member.name, manager.name}},
              &member};
    case Step::kRecordVisit:
      return {{.type = ActionType::kRecordVisit, .text = "部長に直接お詫び。原因と再発防止策を説明"},
              &member};
    case Step::kAddMeasure:
      return {{.type = ActionType::kAddMeasure,
               .text = "共有スケジュールで予定を管理し、前日に上長とダブルチェックする",
               .at = now + absl::Hours(24 * 14),
               .user = member},
              &member};
    case Step::kPresentPlan:
      return {{.type = ActionType::kPresentPlan}, &member};
    case Step::kRecordCause:
      return {{.type = ActionType::kRecordCause,
               .text = "予定を個人の手帳だけで管理していた",
               .why_missed = "共有スケジュールになく、前日の確認もなかった",
               .category = "schedule"},
              &member};
    case Step::kVerifyMeasure:
      return {{.type = ActionType::kVerifyMeasure, .text = "2週間、全アポが共有スケジュールにある",
               .number = 1},
              &manager};
    case Step::kCompleteMeasure:
      return {{.type = ActionType::kCompleteMeasure, .number = 1}, &member};
    case Step::kLogFollowUp:
      return {{.type = ActionType::kLogFollowUp, .text = "1週間後に電話。その後の状況に問題なし"},
              &member};
    case Step::kClose:
      return {{.type = ActionType::kClose, .text = "信頼回復を確認"}, &member};
    case Step::kCloseEarly:
      return {{.type = ActionType::kClose, .text = "先方の意向により訪問不要。電話での謝罪でご了承"},
              &manager};
  }
  return {};
}

// An incident under way: what it is now, and the steps its people still take.
struct Slot {
  v1::Incident incident;
  std::vector<Step> steps;
  size_t next = 0;
  int64_t client = 0;
  absl::Time last;  // of its latest change
};

struct Pending {
  absl::Time at;
  int64_t slot;
  bool operator>(const Pending& other) const {
    return at != other.at ? at > other.at : slot > other.slot;
  }
};

// The simulation: reports at their times, each incident's steps and due points, one change at
// a time in time order.
class Simulation {
 public:
  Simulation(const TeamHistoryOptions& options, const Actor& member, const Actor& manager,
             TeamHistory& history)
      : options_(options),
        member_(member),
        manager_(manager),
        history_(history),
        rules_(TokyoRules()),
        first_(options.now - options.span),
        every_(options.span / std::max<int64_t>(1, options.incidents)),
        clients_(4 * std::max<int64_t>(1, options.incidents)) {}

  bool done() const { return reported_ == options_.incidents && queue_.empty(); }

  // Up to `changes` changes, in time order, written in `txn`.
  absl::Status Run(WriteTransaction& txn, int changes) {
    for (int n = 0; n < changes && !done(); ++n) {
      const absl::Time report_at = first_ + every_ * reported_;
      if (reported_ < options_.incidents && (queue_.empty() || report_at <= queue_.top().at)) {
        if (absl::Status s = ReportOne(txn, report_at); !s.ok()) return s;
        continue;
      }
      const Pending p = queue_.top();
      queue_.pop();
      if (absl::Status s = Advance(txn, p); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  // The incidents of the client a report links, newest first, as IncidentWriter reads them.
  std::vector<v1::Incident> Earlier(int64_t client) const {
    std::vector<v1::Incident> found;
    auto it = by_client_.find(client);
    if (it == by_client_.end()) return found;
    for (auto id = it->second.rbegin();
         id != it->second.rend() && found.size() < kMaxEarlierLinks; ++id) {
      found.push_back(known_.at(*id));
    }
    return found;
  }

  // What a later report needs to know of an incident (lifecycle.h Report).
  void Remember(const v1::Incident& incident) {
    v1::Incident& k = known_[incident.id()];
    k.set_id(incident.id());
    k.set_kind(incident.kind());
    k.set_summary(incident.summary());
    k.set_state(incident.state());
    k.set_confidential(incident.confidential());
    *k.mutable_created_at() = incident.created_at();
    if (incident.has_plan_presented_at()) {
      *k.mutable_plan_presented_at() = incident.plan_presented_at();
    }
  }

  absl::StatusOr<v1::Incident> Write(WriteTransaction& txn, Change change) {
    const absl::Time at = FromProto(change.event.time());
    const bool by_amends = change.event.actor() == kSystemActor;
    absl::StatusOr<Committed> done = txn.Write(ToWrite(std::move(change), ""));
    if (!done.ok()) return done.status();
    ++history_.events;
    history_.fired += by_amends;
    history_.last_week += at >= options_.now - kWeek;
    Remember(done->incident);
    return std::move(done->incident);
  }

  absl::Status ReportOne(WriteTransaction& txn, absl::Time at) {
    ++reported_;
    const int64_t client = std::uniform_int_distribution<int64_t>(0, clients_ - 1)(rng_);
    const Case& kase = kCases[std::uniform_int_distribution<int>(0, std::size(kCases) - 1)(rng_)];
    const bool settled = at < options_.now - options_.recent;
    const bool stuck = std::uniform_int_distribution<int>(0, 99)(rng_) < kStuckPercent;
    Slot slot{.steps = Pick(!settled ? std::span<const Fate>(kRecentFates)
                            : stuck  ? std::span<const Fate>(kStuckFates)
                                     : std::span<const Fate>(kSettledFates),
                            rng_),
              .client = client,
              .last = at};
    v1::ReportIncidentRequest request;
    request.set_team(history_.team);
    request.mutable_client()->set_name(
        absl::StrCat(kClientStems[client % std::size(kClientStems)], " ",
                     client / std::size(kClientStems) + 1));
    request.mutable_client()->set_contact("総務部 山田様");
    request.set_kind(kase.kind);
    request.set_severity(PickSeverity(rng_));
    request.set_summary(kase.summary);
    request.set_details(kase.details);
    absl::StatusOr<Change> change = Report(request, member_, rules_.calendar.zone().name(), at,
                                           Earlier(client), rules_);
    if (!change.ok()) return change.status();
    absl::StatusOr<v1::Incident> incident = Write(txn, *std::move(change));
    if (!incident.ok()) return incident.status();
    ++history_.incidents;
    history_.recurrences += incident->recurrence();
    by_client_[client].push_back(incident->id());
    slot.incident = *std::move(incident);
    Schedule(std::move(slot));
    return absl::OkStatus();
  }

  // Files the slot under its next action: its next step, or its next due point before now;
  // drops it when it has neither.
  void Schedule(Slot slot) {
    std::optional<absl::Time> at;
    if (slot.next < slot.steps.size()) at = slot.last + kStep;
    if (std::optional<absl::Time> wake = NextWake(slot.incident); wake && *wake < options_.now) {
      const absl::Time when = std::max(*wake, slot.last);
      if (!at || when < *at) at = when;
    }
    if (!at || *at >= options_.now) {
      history_.open += slot.incident.state() != v1::STATE_CLOSED;
      return;
    }
    const int64_t id = next_slot_++;
    queue_.push({*at, id});
    slots_.emplace(id, std::move(slot));
  }

  absl::Status Advance(WriteTransaction& txn, const Pending& p) {
    auto it = slots_.find(p.slot);
    Slot slot = std::move(it->second);
    slots_.erase(it);
    std::optional<Change> change;
    const bool step = slot.next < slot.steps.size() && slot.last + kStep == p.at;
    if (step) {
      auto [action, actor] = MakeAction(slot.steps[slot.next++], member_, manager_, p.at);
      absl::StatusOr<Change> applied = Apply(slot.incident, action, *actor, p.at, rules_);
      if (!applied.ok()) {
        return absl::Status(applied.status().code(),
                            absl::StrCat("team history: incident ", slot.incident.id(), ": ",
                                         applied.status().message()));
      }
      change = *std::move(applied);
    } else {
      change = Fire(slot.incident, rules_, p.at);
      if (!change) {
        history_.open += slot.incident.state() != v1::STATE_CLOSED;
        return absl::OkStatus();  // nothing was due after all
      }
    }
    absl::StatusOr<v1::Incident> incident = Write(txn, *std::move(change));
    if (!incident.ok()) return incident.status();
    slot.incident = *std::move(incident);
    slot.last = p.at;
    Schedule(std::move(slot));
    return absl::OkStatus();
  }

  const TeamHistoryOptions& options_;
  const Actor& member_;
  const Actor& manager_;
  TeamHistory& history_;
  const Rules rules_;
  const absl::Time first_;
  const absl::Duration every_;
  const int64_t clients_;  // four per incident, as in prefill.cc: a recurrence now and then
  std::mt19937_64 rng_{20261206};  // fixed: the same history every run
  int64_t reported_ = 0;
  int64_t next_slot_ = 0;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> queue_;
  std::unordered_map<int64_t, Slot> slots_;
  std::unordered_map<int64_t, v1::Incident> known_;  // by id: what Earlier() tells a report
  std::unordered_map<int64_t, std::vector<int64_t>> by_client_;  // ids, oldest first
};

}  // namespace

absl::StatusOr<TeamHistory> FillTeamHistory(const std::string& db_path,
                                            const TeamHistoryOptions& options) {
  if (options.incidents < 0 || options.span <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("team history: need incidents >= 0 and a positive span");
  }
  if (std::filesystem::exists(db_path)) {
    return absl::AlreadyExistsError(absl::StrCat("team history: ", db_path, " already exists"));
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(db_path);
  if (!opened.ok()) return opened.status();
  Store& store = **opened;
  TeamHistory history;
  if (auto s = AddTeam(store, history.team, "Asia/Tokyo"); !s.ok()) return s;
  absl::StatusOr<std::string> token = AddUser(store, history.member, history.team, "member");
  if (!token.ok()) return token.status();
  history.member_token = *std::move(token);
  token = AddUser(store, history.manager, history.team, "manager");
  if (!token.ok()) return token.status();
  history.manager_token = *std::move(token);
  const Actor member{history.member, history.team, Role::kMember};
  const Actor manager{history.manager, history.team, Role::kManager};

  Simulation simulation(options, member, manager, history);
  int64_t pruned = 0;
  while (!simulation.done()) {
    absl::Status s =
        store.Transact([&](WriteTransaction& txn) { return simulation.Run(txn, kChunk); });
    if (!s.ok()) return s;
    if (const int64_t excess = history.events - pruned - kStreamKept; excess > 0) {
      if (auto through = store.PruneStream(absl::InfiniteFuture(), excess); !through.ok()) {
        return through.status();
      }
      pruned += excess;
    }
  }
  return history;
}

}  // namespace amends::bench
