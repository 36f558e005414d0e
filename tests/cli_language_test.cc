// The CLI in Japanese (issue 20), through the real binary: the language chosen by --lang, by
// AMENDS_LANG, or by gettext's environment without a generated ja_JP locale (LANGUAGE=ja under
// C.UTF-8), and English otherwise. JSON output is the same in every language.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

  // Every command's path ("visit schedule"), read from the English help of `amends` and of each
  // command that has commands of its own.
  std::vector<std::string> CommandPaths(const std::string& prefix = "") {
    std::vector<std::string> args = absl::StrSplit(prefix, ' ', absl::SkipEmpty());
    args.push_back("--help");
    const std::string help = Amends("sato", args).out;
    std::vector<std::string> paths;
    bool in_commands = false;
    for (absl::string_view line : absl::StrSplit(help, '\n')) {
      if (line == "Subcommands:") {
        in_commands = true;
      } else if (line.empty()) {
        in_commands = false;
      } else if (in_commands && absl::ConsumePrefix(&line, "  ")) {
        const std::string name(line.substr(0, line.find_first_of(" ,")));  // me,whoami
        const std::string path = prefix.empty() ? name : absl::StrCat(prefix, " ", name);
        paths.push_back(path);
        for (std::string& sub : CommandPaths(path)) paths.push_back(std::move(sub));
      }
    }
    return paths;
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

// The client's own errors in Japanese; the server's, which it writes in English, preceded by
// what went wrong in Japanese by the error's code and field. The exit code is the same.
TEST_F(CliLanguageTest, AnErrorIsToldInJapaneseWithTheSameExitCode) {
  RunResult r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "来週 10:00", "--text",
                                "折り返す"}, 2);
  EXPECT_THAT(r.err, HasSubstr("amends: --by: 「来週 10:00」は日時として読み取れません"));
  r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "明日 10:00", "--text", ""}, 2);
  EXPECT_THAT(r.err, HasSubstr("amends: 入力に誤りがあります（--text）: "));
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

// The help of amends and of every command, in Japanese under --lang ja: CLI11's headings too,
// and no description left in English. Examples stay as they are typed.
TEST_F(CliLanguageTest, EveryCommandsHelpIsInJapanese) {
  const std::vector<std::string> paths = CommandPaths();
  ASSERT_GT(paths.size(), 40u);
  for (const std::string& path : paths) {
    std::vector<std::string> args = absl::StrSplit(path, ' ');
    args.insert(args.begin(), {"--lang", "ja"});
    args.push_back("--help");
    const std::string help = Amends("sato", args).out;
    EXPECT_THAT(help, HasSubstr("使い方: amends " + path));
    for (absl::string_view line : absl::StrSplit(help, '\n')) {
      EXPECT_FALSE(cli::HasEnglishPhrase(std::string(line))) << path << ": " << line;
    }
  }
  const std::string top = Amends("sato", {"--help", "--lang", "ja"}).out;
  EXPECT_THAT(top, HasSubstr("\nコマンド:\n"));
  EXPECT_THAT(top, HasSubstr("\nオプション:\n"));
  EXPECT_THAT(top, HasSubstr("終了コード"));
}

TEST_F(CliLanguageTest, HelpFollowsTheEnvironmentWithoutAJapaneseLocale) {
  const std::string japanese =
      Amends("sato", {"list", "--help"}, 0, {{"LANGUAGE", "ja"}, {"LC_ALL", "C.UTF-8"}}).out;
  EXPECT_THAT(japanese, HasSubstr("使い方: amends list"));
  EXPECT_THAT(japanese, Not(HasSubstr("List open incidents")));
  const std::string english = Amends("sato", {"list", "--help"}).out;
  EXPECT_THAT(english, HasSubstr("Usage: amends list"));
  EXPECT_THAT(english, HasSubstr("List open incidents"));
}

// A mistake on the command line is told in Japanese, naming the option, with exit code 2.
TEST_F(CliLanguageTest, AUsageErrorIsToldInJapaneseNamingTheOption) {
  RunResult r = Amends("sato", {"--lang", "ja", "report", "--client", "ＡＢＣ商事", "--severity",
                                "high", "--summary", "納期遅延"}, 2);
  EXPECT_EQ(r.err, "amends: --kind は必須です（--help を参照）\n");
  r = Amends("sato", {"--lang", "ja", "list", "--limit", "0"}, 2);
  EXPECT_EQ(r.err, "amends: --limit: 1以上を指定してください（--help を参照）\n");
  r = Amends("sato", {"--lang", "ja", "list", "--all", "--state", "reported"}, 2);
  EXPECT_EQ(r.err, "amends: --state は --all と同時に指定できません（--help を参照）\n");
  r = Amends("sato", {"--lang", "ja", "list", "--limit", "多め"}, 2);
  EXPECT_EQ(r.err, "amends: --limit: 多め は数値ではありません（--help を参照）\n");
  r = Amends("sato", {"--lang", "ja", "frobnicate"}, 2);
  EXPECT_THAT(r.err, HasSubstr("amends: 'frobnicate' というコマンドはありません"));
  r = Amends("sato", {"list", "--limit", "0"}, 2);
  EXPECT_EQ(r.err, "amends: --limit: must be 1 or more (see --help)\n");
}

// The language kept on the server (amends me --lang) comes after --lang and AMENDS_LANG and
// before the environment.
TEST_F(CliLanguageTest, TheLanguageKeptOnTheServerComesBeforeTheEnvironment) {
  Amends("sato", {"me", "--lang", "ja"});
  EXPECT_THAT(Amends("sato", {"list"}).out, ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"LANG", "en_US.UTF-8"}}).out,
              ContainsRegex(kJapaneseDue));
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"AMENDS_LANG", "en"}}).out,
              ContainsRegex(kEnglishDue));
  EXPECT_THAT(Amends("sato", {"--lang", "en", "list"}).out, ContainsRegex(kEnglishDue));
  // tanaka keeps none: the environment decides.
  EXPECT_THAT(Amends("tanaka", {"list"}).out, ContainsRegex(kEnglishDue));
  EXPECT_THAT(Amends("tanaka", {"list"}, 0, {{"LANG", "ja_JP.UTF-8"}}).out,
              ContainsRegex(kJapaneseDue));
  Amends("sato", {"me", "--lang", "en"});
  EXPECT_THAT(Amends("sato", {"list"}, 0, {{"LANG", "ja_JP.UTF-8"}}).out,
              ContainsRegex(kEnglishDue));
}

}  // namespace
}  // namespace amends
