#include "server/admin.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "server/core/actor.h"
#include "server/core/business_calendar.h"
#include "server/core/contact.h"
#include "server/core/deadlines.h"
#include "server/core/text.h"
#include "server/token.h"

namespace amends {

absl::Status CheckNewTeam(absl::string_view name, absl::string_view time_zone,
                          absl::string_view language) {
  if (auto s = CheckRequired("team", name, kMaxNameBytes); !s.ok()) return s;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(time_zone), &tz)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tz: unknown time zone '", time_zone, "' (an IANA name like Asia/Tokyo)"));
  }
  return ValidateLanguage("--lang", language);
}

absl::Status AddTeam(Store& store, absl::string_view name, absl::string_view time_zone,
                     absl::string_view language) {
  if (auto s = CheckNewTeam(name, time_zone, language); !s.ok()) return s;
  return store.CreateTeam({.name = std::string(name),
                           .time_zone = std::string(time_zone),
                           .language = std::string(language)});
}

absl::Status SetTeamLanguage(Store& store, absl::string_view team, absl::string_view language) {
  if (auto s = ValidateLanguage("--lang", language); !s.ok()) return s;
  return store.SetTeamLanguage(team, language);
}

absl::StatusOr<std::string> AddUser(Store& store, absl::string_view name, absl::string_view team,
                                    absl::string_view role, const Contact& contact) {
  if (auto s = CheckRequired("name", name, kMaxNameBytes); !s.ok()) return s;
  if (name == kSystemActor) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: '", name, "' is reserved: the timeline shows it for what amends did by itself"));
  }
  if (!ParseRole(role)) {
    return absl::InvalidArgumentError(
        absl::StrCat("role: unknown role '", role, "' (member, manager, observer or admin)"));
  }
  if (auto s = ValidateEmail("--email", contact.email); !s.ok()) return s;
  if (auto s = ValidateLanguage("--lang", contact.language); !s.ok()) return s;
  absl::StatusOr<std::string> token = NewToken();
  if (!token.ok()) return token.status();
  const User user{.name = std::string(name),
                  .team = std::string(team),
                  .role = std::string(role),
                  .has_token = true,
                  .email = contact.email,
                  .language = contact.language};
  if (auto s = store.CreateUser(user, HashToken(*token)); !s.ok()) return s;
  return token;
}

absl::StatusOr<User> EditUserContact(Store& store, absl::string_view name,
                                     const ContactEdit& edit) {
  if (edit.email.has_value()) {
    if (auto s = ValidateEmail("--email", *edit.email); !s.ok()) return s;
  }
  if (edit.language.has_value()) {
    if (auto s = ValidateLanguage("--lang", *edit.language); !s.ok()) return s;
  }
  if (edit.webhook.has_value()) {
    for (char c : *edit.webhook) {
      if (!absl::ascii_isalnum(c) && c != '-' && c != '_') {
        return absl::InvalidArgumentError(absl::StrCat(
            "--webhook: \"", *edit.webhook, "\" is not a webhook name (letters, digits, '-' ",
            "and '_', as in the notify config; \"\" for none)"));
      }
    }
  }
  absl::StatusOr<User> user = store.GetUser(name);
  if (!user.ok()) return user.status();
  if (!edit.email.has_value() && !edit.language.has_value() && !edit.webhook.has_value()) {
    return user;
  }
  user->email = edit.email.value_or(user->email);
  user->language = edit.language.value_or(user->language);
  user->webhook = edit.webhook.value_or(user->webhook);
  if (auto s = store.SetUserContact(*user); !s.ok()) return s;
  return user;
}

absl::StatusOr<std::string> RotateToken(Store& store, absl::string_view user) {
  absl::StatusOr<User> found = store.GetUser(user);
  if (!found.ok()) return found.status();
  if (!found->active) {
    return absl::FailedPreconditionError(
        absl::StrCat(user, " is deactivated: a deactivated user gets no token"));
  }
  absl::StatusOr<std::string> token = NewToken();
  if (!token.ok()) return token.status();
  if (auto s = store.SetTokenHash(user, HashToken(*token)); !s.ok()) return s;
  return token;
}

