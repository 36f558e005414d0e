// `amendsd admin ...` against a real SqliteStore in a fresh directory: teams and users with
// their mail address and language, and the checks of server/core/contact.h that the admin
// commands share with NotificationService.UpdateMe. A rejected call changes nothing.
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

namespace amends {
namespace {

using ::testing::ElementsAre;
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

TEST_F(AdminTest, UserListShowsTheAddressAndTheLanguageMarkingTheTeams) {
  ASSERT_TRUE(AddTeam(*store_, "osaka", "Asia/Tokyo").ok());
  ASSERT_TRUE(AddUser(*store_, "sato", "営業一課", "member",
                      {.email = "sato@example.co.jp", .language = "en"})
                  .ok());
  ASSERT_TRUE(AddUser(*store_, "tanaka", "営業一課", "manager").ok());
  ASSERT_TRUE(AddUser(*store_, "yamada", "osaka", "member").ok());
  ASSERT_TRUE(RevokeToken(*store_, "yamada").ok());
  absl::StatusOr<std::vector<std::string>> lines = DescribeUsers(*store_);
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_THAT(*lines,
              ElementsAre(HasSubstr("team=営業一課 role=member email=sato@example.co.jp lang=en"),
                          HasSubstr("team=営業一課 role=manager email=- lang=ja (team's)"),
                          HasSubstr("team=osaka role=member email=- lang=en (team's) (token "
                                    "revoked)")));
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
