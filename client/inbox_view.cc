#include "client/inbox_view.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {

std::string InboxReasonName(amends::v1::InboxItem::Reason reason) {
  switch (reason) {
    case amends::v1::InboxItem::REASON_DEADLINE:
      return "deadline";
    case amends::v1::InboxItem::REASON_APPROVAL:
      return "approve";
    case amends::v1::InboxItem::REASON_BREACH:
      return "breach";
    case amends::v1::InboxItem::REASON_REMINDER:
      return "reminder";
    case amends::v1::InboxItem::REASON_NOTIFICATION_FAILED:
      return "undelivered";
    default:  // a reason added to the API after this build
      return CliName(reason);
  }
}

std::string RenderInbox(const InboxItems& items, absl::Time now, int width) {
  if (items.empty()) return "Nothing needs you now.\n";
  Table table({{"DUE", kTimeColumnWidth}, {"ID"}, {"WHY"}, {"WHAT", 30, Table::kFreeText},
               {"CLIENT", 20},
               {"SUMMARY", Table::kNoLimit, Table::kFreeText, /*drop_order=*/1}},
              width);
  std::string failed_notifications;  // one line each, after the table
  for (const amends::v1::InboxItem& item : items) {
    const absl::TimeZone zone =
        LoadTeamZone(item.team_time_zone()).value_or(absl::UTCTimeZone());
    std::string what = item.what().empty() ? item.deadline_key() : item.what();
    if (item.reason() == amends::v1::InboxItem::REASON_NOTIFICATION_FAILED) {
      absl::StrAppend(&failed_notifications, "notification ", item.notification_id(),
                      " failed: ", absl::StripAsciiWhitespace(OneLine(what.empty() ? "-" : what)),
                      "\n  to send it again: amends notifications retry ",
                      item.notification_id(), "\n");
      what = absl::StrCat("notification ", item.notification_id(), " failed");
    }
    table.AddRow({item.has_due() ? FormatDue(FromProto(item.due()), zone, now) : "-",
                  item.incident_id() > 0 ? absl::StrCat(item.incident_id()) : "-",
                  InboxReasonName(item.reason()), what, item.client(), item.summary()});
  }
  if (failed_notifications.empty()) return table.Render();
  return absl::StrCat(table.Render(), "\n", failed_notifications);
}

}  // namespace amends::cli
