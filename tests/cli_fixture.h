// CliFixture: the CLI end to end, through the real binaries. Each test gets a new database
// with team 営業一課 (Asia/Tokyo), sato (member) and tanaka (manager), amendsd serving it on a
// free loopback port, and `amends` run as any of its users.
//
//   class CliEditTest : public CliFixture {};
//   TEST_F(CliEditTest, ...) { Amends("sato", {"report", ...}); Amends("sato", {"x"}, 2); }
//
// A test adds users (AddMember) or teams (Admin) while amendsd serves: admin writes to the
// same database. Not thread-safe: one test at a time, as gtest runs them.
#ifndef AMENDS_TESTS_CLI_FIXTURE_H_
#define AMENDS_TESTS_CLI_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"  // TestDir

namespace amends {

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (TestDir() / "amends.db").string();
    ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
    AddMember("sato");
    AddMember("tanaka", "manager");
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(StartServer(*server_, &address_));
  }

  // `amendsd admin --db DB ARGS`.
  RunResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDSD_PATH, "admin", "--db", db_});
    return RunCommand(args);
  }

  // Adds `name` to `team` as `role`, keeping their token for Amends().
  void AddMember(const std::string& name, const std::string& role = "member",
                 const std::string& team = "営業一課") {
    RunResult added = Admin({"user", "add", name, "--team", team, "--role", role});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    tokens_[name] = std::string(absl::StripAsciiWhitespace(added.out));
  }

  // Runs `amends ARGS` as `user` (with `env` besides the server and token, and COLUMNS and the
  // language variables unset unless `env` sets them); expects exit code `want` and returns
  // the result.
  RunResult Amends(const std::string& user, std::vector<std::string> args, int want = 0,
                   std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), AMENDS_PATH);
    // No COLUMNS unless the test gives one: a developer's own must not cut the tables.
    env.insert({{"AMENDS_SERVER", address_}, {"AMENDS_TOKEN", tokens_[user]}, {"COLUMNS", ""}});
    // English unless the test asks otherwise, whatever the developer's own language.
    for (const char* name : {"AMENDS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
      env.insert({name, ""});
    }
    RunResult r = RunCommand(args, env);
    EXPECT_EQ(r.exit_code, want) << absl::StrJoin(args, " ") << "\n" << r.out << r.err;
    return r;
  }

  // A local time in Tokyo `days` from now, as people type it: "2026-11-28 10:00".
  static std::string InDays(int days) {
    return absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() + absl::Hours(24 * days),
                            absl::FixedTimeZone(9 * 3600));
  }

  std::string db_, address_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace amends

#endif  // AMENDS_TESTS_CLI_FIXTURE_H_
