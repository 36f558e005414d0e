#include "client/notification_view.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

using amends::v1::Notification;

std::string OrDash(absl::string_view text) { return text.empty() ? "-" : std::string(text); }

// The latest attempt's answer; "no address" when it never had one to go to.
std::string LastAnswer(const Notification& n) {
  if (!n.attempts().empty()) return n.attempts(n.attempts_size() - 1).answer();
  if (n.address().empty() && n.state() == Notification::STATE_FAILED) return "no address";
  return "";
}

// When the next attempt is: while retrying, and while a pending one waits (not_before).
std::string NextAttempt(const Notification& n, absl::TimeZone zone, absl::Time now) {
  if (n.state() == Notification::STATE_RETRYING && n.has_next_attempt()) {
    return FormatTime(FromProto(n.next_attempt()), zone, now);
  }
  if (n.state() == Notification::STATE_PENDING && n.has_not_before() &&
      FromProto(n.not_before()) > now) {
    return FormatTime(FromProto(n.not_before()), zone, now);
  }
  return "-";
}

}  // namespace

std::string RenderNotifications(const Notifications& notifications, absl::TimeZone zone,
                                absl::Time now, bool with_incident, int width) {
  if (notifications.empty()) return "no notifications\n";
  std::vector<Table::Column> columns = {{"ID"}};
  if (with_incident) columns.push_back({"INCIDENT"});
  columns.insert(columns.end(), {{"CREATED", kTimeColumnWidth},
                                 {"RECIPIENT", 16},
                                 {"REASON"},
                                 {"CHANNEL"},
                                 {"STATE"},
                                 {"ATTEMPTS"},
                                 {"LAST ANSWER", kAnswerWidth, Table::kFreeText},
                                 {"NEXT ATTEMPT", kTimeColumnWidth}});
  Table table(std::move(columns), width);
  for (const Notification& n : notifications) {
    std::vector<std::string> row = {absl::StrCat(n.id())};
    if (with_incident) {
      row.push_back(n.incident_id() > 0 ? absl::StrCat("#", n.incident_id()) : "-");
    }
    row.insert(row.end(),
               {n.has_created_at() ? FormatTime(FromProto(n.created_at()), zone, now) : "-",
                OrDash(n.recipient()), CliName(n.reason()), OrDash(n.channel()), CliName(n.state()),
                absl::StrCat(n.attempts_size()), OrDash(LastAnswer(n)), NextAttempt(n, zone, now)});
    table.AddRow(std::move(row));
  }
  return table.Render();
}

std::string RenderRetried(const Notification& n) {
  std::string line = absl::StrCat("notification ", n.id(), " to ", OneLine(OrDash(n.recipient())));
  if (n.incident_id() > 0) absl::StrAppend(&line, " (#", n.incident_id(), ")");
  switch (n.state()) {
    case Notification::STATE_SENT:
      absl::StrAppend(&line, " sent again");
      break;
    case Notification::STATE_FAILED:
    case Notification::STATE_RETRYING:
      absl::StrAppend(&line, " failed again");
      break;
    default:
      absl::StrAppend(&line, " queued again");
      break;
  }
  absl::StrAppend(&line, " → state ", CliName(n.state()));
  if (n.state() != Notification::STATE_PENDING && !n.attempts().empty()) {
    absl::StrAppend(&line, " (", absl::StripAsciiWhitespace(OneLine(LastAnswer(n))), ")");
  }
  return absl::StrCat(line, "\n");
}

absl::StatusOr<std::string> TestOutcome(const Notification& n, absl::TimeZone zone,
                                        absl::Time now) {
  const std::string address(absl::StripAsciiWhitespace(OneLine(n.address())));
  const std::string answer(absl::StripAsciiWhitespace(OneLine(OrDash(LastAnswer(n)))));
  switch (n.state()) {
    case Notification::STATE_SENT:
      return absl::StrCat("test message sent to ", address, ": ", answer, "\n");
    case Notification::STATE_RETRYING:
      return absl::UnknownError(absl::StrCat("test message to ", address, " failed: ", answer,
                                             " (amends tries again ", NextAttempt(n, zone, now),
                                             ")"));
    case Notification::STATE_PENDING:
      return absl::UnknownError(
          absl::StrCat("test message to ", OrDash(address), " not sent yet (state pending)"));
    default:
      if (n.address().empty()) {
        return absl::FailedPreconditionError(
            "test message failed: you have no mail address (set one with 'amends me --email "
            "ADDRESS')");
      }
      return absl::UnknownError(absl::StrCat("test message to ", address, " failed: ", answer));
  }
}

std::string RenderMe(const amends::v1::Me& me) {
  std::string language = me.language();
  if (language.empty()) language = absl::StrCat(OrDash(me.effective_language()), " (team's)");
  std::string out;
  auto field = [&out](absl::string_view label, absl::string_view value) {
    absl::StrAppend(&out, label, std::string(10 - label.size(), ' '), OneLine(value), "\n");
  };
  field("name", OrDash(me.name()));
  field("team", OrDash(me.team()));
  field("role", OrDash(me.role()));
  field("email", me.email().empty() ? "- (no mail is sent to you)" : me.email());
  field("language", language);
  return out;
}

absl::Status CheckLanguageArg(absl::string_view option, absl::string_view lang) {
  if (lang == "ja" || lang == "en" || lang.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(option, ": unknown language '", lang,
                                                 "' (allowed: ja, en; \"\" for the team's)"));
}

}  // namespace amends::cli
