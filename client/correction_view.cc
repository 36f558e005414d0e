#include "client/correction_view.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "client/i18n.h"
#include "client/labels.h"
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
    notes.push_back(absl::Substitute(Tr("a recurrence of $0 (the last prevention plan did not "
                                        "hold)"),
                                     Ids(after.earlier_incidents())));
  } else if (before.recurrence()) {
    notes.push_back(absl::Substitute(Tr("no longer a recurrence: severity stays $0 (a manager may "
                                        "lower it with --severity and --reason)"),
                                     Label(after.severity())));
  }
  if (after.related_open_size() > 0) {
    notes.push_back(absl::Substitute(Tr("related, open: $0"), Ids(after.related_open())));
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
    parts.push_back(absl::Substitute(request.severity() == amends::v1::SEVERITY_UNSPECIFIED
                                         ? Tr("severity $0 -> $1 by the policy on recurrences")
                                         : Tr("severity $0 -> $1"),
                                     Label(before.severity()), Label(after.severity())));
  }
  if (request.has_summary()) parts.push_back(Tr("summary"));
  if (request.has_details()) parts.push_back(Tr("details"));
  if (request.has_client()) {
    parts.push_back(absl::Substitute(Tr("client $0 -> $1$2"), OneLine(before.client().name()),
                                     OneLine(after.client().name()), Links(before, after)));
  }
  if (request.has_contact()) {
    parts.push_back(absl::Substitute(Tr("contact $0 -> $1"), OrDash(before.client().contact()),
                                     OrDash(after.client().contact())));
  }
  if (after.kind() != before.kind()) {
    parts.push_back(
        absl::Substitute(Tr("kind $0 -> $1"), Label(before.kind()), Label(after.kind())));
  }
  if (after.confidential() && !before.confidential()) parts.push_back(Tr("made confidential"));
  return absl::Substitute(Tr("corrected: $0"), absl::StrJoin(parts, "; "));
}

}  // namespace amends::cli
