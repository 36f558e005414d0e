// The database's files through the real binaries: which command may create a database (none a
// directory; only serving and `admin team add` a file) and that a refused one creates nothing;
// private modes for new and existing databases; one server per database while `amendsd admin`
// keeps working beside it; start-up refusing a database it cannot write, another program's or a
// damaged one; `amendsd check`; a backup taken while serving, restored and served.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/test_certificates.h"

namespace amends {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

class DatabaseFilesTest : public ::testing::Test {
 protected:
  // The state directory exists, as the installation made it (mkdir -m 700, or systemd's
  // StateDirectory); the database does not yet.
  void SetUp() override {
    dir_ = (TestDir() / "state" / "amends").string();
    db_ = dir_ + "/amends.db";
    ASSERT_TRUE(std::filesystem::create_directories(dir_));
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
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

  // Adds team 営業一課 and member sato; returns sato's token.
  std::string TeamWithMember() {
    EXPECT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
    RunResult added = Admin({"user", "add", "sato", "--team", "営業一課", "--role", "member"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return std::string(absl::StripAsciiWhitespace(added.out));
  }

  std::string dir_, db_;
};

// The names of the entries of `dir`, sorted; for "nothing was created".
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Runs SQL on the file at `path` as another program would.
void Sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_free(error);
  sqlite3_close(db);
}

// Overwrites page `page` (1-based) of the database file at `path` with garbage.
void Damage(const std::string& path, int page) {
  std::string bytes = ReadWholeFile(path);
  const size_t size = 4096;  // SQLite's default page size
  ASSERT_GE(bytes.size(), page * size);
  for (size_t i = (page - 1) * size + 8; i < page * size; ++i) bytes[i] = static_cast<char>(0xA5);
  WriteWholeFile(path, bytes);
}

TEST_F(DatabaseFilesTest, AdminOnAMissingDatabaseCreatesNothingAndSaysHowToMakeOne) {
  const std::string said = absl::StrCat("amendsd: no database at ", db_,
                                        "; create one with 'amendsd admin --db ", db_,
                                        " team add TEAM --tz ZONE'\n");
  const std::vector<std::vector<std::string>> commands = {
      {"user", "list"},
      {"team", "list"},
      {"user", "add", "sato", "--team", "営業一課", "--role", "member"},
      {"user", "set", "sato", "--lang", "ja"},
      {"user", "deactivate", "yamada"},
      {"token", "rotate", "sato"},
      {"token", "revoke", "sato"},
      {"team", "set", "営業一課", "--lang", "ja"},
      {"team", "calendar", "営業一課"},
      {"backup", dir_ + "/../backup.db"},
  };
  for (const std::vector<std::string>& command : commands) {
    const RunResult r = Admin(command);
    const std::string named = absl::StrJoin(command, " ");
    EXPECT_EQ(r.exit_code, 1) << named;
    EXPECT_EQ(r.err, said) << named;
    EXPECT_EQ(r.out, "") << named;
    EXPECT_TRUE(Entries(dir_).empty()) << named << " created " << absl::StrJoin(Entries(dir_), " ");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/../backup.db"));
}

TEST_F(DatabaseFilesTest, NoCommandCreatesAMissingDirectoryAndEachNamesIt) {
  // /var/lib/amend for /var/lib/amends
  const std::string typo = (std::filesystem::path(dir_).parent_path() / "amend").string();
  const std::string db = typo + "/amends.db";
  auto admin = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDSD_PATH, "admin", "--db", db});
    return RunCommand(args);
  };
  RunResult r = admin({"user", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, absl::StrCat("amendsd: no database at ", db, ": there is no directory ", typo,
                                " (check --db; amendsd creates no directories: a new database "
                                "needs 'mkdir -m 700 ",
                                typo, "' first)\n"));
  r = admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, absl::StrCat("amendsd: cannot create the database ", db,
                                ": there is no directory ", typo,
                                " (check --db; amendsd creates no directories: 'mkdir -m 700 ",
                                typo, "' makes a private one)\n"));
  // Nor does the server, which would otherwise create a new database there.
  r = RunCommand({AMENDSD_PATH, "--db", db, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat("cannot create the database ", db,
                                                    ": there is no directory ", typo)))
      << r.err;
  EXPECT_FALSE(absl::StrContains(r.out, "listening")) << r.out;
  EXPECT_FALSE(std::filesystem::exists(typo));
}

TEST_F(DatabaseFilesTest, TeamAddCreatesANewDatabaseAndSaysSoOnce) {
  RunResult r = Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, absl::StrCat("amendsd: created a new database at ", db_,
                                "\nteam 営業一課 added (Asia/Tokyo, en)\n"));
  r = Admin({"team", "add", "osaka", "--tz", "Asia/Tokyo"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "team osaka added (Asia/Tokyo, en)\n");
  r = Admin({"team", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "営業一課")) << r.out;
}

TEST_F(DatabaseFilesTest, ARejectedTeamAddCreatesNoDatabase) {
  RunResult r = Admin({"team", "add", "営業一課", "--tz", "Asia/Tokio"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "amendsd: tz: unknown time zone 'Asia/Tokio' (an IANA name like Asia/Tokyo)\n");
  EXPECT_TRUE(Entries(dir_).empty()) << absl::StrJoin(Entries(dir_), " ");
}

TEST_F(DatabaseFilesTest, ServerCreatesANewDatabaseInAnExistingDirectorySayingSo) {
  std::string address, said;
  std::unique_ptr<ChildProcess> first = Serve(&address, &said);
  EXPECT_TRUE(absl::StrContains(said, absl::StrCat("amendsd: created a new database at ", db_,
                                                   "\n")))
      << said;
  first->Signal(SIGTERM);
  EXPECT_EQ(first->Wait().exit_code, 0);
  said.clear();
  std::unique_ptr<ChildProcess> again = Serve(&address, &said);
  EXPECT_FALSE(absl::StrContains(said, "created")) << said;
}

TEST_F(DatabaseFilesTest, NewDatabaseAndItsFilesArePrivate) {
  ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
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

TEST_F(DatabaseFilesTest, DatabaseItCannotWriteIsRefusedAtStart) {
  TeamWithMember();
  // The file is read-only to the user amendsd runs as; root writes anything, so as root the
  // server runs as nobody, owning the directory but not allowed to write the file.
  std::vector<std::string> argv = {AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"};
  ASSERT_EQ(chmod(db_.c_str(), 0400), 0);
  if (geteuid() == 0) {
    constexpr uid_t kNobody = 65534;
    ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
    ASSERT_EQ(chown(db_.c_str(), kNobody, kNobody), 0);
    for (std::filesystem::path p = dir_; p != p.root_path(); p = p.parent_path()) {
      ASSERT_EQ(chmod(p.c_str(), ModeOf(p) | 0711), 0) << p;  // nobody may pass through
    }
    argv.insert(argv.begin(),
                {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  }
  RunResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(
      absl::StrContains(r.err, absl::StrCat("amendsd: database ", db_, ": cannot write it")))
      << r.err;
  EXPECT_FALSE(absl::StrContains(r.out, "listening")) << r.out;
}

TEST_F(DatabaseFilesTest, AnotherProgramsDatabaseIsRefusedAndLeftAsItWas) {
  Sql(db_, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
           "INSERT INTO customers VALUES (1, 'ＡＢＣ商事');");
  const std::string before = ReadWholeFile(db_);
  RunResult r = RunCommand({AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(
      r.err, absl::StrCat("amendsd: database ", db_, ": it is not an amends database (it holds "
                          "tables amends did not make); amends will not change it")))
      << r.err;
  EXPECT_EQ(ReadWholeFile(db_), before) << "the other program's file was changed";
  EXPECT_FALSE(std::filesystem::exists(db_ + "-wal"));

  // Nor does admin touch it, nor does a file that is no database at all pass.
  EXPECT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 1);
  EXPECT_EQ(ReadWholeFile(db_), before);
  WriteWholeFile(db_, "name,client\nsato,ＡＢＣ商事\n");
  r = RunCommand({AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "file is not a database")) << r.err;
}

TEST_F(DatabaseFilesTest, DamagedDatabaseIsRefusedAtStartAndCheckNamesTheDamage) {
  TeamWithMember();
  RunResult check = RunCommand({AMENDSD_PATH, "check", "--db", db_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(
      absl::StartsWith(check.out, absl::StrCat(db_, ": sound (SQLite's integrity_check of ")))
      << check.out;

  // The users table's own page, garbled as a failing disk would.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name = 'users'", -1,
                               &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const int page = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  Damage(db_, page);

  RunResult r = RunCommand({AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      absl::StrContains(r.err, absl::StrCat("database ", db_, " is damaged; not serving it")))
      << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat("Run `amendsd check --db ", db_, "`")))
      << r.err;
  EXPECT_FALSE(absl::StrContains(r.out, "listening")) << r.out;

  check = RunCommand({AMENDSD_PATH, "check", "--db", db_});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(check.out, absl::StrCat(db_, ": damaged ("))) << check.out;
  EXPECT_TRUE(absl::StrContains(check.out, absl::StrCat("page ", page))) << check.out;
}

TEST_F(DatabaseFilesTest, BackupTakenWhileServingIsRestoredAndServed) {
  const std::string token = TeamWithMember();
  std::string address;
  std::unique_ptr<ChildProcess> server = Serve(&address);
  auto amends = [&](const std::string& at, std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDS_PATH, "--server", at, "--token", token});
    return RunCommand(args);
  };
  RunResult reported = amends(address, {"report", "--team", "営業一課", "--client", "ＡＢＣ商事",
                                        "--kind", "missed-appointment", "--severity", "high",
                                        "--summary", "15時の打ち合わせを失念"});
  ASSERT_EQ(reported.exit_code, 0) << reported.err;

  const std::string backup = dir_ + "/../amends-backup.db";
  RunResult made = Admin({"backup", backup});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(made.err, absl::StrCat("backed up ", db_, " to ", backup, "\n"));
  EXPECT_EQ(ModeOf(backup), 0600u);
  RunResult again = Admin({"backup", backup});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(again.err, "already exists; a backup never overwrites a file"))
      << again.err;
  // Written after the backup: not in it.
  ASSERT_EQ(amends(address, {"report", "--team", "営業一課", "--client", "XYZ Trading", "--kind",
                             "late-deliverable", "--severity", "low", "--summary", "報告書の遅れ"})
                .exit_code,
            0);

  // Restored as README says: the copy becomes the database of a server.
  const std::string restored_dir = dir_ + "/../restored";
  std::filesystem::create_directories(restored_dir);
  std::filesystem::copy_file(backup, restored_dir + "/amends.db");
  ChildProcess restored({AMENDSD_PATH, "--db", restored_dir + "/amends.db", "--listen",
                         "127.0.0.1:0"});
  std::string restored_address;
  ASSERT_TRUE(StartServer(restored, &restored_address));
  RunResult listed = amends(restored_address, {"list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(absl::StrContains(listed.out, "15時の打ち合わせを失念")) << listed.out;
  EXPECT_FALSE(absl::StrContains(listed.out, "報告書の遅れ")) << listed.out;
}

}  // namespace
}  // namespace amends
