// The pure half of `amends watch`: what the command asks for (WatchArgs, --from) and how each
// change is printed, one line per change.
//
//   absl::StatusOr<WatchStart> from = ParseWatchFrom("--from", "123");  // after #123
//   v1::WatchRequest request = BuildWatchRequest(args, /*resume_after=*/std::nullopt);
//   std::cout << RenderWatchHeader() << RenderWatchLine(change, /*line_width=*/120);
//   // SEQ     TIME                    ID    EVENT      ...  STATE      CLIENT          TEXT
//   // #3      2026-11-27 (Fri) 17:05  1     escalated  ...  escalated  ＡＢＣ商事      先方部長がお...
//   std::cout << *WatchJsonLine(change);  // {"event":{...},"incident":{...}}\n
//
// The text form has fixed column widths, measured in display columns (Japanese text takes two
// per character), so that lines printed one at a time, as changes come, still line up; cells
// that are too long are cut with kCutMark ("..."), and the last column (the event's text, or
// the incident's summary when the event has none) is cut to fit the line width.
// Pure; thread-safe.
#ifndef AMENDS_CLIENT_WATCH_VIEW_H_
#define AMENDS_CLIENT_WATCH_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "amends/v1/amends.pb.h"
#include "client/terminal_width.h"

namespace amends::cli {

// Where a watch starts (WatchRequest.start).
struct WatchStart {
  enum class Kind { kNow, kOldest, kAfter };
  Kind kind = Kind::kNow;
  int64_t after_sequence = 0;  // with kAfter: 1 or more

  friend bool operator==(const WatchStart&, const WatchStart&) = default;
};

// "now", "oldest" (case ignored) or a sequence number of 1 or more (the stream starts after
// it). INVALID_ARGUMENT naming `option` and the accepted forms otherwise ("0", "-1", "abc").
absl::StatusOr<WatchStart> ParseWatchFrom(absl::string_view option, absl::string_view text);

// The filters and start of `amends watch`; empty / 0 means "any".
struct WatchArgs {
  std::string team;
  int64_t incident_id = 0;
  std::string client;
  std::vector<amends::v1::State> states;
  std::vector<amends::v1::EventType> types;
  WatchStart from;
};

// The request for `args`: its filters, and its start — unless `resume_after` is set, which
// then replaces it (a reconnect continues after the last sequence seen).
amends::v1::WatchRequest BuildWatchRequest(const WatchArgs& args,
                                           std::optional<int64_t> resume_after);

// The header line of the text form, '\n'-terminated: SEQ TIME ID EVENT ACTOR STATE CLIENT
// TEXT, each over its column.
std::string RenderWatchHeader();

// One change as one '\n'-terminated line: "#<sequence>", the event's time in the incident's
// team zone ("2026-11-27 17:05"), the incident's id, the event type, the actor, the state
// after the change, the client's name, then the event's text or else the incident's summary.
// Control characters become spaces. The actor and the client are cut to their columns; no
// other cell is (one longer pushes the rest of its line right). `line_width`
// (terminal_width.h) > 0: the text is cut so that the line fits in that many display
// columns (it keeps at least 10 columns, however narrow the line); kUnlimitedWidth: the
// text is printed whole; kWideOutput: nothing is cut, not even the names.
std::string RenderWatchLine(const amends::v1::IncidentChange& change, int line_width);

// The change as protobuf JSON on one line, '\n'-terminated (NDJSON).
absl::StatusOr<std::string> WatchJsonLine(const amends::v1::IncidentChange& change);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_WATCH_VIEW_H_
