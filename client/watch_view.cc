#include "client/watch_view.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "absl/time/time.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/i18n.h"
#include "client/incident_view.h"
#include "client/labels.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "google/protobuf/util/json_util.h"

namespace amends::cli {
namespace {

// Display columns of each column but the last (TEXT). EVENT and STATE fit every name the
// API has ("first-apology-recorded", "reminders-acknowledged", "prevention-plan").
// Together with the gaps, 107 columns: the text has what is left of the line.
constexpr int kSeqWidth = 6;
constexpr int kTimeWidth = 22;  // "2026-11-27 (Fri) 17:05"
constexpr int kIdWidth = 4;
constexpr int kEventWidth = 22;
constexpr int kActorWidth = 10;
constexpr int kStateWidth = 15;
constexpr int kClientWidth = 14;
// However narrow the line, the text keeps this many columns, as in every table.
constexpr int kMinTextWidth = Table::kMinFreeTextWidth;

// `text` on one line, cut to `width` display columns when `cut` (a cell that is not cut and
// is longer pushes the rest of its line right), then padded with spaces to `width`.
std::string Cell(absl::string_view text, int width, bool cut = true) {
  std::string cell = OneLine(text);
  if (cut) cell = TruncateToWidth(cell, width);
  const int pad = width - DisplayWidth(cell);
  if (pad > 0) cell.append(static_cast<size_t>(pad), ' ');
  return cell;
}

// The cells joined by two spaces, without trailing spaces, '\n'-terminated.
std::string Line(const std::vector<std::string>& cells) {
  std::string line = absl::StrJoin(cells, "  ");
  line.erase(line.find_last_not_of(' ') + 1);
  line += '\n';
  return line;
}

}  // namespace

absl::StatusOr<WatchStart> ParseWatchFrom(absl::string_view option, absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "now") return WatchStart{.kind = WatchStart::Kind::kNow};
  if (lower == "oldest") return WatchStart{.kind = WatchStart::Kind::kOldest};
  int64_t sequence = 0;
  if (absl::SimpleAtoi(text, &sequence) && sequence >= 1) {
    return WatchStart{.kind = WatchStart::Kind::kAfter, .after_sequence = sequence};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      option, ": ",
      absl::Substitute(Tr("must be a sequence number (1 or more: start after it), 'oldest' or "
                          "'now'; got '$0'"),
                       text)));
}

amends::v1::WatchRequest BuildWatchRequest(const WatchArgs& args,
                                           std::optional<int64_t> resume_after) {
  amends::v1::WatchRequest request;
  request.set_team(args.team);
  request.set_incident_id(args.incident_id);
  request.set_client(args.client);
  for (amends::v1::State state : args.states) request.add_states(state);
  for (amends::v1::EventType type : args.types) request.add_types(type);
  if (resume_after.has_value()) {
    request.set_after_sequence(*resume_after);
    return request;
  }
  switch (args.from.kind) {
    case WatchStart::Kind::kNow:
      request.set_from_now(true);
      break;
    case WatchStart::Kind::kOldest:
      request.set_from_oldest(true);
      break;
    case WatchStart::Kind::kAfter:
      request.set_after_sequence(args.from.after_sequence);
      break;
  }
  return request;
}

std::string RenderWatchHeader() {
  return Line({Cell(Tr("SEQ"), kSeqWidth), Cell(Tr("TIME"), kTimeWidth), Cell(Tr("ID"), kIdWidth),
               Cell(Tr("EVENT"), kEventWidth), Cell(Tr("ACTOR"), kActorWidth),
               Cell(Tr("STATE"), kStateWidth), Cell(Tr("CLIENT"), kClientWidth), Tr("TEXT")});
}

std::string RenderWatchLine(const amends::v1::IncidentChange& change, int line_width) {
  const amends::v1::Event& event = change.event();
  const amends::v1::Incident& incident = change.incident();
  const std::string time =
      event.has_time()
          ? FormatDateTime(FromProto(event.time()), TeamZone(incident))
          : "-";
  const int64_t id = incident.id() != 0 ? incident.id() : event.incident_id();
  const amends::v1::State state =
      event.to_state() != amends::v1::STATE_UNSPECIFIED ? event.to_state() : incident.state();
  // Only the names are cut to their columns (numbers, times, events and states never are),
  // and with --wide not even they.
  const bool cut_names = line_width != kWideOutput;
  std::vector<std::string> cells = {
      Cell(absl::StrCat("#", event.sequence()), kSeqWidth, /*cut=*/false),
      Cell(time, kTimeWidth, /*cut=*/false),
      Cell(absl::StrCat(id), kIdWidth, /*cut=*/false),
      Cell(Label(event.type()), kEventWidth, /*cut=*/false),
      Cell(event.actor().empty() ? "-" : event.actor(), kActorWidth, cut_names),
      Cell(Label(state), kStateWidth, /*cut=*/false),
      Cell(incident.client().name().empty() ? "-" : incident.client().name(), kClientWidth,
           cut_names),
  };
  std::string text = OneLine(event.text().empty() ? incident.summary() : event.text());
  if (line_width > 0) {
    const int used = DisplayWidth(absl::StrJoin(cells, "  ")) + 2;
    text = TruncateToWidth(text, std::max(kMinTextWidth, line_width - used));
  }
  cells.push_back(std::move(text));
  return Line(cells);
}

absl::StatusOr<std::string> WatchJsonLine(const amends::v1::IncidentChange& change) {
  std::string json;
  // The default options print no whitespace: one line, newlines in text escaped.
  const auto status = google::protobuf::util::MessageToJsonString(change, &json);
  if (!status.ok()) return absl::InternalError(status.ToString());
  json += '\n';
  return json;
}

}  // namespace amends::cli
