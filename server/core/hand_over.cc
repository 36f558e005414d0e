#include "server/core/hand_over.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/client_name.h"

namespace amends {
namespace {

// "#12 15時の打ち合わせを失念", or "#12 (confidential)".
std::string IncidentLine(const v1::Incident& i) {
  if (i.confidential()) return absl::StrCat("#", i.id(), " (confidential)");
  return absl::StrCat("#", i.id(), " ", i.client().name(), ": ", i.summary());
}

}  // namespace

std::vector<v1::ReportIncidentRequest> HandOverCases(std::span<const v1::Incident> moved,
                                                     absl::string_view from,
                                                     absl::string_view to,
                                                     absl::string_view note) {
  std::vector<std::string> keys;
  std::vector<v1::ReportIncidentRequest> cases;
  for (const v1::Incident& i : moved) {
    const std::string key = ClientKey(i.client().name());
    auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) {
      keys.push_back(key);
      v1::ReportIncidentRequest& r = cases.emplace_back();
      r.set_team(i.team());
      // A confidential case gives the hand-over its client, not its contact.
      r.mutable_client()->set_name(i.client().name());
      if (!i.confidential()) r.mutable_client()->set_contact(i.client().contact());
      r.set_kind(v1::KIND_HAND_OVER);
      r.set_severity(v1::SEVERITY_LOW);
      r.set_summary(absl::StrCat("Hand-over from ", from, " to ", to));
      r.set_details(std::string(note));
      at = keys.end() - 1;
    }
    v1::ReportIncidentRequest& r = cases[at - keys.begin()];
    if (i.owner() == to) {
      r.add_checklist(absl::StrCat(IncidentLine(i), " (now yours)"));
    } else if (i.confidential()) {
      r.add_checklist(absl::StrCat(IncidentLine(i), " (measures or promises now yours)"));
    }
    if (i.confidential()) continue;  // its measures and promises are read in amends
    for (const v1::Promise& p : i.promises()) {
      if (!p.has_kept_at() && p.owner() == to) {
        r.add_checklist(absl::StrCat("#", i.id(), " promise ", p.number(), ": ", p.text()));
      }
    }
    for (const v1::PreventionMeasure& m : i.measures()) {
      if (!m.has_done_at() && m.owner() == to) {
        r.add_checklist(absl::StrCat("#", i.id(), " measure ", m.number(), ": ", m.text()));
      }
    }
  }
  for (v1::ReportIncidentRequest& r : cases) {
    r.add_checklist("key contacts introduced to the successor");
    r.add_checklist("what the client is sensitive about told to the successor");
  }
  return cases;
}

Notice HandOverNotice(std::span<const v1::Incident> moved, std::span<const v1::Incident> cases,
                      absl::string_view from, absl::string_view to) {
  Notice n{.reason = v1::Notification::REASON_HANDED_OVER, .user = std::string(to),
           .what = std::string(from)};
  for (const v1::Incident& i : moved) n.items.push_back(IncidentLine(i));
  for (const v1::Incident& c : cases) {
    n.items.push_back(absl::StrCat("#", c.id(), " hand-over checklist: ", c.client().name()));
  }
  return n;
}

}  // namespace amends
