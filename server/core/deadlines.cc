#include "server/core/deadlines.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "server/core/kinds.h"
#include "server/core/offers.h"
#include "server/core/time_proto.h"

namespace amends {
namespace {

using v1::Deadline;
using v1::Incident;

// How many unacknowledged reminders an incident keeps; the oldest go first.
constexpr int kMaxNotices = 50;

constexpr absl::string_view kFirstApology = "first-apology";
constexpr absl::string_view kUpdate = "update";
constexpr absl::string_view kEscalate = "escalate";
constexpr absl::string_view kApprove = "approve";
constexpr absl::string_view kFollowUpPrefix = "follow-up-";

// The stage's own deadlines, as opposed to measures and promises: the ones a hold pauses and
// a change of stage replaces.
bool IsStageDeadline(const Deadline& d) {
  return !absl::StartsWith(d.key(), "measure-") && !absl::StartsWith(d.key(), "promise-") &&
         !IsOfferKey(d.key());
}

// Owed to the client across stages until met, not replaced when the incident moves on.
bool IsCarried(const Deadline& d) {
  return d.key() == kFirstApology || d.key() == kManagerApologyKey || d.key() == kUpdate;
}

// Owed to the client whatever the client is doing: a hold never pauses them.
bool NeverWaits(const Deadline& d) {
  return d.key() == kFirstApology || d.key() == kManagerApologyKey;
}

// Whether the client is owed updates (amends update): a client-facing case from its report
// until its plan is presented.
bool OwesUpdates(const Incident& incident) {
  switch (incident.state()) {
    case v1::STATE_REPORTED:
    case v1::STATE_ESCALATED:
    case v1::STATE_APOLOGY_VISIT:
    case v1::STATE_PREVENTION_PLAN:
      return IsClientFacing(incident.kind());
    case v1::STATE_FOLLOW_UP:
    case v1::STATE_CLOSED:
    case v1::STATE_UNSPECIFIED:
    case v1::State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::State_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return false;
}

bool IsHeld(const Deadline& d) { return d.has_held_left(); }

std::string LocalTime(absl::Time t, const Rules& rules) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, rules.calendar.zone());
}

const SeverityRules& SeverityOf(const Incident& incident, const Rules& rules) {
  return rules.policy.For(incident.severity());
}

// The reminder times of a deadline running from `start` to its due time: each lead of the
// policy that falls strictly between the two, soonest first.
void SetReminders(Deadline& d, absl::Time start, const Rules& rules,
                  const SeverityRules& severity) {
  d.clear_reminders();
  const absl::Time due = FromProto(d.due());
  const absl::Duration total = rules.calendar.Between(start, due, d.wall_clock());
  std::vector<absl::Time> times;
  for (const ReminderLead& lead : severity.reminders) {
    const absl::Duration gone =
        lead.fraction_gone > 0 ? total * lead.fraction_gone : total - lead.before;
    if (gone <= absl::ZeroDuration() || gone >= total) continue;
    times.push_back(rules.calendar.AddTime(start, gone, d.wall_clock()));
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  for (absl::Time t : times) *d.add_reminders() = ToProto(t);
}

Deadline MakeDeadline(absl::string_view key, std::string what, absl::Time start, absl::Time due,
                      bool wall_clock, const Incident& incident, const Rules& rules) {
  const SeverityRules& severity = SeverityOf(incident, rules);
  Deadline d;
  d.set_key(std::string(key));
  d.set_what(std::move(what));
  *d.mutable_due() = ToProto(due);
  *d.mutable_started_at() = ToProto(start);
  d.set_wall_clock(wall_clock);
  SetReminders(d, start, rules, severity);
  return d;
}

// A deadline of the current stage, `within` from now.
Deadline StageDeadline(absl::string_view key, std::string what, Span within,
                       const Incident& incident, const Rules& rules, absl::Time now) {
  const bool wall = SeverityOf(incident, rules).wall_clock;
  Deadline d = MakeDeadline(key, std::move(what), now, rules.calendar.Add(now, within, wall),
                            wall, incident, rules);
  d.set_user(incident.owner());
  return d;
}

// What the stage asks of the case's kind, for people: `what[playbook]`.
std::string WhatFor(const Incident& incident, const std::array<absl::string_view, 4>& what) {
  static_assert(std::size(kAllPlaybooks) == 4);
  return std::string(what[static_cast<int>(PlaybookOf(incident.kind()))]);
}

// The deadlines of the stage the incident just entered from `from`, as its kind's policy says.
void EnterStage(Incident& incident, v1::State from, const Rules& rules, absl::Time now,
                std::vector<Deadline>& out) {
  const SeverityRules& s = SeverityOf(incident, rules);
  const KindRules& kind = rules.policy.ForKind(incident.kind());
  auto add = [&](absl::string_view key, std::string what, Span within) {
    out.push_back(StageDeadline(key, std::move(what), within, incident, rules, now));
  };
  switch (incident.state()) {
    case v1::STATE_REPORTED:
      if (kind.first_apology_due && !incident.has_first_apology() &&
          std::none_of(out.begin(), out.end(),
                       [](const Deadline& d) { return d.key() == kFirstApology; })) {
        add(kFirstApology, "first apology to the client", s.first_apology_within);
      }
      // After a decline the manager has decided: asking again would only loop.
      if (from != v1::STATE_ESCALATED) add(kEscalate, "escalate to a manager", s.escalate_within);
      return;
    case v1::STATE_ESCALATED: {
      // By playbook: client-facing, harassment, conduct, hand-over (never escalated).
      Deadline d = StageDeadline(kApprove,
                                 WhatFor(incident, {"approve or decline the escalation",
                                                    "take the harassment case on (approve)",
                                                    "take the conduct case on (approve)", ""}),
                                 s.approve_within, incident, rules, now);
      d.clear_user();
      d.set_managers_of(incident.team());
      d.set_level(1);  // approval is first asked of the team's own managers
      out.push_back(std::move(d));
      return;
    }
    case v1::STATE_APOLOGY_VISIT:
      add("visit", WhatFor(incident, {"apology visit", "", "", "introduction of the successor"}),
          s.visit_within);
      // The approving manager apologises in their own name (DOMAIN.md case 2).
      if (from == v1::STATE_ESCALATED && s.manager_apology_due &&
          IsClientFacing(incident.kind()) && !incident.has_manager_apology()) {
        Deadline d = StageDeadline(kManagerApologyKey, "the manager's own apology to the client",
                                   s.manager_apology_within, incident, rules, now);
        if (!incident.manager().empty()) d.set_user(incident.manager());
        out.push_back(std::move(d));
      }
      return;
    case v1::STATE_PREVENTION_PLAN:
      add("plan",
          WhatFor(incident, {"present the prevention plan",
                             "decide the response and the measures protecting the employee",
                             "decide the measures (reassignment, guidance)", ""}),
          s.plan_within);
      return;
    case v1::STATE_FOLLOW_UP: {
      const size_t planned =
          kind.follow_ups < 0 ? s.follow_up_after.size()
                              : std::min<size_t>(kind.follow_ups, s.follow_up_after.size());
      for (size_t i = 0; i < planned; ++i) {
        // Harassment: the follow-ups are with the employee, not the client.
        add(absl::StrCat(kFollowUpPrefix, i + 1),
            absl::StrCat(WhatFor(incident, {"follow-up contact", "follow-up with the employee",
                                            "follow-up contact", "follow-up contact"}),
                         " ", i + 1),
            s.follow_up_after[i]);
      }
      return;
    }
    case v1::STATE_UNSPECIFIED:
    case v1::STATE_CLOSED:
    case v1::State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::State_INT_MAX_SENTINEL_DO_NOT_USE_:
      return;
  }
}

// Whether a stage deadline that already exists has been met by the change.
bool Met(const Deadline& d, const Incident& before, const Incident& incident) {
  if (d.key() == kFirstApology) return incident.has_first_apology();
  if (d.key() == kManagerApologyKey) return incident.has_manager_apology();
  // An update was given (the next one is due from it), or none is owed any more.
  if (d.key() == kUpdate) {
    return incident.client_updates_size() != before.client_updates_size() ||
           !OwesUpdates(incident);
  }
  if (absl::StartsWith(d.key(), kFollowUpPrefix)) {
    const int logged = std::count_if(
        incident.follow_ups().begin(), incident.follow_ups().end(),
        [&](const v1::FollowUp& f) { return f.round() == incident.round(); });
    return logged >= std::stoi(d.key().substr(kFollowUpPrefix.size()));
  }
  return false;
}

void SortDeadlines(Incident& incident) {
  auto* ds = incident.mutable_deadlines();
  // Held deadlines have no due time; they go last.
  std::stable_sort(ds->begin(), ds->end(), [](const Deadline& a, const Deadline& b) {
    if (a.has_due() != b.has_due()) return a.has_due();
    return FromProto(a.due()) < FromProto(b.due());
  });
}

std::string Audience(const Deadline& d) {
  if (!d.managers_of().empty()) return absl::StrCat("managers of ", d.managers_of());
  return d.user();
}

enum class Point { kHoldEnd, kAutoEscalate, kBreach, kReminder };

struct Due {
  absl::Time at;
  Point point;
  int index = -1;  // the deadline, for kBreach and kReminder
};

// The earliest pending point. Points missed while the server was down fire in their order,
// each once: a late reminder still tells its addressee, in writing, what was due.
std::optional<Due> Earliest(const Incident& incident) {
  std::optional<Due> best;
  auto offer = [&](absl::Time at, Point point, int index) {
    if (!best || at < best->at) best = Due{at, point, index};
  };
  if (incident.has_hold() && incident.hold().has_until()) {
    offer(FromProto(incident.hold().until()), Point::kHoldEnd, -1);
  }
  for (int i = 0; i < incident.deadlines_size(); ++i) {
    const Deadline& d = incident.deadlines(i);
    if (IsHeld(d)) continue;
    if (d.has_breached_at()) {
      // The breach is recorded; its action is still owed.
      if (d.key() == kEscalate && incident.state() == v1::STATE_REPORTED) {
        offer(FromProto(d.breached_at()), Point::kAutoEscalate, i);
      }
      continue;
    }
    if (d.reminders_size() > 0) offer(FromProto(d.reminders(0)), Point::kReminder, i);
    offer(FromProto(d.due()), Point::kBreach, i);
  }
  return best;
}

v1::Event SystemEvent(const Incident& next, v1::EventType type, v1::State from,
                      absl::Time now, std::string text) {
  v1::Event e;
  e.set_incident_id(next.id());
  e.set_type(type);
  e.set_actor(std::string(kSystemActor));
  *e.mutable_time() = ToProto(now);
  e.set_from_state(from);
  e.set_to_state(next.state());
  e.set_text(std::move(text));
  return e;
}

std::string Remind(Incident& next, int index, const Rules& rules, absl::Time now) {
  Deadline& d = *next.mutable_deadlines(index);
  d.mutable_reminders()->erase(d.mutable_reminders()->begin());
  v1::ReminderNotice* n = next.add_reminders();
  n->set_deadline_key(d.key());
  n->set_what(d.what());
  *n->mutable_due() = d.due();
  n->set_user(d.managers_of().empty() ? d.user() : "");
  n->set_managers_of(d.managers_of());
  *n->mutable_fired_at() = ToProto(now);
  if (next.reminders_size() > kMaxNotices) {
    next.mutable_reminders()->erase(next.mutable_reminders()->begin());
  }
  return absl::StrCat("reminder to ", Audience(d), ": ", d.what(), ", due ",
                      LocalTime(FromProto(d.due()), rules));
}

std::string Breach(Incident& next, int index, const Rules& rules, absl::Time now) {
  Deadline& d = *next.mutable_deadlines(index);
  const SeverityRules& severity = SeverityOf(next, rules);
  const std::string was =
      absl::StrCat(d.what(), " was due ", LocalTime(FromProto(d.due()), rules));
  d.clear_reminders();
  const size_t level = d.level() + 1;
  if (level < severity.chain.size()) {
    d.set_level(level);
    if (std::string team = ManagersAt(severity.chain[level], next); !team.empty()) {
      d.set_managers_of(team);
    }
  }
  if (d.key() == kApprove && static_cast<size_t>(d.level()) == level) {
    // Nobody decided: ask the next level, with a fresh clock of its own.
    *d.mutable_due() =
        ToProto(rules.calendar.Add(now, severity.approve_within, d.wall_clock()));
    *d.mutable_started_at() = ToProto(now);
    SetReminders(d, now, rules, severity);
    return absl::StrCat(was, "; now asking ", Audience(d), ", due ",
                        LocalTime(FromProto(d.due()), rules));
  }
  *d.mutable_breached_at() = d.due();
  if (d.key() == kEscalate) return absl::StrCat(was, "; escalating automatically");
  if (static_cast<size_t>(d.level()) != level) {
    return absl::StrCat(was, "; the escalation chain has no further level");
  }
  return absl::StrCat(was, "; told ", Audience(d));
}

}  // namespace

std::string OfferKey(int number) { return absl::StrCat("offer-", number); }

bool IsOfferKey(absl::string_view key) { return absl::StartsWith(key, "offer-"); }

void UpdateDeadlines(Incident& next, const Incident& before, const Rules& rules,
                     absl::Time now) {
  if (next.state() == v1::STATE_CLOSED) {
    next.clear_deadlines();
    next.clear_reminders();
    next.clear_hold();
    return;
  }
  const bool entered = next.state() != before.state();
  std::vector<Deadline> kept;
  std::vector<std::string> met;  // keys a later deadline may take again ("update")
  for (const Deadline& d : next.deadlines()) {
    if (!IsStageDeadline(d)) continue;  // rebuilt below from the measures and promises
    // The first apology is owed until it is made, whatever stage the incident has reached.
    if (Met(d, before, next)) {
      met.push_back(d.key());
      continue;
    }
    if (entered && !IsCarried(d)) continue;
    kept.push_back(d);
    // The owner's deadlines go with the case; the manager's own apology stays theirs.
    if (kept.back().user() == before.owner() && d.key() != kManagerApologyKey) {
      kept.back().set_user(next.owner());
    }
  }
  if (entered) {
    next.clear_hold();  // a hold is for the stage the team was waiting in
    EnterStage(next, before.state(), rules, now, kept);
  }
  if (OwesUpdates(next) && SeverityOf(next, rules).updates_due && std::none_of(kept.begin(), kept.end(), [](const Deadline& d) {
        return d.key() == kUpdate;
      })) {
    kept.push_back(StageDeadline(kUpdate, "an update to the client",
                                 SeverityOf(next, rules).update_every, next, rules, now));
  }

  // Open measures of this round and open promises, each keeping what it has fired so far.
  auto existing = [&](absl::string_view key) -> const Deadline* {
    for (const Deadline& d : next.deadlines()) {
      if (d.key() == key) return &d;
    }
    return nullptr;
  };
  auto track = [&](std::string key, std::string what, const google::protobuf::Timestamp& due,
                   const std::string& user, bool wall_clock) {
    if (const Deadline* d = existing(key)) {
      kept.push_back(*d);
      kept.back().set_user(user);  // a hand-over moves promises to the new owner
      return;
    }
    Deadline d =
        MakeDeadline(key, std::move(what), now, FromProto(due), wall_clock, next, rules);
    d.set_user(user);
    kept.push_back(std::move(d));
  };
  for (const v1::PreventionMeasure& m : next.measures()) {
    if (m.round() != next.round() || m.has_done_at()) continue;
    track(absl::StrCat("measure-", m.number()), absl::StrCat("measure ", m.number(), ": ",
                                                             m.text()),
          m.due(), m.owner(), SeverityOf(next, rules).wall_clock);
  }
  for (const v1::Promise& p : next.promises()) {
    if (p.has_kept_at()) continue;
    track(absl::StrCat("promise-", p.number()),
          absl::StrCat("promise ", p.number(), ": ", p.text()), p.by(), p.owner(),
          // A promise is to a time the client heard ("by 15:00"), so its reminders run on the
          // clock: "30 minutes before" a Saturday call-back is on Saturday.
          /*wall_clock=*/true);
  }

  // Offers waiting for approval, asked of the level the amount needs (offers.h); one above
  // every level's limit is an admin's, which the chain's top level is asked to obtain.
  for (const v1::Offer& o : next.offers()) {
    if (o.state() != v1::Offer::STATE_ASKED) continue;
    const std::string key = OfferKey(o.number());
    if (const Deadline* d = existing(key)) {
      kept.push_back(*d);
      continue;
    }
    const SeverityRules& s = SeverityOf(next, rules);
    const std::string what = absl::StrCat(
        o.approver_level() == 0 ? "have an admin approve or decline offer "
                                : "approve or decline offer ",
        o.number(), ": ", OfferKindName(o.kind()), " ", FormatYen(o.amount_yen()));
    Deadline d = StageDeadline(key, what, s.approve_within, next, rules, now);
    d.clear_user();
    const int level = o.approver_level() > 0 ? o.approver_level()
                                             : static_cast<int>(s.chain.size()) - 1;
    d.set_level(level);
    d.set_managers_of(level > 0 ? ManagersAt(s.chain[level], next) : next.team());
    kept.push_back(std::move(d));
  }

  next.mutable_deadlines()->Assign(kept.begin(), kept.end());
  SortDeadlines(next);
  // A reminder of a deadline that is met no longer needs anyone, even when the next one of its
  // kind takes its key (the next update to the client).
  auto* notices = next.mutable_reminders();
  notices->erase(std::remove_if(notices->begin(), notices->end(),
                                [&](const v1::ReminderNotice& n) {
                                  return existing(n.deadline_key()) == nullptr ||
                                         std::find(met.begin(), met.end(), n.deadline_key()) !=
                                             met.end();
                                }),
                 notices->end());
}

namespace {

// How long a stage deadline of `key` runs under a severity and a kind; nullopt when the kind
// does not have it (no first apology owed, fewer follow-ups planned).
std::optional<Span> WithinFor(absl::string_view key, const SeverityRules& s,
                              const KindRules& kind) {
  if (key == kFirstApology) {
    return kind.first_apology_due ? std::optional(s.first_apology_within) : std::nullopt;
  }
  // Both are client-facing only, and a kind correction stays within the playbook.
  if (key == kManagerApologyKey) {
    return s.manager_apology_due ? std::optional(s.manager_apology_within) : std::nullopt;
  }
  if (key == kUpdate) return s.updates_due ? std::optional(s.update_every) : std::nullopt;
  if (key == kEscalate) return s.escalate_within;
  if (key == kApprove) return s.approve_within;
  if (key == "visit") return s.visit_within;
  if (key == "plan") return s.plan_within;
  int n = 0;
  if (absl::ConsumePrefix(&key, kFollowUpPrefix) && absl::SimpleAtoi(key, &n) && n >= 1) {
    const size_t planned =
        kind.follow_ups < 0 ? s.follow_up_after.size()
                            : std::min<size_t>(kind.follow_ups, s.follow_up_after.size());
    if (static_cast<size_t>(n) <= planned) return s.follow_up_after[n - 1];
  }
  return std::nullopt;
}

google::protobuf::Duration ToDurationProto(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t micros = absl::ToInt64Microseconds(d);
  out.set_seconds(micros / 1000000);
  out.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return out;
}

absl::Duration FromDurationProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace

void RecomputeStageDeadlines(Incident& next, const Incident& before, const Rules& rules,
                             absl::Time now) {
  const SeverityRules& was = rules.policy.For(before.severity());
  const SeverityRules& is = rules.policy.For(next.severity());
  const KindRules& was_kind = rules.policy.ForKind(before.kind());
  const KindRules& is_kind = rules.policy.ForKind(next.kind());
  const int direction = next.severity() - before.severity();  // > 0: raised
  std::vector<Deadline> kept;
  for (const Deadline& old : next.deadlines()) {
    if (!IsStageDeadline(old) || old.has_breached_at()) {
      kept.push_back(old);
      continue;
    }
    const std::optional<Span> old_within = WithinFor(old.key(), was, was_kind);
    const std::optional<Span> new_within = WithinFor(old.key(), is, is_kind);
    if (!new_within) continue;  // the corrected kind does not have it
    if (!old_within) {
      kept.push_back(old);
      continue;
    }
    Deadline d = old;
    const absl::Time start = old.has_started_at() ? FromProto(old.started_at()) : now;
    const absl::Time old_end = rules.calendar.Add(start, *old_within, old.wall_clock());
    const absl::Time new_end = rules.calendar.Add(start, *new_within, is.wall_clock);
    d.set_wall_clock(is.wall_clock);
    if (IsHeld(old)) {
      // The time left moves by what the new span adds or takes away.
      const absl::Duration shift = rules.calendar.Between(start, new_end, is.wall_clock) -
                                   rules.calendar.Between(start, old_end, old.wall_clock());
      const absl::Duration was_left = FromDurationProto(old.held_left());
      absl::Duration left = std::max(absl::ZeroDuration(), was_left + shift);
      if (direction > 0) left = std::min(left, was_left);
      if (direction < 0) left = std::max(left, was_left);
      *d.mutable_held_left() = ToDurationProto(left);
      d.clear_held_reminders_left();
      for (const auto& r : old.held_reminders_left()) {
        const absl::Duration at = FromDurationProto(r) + (left - was_left);
        if (at > absl::ZeroDuration()) *d.add_held_reminders_left() = ToDurationProto(at);
      }
      kept.push_back(std::move(d));
      continue;
    }
    // The time a hold added to the old due time stays added.
    const absl::Time old_due = FromProto(old.due());
    const absl::Duration held = rules.calendar.Between(old_end, old_due, old.wall_clock());
    absl::Time due = rules.calendar.AddTime(new_end, held, is.wall_clock);
    if (direction > 0) due = std::min(due, old_due);
    if (direction < 0) due = std::max(due, old_due);
    *d.mutable_due() = ToProto(due);
    SetReminders(d, start, rules, is);
    auto* reminders = d.mutable_reminders();
    reminders->erase(std::remove_if(reminders->begin(), reminders->end(),
                                    [&](const auto& r) { return FromProto(r) <= now; }),
                     reminders->end());
    kept.push_back(std::move(d));
  }
  next.mutable_deadlines()->Assign(kept.begin(), kept.end());
  SortDeadlines(next);
}

void PauseStageDeadlines(Incident& incident, const Rules& rules, absl::Time now) {
  for (Deadline& d : *incident.mutable_deadlines()) {
    if (!IsStageDeadline(d) || NeverWaits(d) || d.has_breached_at() || IsHeld(d)) {
      continue;
    }
    const auto left = [&](const google::protobuf::Timestamp& t) {
      const absl::Duration l = rules.calendar.Between(now, FromProto(t), d.wall_clock());
      return absl::ToInt64Microseconds(l);
    };
    auto set = [](google::protobuf::Duration* out, int64_t micros) {
      out->set_seconds(micros / 1000000);
      out->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    };
    set(d.mutable_held_left(), left(d.due()));
    for (const auto& r : d.reminders()) set(d.add_held_reminders_left(), left(r));
    d.clear_due();
    d.clear_reminders();
  }
  SortDeadlines(incident);
}

void ResumeStageDeadlines(Incident& incident, const Rules& rules, absl::Time now) {
  for (Deadline& d : *incident.mutable_deadlines()) {
    if (!IsHeld(d)) continue;
    const auto at = [&](const google::protobuf::Duration& left) {
      const absl::Duration l = absl::Seconds(left.seconds()) + absl::Nanoseconds(left.nanos());
      return ToProto(rules.calendar.AddTime(now, l, d.wall_clock()));
    };
    *d.mutable_due() = at(d.held_left());
    for (const auto& r : d.held_reminders_left()) *d.add_reminders() = at(r);
    d.clear_held_left();
    d.clear_held_reminders_left();
  }
  SortDeadlines(incident);
}

std::optional<absl::Time> NextWake(const Incident& incident) {
  std::optional<Due> e = Earliest(incident);
  if (!e) return std::nullopt;
  return e->at;
}

std::optional<absl::Time> NextDue(const Incident& incident) {
  std::optional<absl::Time> best;
  for (const Deadline& d : incident.deadlines()) {
    if (!d.has_due()) continue;
    const absl::Time due = FromProto(d.due());
    if (!best || due < *best) best = due;
  }
  return best;
}

std::string AskedTeam(const Incident& incident) {
  for (const Deadline& d : incident.deadlines()) {
    if (d.key() == kApprove && d.managers_of() != incident.team()) return d.managers_of();
  }
  // An offer above the team's managers' limit.
  for (const Deadline& d : incident.deadlines()) {
    if (IsOfferKey(d.key()) && !d.managers_of().empty() &&
        d.managers_of() != incident.team()) {
      return d.managers_of();
    }
  }
  return "";
}

std::optional<Change> AdoptDeadlines(const Incident& incident, const Rules& rules,
                                     absl::Time now) {
  if (incident.state() == v1::STATE_CLOSED || incident.deadlines_size() > 0) return std::nullopt;
  Change change{incident, {}};
  Incident& next = change.incident;
  Incident before = incident;
  before.set_state(v1::STATE_UNSPECIFIED);  // enter the current stage afresh
  UpdateDeadlines(next, before, rules, now);
  if (next.deadlines_size() == 0) return std::nullopt;
  next.set_version(incident.version() + 1);
  *next.mutable_updated_at() = ToProto(now);
  std::vector<std::string> set;
  for (const Deadline& d : next.deadlines()) {
    set.push_back(absl::StrCat(d.what(), " by ", LocalTime(FromProto(d.due()), rules)));
  }
  change.event = SystemEvent(next, v1::EVENT_TYPE_NOTE_ADDED, incident.state(), now,
                             absl::StrCat("deadlines set from the policy: ",
                                          absl::StrJoin(set, "; ")));
  return change;
}

std::optional<Change> Fire(const Incident& incident, const Rules& rules, absl::Time now) {
  std::optional<Due> due = Earliest(incident);
  if (!due || due->at > now) return std::nullopt;

  Change change{incident, {}};
  Incident& next = change.incident;
  next.set_version(incident.version() + 1);
  *next.mutable_updated_at() = ToProto(now);
  const v1::State from = incident.state();
  switch (due->point) {
    case Point::kHoldEnd: {
      const std::string text = absl::StrCat("the hold until ",
                                            LocalTime(FromProto(incident.hold().until()), rules),
                                            " ended: ", incident.hold().reason());
      // The clocks restart when the hold ended, not when amends noticed: a scheduler that
      // was down must not lengthen anyone's deadline.
      ResumeStageDeadlines(next, rules, FromProto(incident.hold().until()));
      next.clear_hold();
      change.event = SystemEvent(next, v1::EVENT_TYPE_RESUMED, from, now, text);
      break;
    }
    case Point::kAutoEscalate: {
      const Deadline& d = incident.deadlines(due->index);
      next.set_escalation_reason(absl::StrCat(d.what(), " was due ",
                                              LocalTime(FromProto(d.due()), rules),
                                              " and nobody did: escalated by amends"));
      next.set_state(v1::STATE_ESCALATED);
      // The managers' clock starts when they are asked, which is now even after an outage:
      // they cannot act on what nobody has told them.
      UpdateDeadlines(next, incident, rules, now);
      change.event = SystemEvent(next, v1::EVENT_TYPE_ESCALATED, from, now,
                                 next.escalation_reason());
      break;
    }
    case Point::kBreach: {
      std::string text = Breach(next, due->index, rules, now);
      SortDeadlines(next);
      change.event = SystemEvent(next, v1::EVENT_TYPE_DEADLINE_BREACHED, from, now,
                                 std::move(text));
      break;
    }
    case Point::kReminder:
      change.event = SystemEvent(next, v1::EVENT_TYPE_REMINDER, from, now,
                                 Remind(next, due->index, rules, now));
      break;
  }
  return change;
}

}  // namespace amends
