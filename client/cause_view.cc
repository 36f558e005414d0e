#include "client/cause_view.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/display.h"
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

// "  label       value", continuation lines of a multi-line value indented under it.
void Line(std::string& out, absl::string_view label, absl::string_view value) {
  constexpr size_t kLabelWidth = 12;
  const std::string indent(kLabelWidth + 2, ' ');
  absl::StrAppend(&out, "  ", label, std::string(kLabelWidth - label.size(), ' '),
                  absl::StrReplaceAll(value, {{"\n", "\n" + indent}}), "\n");
}

}  // namespace

std::string SameCategory(const amends::v1::Cause& cause) {
  if (cause.same_category().empty()) return "";
  return absl::StrCat("the same category as ",
                      Ids(std::set<int64_t>(cause.same_category().begin(),
                                            cause.same_category().end())),
                      " before");
}

std::string RenderCause(const amends::v1::Incident& incident, absl::TimeZone zone,
                        absl::Time now) {
  if (!incident.has_cause()) {
    return absl::StrCat("\nCause: not recorded yet (amends cause ", incident.id(),
                        " --what TEXT --why-missed TEXT)\n");
  }
  const amends::v1::Cause& cause = incident.cause();
  std::string out = "\nCause:\n";
  Line(out, "what", cause.what().empty() ? "-" : cause.what());
  Line(out, "why missed", cause.why_missed().empty() ? "-" : cause.why_missed());
  std::string category = cause.category().empty() ? "-" : cause.category();
  if (const std::string same = SameCategory(cause); !same.empty()) {
    absl::StrAppend(&category, ": ", same);
  }
  Line(out, "category", category);
  Line(out, "recorded",
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
    absl::StrAppend(&out, "cause \"", OneLine(category), "\" repeats: ", Ids(ids), "\n");
  }
  return out;
}

}  // namespace amends::cli
