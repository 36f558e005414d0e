#include "server/core/notices.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/time_proto.h"

namespace amends {
namespace {

using v1::Deadline;
using v1::Incident;
using v1::Notification;
using Reason = Notification::Reason;

const Deadline* FindDeadline(const Incident& incident, absl::string_view key) {
  for (const Deadline& d : incident.deadlines()) {
    if (d.key() == key) return &d;
  }
  return nullptr;
}

// A notice about deadline `d`, to whoever it names: the managers of a team, or its person.
Notice AboutDeadline(Reason reason, const Deadline& d, bool urgent) {
  Notice n{.reason = reason, .urgent = urgent, .deadline_key = d.key(), .what = d.what()};
  if (d.managers_of().empty()) {
    n.user = d.user();
  } else {
    n.managers_of = d.managers_of();
  }
  if (d.has_due()) n.due = FromProto(d.due());
  return n;
}

// The deadline a breach event changed: newly breached, or moved up the chain (a breached
// approval asked again of the next level keeps no breached_at, but its level rises).
const Deadline* Breached(const Incident& before, const Incident& next) {
  for (const Deadline& d : next.deadlines()) {
    const Deadline* was = FindDeadline(before, d.key());
    if (was == nullptr) continue;
    if ((d.has_breached_at() && !was->has_breached_at()) || d.level() != was->level()) return &d;
  }
  return nullptr;
}

}  // namespace

std::vector<Notice> NoticesFor(const Incident& before, const Change& change,
                               const Rules& rules) {
  const Incident& next = change.incident;
  const v1::Event& event = change.event;
  const bool critical = next.severity() == v1::SEVERITY_CRITICAL;
  std::vector<Notice> out;
  auto to_user = [&](Reason reason, const std::string& user) {
    if (!user.empty()) out.push_back({.reason = reason, .user = user, .urgent = critical});
  };

  switch (event.type()) {
    case v1::EVENT_TYPE_REPORTED: {
      auto tell_managers = [&](const std::string& team) {
        out.push_back(
            {.reason = Notification::REASON_REPORTED, .managers_of = team, .urgent = true});
      };
      if (rules.policy.For(next.severity()).tell_managers_on_report) tell_managers(next.team());
      for (const ChainLevel& level : rules.policy.TellOnReport(next.kind(), next.severity())) {
        tell_managers(level.kind == ChainLevel::Kind::kTeam ? level.team : next.team());
      }
      // Harassment and conduct go to the managers for approval as they are reported.
      if (const Deadline* d = FindDeadline(next, "approve")) {
        out.push_back(AboutDeadline(Notification::REASON_APPROVAL_ASKED, *d, critical));
      }
      // A case reported for someone else (a bulk hand-over's checklist) is theirs to act on;
      // the hand-over tells them of it (OutboxRows' extra notices).
      break;
    }
    case v1::EVENT_TYPE_ESCALATED:
      if (const Deadline* d = FindDeadline(next, "approve")) {
        out.push_back(AboutDeadline(Notification::REASON_APPROVAL_ASKED, *d, critical));
      }
      break;
    case v1::EVENT_TYPE_ESCALATION_APPROVED:
      to_user(Notification::REASON_APPROVED, next.owner());
      break;
    case v1::EVENT_TYPE_ESCALATION_DECLINED:
      to_user(Notification::REASON_DECLINED, next.owner());
      break;
    case v1::EVENT_TYPE_ASSIGNED:
      if (next.owner() != before.owner()) to_user(Notification::REASON_HANDED_OVER, next.owner());
      break;
    case v1::EVENT_TYPE_HANDED_OVER:  // the successor gets one message for the whole hand-over
      break;
    case v1::EVENT_TYPE_VISIT_SCHEDULED:
      for (const std::string& attendee : next.visit().attendees()) {
        to_user(Notification::REASON_VISIT_SCHEDULED, attendee);
      }
      break;
    case v1::EVENT_TYPE_REMINDER:
      // Fire() records the reminder it sends as the newest notice.
      if (next.reminders_size() > 0) {
        const v1::ReminderNotice& r = next.reminders(next.reminders_size() - 1);
        Notice n{.reason = Notification::REASON_REMINDER,
                 .user = r.managers_of().empty() ? r.user() : "",
                 .managers_of = r.managers_of(),
                 .urgent = critical,
                 .deadline_key = r.deadline_key(),
                 .what = r.what(),
                 .due = FromProto(r.due())};
        if (!n.user.empty() || !n.managers_of.empty()) out.push_back(std::move(n));
      }
      break;
    case v1::EVENT_TYPE_DEADLINE_BREACHED:
      if (const Deadline* d = Breached(before, next)) {
        // A breached approval asked of the next level is a request to approve; any other
        // breach tells the level it reached.
        const bool asked_again = d->key() == "approve" && !d->has_breached_at();
        out.push_back(AboutDeadline(
            asked_again ? Notification::REASON_APPROVAL_ASKED : Notification::REASON_BREACH, *d,
            critical || d->wall_clock()));
        if (!asked_again && d->has_breached_at()) out.back().due = FromProto(d->breached_at());
      }
      break;
    case v1::EVENT_TYPE_OFFER_MADE: {
      const v1::Offer& o = next.offers(next.offers_size() - 1);
      if (const Deadline* d = FindDeadline(next, OfferKey(o.number()))) {
        out.push_back(AboutDeadline(Notification::REASON_APPROVAL_ASKED, *d, critical));
      }
      break;
    }
    case v1::EVENT_TYPE_OFFER_APPROVED:
    case v1::EVENT_TYPE_OFFER_DECLINED:
      for (int i = 0; i < next.offers_size(); ++i) {
        if (i < before.offers_size() && before.offers(i).state() != next.offers(i).state()) {
          out.push_back({.reason = Notification::REASON_OFFER_DECIDED,
                         .user = next.offers(i).offered_by(),
                         .urgent = critical,
                         .deadline_key = OfferKey(next.offers(i).number())});
        }
      }
      break;
    case v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED:
      for (int i = 0; i < next.measures_size() && i < before.measures_size(); ++i) {
        if (before.measures(i).has_done_at() && !next.measures(i).has_done_at()) {
          const std::string key = absl::StrCat("measure-", next.measures(i).number());
          Notice n{.reason = Notification::REASON_MEASURE_REOPENED,
                   .user = next.measures(i).owner(),
                   .urgent = critical,
                   .deadline_key = key};
          if (const Deadline* d = FindDeadline(next, key)) {
            n.what = d->what();
            n.due = FromProto(d->due());
          }
          out.push_back(std::move(n));
        }
      }
      break;
    // Notes, apologies, measures, plans, follow-ups, holds, checklists: nobody needs a message.
    // The client's expectation, the cause, the manager's apology, updates to the client and
    // delivered offers show on the case; a verified measure needs nobody.
    case v1::EVENT_TYPE_EXPECTATION_RECORDED:
    case v1::EVENT_TYPE_CAUSE_RECORDED:
    case v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED:
    case v1::EVENT_TYPE_OFFER_DELIVERED:
    case v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED:
    case v1::EVENT_TYPE_MEASURE_VERIFIED:
    case v1::EVENT_TYPE_UNSPECIFIED:
    case v1::EVENT_TYPE_NOTE_ADDED:
    case v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED:
    case v1::EVENT_TYPE_VISIT_RECORDED:
    case v1::EVENT_TYPE_MEASURE_ADDED:
    case v1::EVENT_TYPE_MEASURE_COMPLETED:
    case v1::EVENT_TYPE_PLAN_PRESENTED:
    case v1::EVENT_TYPE_FOLLOW_UP_LOGGED:
    case v1::EVENT_TYPE_CLOSED:
    case v1::EVENT_TYPE_REOPENED:
    case v1::EVENT_TYPE_PROMISE_MADE:
    case v1::EVENT_TYPE_PROMISE_KEPT:
    case v1::EVENT_TYPE_HELD:
    case v1::EVENT_TYPE_RESUMED:
    case v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED:
    case v1::EVENT_TYPE_RESPONSE_DECIDED:
    case v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED:
    case v1::EVENT_TYPE_CHECKLIST_ITEM_DONE:
    // A correction shows on the case; a measure's new owner finds it in their inbox, where its
    // deadline now names them.
    case v1::EVENT_TYPE_CORRECTED:
    case v1::EVENT_TYPE_MEASURE_ASSIGNED:
    case v1::EventType_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::EventType_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  // Nobody is told of what they did themselves.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const Notice& n) { return n.user == event.actor(); }),
            out.end());
  return out;
}

std::optional<Notice> TeamChannelNotice(const Incident& before, const Change& change) {
  const Incident& next = change.incident;
  if (next.confidential()) return std::nullopt;
  // About deadline `d`, to the channel rather than to whom the deadline names.
  auto about = [](Reason reason, const Deadline& d) {
    Notice n = AboutDeadline(reason, d, /*urgent=*/false);
    n.user.clear();
    n.managers_of.clear();
    return n;
  };
  switch (change.event.type()) {
    case v1::EVENT_TYPE_REPORTED:
      return Notice{.reason = Notification::REASON_REPORTED};
    case v1::EVENT_TYPE_ESCALATED:
      if (const Deadline* d = FindDeadline(next, "approve")) {
        return about(Notification::REASON_APPROVAL_ASKED, *d);
      }
      return std::nullopt;
    case v1::EVENT_TYPE_ESCALATION_APPROVED:
      return Notice{.reason = Notification::REASON_APPROVED};
    case v1::EVENT_TYPE_ESCALATION_DECLINED:
      return Notice{.reason = Notification::REASON_DECLINED};
    case v1::EVENT_TYPE_DEADLINE_BREACHED:
      if (const Deadline* d = Breached(before, next); d != nullptr && d->has_breached_at()) {
        Notice n = about(Notification::REASON_BREACH, *d);
        n.due = FromProto(d->breached_at());
        return n;
      }
      return std::nullopt;
    case v1::EVENT_TYPE_CLOSED:
      return Notice{.reason = Notification::REASON_CLOSED};
    // The rest is the people's business, or the team's in amends itself.
    case v1::EVENT_TYPE_UNSPECIFIED:
    case v1::EVENT_TYPE_NOTE_ADDED:
    case v1::EVENT_TYPE_ASSIGNED:
    case v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED:
    case v1::EVENT_TYPE_VISIT_SCHEDULED:
    case v1::EVENT_TYPE_VISIT_RECORDED:
    case v1::EVENT_TYPE_MEASURE_ADDED:
    case v1::EVENT_TYPE_MEASURE_COMPLETED:
    case v1::EVENT_TYPE_PLAN_PRESENTED:
    case v1::EVENT_TYPE_FOLLOW_UP_LOGGED:
    case v1::EVENT_TYPE_REOPENED:
    case v1::EVENT_TYPE_REMINDER:
    case v1::EVENT_TYPE_PROMISE_MADE:
    case v1::EVENT_TYPE_PROMISE_KEPT:
    case v1::EVENT_TYPE_HELD:
    case v1::EVENT_TYPE_RESUMED:
    case v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED:
    case v1::EVENT_TYPE_RESPONSE_DECIDED:
    case v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED:
    case v1::EVENT_TYPE_CHECKLIST_ITEM_DONE:
    case v1::EVENT_TYPE_HANDED_OVER:
    case v1::EVENT_TYPE_CORRECTED:
    case v1::EVENT_TYPE_MEASURE_ASSIGNED:
    // Compensation and the client's words are not for a channel.
    case v1::EVENT_TYPE_EXPECTATION_RECORDED:
    case v1::EVENT_TYPE_CAUSE_RECORDED:
    case v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED:
    case v1::EVENT_TYPE_OFFER_MADE:
    case v1::EVENT_TYPE_OFFER_APPROVED:
    case v1::EVENT_TYPE_OFFER_DECLINED:
    case v1::EVENT_TYPE_OFFER_DELIVERED:
    case v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED:
    case v1::EVENT_TYPE_MEASURE_VERIFIED:
    case v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED:
    case v1::EventType_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::EventType_INT_MAX_SENTINEL_DO_NOT_USE_:
      return std::nullopt;
  }
  return std::nullopt;
}

absl::Time DeliverNotBefore(const Notice& notice, const BusinessCalendar& recipient_calendar,
                            absl::Time now) {
  if (notice.urgent) return now;
  const absl::Time at = recipient_calendar.NextWorkingTime(now);
  // A reminder that would wait until its deadline is due goes at once: held until the due time
  // itself, "30 minutes before" a Saturday call-back would arrive as the promise is broken.
  if (notice.reason == Notification::REASON_REMINDER && notice.due && at >= *notice.due) {
    return now;
  }
  return at;
}

}  // namespace amends
