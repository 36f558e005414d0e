#include "bench/support/prefill.h"

#include <filesystem>
#include <memory>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/bench_rules.h"
#include "bench/support/domain_cases.h"
#include "server/admin.h"
#include "server/core/actor.h"
#include "server/core/deadlines.h"
#include "server/core/lifecycle.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"

namespace amends::bench {
namespace {

// Incidents written per transaction, each from its report to its last change (about 6,000
// changes): half the CPU of a transaction per 1,000 changes, as fewer pages are rewritten.
constexpr int kChunk = 1000;
// As many earlier incidents as IncidentWriter links to a new report.
constexpr int kMaxEarlierLinks = 20;
// The replay window keeps the newest changes only, as on a server past its retention period:
// a full incident per change for every change ever made would make the file several times
// larger than what a real server keeps. Timelines are kept whole.
constexpr int64_t kStreamKept = 10'000;
// Four client names per incident of a team: about one report in nine is a recurrence.
constexpr int64_t kClientsPerIncident = 4;


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
  kCloseEarly,  // by a manager, with a reason
};

// The whole way from a report to an ordinary close.
constexpr Step kFullPath[] = {Step::kApologise,     Step::kEscalate,        Step::kApprove,
                              Step::kScheduleVisit, Step::kRecordVisit,     Step::kAddMeasure,
                              Step::kRecordCause,   Step::kPresentPlan,     Step::kCompleteMeasure,
                              Step::kVerifyMeasure, Step::kLogFollowUp,     Step::kClose};

// How far incidents get: the first `steps` of kFullPath, then a manager's early close if
// `close_early`. 30% closed; the rest spread over the open stages.
struct Fate {
  int steps;
  bool close_early;
  int percent;
};
constexpr Fate kFates[] = {
    {0, false, 7},  {1, false, 8},   {2, false, 9},   // reported, apologised, escalated
    {3, false, 9},  {4, false, 9},                    // approved, visit scheduled
    {7, false, 14}, {10, false, 14},                  // prevention plan, follow-up
    {12, false, 15},                                  // closed after a follow-up
    {1, true, 5},   {2, true, 5},    {4, true, 5},    // closed early by a manager
};

std::vector<Step> PickSteps(std::mt19937_64& rng) {
  int r = std::uniform_int_distribution<int>(0, 99)(rng);
  for (const Fate& fate : kFates) {
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

struct TeamActors {
  Actor member;
  Actor manager;
};

// The action a step takes at `now`, and who takes it.
std::pair<Action, const Actor*> MakeAction(Step step, const TeamActors& team, absl::Time now) {
  const Actor* member = &team.member;
  switch (step) {
    case Step::kApologise:
      return {{.type = ActionType::kRecordFirstApology, .text = "当日中に電話で謝罪",
               .channel = v1::CHANNEL_CALL},
              member};
    case Step::kEscalate:
      return {{.type = ActionType::kEscalate, .text = "先方部長がお怒り。上長同行での訪問が必要"},
              member};
    case Step::kApprove:
      return {{.type = ActionType::kApproveEscalation, .text = "明日午前に同行します"},
              &team.manager};
    case Step::kScheduleVisit:
      return {{.type = ActionType::kScheduleVisit,
               .at = now + absl::Hours(24),
               .attendees = {team.member.name, team.manager.name}},
              member};
    case Step::kRecordVisit:
      return {{.type = ActionType::kRecordVisit,
               .text = "部長に直接お詫び。原因と再発防止策の方向性を説明し、ご理解いただいた"},
              member};
    case Step::kAddMeasure:
      return {{.type = ActionType::kAddMeasure,
               .text = "共有スケジュールで予定を管理し、前日に上長とダブルチェックする",
               .at = now + absl::Hours(24 * 14),
               .user = team.member},
              member};
    case Step::kPresentPlan:
      return {{.type = ActionType::kPresentPlan, .text = "再発防止策を先方に提示"}, member};
    case Step::kRecordCause:
      return {{.type = ActionType::kRecordCause,
               .text = "予定を個人の手帳だけで管理していた",
               .why_missed = "共有スケジュールになく、前日の確認もなかった",
               .category = "schedule"},
              member};
    case Step::kVerifyMeasure:
      return {{.type = ActionType::kVerifyMeasure, .text = "2週間、全アポが共有スケジュールにある",
               .number = 1},
              &team.manager};
    case Step::kCompleteMeasure:
      return {{.type = ActionType::kCompleteMeasure, .number = 1}, member};
    case Step::kLogFollowUp:
      return {{.type = ActionType::kLogFollowUp, .text = "1週間後に電話。その後の状況に問題なし"},
              member};
    case Step::kClose:
      return {{.type = ActionType::kClose, .text = "信頼回復を確認"}, member};
    case Step::kCloseEarly:
      return {{.type = ActionType::kClose, .text = "先方の意向により訪問不要。電話での謝罪でご了承"},
              &team.manager};
  }
  return {};
}

// The change as the store takes it, with the columns derived from its deadlines, as
// IncidentWriter stores it.
// Each team's incidents per client, newest first, as much of them as a report links: a chain
// through one array, so that a million incidents cost a few tens of MB.
class ClientHistory {
 public:
  // The incidents a new report of this client sees (IncidentWriter asks the store for them).
  std::vector<v1::Incident> Earlier(int64_t client) const {
    std::vector<v1::Incident> found;
    auto it = newest_.find(client);
    for (int64_t at = it == newest_.end() ? -1 : it->second;
         at >= 0 && found.size() < kMaxEarlierLinks; at = entries_[at].previous) {
      const Entry& e = entries_[at];
      v1::Incident& incident = found.emplace_back();
      incident.set_id(e.id);
      incident.set_summary(kCases[e.case_index].summary);
      incident.set_state(e.state);
      incident.set_confidential(e.confidential);
      incident.mutable_created_at()->set_seconds(e.created_seconds);
    }
    return found;
  }

  void Add(int64_t client, const v1::Incident& incident, int case_index) {
    auto it = newest_.try_emplace(client, -1).first;
    entries_.push_back({.id = incident.id(),
                        .created_seconds = incident.created_at().seconds(),
                        .previous = it->second,
                        .case_index = case_index,
                        .state = incident.state(),
                        .confidential = incident.confidential()});
    it->second = static_cast<int64_t>(entries_.size()) - 1;
  }

 private:
  struct Entry {
    int64_t id;
    int64_t created_seconds;
    int64_t previous;  // index in entries_, -1: none
    int case_index;
    v1::State state;
    bool confidential;
  };
  std::vector<Entry> entries_;
  absl::flat_hash_map<int64_t, int64_t> newest_;  // client -> index in entries_
};

// Four weeks ahead, a Monday at 10:00: every deadline of the prefilled incidents falls due long
// after a benchmark ends, so the scheduler stays idle while reads are measured.
absl::Time FirstReportTime(const absl::TimeZone& zone) {
  absl::CivilDay day = absl::ToCivilDay(absl::Now() + absl::Hours(24 * 28), zone);
  while (absl::GetWeekday(day) != absl::Weekday::monday) ++day;
  return absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10), zone);
}

// Reports an incident at `now` and takes it through `steps`, ten minutes apart, each change
// written in `txn` as IncidentWriter would commit it. Returns the incident as it ends up.
absl::StatusOr<v1::Incident> Enact(WriteTransaction& txn, const v1::ReportIncidentRequest& request,
                                   std::span<const v1::Incident> earlier,
                                   std::span<const Step> steps, const TeamActors& team,
                                   absl::Time now, const Rules& rules, int64_t& events) {
  absl::StatusOr<Change> change =
      Report(request, team.member, rules.calendar.zone().name(), now, earlier, rules);
  for (size_t step = 0;; ++step) {
    if (!change.ok()) return change.status();
    absl::StatusOr<Committed> done = txn.Write(ToWrite(*std::move(change), ""));
    if (!done.ok()) return done.status();
    ++events;
    if (step == steps.size()) return std::move(done->incident);
    now += absl::Minutes(10);
    auto [action, actor] = MakeAction(steps[step], team, now);
    change = Apply(done->incident, action, *actor, now, rules);
  }
}

}  // namespace

