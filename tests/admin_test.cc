// `amendsd admin ...` against a real SqliteStore in a fresh directory: teams and users with
// their mail address and language, and the checks of server/core/contact.h that the admin
// commands share with NotificationService.UpdateMe. A rejected call changes nothing. The lists
// as `amendsd admin team list` and `user list` print them, through the real binary.
#include "server/admin.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/contact.h"
#include "storage/sqlite_store.h"
#include "tests/process.h"

namespace amends {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A fresh directory per test, so tests never see each other's files.
class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("amends_admin_") + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(std::filesystem::create_directories(dir_));
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open((dir_ / "amends.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(AddTeam(*store_, "営業一課", "Asia/Tokyo", "ja").ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `amendsd admin --db <this test's database> ARGS...`, the real binary.
  RunResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDSD_PATH, "admin", "--db", (dir_ / "amends.db").string()});
    return RunCommand(args);
  }

  User GetUser(const std::string& name) {
    absl::StatusOr<User> user = store_->GetUser(name);
    EXPECT_TRUE(user.ok()) << user.status();
    return user.value_or(User());
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(AdminTest, ATeamKeepsItsLanguageAndTeamSetChangesIt) {
  ASSERT_TRUE(AddTeam(*store_, "osaka", "Asia/Tokyo").ok());
  EXPECT_EQ(store_->GetTeam("営業一課")->language, "ja");
  EXPECT_EQ(store_->GetTeam("osaka")->language, "");  // English, the default
  ASSERT_TRUE(SetTeamLanguage(*store_, "osaka", "en").ok());
  EXPECT_EQ(store_->GetTeam("osaka")->language, "en");
  EXPECT_TRUE(absl::IsNotFound(SetTeamLanguage(*store_, "nagoya", "ja")));
}

TEST_F(AdminTest, AnUnknownTeamLanguageIsRejectedNamingTheFlagAndChangesNothing) {
  const absl::Status added = AddTeam(*store_, "osaka", "Asia/Tokyo", "fr");
  EXPECT_EQ(added.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(added.message()), StartsWith("--lang: 'fr'"));
  EXPECT_TRUE(absl::IsNotFound(store_->GetTeam("osaka").status()));

  const absl::Status set = SetTeamLanguage(*store_, "営業一課", "JA");
  EXPECT_EQ(set.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(set.message()), StartsWith("--lang: "));
  EXPECT_EQ(store_->GetTeam("営業一課")->language, "ja");
}

TEST_F(AdminTest, UserAddStoresTheAddressAndLanguage) {
  ASSERT_TRUE(AddUser(*store_, "佐藤", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "en"})
                  .ok());
  ASSERT_TRUE(AddUser(*store_, "tanaka", "営業一課", "manager").ok());
  const User sato = GetUser("佐藤");
  EXPECT_EQ(sato.email, "sato@example.co.jp");
  EXPECT_EQ(sato.language, "en");
  const User tanaka = GetUser("tanaka");
  EXPECT_EQ(tanaka.email, "");
  EXPECT_EQ(tanaka.language, "");
}

TEST_F(AdminTest, UserAddWithABadAddressOrLanguageCreatesNoUser) {
  const absl::Status bad_email =
      AddUser(*store_, "佐藤", "営業一課", "member", {.email = "sato at example.co.jp"}).status();
  EXPECT_EQ(bad_email.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad_email.message()), StartsWith("--email: "));
  const absl::Status bad_lang =
      AddUser(*store_, "佐藤", "営業一課", "member", {.language = "jp"}).status();
  EXPECT_EQ(bad_lang.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad_lang.message()), StartsWith("--lang: "));
  // Never echoed whole.
  const absl::Status huge_lang =
      AddUser(*store_, "佐藤", "営業一課", "member", {.language = std::string(9000, 'x')})
          .status();
  EXPECT_EQ(huge_lang.message(), "--lang: 9000 bytes, at most 35 allowed");
  EXPECT_TRUE(absl::IsNotFound(store_->GetUser("佐藤").status()));
}

