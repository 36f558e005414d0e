#include "client/flag_names.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace amends::cli {
namespace {

// Request fields the CLI fills, and the flag or argument each comes from.
constexpr std::pair<absl::string_view, absl::string_view> kFlagOfField[] = {
    {"amount_yen", "--amount"},
    {"attendees", "--attendee"},
    {"by", "--by"},
    {"category", "--category"},
    {"channel", "--channel"},
    {"checklist", "--check"},
    {"client", "--client"},
    {"confidential", "--confidential"},
    {"contact", "--contact"},
    {"decision", "--decision"},
    {"details", "--details"},
    {"due", "--due"},
    {"due_within", "--due-within"},
    {"expected_version", "--expected-version"},
    {"failed", "--failed"},
    {"held_at", "--held-at"},
    {"kind", "--kind"},
    {"new_owner", "USER"},
    {"note", "--note"},
    {"number", "N"},
    {"outcome", "--outcome"},
    {"owner", "--owner"},
    {"planned_at", "--at"},
    {"reason", "--reason"},
    {"request_id", "--request-id"},
    {"severity", "--severity"},
    {"state", "--state"},
    {"states", "--state"},
    {"subject", "--subject"},
    {"summary", "--summary"},
    {"team", "--team"},
    {"text", "--text"},
    {"to", "--to"},
    {"until", "--until"},
    {"what", "--what"},
    {"why_missed", "--why-missed"},
};

}  // namespace

absl::Status NameFlags(const absl::Status& status) {
  const absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos) return status;
  const absl::string_view field = message.substr(0, colon);
  for (const auto& [name, flag] : kFlagOfField) {
    if (name == field) {
      absl::Status named(status.code(), absl::StrCat(flag, message.substr(colon)));
      status.ForEachPayload([&named](absl::string_view url, const absl::Cord& payload) {
        named.SetPayload(url, payload);
      });
      return named;
    }
  }
  return status;
}

}  // namespace amends::cli