absl::StatusOr<Population> Prefill(const std::string& db_path, int teams, int64_t incidents) {
  if (teams <= 0 || incidents < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("prefill: need teams > 0 and incidents >= 0, got ", teams, " and ",
                     incidents));
  }
  if (std::filesystem::exists(db_path)) {
    return absl::AlreadyExistsError(absl::StrCat("prefill: ", db_path, " already exists"));
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(db_path);
  if (!opened.ok()) return opened.status();
  Store& store = **opened;
  const Rules rules = TokyoRules();
  const std::string zone_name = rules.calendar.zone().name();

  Population population;
  std::vector<TeamActors> actors;
  for (int t = 1; t <= teams; ++t) {
    Population::TeamUsers& users = population.teams.emplace_back();
    users.team = absl::StrFormat("team-%03d", t);
    users.member = absl::StrFormat("member-%03d", t);
    users.manager = absl::StrFormat("manager-%03d", t);
    if (auto s = AddTeam(store, users.team, zone_name); !s.ok()) return s;
    absl::StatusOr<std::string> token = AddUser(store, users.member, users.team, "member");
    if (!token.ok()) return token.status();
    users.member_token = *std::move(token);
    token = AddUser(store, users.manager, users.team, "manager");
    if (!token.ok()) return token.status();
    users.manager_token = *std::move(token);
    actors.push_back({{users.member, users.team, Role::kMember},
                      {users.manager, users.team, Role::kManager}});
  }

  std::mt19937_64 rng(20261125);  // fixed: the same database every run
  const int64_t clients_per_team = kClientsPerIncident * (incidents / teams + 1);
  std::uniform_int_distribution<int64_t> pick_client(0, clients_per_team - 1);
  std::uniform_int_distribution<int> pick_case(0, std::size(kCases) - 1);
  ClientHistory history;
  const absl::Time first_report = FirstReportTime(rules.calendar.zone());
  int64_t pruned = 0;

  for (int64_t first = 0; first < incidents; first += kChunk) {
    const int64_t n = std::min<int64_t>(kChunk, incidents - first);
    struct Reported {
      int64_t client;
      int case_index;
      v1::Incident incident;
    };
    std::vector<Reported> chunk;
    absl::Status s = store.Transact([&](WriteTransaction& txn) -> absl::Status {
      for (int64_t i = 0; i < n; ++i) {
        const int team = static_cast<int>((first + i) % teams);
        const int64_t c = pick_client(rng);
        const int case_index = pick_case(rng);
        const std::vector<Step> steps = PickSteps(rng);
        const Case& kase = kCases[case_index];
        v1::ReportIncidentRequest request;
        request.set_team(population.teams[team].team);
        request.mutable_client()->set_name(absl::StrCat(
            kClientStems[c % std::size(kClientStems)], " ", c / std::size(kClientStems) + 1));
        request.mutable_client()->set_contact("総務部 山田様");
        request.set_kind(kase.kind);
        request.set_severity(PickSeverity(rng));
        request.set_summary(kase.summary);
        request.set_details(kase.details);
        const int64_t client = team * clients_per_team + c;
        // One report a second: lists are newest first by time as well as by id.
        absl::StatusOr<v1::Incident> incident =
            Enact(txn, request, history.Earlier(client), steps, actors[team],
                  first_report + absl::Seconds(first + i), rules, population.events);
        if (!incident.ok()) return incident.status();
        chunk.push_back({client, case_index, *std::move(incident)});
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;

    for (const Reported& r : chunk) history.Add(r.client, r.incident, r.case_index);
    population.incidents += n;
    if (const int64_t excess = population.events - pruned - kStreamKept; excess > 0) {
      if (auto through = store.PruneStream(absl::InfiniteFuture(), excess); !through.ok()) {
        return through.status();
      }
      pruned += excess;
    }
  }
  return population;
}

}  // namespace amends::bench
