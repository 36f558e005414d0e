// `amends inbox` for people: what needs the caller now, one row per item in the server's
// order (soonest due first), times in each item's team zone with a hint relative to `now`.
//
//   std::cout << RenderInbox(response.items(), now, /*width=*/kUnlimitedWidth);
// prints
//   DUE                                ID  WHY       WHAT           CLIENT       SUMMARY
//   2026-11-27 08:00 (overdue by 2h)   12  breach    approve        ＡＢＣ商事   打ち合わせを失念
//   2026-11-27 09:30 (overdue by 30m)  3   approve   approve        XYZ Trading  Shipment late
//   2026-11-28 10:00 (in 1d)           14  deadline  apology visit  ＡＢＣ商事   報告書の提出遅れ
// and, when a notification to someone in the caller's team failed, its row (WHY undelivered,
// WHAT "notification 7 failed") and below the table:
//   notification 7 failed: to sato: 550 5.1.1 mailbox unavailable
//     to send it again: amends notifications retry 7
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_INBOX_VIEW_H_
#define AMENDS_CLIENT_INBOX_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/terminal_width.h"

namespace amends::cli {

using InboxItems = google::protobuf::RepeatedPtrField<amends::v1::InboxItem>;

// The WHY column: "deadline", "approve", "breach", "reminder", "undelivered" (a notification
// that failed).
std::string InboxReasonName(amends::v1::InboxItem::Reason reason);

// Columns DUE, ID, WHY, WHAT (up to 30 columns), CLIENT, SUMMARY; "Nothing needs you
// now.\n" when `items` is empty. An item without a due time shows "-" as DUE. WHAT and
// SUMMARY are free text, cut with kCutMark so that lines fit in `width` display columns
// (terminal_width.h); SUMMARY is whole when `width` is unlimited, and both with kWideOutput.
// Too narrow for them all, SUMMARY is left out.
// Each failed notification is then told whole below the table, with the command that sends
// it again.
std::string RenderInbox(const InboxItems& items, absl::Time now, int width = kUnlimitedWidth);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_INBOX_VIEW_H_
