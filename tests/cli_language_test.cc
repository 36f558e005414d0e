// The CLI in Japanese (issue 20), through the real binary: the language chosen by --lang, by
// AMENDS_LANG, or by gettext's environment without a generated ja_JP locale (LANGUAGE=ja under
// C.UTF-8), and English otherwise. JSON output is the same in every language.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"
#include "tests/cli_output.h"

namespace amends {
namespace {

using ::testing::ContainsRegex;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;
using cli::ColumnOf;

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

// Headers, states, kinds and severities in the team's words, each under its header as the
// terminal shows wide characters.
TEST_F(CliLanguageTest, TheListIsInJapaneseWithItsColumnsAligned) {
  const std::vector<std::string> lines =
      absl::StrSplit(Amends("sato", {"--lang", "ja", "list"}).out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  for (auto [header, cell] : {std::pair{"番号", "1"}, {"状態", "報告済み"}, {"重要度", "高"},
                              {"種類", "アポイント失念"}, {"顧客", "ＡＢＣ商事"},
                              {"担当", "sato"}}) {
    EXPECT_EQ(ColumnOf(lines[1], cell), ColumnOf(lines[0], header)) << header;
  }
  EXPECT_THAT(lines[0], HasSubstr("次の期限"));
  // The input stays as typed in every language.
  EXPECT_THAT(Amends("sato", {"--lang", "ja", "list", "--state", "reported"}).out,
              HasSubstr("報告済み"));
}

// Its fields in Japanese, each value where the others start, as the terminal shows them.
TEST_F(CliLanguageTest, ShowNamesItsFieldsStateKindAndSeverityInJapanese) {
  const std::string shown = Amends("sato", {"show", "1"}, 0, {{"AMENDS_LANG", "ja"}}).out;
  EXPECT_THAT(shown, Not(HasSubstr("missed-appointment")));
  std::vector<int> value_columns;
  for (auto [label, value] : {std::pair{"種類", "アポイント失念"}, {"重要度", "高"},
                              {"状態", "報告済み"}, {"担当", "sato"}, {"機密扱い", "いいえ"}}) {
    const size_t at = shown.find(absl::StrCat("  ", label, " "));
    ASSERT_NE(at, std::string::npos) << label << " not in:\n" << shown;
    const std::string line = shown.substr(at, shown.find('\n', at) - at);
    value_columns.push_back(ColumnOf(line, value));
  }
  EXPECT_THAT(value_columns, Each(value_columns[0]));
}

// 明日 10:00 and 12/20 10:00, as a Japanese team types a time, in either language.
TEST_F(CliLanguageTest, JapaneseTimeInputIsReadInTheTeamZone) {
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), tokyo) + 1;
  auto at = [&](int hour) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                            absl::FromCivil(absl::CivilMinute(tomorrow.year(), tomorrow.month(),
                                                              tomorrow.day(), hour, 0),
                                            tokyo),
                            absl::UTCTimeZone());
  };
  Amends("sato", {"promise", "1", "--by", "明日 10:00", "--text", "明日10時までに折り返す"});
  Amends("sato", {"--lang", "ja", "promise", "1", "--by",
                  absl::StrCat(tomorrow.month(), "/", tomorrow.day(), " 11:00"), "--text",
                  "見積書を再提出する"});
  const std::string json = Amends("sato", {"--output", "json", "show", "1"}).out;
  EXPECT_THAT(json, HasSubstr(absl::StrCat("\"by\":\"", at(10), "\"")));
  EXPECT_THAT(json, HasSubstr(absl::StrCat("\"by\":\"", at(11), "\"")));
  // And it is shown with the Japanese weekday.
  static constexpr const char* kWeekdays[] = {"月", "火", "水", "木", "金", "土", "日"};
  EXPECT_THAT(Amends("sato", {"--lang", "ja", "show", "1"}).out,
              HasSubstr(absl::StrFormat("%d/%02d/%02d(%s) 10:00", tomorrow.year(),
                                        tomorrow.month(), tomorrow.day(),
                                        kWeekdays[static_cast<int>(absl::GetWeekday(tomorrow))])));
}

TEST_F(CliLanguageTest, AChangeIsConfirmedInJapanese) {
  EXPECT_EQ(Amends("sato", {"--lang", "ja", "note", "1", "先方へ電話、明日伺う旨を伝えた"}).out,
            "#1 メモを追加しました → 状態 報告済み（第2版）\n");
  EXPECT_EQ(Amends("sato", {"note", "1", "部長へ報告"}).out,
            "#1 note added → state reported (version 3)\n");
}

// What went wrong in Japanese, by the error's code and field; the exit code is the same, and
// the message the client or server wrote follows it.
TEST_F(CliLanguageTest, AnErrorIsToldInJapaneseWithTheSameExitCode) {
  RunResult r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "来週 10:00", "--text",
                                "折り返す"}, 2);
  EXPECT_THAT(r.err, HasSubstr("amends: 入力に誤りがあります（--by）: '来週 10:00' is not a time"));
  r = Amends("sato", {"--lang", "ja", "show", "999"}, 3);
  EXPECT_THAT(r.err, HasSubstr("amends: 見つかりません: "));
  r = Amends("sato", {"show", "999"}, 3, {{"LANGUAGE", "ja"}, {"LC_ALL", "C.UTF-8"}});
  EXPECT_THAT(r.err, HasSubstr("amends: 見つかりません: "));
  r = Amends("sato", {"show", "999"}, 3);
  EXPECT_THAT(r.err, Not(HasSubstr("見つかりません")));
}

TEST_F(CliLanguageTest, JsonIsTheSameInEveryLanguage) {
  const std::string english = Amends("sato", {"--output", "json", "show", "1"}).out;
  EXPECT_EQ(Amends("sato", {"--lang", "ja", "--output", "json", "show", "1"}).out, english);
}

}  // namespace
}  // namespace amends
