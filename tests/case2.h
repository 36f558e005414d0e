// DOMAIN.md case 2 for tests: the late report to a long-standing client, the people of the
// Tokyo sales team, the Friday afternoon it arrives, and the policy whose HIGH chain goes on to
// the department heads (sales-directors) when the managers let an approval lapse.
#ifndef AMENDS_TESTS_CASE2_H_
#define AMENDS_TESTS_CASE2_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "server/core/actor.h"
#include "server/core/policy.h"
#include "tests/test_rules.h"

namespace amends {

inline const Actor kOwner{"sato", "tokyo-sales", Role::kMember};
inline const Actor kColleague{"yamada", "tokyo-sales", Role::kMember};
inline const Actor kManager{"tanaka", "tokyo-sales", Role::kManager};
inline const Actor kOtherManager{"suzuki", "tokyo-sales", Role::kManager};

// Friday 2026-11-27 16:50: the sharply worded complaint has just arrived.
inline const absl::Time kFriday1650 = TokyoTime(2026, 11, 27, 16, 50);

// The report itself.
inline v1::ReportIncidentRequest LateReport(v1::Severity severity = v1::SEVERITY_HIGH,
                                            absl::string_view team = "tokyo-sales") {
  v1::ReportIncidentRequest r;
  r.set_team(std::string(team));
  r.mutable_client()->set_name("株式会社みどり物産");
  r.mutable_client()->set_contact("佐々木部長");
  r.set_kind(v1::KIND_LATE_DELIVERABLE);
  r.set_severity(severity);
  r.set_summary("会議前に必要な報告書を納品できず、経過報告もしなかった");
  return r;
}

// The default policy with a third level for HIGH: the managers of sales-directors (the
// department heads) are asked once tokyo-sales' managers let the approval lapse.
inline std::string DirectorsPolicyText() {
  const std::string high_chain =
      "  reminder { before: \"30m\" }\n  chain { owner: true }\n  chain { managers: true }\n";
  std::string text = ReadSourceFile("deploy/policy.textproto");
  if (text.find(high_chain) == std::string::npos) {
    std::fprintf(stderr, "deploy/policy.textproto: HIGH's chain not found\n");
    std::abort();
  }
  return absl::StrReplaceAll(
      text, {{high_chain, absl::StrCat(high_chain, "  chain { team: \"sales-directors\" }\n")}});
}

inline const Policy& DirectorsPolicy() {
  static const Policy* policy = [] {
    absl::StatusOr<Policy> p = Policy::Parse(DirectorsPolicyText(), "directors.textproto");
    if (!p.ok()) {
      std::fprintf(stderr, "directors policy: %s\n", std::string(p.status().message()).c_str());
      std::abort();
    }
    return new Policy(*std::move(p));
  }();
  return *policy;
}

}  // namespace amends

#endif  // AMENDS_TESTS_CASE2_H_
