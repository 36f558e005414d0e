// Times as people type them, through the real binaries: `visit schedule --at "tomorrow 10:00"`
// against a running amendsd, dates shown with their weekday, and the warning for a visit,
// measure or promise set on a day 営業一課 does not work (DOMAIN.md case 1: ＡＢＣ商事).
//
// The server's clock is the real one, so every date here is computed from now, in Tokyo.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone zone = absl::FixedTimeZone(9 * 3600);  // no daylight saving
  return zone;
}

absl::CivilDay TodayInTokyo() { return absl::ToCivilDay(absl::Now(), Tokyo()); }

// "2026-12-12 (Sat)", as the CLI shows a day.
std::string ShownDay(absl::CivilDay day) {
  static constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return absl::StrCat(absl::FormatCivilTime(day), " (",
                      kWeekdays[static_cast<int>(absl::GetWeekday(day))], ")");
}

// The holidays of the default policy, which 営業一課 follows (it has no calendar of its own).
absl::flat_hash_set<absl::CivilDay> PolicyHolidays() {
  std::ifstream in(std::string(AMENDS_SOURCE_DIR) + "/deploy/policy.textproto");
  std::stringstream text;
  text << in.rdbuf();
  absl::flat_hash_set<absl::CivilDay> holidays;
  for (absl::string_view line : absl::StrSplit(text.str(), '\n')) {
    absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
    absl::CivilDay day;
    if (absl::ConsumePrefix(&rest, "holidays: \"") && rest.size() >= 10 &&
        absl::ParseCivilTime(rest.substr(0, 10), &day)) {
      holidays.insert(day);
    }
  }
  EXPECT_FALSE(holidays.empty());
  return holidays;
}

// The first day after today that 営業一課 works: Monday to Friday, not a holiday.
absl::CivilDay NextWorkingDay() {
  const absl::flat_hash_set<absl::CivilDay> holidays = PolicyHolidays();
  absl::CivilDay day = TodayInTokyo() + 1;
  while (absl::GetWeekday(day) == absl::Weekday::saturday ||
         absl::GetWeekday(day) == absl::Weekday::sunday || holidays.contains(day)) {
    ++day;
  }
  return day;
}

class CliTimeTest : public CliFixture {
 protected:
  // Incident 1: sato forgot the 15:00 meeting with ＡＢＣ商事; tanaka approved the escalation,
  // so the apology visit is next.
  void ReportAndApprove() {
    Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "missed-appointment", "--severity", "high", "--summary",
                    "15時のサンプル受け渡しの打ち合わせを失念"});
    Amends("sato", {"escalate", "1", "--reason", "先方部長がお怒り。上長同行での訪問が必要"});
    Amends("tanaka", {"approve", "1", "--note", "明日午前に同行します"});
  }
};