TEST_F(AdminTest, UserSetChangesOnlyTheFieldsGiven) {
  ASSERT_TRUE(AddUser(*store_, "佐藤", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "ja"})
                  .ok());
  absl::StatusOr<User> after = EditUserContact(*store_, "佐藤", {.language = "en"});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->email, "sato@example.co.jp");
  EXPECT_EQ(after->language, "en");
  EXPECT_EQ(GetUser("佐藤").language, "en");

  after = EditUserContact(*store_, "佐藤", {.email = "s.sato@example.co.jp"});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(GetUser("佐藤").email, "s.sato@example.co.jp");
  EXPECT_EQ(GetUser("佐藤").language, "en");

  // Nothing given: nothing changes, the user is returned as stored.
  after = EditUserContact(*store_, "佐藤", {});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->email, "s.sato@example.co.jp");
}

TEST_F(AdminTest, AnEmptyAddressRemovesItAndAnEmptyLanguageFallsBackToTheTeams) {
  ASSERT_TRUE(AddUser(*store_, "佐藤", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "en"})
                  .ok());
  ASSERT_TRUE(EditUserContact(*store_, "佐藤", {.email = "", .language = ""}).ok());
  const User sato = GetUser("佐藤");
  EXPECT_EQ(sato.email, "");
  EXPECT_EQ(sato.language, "");
}

TEST_F(AdminTest, ARejectedUserSetChangesNeitherField) {
  ASSERT_TRUE(AddUser(*store_, "佐藤", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "ja"})
                  .ok());
  // The language is fine, the address is not: neither is stored.
  absl::StatusOr<User> after =
      EditUserContact(*store_, "佐藤", {.email = "sato@@example.co.jp", .language = "en"});
  EXPECT_EQ(after.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(after.status().message()), StartsWith("--email: "));
  after = EditUserContact(*store_, "佐藤", {.email = "sato2@example.co.jp", .language = "de"});
  EXPECT_EQ(after.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(after.status().message()), StartsWith("--lang: "));
  const User sato = GetUser("佐藤");
  EXPECT_EQ(sato.email, "sato@example.co.jp");
  EXPECT_EQ(sato.language, "ja");
  EXPECT_TRUE(absl::IsNotFound(EditUserContact(*store_, "nobody", {.language = "ja"}).status()));
}

