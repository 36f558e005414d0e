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

// What happened, in the EVENT column: the same words as the timeline's EVENT column
// (incident_view.cc), the event's spelling in English. Where the spelling is also a state's
// or a confirmation's msgid, which say something else in Japanese, the event has its own
// msgid, asked for in Japanese only.
// TODO: one copy, in labels.h, shared with incident_view.cc.
std::string EventLabel(amends::v1::EventType type) {
  const auto own = [type](const char* japanese_msgid) -> std::string {
    return InJapanese() ? Tr(japanese_msgid) : CliName(type);
  };
  switch (type) {
    case amends::v1::EVENT_TYPE_REPORTED: return own("reported (event)");
    case amends::v1::EVENT_TYPE_NOTE_ADDED: return Tr("note-added");
    case amends::v1::EVENT_TYPE_ASSIGNED: return Tr("assigned");
    case amends::v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED: return Tr("first-apology-recorded");
    case amends::v1::EVENT_TYPE_ESCALATED: return own("escalated (event)");
    case amends::v1::EVENT_TYPE_ESCALATION_APPROVED: return Tr("escalation-approved");
    case amends::v1::EVENT_TYPE_ESCALATION_DECLINED: return Tr("escalation-declined");
    case amends::v1::EVENT_TYPE_VISIT_SCHEDULED: return Tr("visit-scheduled");
    case amends::v1::EVENT_TYPE_VISIT_RECORDED: return Tr("visit-recorded");
    case amends::v1::EVENT_TYPE_MEASURE_ADDED: return Tr("measure-added");
    case amends::v1::EVENT_TYPE_MEASURE_COMPLETED: return Tr("measure-completed");
    case amends::v1::EVENT_TYPE_PLAN_PRESENTED: return Tr("plan-presented");
    case amends::v1::EVENT_TYPE_FOLLOW_UP_LOGGED: return Tr("follow-up-logged");
    case amends::v1::EVENT_TYPE_CLOSED: return own("closed (event)");
    case amends::v1::EVENT_TYPE_REOPENED: return own("reopened (event)");
    case amends::v1::EVENT_TYPE_REMINDER: return Tr("reminder");
    case amends::v1::EVENT_TYPE_DEADLINE_BREACHED: return Tr("deadline-breached");
    case amends::v1::EVENT_TYPE_PROMISE_MADE: return Tr("promise-made");
    case amends::v1::EVENT_TYPE_PROMISE_KEPT: return Tr("promise-kept");
    case amends::v1::EVENT_TYPE_HELD: return own("held (event)");
    case amends::v1::EVENT_TYPE_RESUMED: return own("resumed (event)");
    case amends::v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED: return Tr("reminders-acknowledged");
    case amends::v1::EVENT_TYPE_RESPONSE_DECIDED: return Tr("response-decided");
    case amends::v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED: return Tr("checklist-item-added");
    case amends::v1::EVENT_TYPE_CHECKLIST_ITEM_DONE: return Tr("checklist-item-done");
    case amends::v1::EVENT_TYPE_HANDED_OVER: return Tr("handed-over");
    case amends::v1::EVENT_TYPE_CORRECTED: return Tr("corrected");
    case amends::v1::EVENT_TYPE_MEASURE_ASSIGNED: return Tr("measure-assigned");
    case amends::v1::EVENT_TYPE_EXPECTATION_RECORDED: return Tr("expectation-recorded");
    case amends::v1::EVENT_TYPE_CAUSE_RECORDED: return Tr("cause-recorded");
    case amends::v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED: return Tr("manager-apology-recorded");
    case amends::v1::EVENT_TYPE_OFFER_MADE: return Tr("offer-made");
    case amends::v1::EVENT_TYPE_OFFER_APPROVED: return Tr("offer-approved");
    case amends::v1::EVENT_TYPE_OFFER_DECLINED: return Tr("offer-declined");
    case amends::v1::EVENT_TYPE_OFFER_DELIVERED: return Tr("offer-delivered");
    case amends::v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED: return Tr("client-update-logged");
    case amends::v1::EVENT_TYPE_MEASURE_VERIFIED: return Tr("measure-verified");
    case amends::v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED:
      return Tr("measure-verification-failed");
    default: return CliName(type);  // unspecified, or a type added after this build
  }
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
      Cell(EventLabel(event.type()), kEventWidth, /*cut=*/false),
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