TEST_F(CliTimeTest, VisitScheduledForTomorrowAtTenIsShownWithItsWeekday) {
  ReportAndApprove();
  const absl::CivilDay before = TodayInTokyo() + 1;
  RunResult r = Amends("tanaka", {"visit", "schedule", "1", "--at", "tomorrow 10:00",
                                  "--attendee", "sato", "--attendee", "tanaka"});
  const absl::CivilDay after = TodayInTokyo() + 1;  // the same unless midnight passed
  EXPECT_EQ(r.out, "#1 visit scheduled → state apology-visit (version 4)\n");

  r = Amends("sato", {"show", "1"});
  EXPECT_THAT(r.out, AnyOf(HasSubstr(absl::StrCat("planned ", ShownDay(before), " 10:00 (")),
                           HasSubstr(absl::StrCat("planned ", ShownDay(after), " 10:00 ("))));
  EXPECT_THAT(r.out, HasSubstr(" with sato, tanaka"));
  // Every date-time of `show` has its weekday: none is a bare "YYYY-MM-DD HH:MM".
  EXPECT_THAT(r.out, HasSubstr("created            20"));
  EXPECT_FALSE(std::regex_search(r.out, std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d)"))) << r.out;
}

TEST_F(CliTimeTest, VisitOnASaturdayIsScheduledWithAWarningNamingTheTeam) {
  ReportAndApprove();
  const absl::CivilDay saturday = absl::NextWeekday(TodayInTokyo(), absl::Weekday::saturday);
  const absl::CivilDay later = absl::NextWeekday(TodayInTokyo() + 1, absl::Weekday::saturday);
  RunResult r = Amends("tanaka", {"visit", "schedule", "1", "--at", "sat 10:00", "--attendee",
                                  "sato", "--attendee", "tanaka"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "#1 visit scheduled → state apology-visit (version 4)\n");
  auto warning = [](absl::CivilDay day) {
    return absl::StrCat("amends: warning: ", ShownDay(day),
                        " 10:00 is not a working day for 営業一課\n");
  };
  EXPECT_THAT(r.err, AnyOf(warning(saturday), warning(later)));

  // It was scheduled all the same, for that Saturday.
  r = Amends("sato", {"show", "1"});
  EXPECT_THAT(r.out, HasSubstr(" (Sat) 10:00 (in "));
  // The warning was for the caller only: it is not part of the incident as stored.
  r = Amends("sato", {"show", "1", "--output", "json"});
  EXPECT_FALSE(absl::StrContains(r.out, "warnings")) << r.out;
}

TEST_F(CliTimeTest, VisitOnAWorkingDayGivesNoWarning) {
  ReportAndApprove();
  const absl::CivilDay working = NextWorkingDay();
  RunResult r = Amends("tanaka", {"visit", "schedule", "1", "--at",
                                  absl::StrCat(absl::FormatCivilTime(working), " 10:00"),
                                  "--attendee", "sato"});
  EXPECT_EQ(r.out, "#1 visit scheduled → state apology-visit (version 4)\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTimeTest, MeasureAndPromiseDueOnASundayAreSetWithAWarning) {
  ReportAndApprove();
  const std::string working_day = absl::FormatCivilTime(NextWorkingDay());
  Amends("tanaka", {"visit", "schedule", "1", "--at", absl::StrCat(working_day, " 10:00"),
                    "--attendee", "sato"});
  Amends("tanaka", {"visit", "done", "1", "--outcome", "部長に直接謝罪。原因と再発防止策を説明"});
  const absl::CivilDay sunday = absl::NextWeekday(TodayInTokyo(), absl::Weekday::sunday);
  const absl::CivilDay later = absl::NextWeekday(TodayInTokyo() + 1, absl::Weekday::sunday);
  auto warning = [](absl::CivilDay day, absl::string_view time) {
    return absl::StrCat("amends: warning: ", ShownDay(day), " ", time,
                        " is not a working day for 営業一課\n");
  };

  RunResult r = Amends("tanaka", {"measure", "add", "1", "--text",
                                  "共有スケジュールで全アポイントを管理", "--owner", "sato",
                                  "--due", "sun 18:00"});
  EXPECT_EQ(r.out, "#1 measure 1 added → state prevention-plan (version 6)\n");
  EXPECT_THAT(r.err, AnyOf(warning(sunday, "18:00"), warning(later, "18:00")));

  r = Amends("sato", {"promise", "1", "--by", "日曜 12:00", "--text",
                      "日曜正午までに部長へ改善案をお送りする"});
  EXPECT_EQ(r.out, "#1 promise 1 made → state prevention-plan (version 7)\n");
  EXPECT_THAT(r.err, AnyOf(warning(sunday, "12:00"), warning(later, "12:00")));

  // The same on a working day: no warning.
  r = Amends("tanaka", {"measure", "add", "1", "--text", "前日にアポイントをダブルチェック",
                        "--owner", "tanaka", "--due", absl::StrCat(working_day, " 18:00")});
  EXPECT_EQ(r.err, "");
}

// Every form a person may type, through the real binaries: each promise lands on the day
// and time the form means in the team's zone, as `show` prints it.
TEST_F(CliTimeTest, EveryTimeFormIsReadInTheTeamZone) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                  "late-deliverable", "--severity", "medium", "--summary",
                  "月次報告書の提出遅れ"});
  const absl::CivilDay today = TodayInTokyo();
  const absl::CivilDay in_ten = today + 10;
  const absl::CivilDay monday = absl::NextWeekday(today, absl::Weekday::monday);
  const absl::CivilDay friday = absl::NextWeekday(today, absl::Weekday::friday);
  const std::string iso = absl::FormatCivilTime(in_ten);  // 2026-12-16
  std::string slashed = iso;
  std::replace(slashed.begin(), slashed.end(), '-', '/');
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"today 23:59", absl::StrCat(ShownDay(today), " 23:59")},
      {"tomorrow 10:00", absl::StrCat(ShownDay(today + 1), " 10:00")},
      {"+3d 11:00", absl::StrCat(ShownDay(today + 3), " 11:00")},
      {"mon 12:00", absl::StrCat(ShownDay(monday), " 12:00")},
      {"金曜日 13:00", absl::StrCat(ShownDay(friday), " 13:00")},
      {absl::StrCat(iso, " 14:00"), absl::StrCat(ShownDay(in_ten), " 14:00")},
      {absl::StrCat(slashed, " 15:00"), absl::StrCat(ShownDay(in_ten), " 15:00")},
      {absl::StrCat(iso, "T07:00:00Z"), absl::StrCat(ShownDay(in_ten), " 16:00")},
  };
  for (size_t n = 0; n < forms.size(); ++n) {
    SCOPED_TRACE(forms[n].first);
    // "today 23:59" is in the past only in the last minute of a Tokyo day.
    Amends("sato", {"promise", "1", "--by", forms[n].first, "--text",
                    absl::StrCat("約束", n + 1)});
    // "  2. [open]  by 2026-12-08 (Tue) 10:00 (in 1d)   owner sato  約束2"
    const std::string shown = Amends("sato", {"show", "1"}).out;
    const size_t line = shown.find(absl::StrCat("  ", n + 1, ". [open]  by "));
    ASSERT_NE(line, std::string::npos) << shown;
    const std::string promise = shown.substr(line, shown.find('\n', line) - line);
    EXPECT_THAT(promise, HasSubstr(absl::StrCat("by ", forms[n].second, " (")));
    EXPECT_THAT(promise, HasSubstr(absl::StrCat("owner sato  約束", n + 1)));
  }
}

TEST_F(CliTimeTest, ADayWithoutATimeOfDayIsRefusedAndNothingChanges) {
  ReportAndApprove();
  RunResult r = Amends("tanaka", {"visit", "schedule", "1", "--at", "tomorrow"}, 2);
  EXPECT_EQ(r.err, "amends: --at: 'tomorrow' has no time of day; add one, such as "
                   "'tomorrow 10:00'\n");
  r = Amends("tanaka", {"visit", "schedule", "1", "--at", "来週 10:00"}, 2);
  EXPECT_THAT(r.err, HasSubstr("amends: --at: '来週 10:00' is not a time; write YYYY-MM-DD "
                               "HH:MM, YYYY/MM/DD HH:MM, MM/DD HH:MM, today HH:MM, tomorrow "
                               "HH:MM (今日, 明日), +3d HH:MM or a weekday such as mon HH:MM (in "
                               "Asia/Tokyo), or RFC 3339"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  r = Amends("sato", {"show", "1"});
  EXPECT_THAT(r.out, HasSubstr("visit              not scheduled"));
  EXPECT_THAT(r.out, HasSubstr("version            3"));
}

}  // namespace
}  // namespace amends
