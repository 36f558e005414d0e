// The policy file as amendsd reads it at start-up (server/core/policy.h): any text is either
// refused with a message that names the file, or becomes rules from which every deadline of
// every severity can be computed, in finite time, after its start.
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/core/business_calendar.h"
#include "server/core/policy.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzPolicy(absl::string_view text) {
  absl::StatusOr<Policy> policy = Policy::Parse(text, "policy.textproto");
  if (!policy.ok()) {
    FUZZ_EXPECT_REFUSAL(policy.status(), "policy.textproto:");
    return;
  }
  static const absl::TimeZone tokyo = [] {
    absl::TimeZone zone;
    absl::LoadTimeZone("Asia/Tokyo", &zone);
    return zone;
  }();
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Make(tokyo, policy->calendar());
  FUZZ_EXPECT(calendar.ok(), calendar.status().ToString());
  if (!calendar.ok()) return;
  // Friday 2026-11-27 16:50 in Tokyo, when the client called about the missed meeting.
  const absl::Time reported = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 16, 50), tokyo);
  for (v1::Severity severity : {v1::SEVERITY_LOW, v1::SEVERITY_MEDIUM, v1::SEVERITY_HIGH,
                                v1::SEVERITY_CRITICAL}) {
    const SeverityRules& rules = policy->For(severity);
    std::vector<Span> spans = {rules.first_apology_within, rules.escalate_within,
                               rules.approve_within,       rules.visit_within,
                               rules.plan_within,          rules.manager_apology_within,
                               rules.update_every};
    spans.insert(spans.end(), rules.follow_up_after.begin(), rules.follow_up_after.end());
    for (const Span& span : spans) {
      if (span == Span{}) continue;  // not set for this severity
      const absl::Time due = calendar->Add(reported, span, rules.wall_clock);
      FUZZ_EXPECT(due > reported && due < absl::InfiniteFuture(),
                  absl::StrCat(v1::Severity_Name(severity), ": ", span.days, "d ",
                               absl::FormatDuration(span.time), " gives ",
                               absl::FormatTime(due)));
    }
    for (int kind = v1::Kind_MIN + 1; kind <= v1::Kind_MAX; ++kind) {
      policy->ForKind(static_cast<v1::Kind>(kind));
      policy->TellOnReport(static_cast<v1::Kind>(kind), severity);
    }
  }
  policy->ChainTeams();
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(policy, amends::FuzzPolicy)
