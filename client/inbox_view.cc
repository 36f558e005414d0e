#include "client/inbox_view.h"

#include "absl/strings/str_cat.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/time_input.h"

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
    default:  // a reason added to the API after this build
      return CliName(reason);
  }
}

std::string RenderInbox(const InboxItems& items, absl::Time now) {
  if (items.empty()) return "Nothing needs you now.\n";
  Table table({{"DUE"}, {"ID"}, {"WHY"}, {"WHAT", 30}, {"CLIENT", 20},
               {"SUMMARY", Table::kNoLimit}});
  for (const amends::v1::InboxItem& item : items) {
    const absl::TimeZone zone =
        LoadTeamZone(item.team_time_zone()).value_or(absl::UTCTimeZone());
    table.AddRow({item.has_due() ? FormatDue(FromProto(item.due()), zone, now) : "-",
                  absl::StrCat(item.incident_id()), InboxReasonName(item.reason()),
                  item.what().empty() ? item.deadline_key() : item.what(), item.client(),
                  item.summary()});
  }
  return table.Render();
}

}  // namespace amends::cli
