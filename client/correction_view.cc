#include "client/correction_view.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enum_names.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

using amends::v1::Incident;

std::string Ids(const google::protobuf::RepeatedPtrField<amends::v1::RelatedIncident>& links) {
  return absl::StrJoin(links, ", ", [](std::string* out, const amends::v1::RelatedIncident& r) {
    absl::StrAppend(out, "#", r.id());
  });
}

// What the client's incidents make of this one after a change of client.
std::string Links(const Incident& before, const Incident& after) {
  std::vector<std::string> notes;
  if (after.recurrence()) {
    notes.push_back(absl::StrCat("a recurrence of ", Ids(after.earlier_incidents()),
                                 " (the last prevention plan did not hold)"));
  } else if (before.recurrence()) {
    notes.push_back(absl::StrCat("no longer a recurrence: severity stays ",
                                 CliName(after.severity()),
                                 " (a manager may lower it with --severity and --reason)"));
  }
  if (after.related_open_size() > 0) {
    notes.push_back(absl::StrCat("related, open: ", Ids(after.related_open())));
  }
  if (notes.empty()) return "";
  return absl::StrCat(", ", absl::StrJoin(notes, ", "));
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : OneLine(text); }

}  // namespace

std::string CorrectionLine(const amends::v1::EditIncidentRequest& request, const Incident& before,
                           const Incident& after) {
  std::vector<std::string> parts;
  if (after.severity() != before.severity()) {
    parts.push_back(absl::StrCat(
        "severity ", CliName(before.severity()), " -> ", CliName(after.severity()),
        request.severity() == amends::v1::SEVERITY_UNSPECIFIED
            ? " by the policy on recurrences"
            : ""));
  }
  if (request.has_summary()) parts.push_back("summary");
  if (request.has_details()) parts.push_back("details");
  if (request.has_client()) {
    parts.push_back(absl::StrCat("client ", OneLine(before.client().name()), " -> ",
                                 OneLine(after.client().name()), Links(before, after)));
  }
  if (request.has_contact()) {
    parts.push_back(absl::StrCat("contact ", OrDash(before.client().contact()), " -> ",
                                 OrDash(after.client().contact())));
  }
  if (after.kind() != before.kind()) {
    parts.push_back(absl::StrCat("kind ", CliName(before.kind()), " -> ", CliName(after.kind())));
  }
  if (after.confidential() && !before.confidential()) parts.push_back("made confidential");
  return absl::StrCat("corrected: ", absl::StrJoin(parts, "; "));
}

}  // namespace amends::cli
