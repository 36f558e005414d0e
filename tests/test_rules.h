// The shipped default policy (deploy/policy.textproto) and a Tokyo Mon-Fri 09:00-18:00
// calendar, for tests of the core and of the server.
#ifndef AMENDS_TESTS_TEST_RULES_H_
#define AMENDS_TESTS_TEST_RULES_H_

#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "server/core/business_calendar.h"
#include "server/core/deadlines.h"
#include "server/core/policy.h"

namespace amends {

inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(AMENDS_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline const Policy& DefaultPolicy() {
  static const Policy* policy = [] {
    absl::StatusOr<Policy> p =
        Policy::Parse(ReadSourceFile("deploy/policy.textproto"), "deploy/policy.textproto");
    if (!p.ok()) {
      std::fprintf(stderr, "default policy: %s\n", std::string(p.status().message()).c_str());
      std::abort();
    }
    return new Policy(*std::move(p));
  }();
  return *policy;
}

inline absl::TimeZone Tokyo() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Tokyo", &zone)) std::abort();
  return zone;
}

// Tokyo, Mon-Fri 09:00-18:00, the default policy's holidays.
inline const BusinessCalendar& TokyoCalendar() {
  static const BusinessCalendar* calendar =
      new BusinessCalendar(*BusinessCalendar::Make(Tokyo(), DefaultPolicy().calendar()));
  return *calendar;
}

inline Rules TokyoRules() { return Rules{DefaultPolicy(), TokyoCalendar()}; }

// A policy text without what sincerity adds to every client-facing case (updates to the
// client, the manager's own apology, verified measures), for tests of the stages' own
// deadlines; tests/sincerity_test.cc tests those.
inline std::string WithoutSincerity(std::string text) {
  for (const char* every : {"\"5d\"", "\"3d\"", "\"2d\"", "\"1d\""}) {
    const std::string field = std::string("update_every: ") + every;
    const size_t at = text.find(field);
    if (at == std::string::npos) std::abort();
    text.replace(at, field.size(),
                 "update_every: \"none\" manager_apology_due: false verify_measures: false");
  }
  return text;
}

inline const Policy& StagesOnlyPolicy() {
  static const Policy* policy = [] {
    absl::StatusOr<Policy> p = Policy::Parse(
        WithoutSincerity(ReadSourceFile("deploy/policy.textproto")), "deploy/policy.textproto");
    if (!p.ok()) std::abort();
    return new Policy(*std::move(p));
  }();
  return *policy;
}

inline Rules StagesOnlyRules() { return Rules{StagesOnlyPolicy(), TokyoCalendar()}; }

// A local time in Tokyo.
inline absl::Time TokyoTime(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), Tokyo());
}

}  // namespace amends

#endif  // AMENDS_TESTS_TEST_RULES_H_