absl::Status RevokeToken(Store& store, absl::string_view user) {
  return store.SetTokenHash(user, "");
}

absl::StatusOr<std::vector<int64_t>> DeactivateUser(Store& store, absl::string_view name) {
  if (absl::Status s = store.DeactivateUser(name); !s.ok()) return s;
  absl::StatusOr<User> user = store.GetUser(name);
  if (!user.ok()) return user.status();
  std::vector<int64_t> owned;
  for (int64_t before = 0;;) {
    absl::StatusOr<std::vector<v1::Incident>> page =
        store.ListIncidents({.team = user->team,
                             .owner = user->name,
                             .open_only = true,
                             .before_id = before});
    if (!page.ok()) return page.status();
    if (page->empty()) return owned;
    for (const v1::Incident& incident : *page) owned.push_back(incident.id());
    before = page->back().id();
  }
}

namespace {

// A calendar error about one option's value, named as the user wrote it: the message without
// the calendar's own field path ("calendar.hours[0].open: ...").
absl::Status OptionError(absl::string_view option, absl::string_view value,
                         const absl::Status& status) {
  absl::string_view message = status.message();
  if (const size_t colon = message.find(": "); colon != absl::string_view::npos) {
    message.remove_prefix(colon + 2);
  }
  return absl::InvalidArgumentError(absl::StrCat(option, " ", value, ": ", message));
}

}  // namespace

absl::StatusOr<std::string> EditTeamCalendar(Store& store, absl::string_view team,
                                             const CalendarEdit& edit) {
  absl::StatusOr<Team> current = store.GetTeam(team);
  if (!current.ok()) return current.status();
  v1::Calendar calendar = edit.reset ? v1::Calendar() : current->calendar;
  if (!edit.hours.empty()) calendar.clear_hours();
  for (const std::string& spec : edit.hours) {
    std::vector<absl::string_view> days_times = absl::StrSplit(spec, absl::MaxSplits('=', 1));
    std::vector<absl::string_view> times;
    if (days_times.size() == 2) times = absl::StrSplit(days_times[1], absl::MaxSplits('-', 1));
    if (times.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--hours: '", spec, "' is not DAYS=HH:MM-HH:MM, e.g. mon-fri=09:00-18:00"));
    }
    v1::Calendar one;
    v1::WorkingHours* h = one.add_hours();
    h->set_days(std::string(days_times[0]));
    h->set_open(std::string(times[0]));
    h->set_close(std::string(times[1]));
    if (auto s = BusinessCalendar::Validate(one); !s.ok()) return OptionError("--hours", spec, s);
    *calendar.add_hours() = *h;
  }
  auto* holidays = calendar.mutable_holidays();
  for (const std::string& day : edit.remove_holidays) {
    auto it = std::find(holidays->begin(), holidays->end(), day);
    if (it == holidays->end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--remove-holiday: ", day, " is not a holiday of team ", team));
    }
    holidays->erase(it);
  }
  for (const std::string& day : edit.add_holidays) {
    v1::Calendar one;
    one.add_holidays(day);
    if (auto s = BusinessCalendar::Validate(one); !s.ok()) return OptionError("--holiday", day, s);
    if (std::find(holidays->begin(), holidays->end(), day) == holidays->end()) {
      calendar.add_holidays(day);
    }
  }
  std::sort(holidays->begin(), holidays->end());
  if (auto s = BusinessCalendar::Validate(calendar); !s.ok()) return s;
  if (edit.reset || !edit.hours.empty() || !edit.add_holidays.empty() ||
      !edit.remove_holidays.empty()) {
    if (auto s = store.SetTeamCalendar(team, calendar); !s.ok()) return s;
  }
  if (calendar.hours().empty() && calendar.holidays().empty()) {
    return std::string("# no calendar of its own: the policy's calendar applies\n");
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(calendar, &text);
  return text;
}

}  // namespace amends
