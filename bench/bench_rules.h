// The built-in default policy and a Tokyo calendar, for benchmarks.
#ifndef AMENDS_BENCH_BENCH_RULES_H_
#define AMENDS_BENCH_BENCH_RULES_H_

#include <cstdlib>

#include "server/core/business_calendar.h"
#include "server/core/deadlines.h"
#include "server/core/policy.h"
#include "server/default_policy.h"

namespace amends {

inline Rules TokyoRules() {
  static const Policy* policy =
      new Policy(*Policy::Parse(DefaultPolicyText(), kDefaultPolicyName));
  static const BusinessCalendar* calendar = [] {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone("Asia/Tokyo", &zone)) std::abort();
    return new BusinessCalendar(*BusinessCalendar::Make(zone, policy->calendar()));
  }();
  return Rules{*policy, *calendar};
}

}  // namespace amends

#endif  // AMENDS_BENCH_BENCH_RULES_H_
