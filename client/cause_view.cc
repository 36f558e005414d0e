#include "client/cause_view.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/substitute.h"
#include "client/display.h"
#include "client/i18n.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

// "#3, #7".
std::string Ids(const std::set<int64_t>& ids) {
  return absl::StrJoin(ids, ", ", [](std::string* out, int64_t id) {
    absl::StrAppend(out, "#", id);
  });
}

// "  label       value", each value at column `value_at` (display columns, past the indent),
// continuation lines of a multi-line value indented under it.
void Line(std::string& out, int value_at, absl::string_view label, absl::string_view value) {
  const std::string indent(static_cast<size_t>(value_at) + 2, ' ');
  absl::StrAppend(&out, "  ", label,
                  std::string(static_cast<size_t>(value_at - DisplayWidth(label)), ' '),
                  absl::StrReplaceAll(value, {{"\n", "\n" + indent}}), "\n");
}

}  // namespace

std::string SameCategory(const amends::v1::Cause& cause) {
  if (cause.same_category().empty()) return "";
  return absl::Substitute(Tr("the same category as $0 before"),
                          Ids(std::set<int64_t>(cause.same_category().begin(),
                                                cause.same_category().end())));
}

std::string RenderCause(const amends::v1::Incident& incident, absl::TimeZone zone,
                        absl::Time now) {
  if (!incident.has_cause()) {
    return absl::StrCat("\n",
                        absl::Substitute(Tr("Cause: not recorded yet (amends cause $0 --what TEXT "
                                            "--why-missed TEXT)"),
                                         incident.id()),
                        "\n");
  }
  const amends::v1::Cause& cause = incident.cause();
  std::string out = absl::StrCat("\n", Tr("Cause:"), "\n");
  const std::string labels[] = {Tr("what"), Tr("why missed"), Tr("category"), Tr("recorded")};
  // Values at column 12, or two columns past the widest label when one is wider.
  int value_at = 12;
  for (const std::string& label : labels) value_at = std::max(value_at, DisplayWidth(label) + 2);
  Line(out, value_at, labels[0], cause.what().empty() ? "-" : cause.what());
  Line(out, value_at, labels[1], cause.why_missed().empty() ? "-" : cause.why_missed());
  std::string category = cause.category().empty() ? "-" : cause.category();
  if (const std::string same = SameCategory(cause); !same.empty()) {
    absl::StrAppend(&category, ": ", same);
  }
  Line(out, value_at, labels[2], category);
  Line(out, value_at, labels[3],
       absl::StrCat(cause.recorded_by().empty() ? "-" : cause.recorded_by(), ", ",
                    cause.has_recorded_at() ? FormatTime(FromProto(cause.recorded_at()), zone, now)
                                            : "-"));
  return out;
}

std::string CauseRepeats(const Incidents& incidents) {
  // Categories in the order they first appear, each with the incidents that have it.
  std::vector<std::pair<std::string, std::set<int64_t>>> categories;
  for (const amends::v1::Incident& incident : incidents) {
    const amends::v1::Cause& cause = incident.cause();
    if (!incident.has_cause() || cause.category().empty()) continue;
    auto it = categories.begin();
    while (it != categories.end() && it->first != cause.category()) ++it;
    if (it == categories.end()) it = categories.insert(it, {cause.category(), {}});
    it->second.insert(incident.id());
    it->second.insert(cause.same_category().begin(), cause.same_category().end());
  }
  std::string out;
  for (const auto& [category, ids] : categories) {
    if (ids.size() < 2) continue;
    absl::StrAppend(
        &out, absl::Substitute(Tr("cause \"$0\" repeats: $1"), OneLine(category), Ids(ids)), "\n");
  }
  return out;
}

}  // namespace amends::cli
