// ClockedCliTest: the real `amends` against amendsd's code in this process (ServiceTest),
// whose fake clock the test moves, so that deadlines, breaches and automatic escalations
// happen without waiting. Not thread-safe: one test at a time, as gtest runs them.
#ifndef AMENDS_TESTS_CLOCKED_CLI_FIXTURE_H_
#define AMENDS_TESTS_CLOCKED_CLI_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {

class ClockedCliTest : public ServiceTest {
 protected:
  // Runs `amends ARGS` as `user`; expects exit code `want` and returns the result.
  RunResult Amends(const std::string& user, std::vector<std::string> args, int want = 0) {
    args.insert(args.begin(), AMENDS_PATH);
    RunResult r = RunCommand(args, {{"AMENDS_SERVER", absl::StrCat("127.0.0.1:", server_->port())},
                                    {"AMENDS_TOKEN", tokens_.at(user)}});
    EXPECT_EQ(r.exit_code, want) << absl::StrJoin(args, " ") << "\n" << r.out << r.err;
    return r;
  }

  // Moves the fake clock to a Tokyo local time in November 2026 and fires what is due, as
  // the server would; returns how many points fired.
  int At(int day, int hour, int minute) {
    clock_.Set(TokyoTime(2026, 11, day, hour, minute));
    return server_->scheduler().RunDue();
  }
};

}  // namespace amends

#endif  // AMENDS_TESTS_CLOCKED_CLI_FIXTURE_H_