// What `amendsd admin team list` prints, through the real binary: the Japanese team name takes
// two columns a character, and the columns after it still line up; yamada has left, so
// 営業一課 has two active users.
TEST_F(AdminTest, TeamListShowsZoneCalendarAndActiveUsersAligned) {
  ASSERT_TRUE(AddTeam(*store_, "osaka", "Asia/Tokyo").ok());
  ASSERT_TRUE(EditTeamCalendar(*store_, "営業一課",
                               {.hours = {"mon-fri=09:00-18:00"}, .add_holidays = {"2026-12-29"}})
                  .ok());
  for (const char* name : {"sato", "tanaka", "yamada"}) {
    ASSERT_TRUE(AddUser(*store_, name, "営業一課", "member").ok());
  }
  ASSERT_TRUE(AddUser(*store_, "kobayashi", "osaka", "member").ok());
  ASSERT_TRUE(DeactivateUser(*store_, "yamada").ok());

  const RunResult r = Admin({"team", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "TEAM      TIME ZONE   LANG  ACTIVE USERS  CALENDAR\n"
            "osaka     Asia/Tokyo  en    1             -\n"
            "営業一課  Asia/Tokyo  ja    2             mon-fri 09:00-18:00; 1 holiday\n");
}

// What `amendsd admin user list` prints, through the real binary: each user's role, team,
// address, personal webhook, language (the team's marked) and state, aligned by display width.
TEST_F(AdminTest, UserListShowsRoleTeamAddressWebhookAndStateAligned) {
  ASSERT_TRUE(AddTeam(*store_, "osaka", "Asia/Tokyo").ok());
  ASSERT_TRUE(AddUser(*store_, "sato", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "en"})
                  .ok());
  ASSERT_TRUE(AddUser(*store_, "tanaka", "営業一課", "manager").ok());
  ASSERT_TRUE(EditUserContact(*store_, "tanaka", {.webhook = "tanaka-dm"}).ok());
  ASSERT_TRUE(AddUser(*store_, "yamada", "営業一課", "member").ok());
  ASSERT_TRUE(DeactivateUser(*store_, "yamada").ok());
  ASSERT_TRUE(AddUser(*store_, "kobayashi", "osaka", "member").ok());
  ASSERT_TRUE(RevokeToken(*store_, "kobayashi").ok());

  const RunResult r = Admin({"user", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "NAME       ROLE     TEAM      EMAIL               WEBHOOK    LANG         STATE\n"
            "kobayashi  member   osaka     -                   -          en (team's)  "
            "active (token revoked)\n"
            "sato       member   営業一課  sato@example.co.jp  -          en           active\n"
            "tanaka     manager  営業一課  -                   tanaka-dm  ja (team's)  active\n"
            "yamada     member   営業一課  -                   -          ja (team's)  "
            "deactivated\n");
}

TEST(ValidateEmail, PlausibleAddressesAndNoneAreAccepted) {
  for (const std::string email : {"sato@example.co.jp", "s.sato+amends@mail.example.com",
                                  "tanaka@localhost", "佐藤@例え.jp", ""}) {
    EXPECT_TRUE(ValidateEmail("--email", email).ok()) << email;
  }
}

TEST(ValidateEmail, ImplausibleAddressesAreRejectedNamingTheField) {
  const std::vector<std::string> bad = {
      "sato",                      // no '@'
      "sato@@example.co.jp",       // two
      "sato@mail@example.co.jp",   //
      "@example.co.jp",            // nothing before it
      "sato@",                     // nothing after it
      "sato @example.co.jp",       // a space
      "sato\u3000@example.co.jp",  // an ideographic space, typed with a Japanese IME
      "sato@example.co.jp\r\nBcc: all@example.co.jp",  // header injection
      "sato\t@example.co.jp",
      "sato\x7f@example.co.jp",
      "<sato@example.co.jp>",
      "sato@example.co.jp, tanaka@example.co.jp",
      "\"sato\"@example.co.jp",
      "sato@\xff\xfe.jp",               // not UTF-8
      std::string(250, 'a') + "@x.jp",  // 255 bytes
  };
  for (const std::string& email : bad) {
    const absl::Status status = ValidateEmail("email", email);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << email;
    EXPECT_THAT(std::string(status.message()), StartsWith("email: ")) << email;
  }
  EXPECT_TRUE(ValidateEmail("email", std::string(248, 'a') + "@x.jp").ok());  // 254 bytes
}

TEST(ValidateEmail, TheMessageSaysWhatIsWrong) {
  EXPECT_THAT(std::string(ValidateEmail("--email", "sato @x.jp").message()),
              HasSubstr("must not contain spaces"));
  EXPECT_THAT(std::string(ValidateEmail("--email", "sato\n@x.jp").message()),
              HasSubstr("must not contain control characters"));
  EXPECT_THAT(std::string(ValidateEmail("--email", "sato.x.jp").message()), HasSubstr("one '@'"));
}

TEST(ValidateLanguage, OnlyJaEnOrNothing) {
  EXPECT_TRUE(ValidateLanguage("--lang", "ja").ok());
  EXPECT_TRUE(ValidateLanguage("--lang", "en").ok());
  EXPECT_TRUE(ValidateLanguage("--lang", "").ok());
  for (const std::string lang : {"JA", "jp", "ja-JP", "en ", "日本語", "fr"}) {
    const absl::Status status = ValidateLanguage("language", lang);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << lang;
    EXPECT_THAT(std::string(status.message()), StartsWith("language: ")) << lang;
    EXPECT_THAT(std::string(status.message()), HasSubstr("ja or en")) << lang;
  }
}

}  // namespace
}  // namespace amends
