#include "server/admin_lists.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/display.h"
#include "server/core/contact.h"

namespace amends {

namespace {

using cli::Table;

// "mon-fri 09:00-18:00, sat 10:00-14:00; 2 holidays"; "-" for no calendar of its own.
std::string CalendarSummary(const v1::Calendar& calendar) {
  if (calendar.hours().empty() && calendar.holidays().empty()) return "-";
  std::vector<std::string> hours;
  for (const v1::WorkingHours& h : calendar.hours()) {
    hours.push_back(absl::StrCat(h.days(), " ", h.open(), "-", h.close()));
  }
  std::string summary = hours.empty() ? "the policy's hours" : absl::StrJoin(hours, ", ");
  if (const int n = calendar.holidays_size(); n > 0) {
    absl::StrAppend(&summary, "; ", n, n == 1 ? " holiday" : " holidays");
  }
  return summary;
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

absl::StatusOr<std::string> TeamList(Store& store) {
  absl::StatusOr<std::vector<Team>> teams = store.ListTeams();
  if (!teams.ok()) return teams.status();
  if (teams->empty()) return std::string("no teams\n");
  absl::StatusOr<std::vector<User>> users = store.ListUsers();
  if (!users.ok()) return users.status();
  std::map<std::string, int> active;  // team → its users not deactivated
  for (const User& u : *users) {
    if (u.active) ++active[u.team];
  }
  Table table({{"TEAM", Table::kNoLimit},
               {"TIME ZONE", Table::kNoLimit},
               {"LANG", Table::kNoLimit},
               {"ACTIVE USERS", Table::kNoLimit},
               {"CALENDAR", Table::kNoLimit}});
  for (const Team& team : *teams) {
    table.AddRow({team.name, team.time_zone, EffectiveLanguage("", team.language),
                  absl::StrCat(active[team.name]), CalendarSummary(team.calendar)});
  }
  return table.Render();
}

absl::StatusOr<std::string> UserList(Store& store) {
  absl::StatusOr<std::vector<User>> users = store.ListUsers();
  if (!users.ok()) return users.status();
  if (users->empty()) return std::string("no users\n");
  absl::StatusOr<std::vector<Team>> teams = store.ListTeams();
  if (!teams.ok()) return teams.status();
  std::map<std::string, std::string> team_language;  // team → its own language
  for (const Team& team : *teams) team_language[team.name] = team.language;
  Table table({{"NAME", Table::kNoLimit},
               {"ROLE", Table::kNoLimit},
               {"TEAM", Table::kNoLimit},
               {"EMAIL", Table::kNoLimit},
               {"WEBHOOK", Table::kNoLimit},
               {"LANG", Table::kNoLimit},
               {"STATE", Table::kNoLimit}});
  for (const User& u : *users) {
    std::string language = EffectiveLanguage(u.language, team_language[u.team]);
    if (u.language.empty()) absl::StrAppend(&language, " (team's)");
    table.AddRow({u.name, u.role, u.team, OrDash(u.email), OrDash(u.webhook), language,
                  !u.active      ? "deactivated"
                  : u.has_token ? "active"
                                : "active (token revoked)"});
  }
  return table.Render();
}

}  // namespace amends
