#include "client/inbox_view.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/i18n.h"
#include "client/incident_view.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {

std::string InboxReasonName(amends::v1::InboxItem::Reason reason) {
  switch (reason) {
    case amends::v1::InboxItem::REASON_DEADLINE:
      return Tr("deadline");
    case amends::v1::InboxItem::REASON_APPROVAL:
      return Tr("approve");
    case amends::v1::InboxItem::REASON_BREACH:
      return Tr("breach");
    case amends::v1::InboxItem::REASON_REMINDER:
      return Tr("reminder");
    case amends::v1::InboxItem::REASON_NOTIFICATION_FAILED:
      return Tr("undelivered");
    default:  // a reason added to the API after this build
      return CliName(reason);
  }
}

std::string RenderInbox(const InboxItems& items, absl::Time now, int width) {
  if (items.empty()) return absl::StrCat(Tr("Nothing needs you now."), "\n");
  Table table({{Tr("DUE"), kTimeColumnWidth}, {Tr("ID")}, {Tr("WHY")},
               {Tr("WHAT"), 30, Table::kFreeText}, {Tr("CLIENT"), 20},
               {Tr("SUMMARY"), Table::kNoLimit, Table::kFreeText, /*drop_order=*/1}},
              width);
  std::string failed_notifications;  // one line each, after the table
  for (const amends::v1::InboxItem& item : items) {
    const absl::TimeZone zone =
        LoadTeamZone(item.team_time_zone()).value_or(absl::UTCTimeZone());
    std::string what = item.what().empty() ? item.deadline_key() : item.what();
    if (item.reason() == amends::v1::InboxItem::REASON_NOTIFICATION_FAILED) {
      // What the channel answered is the receiving server's: shown as it came.
      absl::StrAppend(
          &failed_notifications,
          absl::Substitute(Tr("notification $0 failed: $1"), item.notification_id(),
                           absl::StripAsciiWhitespace(OneLine(what.empty() ? "-" : what))),
          "\n  ",
          absl::Substitute(Tr("to send it again: amends notifications retry $0"),
                           item.notification_id()),
          "\n");
      what = absl::Substitute(Tr("notification $0 failed"), item.notification_id());
    } else {
      what = DeadlineWhat(what);
    }
    table.AddRow({item.has_due() ? FormatDue(FromProto(item.due()), zone, now) : "-",
                  item.incident_id() > 0 ? absl::StrCat(item.incident_id()) : "-",
                  InboxReasonName(item.reason()), what, item.client(), item.summary()});
  }
  if (failed_notifications.empty()) return table.Render();
  return absl::StrCat(table.Render(), "\n", failed_notifications);
}

}  // namespace amends::cli
