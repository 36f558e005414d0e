// The database's files through the real binaries: private modes for new and existing
// databases, and one server per database while `amendsd admin` keeps working beside it.
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

class DatabaseFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (TestDir() / "state" / "amends").string();
    db_ = dir_ + "/amends.db";
  }

  RunResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDSD_PATH, "admin", "--db", db_});
    return RunCommand(args);
  }

  std::unique_ptr<ChildProcess> Serve(std::string* address, std::string* said = nullptr) {
    auto server = std::make_unique<ChildProcess>(
        std::vector<std::string>{AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
    EXPECT_TRUE(StartServer(*server, address, said)) << "amendsd did not start";
    return server;
  }

  std::string dir_, db_;
};

TEST_F(DatabaseFilesTest, NewDatabaseItsDirectoryAndItsFilesArePrivate) {
  ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
  EXPECT_EQ(ModeOf(dir_), 0700u);
  EXPECT_EQ(ModeOf(db_), 0600u);
  std::string address;
  std::unique_ptr<ChildProcess> server = Serve(&address);
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
    const std::string path = db_ + suffix;
    EXPECT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_EQ(ModeOf(path), 0600u) << path;
  }
}

TEST_F(DatabaseFilesTest, ExistingReadableDatabaseIsMadePrivateAtStartSayingSo) {
  ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
  ASSERT_EQ(chmod(db_.c_str(), 0644), 0);
  std::string address, said;
  std::unique_ptr<ChildProcess> server = Serve(&address, &said);
  EXPECT_EQ(ModeOf(db_), 0600u);
  EXPECT_TRUE(absl::StrContains(said, absl::StrCat("made ", db_, " private: mode 0644 -> 0600")))
      << said;
}

TEST_F(DatabaseFilesTest, SecondServerIsRefusedNamingTheFirstWhileAdminChangesReachIt) {
  ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
  std::string address;
  std::unique_ptr<ChildProcess> first = Serve(&address);

  RunResult second = RunCommand({AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(second.err, absl::StrCat("another amendsd (pid ", first->pid(),
                                                         ") serves ", db_)))
      << second.err;

  // Admin works beside the server, and the server honours what it did at once.
  RunResult added = Admin({"user", "add", "sato", "--team", "営業一課", "--role", "member"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string token(absl::StripAsciiWhitespace(added.out));
  auto list = [&] {
    return RunCommand({AMENDS_PATH, "--server", address, "--token", token, "list"});
  };
  RunResult listed = list();
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_EQ(Admin({"token", "revoke", "sato"}).exit_code, 0);
  EXPECT_EQ(list().exit_code, 4) << "a revoked token still works on the running server";
}

TEST_F(DatabaseFilesTest, KilledServersLockDoesNotBlockTheRestart) {
  ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
  std::string address;
  std::unique_ptr<ChildProcess> first = Serve(&address);
  first->Signal(SIGKILL);
  first->Wait();
  std::unique_ptr<ChildProcess> again = Serve(&address);
  EXPECT_FALSE(address.empty());
}

}  // namespace
}  // namespace amends
