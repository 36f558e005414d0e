// The CLI in Japanese (issue 20), through the real binary: the language chosen by --lang, by
// AMENDS_LANG, or by gettext's environment without a generated ja_JP locale (LANGUAGE=ja under
// C.UTF-8), and English otherwise. JSON output is the same in every language.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"

namespace amends {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class CliLanguageTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "missed-appointment", "--severity", "high", "--summary",
                    "15時のサンプル受け渡しの打ち合わせを失念"});
  }
};

// The list's next deadline: "in 45m" in English, "45分後" in Japanese.
constexpr char kJapaneseDue[] = "[0-9]+(分|時間|日)後";
constexpr char kEnglishDue[] = "in [0-9]+[mhd]";

TEST_F(CliLanguageTest, LangJaSpeaksJapaneseAndLangEnWinsOverTheEnvironment) {
  EXPECT_THAT(Amends("sato", {"--lang", "ja", "list"}).out, ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list", "--lang", "ja"}).out, ContainsRegex(kJapaneseDue));
  const RunResult english = Amends("sato", {"--lang", "en", "list"}, 0,
                                   {{"AMENDS_LANG", "ja"}, {"LANGUAGE", "ja"}});
  EXPECT_THAT(english.out, ContainsRegex(kEnglishDue));
  EXPECT_THAT(english.out, Not(ContainsRegex(kJapaneseDue)));
}

TEST_F(CliLanguageTest, AmendsLangComesBeforeTheLocale) {
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"AMENDS_LANG", "ja"}}).out,
              ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"AMENDS_LANG", "en"}, {"LANG", "ja_JP.UTF-8"}}).out,
              ContainsRegex(kEnglishDue));
  const RunResult wrong = Amends("sato", {"list"}, 2, {{"AMENDS_LANG", "fr"}});
  EXPECT_THAT(wrong.err, HasSubstr("AMENDS_LANG: must be ja or en"));
}

// Many machines have no ja_JP locale generated: LANGUAGE=ja under C.UTF-8 is enough, as is
// LANG=ja_JP.UTF-8 whether or not that locale exists. Under plain C, gettext ignores LANGUAGE.
TEST_F(CliLanguageTest, TheGettextEnvironmentChoosesWithoutAJapaneseLocale) {
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"LANGUAGE", "ja"}, {"LC_ALL", "C.UTF-8"}}).out,
              ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"LANG", "ja_JP.UTF-8"}}).out,
              ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"LANGUAGE", "ja"}, {"LC_ALL", "C"}}).out,
              ContainsRegex(kEnglishDue));
  EXPECT_THAT(Amends("sato", {"list"}).out, ContainsRegex(kEnglishDue));
}

TEST_F(CliLanguageTest, JsonIsTheSameInEveryLanguage) {
  const std::string english = Amends("sato", {"--output", "json", "show", "1"}).out;
  EXPECT_EQ(Amends("sato", {"--lang", "ja", "--output", "json", "show", "1"}).out, english);
}

}  // namespace
}  // namespace amends
