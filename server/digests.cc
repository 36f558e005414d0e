#include "server/digests.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "server/authenticator.h"
#include "server/core/business_calendar.h"
#include "server/core/contact.h"
#include "server/core/notification_text.h"
#include "server/core/time_proto.h"
#include "server/outbox.h"

namespace amends {
namespace {

// How far back the previous working day is looked for (a long holiday).
constexpr int kMaxDaysOff = 21;

// The opening of `day` in `calendar`, or nullopt on a day off.
std::optional<absl::Time> OpeningOf(absl::CivilDay day, const BusinessCalendar& calendar) {
  const absl::Time opening = calendar.NextWorkingTime(absl::FromCivil(day, calendar.zone()));
  if (absl::ToCivilDay(opening, calendar.zone()) != day) return std::nullopt;
  return opening;
}

// Every open incident of `team` and those an escalation chain asks of it.
absl::StatusOr<std::vector<v1::Incident>> OpenIncidentsOf(Store& store, const std::string& team) {
  std::vector<v1::Incident> all;
  for (IncidentQuery q : {IncidentQuery{.team = team, .open_only = true, .limit = 500},
                          IncidentQuery{.open_only = true, .asked_team = team, .limit = 500}}) {
    for (;;) {
      absl::StatusOr<std::vector<v1::Incident>> page = store.ListIncidents(q);
      if (!page.ok()) return page.status();
      if (static_cast<int>(page->size()) == q.limit) q.before_id = page->back().id();
      for (v1::Incident& i : *page) {
        if (q.team.empty() && i.team() == team) continue;  // already in the first
        all.push_back(std::move(i));
      }
      if (static_cast<int>(page->size()) < q.limit) break;
    }
  }
  return all;
}

}  // namespace

int Digests::RunDue() {
  absl::MutexLock run(&run_mu_);
  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<Team>> teams = store_.ListTeams();
  absl::StatusOr<std::vector<User>> users = store_.ListUsers();
  if (!teams.ok() || !users.ok()) {
    std::cerr << "amendsd: digests: "
              << (teams.ok() ? users.status() : teams.status()).message() << std::endl;
    return 0;
  }
  int written = 0;
  for (const Team& team : *teams) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(team.time_zone, &zone)) continue;
    absl::StatusOr<BusinessCalendar> calendar =
        BusinessCalendar::Make(zone, policy_.calendar(), team.calendar);
    if (!calendar.ok()) continue;
    const absl::CivilDay today = absl::ToCivilDay(now, zone);
    const std::optional<absl::Time> opening = OpeningOf(today, *calendar);
    if (!opening || now < *opening) continue;  // a day off, or not begun
    absl::Time since = *opening - absl::Hours(24);
    for (int back = 1; back <= kMaxDaysOff; ++back) {
      if (std::optional<absl::Time> o = OpeningOf(today - back, *calendar)) {
        since = *o;
        break;
      }
    }
    std::optional<std::vector<v1::Incident>> incidents;  // read once a manager needs them
    for (const User& user : *users) {
      if (user.team != team.name || user.role != "manager" || !user.active || !user.has_token) {
        continue;
      }
      const std::string key = absl::StrCat(user.name, "\n", absl::FormatCivilTime(today));
      if (settled_.contains(key)) continue;
      absl::StatusOr<Actor> manager = ToActor(user);
      if (!manager.ok()) continue;
      if (!incidents) {
        absl::StatusOr<std::vector<v1::Incident>> read = OpenIncidentsOf(store_, team.name);
        if (!read.ok()) {
          std::cerr << "amendsd: digests: " << read.status().message() << std::endl;
          return written;
        }
        incidents = *std::move(read);
      }
      const std::string language = EffectiveLanguage(user.language, team.language);
      std::optional<MessageText> text =
          RenderDigest(*manager, *incidents, since, now, language, zone);
      if (!text) {
        settled_.insert(key);
        continue;
      }
      v1::Notification n = NewNotification(user, team.name, now);
      n.set_reason(v1::Notification::REASON_DIGEST);
      n.set_language(language);
      n.set_subject(std::move(text->subject));
      n.set_body(std::move(text->body));
      absl::StatusOr<bool> added = store_.AddDigest(absl::FormatCivilTime(today), std::move(n));
      if (!added.ok()) {
        std::cerr << "amendsd: digest for " << user.name << ": " << added.status().message()
                  << std::endl;
        continue;
      }
      settled_.insert(key);
      written += *added;
    }
  }
  if (written > 0) dispatcher_.Wake();
  return written;
}

void Digests::Start() {
  thread_ = std::thread([this] {
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      mu_.Unlock();
      RunDue();
      mu_.Lock();
      cv_.WaitWithTimeout(&mu_, absl::Minutes(1));
    }
  });
}

void Digests::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    cv_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace amends
