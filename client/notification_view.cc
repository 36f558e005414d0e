#include "client/notification_view.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/display.h"
#include "client/i18n.h"
#include "client/labels.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

using amends::v1::Notification;

std::string OrDash(absl::string_view text) { return text.empty() ? "-" : std::string(text); }

// A role on the team, likewise; as the server spells it when it is none of these.
std::string RoleLabel(absl::string_view role) {
  if (role == "member") return Tr("member");
  if (role == "manager") return Tr("manager");
  if (role == "observer") return Tr("observer");
  return std::string(role);
}

// The latest attempt's answer; "no address" when it never had one to go to.
std::string LastAnswer(const Notification& n) {
  if (!n.attempts().empty()) return n.attempts(n.attempts_size() - 1).answer();
  if (n.address().empty() && n.state() == Notification::STATE_FAILED) return Tr("no address");
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
  if (notifications.empty()) return absl::StrCat(Tr("no notifications"), "\n");
  std::vector<Table::Column> columns = {{Tr("ID")}};
  if (with_incident) columns.push_back({Tr("INCIDENT")});
  columns.insert(columns.end(), {{Tr("CREATED"), kTimeColumnWidth},
                                 {Tr("RECIPIENT"), 16},
                                 {Tr("REASON")},
                                 {Tr("CHANNEL")},
                                 {Tr("STATE")},
                                 {Tr("ATTEMPTS")},
                                 {Tr("LAST ANSWER"), kAnswerWidth, Table::kFreeText},
                                 {Tr("NEXT ATTEMPT"), kTimeColumnWidth}});
  Table table(std::move(columns), width);
  for (const Notification& n : notifications) {
    std::vector<std::string> row = {absl::StrCat(n.id())};
    if (with_incident) {
      row.push_back(n.incident_id() > 0 ? absl::StrCat("#", n.incident_id()) : "-");
    }
    row.insert(row.end(),
               {n.has_created_at() ? FormatTime(FromProto(n.created_at()), zone, now) : "-",
                OrDash(n.recipient()), Label(n.reason()), OrDash(n.channel()),
                Label(n.state()),
                absl::StrCat(n.attempts_size()), OrDash(LastAnswer(n)), NextAttempt(n, zone, now)});
    table.AddRow(std::move(row));
  }
  return table.Render();
}

std::string RenderRetried(const Notification& n) {
  const std::string to = OneLine(OrDash(n.recipient()));
  const bool with_incident = n.incident_id() > 0;
  std::string line;
  switch (n.state()) {
    case Notification::STATE_SENT:
      line = with_incident ? absl::Substitute(Tr("notification $0 to $1 (#$2) sent again"),
                                              n.id(), to, n.incident_id())
                           : absl::Substitute(Tr("notification $0 to $1 sent again"), n.id(), to);
      break;
    case Notification::STATE_FAILED:
    case Notification::STATE_RETRYING:
      line = with_incident ? absl::Substitute(Tr("notification $0 to $1 (#$2) failed again"),
                                              n.id(), to, n.incident_id())
                           : absl::Substitute(Tr("notification $0 to $1 failed again"), n.id(),
                                              to);
      break;
    default:
      line = with_incident ? absl::Substitute(Tr("notification $0 to $1 (#$2) queued again"),
                                              n.id(), to, n.incident_id())
                           : absl::Substitute(Tr("notification $0 to $1 queued again"), n.id(),
                                              to);
      break;
  }
  absl::StrAppend(&line, " \u2192 ", absl::Substitute(Tr("state $0"), Label(n.state())));
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
      return absl::StrCat(absl::Substitute(Tr("test message sent to $0: $1"), address, answer),
                          "\n");
    case Notification::STATE_RETRYING:
      return absl::UnknownError(
          absl::Substitute(Tr("test message to $0 failed: $1 (amends tries again $2)"), address,
                           answer, NextAttempt(n, zone, now)));
    case Notification::STATE_PENDING:
      return absl::UnknownError(absl::Substitute(
          Tr("test message to $0 not sent yet (state pending)"), OrDash(address)));
    default:
      if (n.address().empty()) {
        return absl::FailedPreconditionError(
            Tr("test message failed: you have no mail address (set one with 'amends me --email "
               "ADDRESS')"));
      }
      return absl::UnknownError(
          absl::Substitute(Tr("test message to $0 failed: $1"), address, answer));
  }
}

std::string RenderMe(const amends::v1::Me& me) {
  std::string language = me.language();
  if (language.empty()) {
    language = absl::Substitute(Tr("$0 (team's)"), OrDash(me.effective_language()));
  }
  const std::pair<std::string, std::string> fields[] = {
      {Tr("name"), OrDash(me.name())},
      {Tr("team"), OrDash(me.team())},
      {Tr("role"), OrDash(RoleLabel(me.role()))},
      {Tr("email"), me.email().empty() ? Tr("- (no mail is sent to you)") : me.email()},
      {Tr("language"), language},
  };
  // Each value where the others start, by display width (labels may be Japanese).
  int column = 10;
  for (const auto& [label, value] : fields) column = std::max(column, DisplayWidth(label) + 2);
  std::string out;
  for (const auto& [label, value] : fields) {
    absl::StrAppend(&out, label, std::string(column - DisplayWidth(label), ' '), OneLine(value),
                    "\n");
  }
  return out;
}

absl::Status CheckLanguageArg(absl::string_view option, absl::string_view lang) {
  if (lang == "ja" || lang == "en" || lang.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      option, ": ",
      absl::Substitute(Tr("unknown language '$0' (allowed: ja, en; \"\" for the team's)"), lang)));
}

}  // namespace amends::cli
