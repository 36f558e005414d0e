// The CLI's pure formatting and parsing: display width and truncation of Japanese text,
// aligned tables, relative times, time arguments, enum spellings, exit codes, the lines
// and --from of `amends watch`, and the delivery log of `amends notifications` and `amends me`.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/exit_code.h"
#include "client/i18n.h"
#include "client/inbox_view.h"
#include "client/incident_view.h"
#include "client/notification_view.h"
#include "client/terminal_width.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "client/watch_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/cli_output.h"

namespace amends::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(DisplayWidth, AsciiIsOneColumnPerCharacter) { EXPECT_EQ(DisplayWidth("tanaka"), 6); }

TEST(DisplayWidth, JapaneseIsTwoColumnsPerCharacter) {
  EXPECT_EQ(DisplayWidth("営業一課"), 8);
  EXPECT_EQ(DisplayWidth("ＡＢＣ商事"), 10);  // full-width Latin letters too
  EXPECT_EQ(DisplayWidth("ｱｲｳ"), 3);         // half-width katakana are narrow
}

TEST(DisplayWidth, MixedTextAddsUp) { EXPECT_EQ(DisplayWidth("ＡＢＣ商事 Ltd"), 14); }

TEST(DisplayWidth, CombiningMarksTakeNoColumn) {
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);   // e + combining acute
  EXPECT_EQ(DisplayWidth("か\u3099"), 2);  // か + combining dakuten
}

TEST(Truncate, ShortTextIsUnchanged) {
  EXPECT_EQ(TruncateToWidth("ＡＢＣ商事", 10), "ＡＢＣ商事");
}

TEST(Truncate, JapaneseIsCutOnCharacterBoundaryCountingWidth) {
  const std::string cut = TruncateToWidth("株式会社ＡＢＣ商事", 10);
  EXPECT_EQ(cut, "株式会...");  // a fourth wide character plus "..." would need 11 columns
  EXPECT_LE(DisplayWidth(cut), 10);
  EXPECT_TRUE(CheckUtf8("cut", cut).ok());
}

TEST(Truncate, NeverSplitsAUtf8SequenceAtAnyWidth) {
  const std::string text = "15時の打ち合わせを失念 (ＡＢＣ商事)";
  for (int width = 1; width <= DisplayWidth(text); ++width) {
    const std::string cut = TruncateToWidth(text, width);
    EXPECT_TRUE(CheckUtf8("cut", cut).ok()) << width;
    EXPECT_LE(DisplayWidth(cut), width) << width;
  }
}

TEST(Truncate, KeepsCombiningMarkWithItsBase) {
  // "が" written as か + U+3099: cutting between them would leave a bare mark.
  EXPECT_EQ(TruncateToWidth("aか\u3099bcdef", 5), "a...");
  EXPECT_EQ(TruncateToWidth("aか\u3099bcdef", 6), "aか\u3099...");
}

TEST(Truncate, AsciiKeepsAsMuchAsFits) { EXPECT_EQ(TruncateToWidth("abcdefgh", 5), "ab..."); }

// "…" is of ambiguous East Asian width: two columns in terminals that draw such characters
// wide, which would push every column after a cut cell one column right.
TEST(Truncate, TheMarkIsAsciiAndCountsItsOwnWidth) {
  EXPECT_EQ(kCutMark, "...");
  EXPECT_EQ(TruncateToWidth("株式会社ＡＢＣ商事", 12), "株式会社...");
  EXPECT_EQ(TruncateToWidth("株式会社ＡＢＣ商事", 11), "株式会社...");
  EXPECT_EQ(TruncateToWidth("株式会社ＡＢＣ商事", 10), "株式会...");
  for (int width = 4; width <= 17; ++width) {
    const std::string cut = TruncateToWidth("株式会社ＡＢＣ商事", width);
    EXPECT_LE(DisplayWidth(cut), width) << cut;
    EXPECT_GE(DisplayWidth(cut), width - 1) << cut;  // a wide character may leave one unused
  }
}

TEST(Truncate, BelowTheMarksWidthOnlyAsMuchOfTheMarkAsFits) {
  EXPECT_EQ(TruncateToWidth("株式会社", 3), "...");
  EXPECT_EQ(TruncateToWidth("株式会社", 2), "..");
  EXPECT_EQ(TruncateToWidth("株式会社", 1), ".");
  EXPECT_EQ(TruncateToWidth("ab", 2), "ab");
}

TEST(TerminalSafe, EscapeSequencesShowAsSymbolsAndDoNotAct) {
  EXPECT_EQ(TerminalSafe("\x1b]0;pwned\x07 \x1b[2J"), "␛]0;pwned␇ ␛[2J");
  EXPECT_EQ(TerminalSafe("a\x7f\tb"), "a␡␉b");
}

TEST(TerminalSafe, BidiAndC1ControlsAreNamedAndInvalidBytesReplaced) {
  EXPECT_EQ(TerminalSafe("\u202eACME\u2066"), "<U+202E>ACME<U+2066>");
  EXPECT_EQ(TerminalSafe("\xc2\x9b" "31m"), "<U+009B>31m");
  EXPECT_EQ(TerminalSafe("ok\xff"), "ok\uFFFD");
}

TEST(TerminalSafe, JapaneseAndNewlinesPassUnchanged) {
  EXPECT_EQ(TerminalSafe("株式会社ＡＢＣ商事\n総務部 山田様"), "株式会社ＡＢＣ商事\n総務部 山田様");
}

TEST(OneLine, LineBreaksAndTabsBecomeSpacesOtherControlsShow) {
  EXPECT_EQ(OneLine("一行目\n二行目\tend"), "一行目 二行目 end");
  EXPECT_EQ(OneLine("a\r\nb\x1b[2J"), "a b␛[2J");
}

TEST(CheckUtf8, InvalidBytesAreRejectedNamingTheOption) {
  const absl::Status status = CheckUtf8("--summary", "ab\xff");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("--summary: not valid UTF-8"));
  EXPECT_FALSE(CheckUtf8("TEXT", "\xe5\x96").ok());  // truncated sequence
  EXPECT_TRUE(CheckUtf8("TEXT", "謝罪済み").ok());
}

TEST(Table, JapaneseColumnsStayAligned) {
  Table table({{"ID"}, {"CLIENT"}, {"OWNER"}, {"SUMMARY"}});
  const std::vector<std::vector<std::string>> rows = {
      {"1", "ＡＢＣ商事", "tanaka", "15時の打ち合わせを失念"},
      {"12", "Acme Ltd", "佐藤", "late report"},
      {"123", "ｱｲｳ物産", "suzuki-long-name", "納期遅延"},
  };
  for (const auto& row : rows) table.AddRow(row);
  const std::vector<std::string> lines = absl::StrSplit(table.Render(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);
  const std::vector<int> header_columns = {ColumnOf(lines[0], "ID"), ColumnOf(lines[0], "CLIENT"),
                                           ColumnOf(lines[0], "OWNER"),
                                           ColumnOf(lines[0], "SUMMARY")};
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      EXPECT_EQ(ColumnOf(lines[r + 1], rows[r][c]), header_columns[c]) << rows[r][c];
    }
  }
}

TEST(Table, LongCellsAreTruncatedAndNoLineHasTrailingSpaces) {
  Table table({{"CLIENT", 10}, {"NOTE"}});
  table.AddRow({"株式会社ＡＢＣ商事", ""});
  const std::string rendered = table.Render();
  EXPECT_THAT(rendered, HasSubstr("株式会..."));
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
}

TEST(Table, AnUnboundedLastColumnIsPrintedWholeAndColumnsStayAligned) {
  const std::string long_note =
      "先方部長より『誠意を見せてほしい』との連絡。来週火曜までに上長同行で訪問し、"
      "原因と再発防止策（共有スケジュールでの予定管理とダブルチェック）を説明する";
  ASSERT_GT(DisplayWidth(long_note), 120);
  Table table({{"ACTOR", 6}, {"TEXT", Table::kNoLimit}});
  const std::vector<std::vector<std::string>> rows = {
      {"佐藤", long_note}, {"tanaka", "短いメモ"}, {"suzuki-long", "late"}};
  for (const auto& row : rows) table.AddRow(row);
  const std::string rendered = table.Render();
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(rendered, HasSubstr(long_note));  // whole, no "..."
  EXPECT_THAT(lines[3], StartsWith("suz..."));   // earlier columns are still cut
  const int text_column = ColumnOf(lines[0], "TEXT");
  EXPECT_EQ(ColumnOf(lines[1], long_note), text_column);
  EXPECT_EQ(ColumnOf(lines[2], "短いメモ"), text_column);
  EXPECT_EQ(ColumnOf(lines[3], "late"), text_column);
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
}

// The display width of the longest line of `rendered`.
int LongestLine(const std::string& rendered) {
  int longest = 0;
  for (absl::string_view line : absl::StrSplit(rendered, '\n')) {
    longest = std::max(longest, DisplayWidth(line));
  }
  return longest;
}

Table FittedTable(int width) {
  Table table({{"ID"}, {"CLIENT", 20}, {"SUMMARY", 40, Table::kFreeText}, {"UPDATED"},
               {"NOTE", Table::kNoLimit, Table::kFreeText}},
              width);
  table.AddRow({"1", "株式会社ミドリ精機", "15時のサンプル受け渡しの打ち合わせを失念",
                "2026-11-27 17:05 (2h ago)", "先方部長より『誠意を見せてほしい』との連絡"});
  table.AddRow({"12", "ＡＢＣ商事", "納期遅延", "2026-11-27 09:00 (10h ago)", "-"});
  return table;
}

TEST(Table, FreeTextGivesWayTheWidestFirstUntilTheLinesFit) {
  const std::string whole = FittedTable(kUnlimitedWidth).Render();
  ASSERT_GT(LongestLine(whole), 100);
  const std::string rendered = FittedTable(100).Render();
  EXPECT_EQ(LongestLine(rendered), 100) << rendered;
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  // Identifiers, names and times whole and aligned; the two texts cut alike, with "...".
  EXPECT_EQ(ColumnOf(lines[1], "株式会社ミドリ精機"), ColumnOf(lines[0], "CLIENT"));
  EXPECT_EQ(ColumnOf(lines[2], "ＡＢＣ商事"), ColumnOf(lines[0], "CLIENT"));
  EXPECT_EQ(ColumnOf(lines[1], "2026-11-27 17:05 (2h ago)"), ColumnOf(lines[0], "UPDATED"));
  EXPECT_EQ(ColumnOf(lines[2], "2026-11-27 09:00 (10h ago)"), ColumnOf(lines[0], "UPDATED"));
  EXPECT_EQ(ColumnOf(lines[1], "15時のサンプル"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_EQ(ColumnOf(lines[2], "納期遅延"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_THAT(lines[1], HasSubstr("...  2026-11-27 17:05"));
  EXPECT_THAT(lines[1], EndsWith("..."));
  const int summary = ColumnOf(lines[0], "UPDATED") - ColumnOf(lines[0], "SUMMARY") - 2;
  const int note = LongestLine(rendered) - ColumnOf(lines[0], "NOTE");
  EXPECT_LE(std::abs(summary - note), 1) << rendered;
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
}

TEST(Table, WhenTheOtherColumnsAloneAreTooWideFreeTextKeepsItsMinimum) {
  const std::string rendered = FittedTable(40).Render();
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(ColumnOf(lines[0], "UPDATED") - ColumnOf(lines[0], "SUMMARY") - 2,
            Table::kMinFreeTextWidth);
  EXPECT_THAT(lines[1], HasSubstr("  15時の...  "));
  EXPECT_THAT(lines[1], HasSubstr("株式会社ミドリ精機"));  // no other column is cut
  EXPECT_THAT(lines[2], HasSubstr("2026-11-27 09:00 (10h ago)"));
  EXPECT_THAT(lines[2], HasSubstr("納期遅延"));
}

TEST(Table, ATableThatFitsIsNotCut) {
  Table table({{"ID"}, {"SUMMARY", 40, Table::kFreeText}}, 80);
  table.AddRow({"1", "15時のサンプル受け渡しの打ち合わせを失念"});
  EXPECT_EQ(table.Render(),
            "ID  SUMMARY\n"
            "1   15時のサンプル受け渡しの打ち合わせを失念\n");
}

TEST(Table, WideCutsNothingNotEvenAColumnsOwnMaximum) {
  const std::string rendered = FittedTable(kWideOutput).Render();
  EXPECT_THAT(rendered, HasSubstr("15時のサンプル受け渡しの打ち合わせを失念"));
  EXPECT_THAT(rendered, HasSubstr("先方部長より『誠意を見せてほしい』との連絡"));
  EXPECT_THAT(rendered, Not(HasSubstr("...")));
  Table capped({{"CLIENT", 10}}, kWideOutput);
  capped.AddRow({"株式会社ミドリ精機"});
  EXPECT_THAT(capped.Render(), HasSubstr("株式会社ミドリ精機"));
}

TEST(TerminalWidth, TheTerminalFirstThenAPositiveColumnsElseUnlimited) {
  EXPECT_EQ(ChooseWidth(120, "80"), 120);
  EXPECT_EQ(ChooseWidth(0, "80"), 80);
  EXPECT_EQ(ChooseWidth(0, nullptr), kUnlimitedWidth);
  for (const char* not_a_width : {"", "0", "-5", "abc", "80x"}) {
    EXPECT_EQ(ChooseWidth(0, not_a_width), kUnlimitedWidth) << not_a_width;
    EXPECT_EQ(ChooseWidth(100, not_a_width), 100) << not_a_width;
  }
}

TEST(RelativeHint, NearTimesAreJustNow) {
  EXPECT_EQ(RelativeHint(absl::Seconds(20)), "just now");
  EXPECT_EQ(RelativeHint(-absl::Seconds(59)), "just now");
}

TEST(RelativeHint, FutureAndPastUseTheLargestFittingUnit) {
  EXPECT_EQ(RelativeHint(absl::Minutes(5)), "in 5m");
  EXPECT_EQ(RelativeHint(-absl::Minutes(5)), "5m ago");
  EXPECT_EQ(RelativeHint(absl::Hours(3)), "in 3h");
  EXPECT_EQ(RelativeHint(absl::Hours(3) - absl::Seconds(1)), "in 3h");  // rounded
  EXPECT_EQ(RelativeHint(-absl::Hours(48)), "2d ago");
  EXPECT_EQ(RelativeHint(absl::Hours(24 * 7)), "in 7d");
}

// Through the real catalog, built beside this test's binary as beside amends.
TEST(RelativeHint, SpeaksJapaneseFromTheCatalog) {
  UseLanguage(Language::kJapanese);
  EXPECT_EQ(RelativeHint(absl::Seconds(20)), "たった今");
  EXPECT_EQ(RelativeHint(absl::Minutes(5)), "5分後");
  EXPECT_EQ(RelativeHint(-absl::Hours(48)), "2日前");
  EXPECT_EQ(DueHint(absl::Hours(3)), "3時間後");
  EXPECT_EQ(DueHint(-absl::Hours(3)), "3時間超過");
  const absl::TimeZone tokyo = *LoadTeamZone("Asia/Tokyo");
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 12, 20, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatTime(t, tokyo, t - absl::Hours(3)), "2026/12/20(日) 09:00 (3時間後)");
  UseLanguage(Language::kEnglish);
  EXPECT_EQ(RelativeHint(absl::Minutes(5)), "in 5m");
  EXPECT_EQ(FormatTime(t, tokyo, t - absl::Hours(3)), "2026-12-20 (Sun) 09:00 (in 3h)");
}

TEST(FormatTime, ShowsTheTeamZoneAndTheWeekdayWithAHint) {
  const absl::TimeZone tokyo = *LoadTeamZone("Asia/Tokyo");
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 1, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatTime(t, tokyo, t - absl::Hours(3)), "2026-11-27 (Fri) 10:00 (in 3h)");
}

TEST(TimeProto, RoundTripsSubSecondTimes) {
  const absl::Time t = absl::FromUnixMillis(1796000000123);
  EXPECT_EQ(FromProto(ToProto(t)), t);
  EXPECT_EQ(ToProto(t).nanos(), 123000000);
}

TEST(TimeProto, NanosStayNonNegativeBefore1970) {
  const absl::Time t = absl::FromUnixMillis(-1500);  // 1969-12-31T23:59:58.5Z
  const google::protobuf::Timestamp ts = ToProto(t);
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500000000);
  EXPECT_EQ(FromProto(ts), t);
  EXPECT_EQ(ToProto(absl::FromUnixNanos(-1)).nanos(), 999999999);
  EXPECT_EQ(ToProto(absl::FromUnixSeconds(-3)).nanos(), 0);
}

TEST(EnumNames, SpellingsRoundTrip) {
  EXPECT_EQ(CliName(amends::v1::KIND_MISSED_APPOINTMENT), "missed-appointment");
  EXPECT_EQ(*ParseCliEnum<amends::v1::Kind>("--kind", "missed-appointment"),
            amends::v1::KIND_MISSED_APPOINTMENT);
  EXPECT_EQ(CliName(amends::v1::STATE_APOLOGY_VISIT), "apology-visit");
  EXPECT_EQ(*ParseCliEnum<amends::v1::State>("--state", "apology-visit"),
            amends::v1::STATE_APOLOGY_VISIT);
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_FOLLOW_UP_LOGGED), "follow-up-logged");
  EXPECT_EQ(CliName(amends::v1::CHANNEL_CALL), "call");
  EXPECT_EQ(*ParseCliEnum<amends::v1::Severity>("--severity", "HIGH"),
            amends::v1::SEVERITY_HIGH);
}

TEST(EnumNames, EveryValueRoundTrips) {
  const auto& type = *google::protobuf::GetEnumDescriptor<amends::v1::EventType>();
  for (const std::string& name : CliNames(type)) {
    const absl::StatusOr<int> number = ParseCliName(type, "--type", name);
    ASSERT_TRUE(number.ok()) << name;
    EXPECT_EQ(CliName(type, *number), name);
  }
}

TEST(EnumNames, UnknownValueIsRejectedListingTheAllowedOnes) {
  const absl::StatusOr<amends::v1::Severity> severity =
      ParseCliEnum<amends::v1::Severity>("--severity", "urgent");
  EXPECT_EQ(severity.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(severity.status().message(),
            "--severity: unknown value 'urgent' (allowed: low, medium, high, critical)");
  EXPECT_FALSE(ParseCliEnum<amends::v1::Kind>("--kind", "unspecified").ok());
}

TEST(ExitCode, EachKindOfFailureHasItsCode) {
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kNotFound), 3);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kPermissionDenied), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnauthenticated), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAborted), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kFailedPrecondition), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAlreadyExists), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnavailable), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDeadlineExceeded), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnknown), 1);
}

TEST(ExitCode, GrpcStatusKeepsCodeAndMessage) {
  const absl::Status status =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "incident 9 not found"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "incident 9 not found");
  EXPECT_EQ(ExitCodeFor(FromGrpcStatus(grpc::Status(grpc::StatusCode::ABORTED, "")).code()), 5);
}

amends::v1::Incident SampleIncident() {
  amends::v1::Incident incident;
  incident.set_id(12);
  incident.set_team("営業一課");
  incident.set_team_time_zone("Asia/Tokyo");
  incident.mutable_client()->set_name("ＡＢＣ商事");
  incident.set_kind(amends::v1::KIND_MISSED_APPOINTMENT);
  incident.set_severity(amends::v1::SEVERITY_HIGH);
  incident.set_state(amends::v1::STATE_PREVENTION_PLAN);
  incident.set_summary("15時の打ち合わせを失念");
  incident.set_owner("suzuki");
  incident.set_version(7);
  auto* hand_over = incident.mutable_last_hand_over();
  hand_over->set_from_owner("tanaka");
  hand_over->set_to_owner("suzuki");
  hand_over->set_note("山田様に金曜までに回答すると約束済み");
  auto* measure = incident.add_measures();
  measure->set_number(1);
  measure->set_text("共有スケジュールで予定を管理");
  measure->set_owner("tanaka");
  *measure->mutable_due() =
      ToProto(absl::FromCivil(absl::CivilMinute(2026, 12, 4, 18, 0), *LoadTeamZone("Asia/Tokyo")));
  return incident;
}

TEST(IncidentView, ShowPutsTheHandOverFirstAndNumbersMeasuresInTheTeamZone) {
  const amends::v1::Incident incident = SampleIncident();
  const std::string shown = RenderIncident(incident, absl::FromUnixSeconds(0));
  EXPECT_THAT(shown, StartsWith("#12  15時の打ち合わせを失念\n"
                                "Hand-over from tanaka: 山田様に金曜までに回答すると約束済み\n"));
  EXPECT_THAT(shown, HasSubstr("  state              prevention-plan\n"));
  EXPECT_THAT(shown, HasSubstr("1. [open] 共有スケジュールで予定を管理\n"
                               "     owner tanaka, due 2026-12-04 (Fri) 18:00 ("));
}

TEST(IncidentView, TimelinePrintsLongJapaneseTextWholeInAlignedColumns) {
  const absl::TimeZone tokyo = *LoadTeamZone("Asia/Tokyo");
  const std::string hand_over =
      "山田様に金曜までに回答すると約束済み。先方部長は『誠意を見せてほしい』とのこと。"
      "サンプルは再送済み、請求書の値引き（10%）は上長承認待ち";
  ASSERT_GT(DisplayWidth(hand_over), 60);
  Events events;
  amends::v1::Event* reported = events.Add();
  reported->set_type(amends::v1::EVENT_TYPE_REPORTED);
  reported->set_actor("tanaka");
  reported->set_to_state(amends::v1::STATE_REPORTED);
  reported->set_text("15時の打ち合わせを失念");
  *reported->mutable_time() =
      ToProto(absl::FromCivil(absl::CivilMinute(2026, 11, 27, 16, 50), tokyo));
  amends::v1::Event* assigned = events.Add();
  assigned->set_type(amends::v1::EVENT_TYPE_ASSIGNED);
  assigned->set_actor("佐藤");
  assigned->set_from_state(amends::v1::STATE_REPORTED);
  assigned->set_to_state(amends::v1::STATE_REPORTED);
  assigned->set_text(hand_over);
  *assigned->mutable_time() =
      ToProto(absl::FromCivil(absl::CivilMinute(2026, 11, 30, 9, 5), tokyo));

  const std::string rendered = RenderTimeline(events, tokyo, absl::FromUnixSeconds(0));
  EXPECT_THAT(rendered, HasSubstr(hand_over + "\n"));
  EXPECT_THAT(rendered, Not(HasSubstr("...")));
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(ColumnOf(lines[1], "tanaka"), ColumnOf(lines[0], "ACTOR"));
  EXPECT_EQ(ColumnOf(lines[2], "佐藤"), ColumnOf(lines[0], "ACTOR"));
  EXPECT_EQ(ColumnOf(lines[1], "reported  "), ColumnOf(lines[0], "EVENT"));
  EXPECT_EQ(ColumnOf(lines[2], "assigned"), ColumnOf(lines[0], "EVENT"));
  EXPECT_EQ(ColumnOf(lines[1], "15時の打ち合わせを失念"), ColumnOf(lines[0], "TEXT"));
  EXPECT_EQ(ColumnOf(lines[2], hand_over), ColumnOf(lines[0], "TEXT"));
}

TEST(IncidentView, ChangeLineNamesStateAndVersion) {
  EXPECT_EQ(RenderChange(SampleIncident(), "measure 1 added"),
            "#12 measure 1 added → state prevention-plan (version 7)\n");
}

// Deadlines, promises, holds, reminders and the inbox. Every time below is in Tokyo and
// counted from kNow, Friday 2026-11-27 10:00 there.

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone zone = *LoadTeamZone("Asia/Tokyo");
  return zone;
}

absl::Time TokyoTime(int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), Tokyo());
}

const absl::Time kNow = TokyoTime(11, 27, 10, 0);

// Time input: every form ParseTimeArg accepts, read from kNow (Friday 2026-11-27 10:00 in
// Tokyo) unless a case says otherwise.

absl::Time Local(int year, int month, int day, int hour, int minute,
                 absl::string_view zone = "Asia/Tokyo") {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), *LoadTeamZone(zone));
}

// `text` as --at reads it in Tokyo at `now`; an error fails the test.
absl::Time At(absl::string_view text, absl::Time now = kNow) {
  const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo", now);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status();
  return t.value_or(absl::InfinitePast());
}

TEST(ParseTimeArg, ADateAndTimeIsReadInTheTeamZoneWithDashesOrSlashes) {
  EXPECT_EQ(At("2026-12-07 10:00"), Local(2026, 12, 7, 10, 0));
  EXPECT_EQ(At("2026/12/07 10:00"), Local(2026, 12, 7, 10, 0));
  EXPECT_EQ(At("2026/12/7  9:30"), Local(2026, 12, 7, 9, 30));  // as people type it
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_full, At("2026-11-27 10:00"), absl::UTCTimeZone()),
            "2026-11-27T01:00:00+00:00");
}

TEST(ParseTimeArg, Rfc3339NeedsNoZone) {
  for (const char* text : {"2026-11-27T10:00:00+09:00", "2026-11-27T01:00:00Z"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo", kNow);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(*t, Local(2026, 11, 27, 10, 0));
  }
  EXPECT_TRUE(ParseTimeArg("--at", "2026-11-27T01:00:00Z", "No/Such_Zone", kNow).ok());
}

// Found by the time_input fuzz target: absl::ParseTime reads "infinite-future" as RFC 3339,
// and a date could have five digits of year.
TEST(ParseTimeArg, InfinityAndYearsATimestampCannotCarryAreNotTimes) {
  for (const char* text : {"infinite-future", "infinite-past", "10000-01-01T00:00:00Z",
                           "0000-12-31T00:00:00Z"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(t.status().message()), HasSubstr("is not a time")) << text;
    EXPECT_EQ(ParseServerClock(text), std::nullopt) << text;
  }
  EXPECT_TRUE(ParseTimeArg("--at", "9999-12-31T23:59:59Z", "Asia/Tokyo", kNow).ok());
  // Midnight of 1 January of year 1 in Tokyo is still year 0 in UTC.
  for (const char* text : {"20261-10-3 10:00", "1/1/1 00:00"}) {
    const absl::StatusOr<absl::Time> far = ParseTimeArg("--at", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(far.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(far.status().message()), HasSubstr("the year must be from 1 to 9999"))
        << text;
  }
}

TEST(ParseTimeArg, TodayTomorrowAndDaysAheadCountFromNowsDateInTheTeamZone) {
  EXPECT_EQ(At("today 15:00"), Local(2026, 11, 27, 15, 0));
  EXPECT_EQ(At("tomorrow 10:00"), Local(2026, 11, 28, 10, 0));
  EXPECT_EQ(At("Tomorrow 10:00"), Local(2026, 11, 28, 10, 0));
  EXPECT_EQ(At("+3d 10:00"), Local(2026, 11, 30, 10, 0));
  EXPECT_EQ(At("+0d 18:00"), Local(2026, 11, 27, 18, 0));
  EXPECT_EQ(At("+7d 18:00"), Local(2026, 12, 4, 18, 0));
  // 23:30 UTC on the 27th is already the 28th in Tokyo: today is Tokyo's.
  const absl::Time late = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 23, 30),
                                          absl::UTCTimeZone());
  EXPECT_EQ(At("today 15:00", late), Local(2026, 11, 28, 15, 0));
  EXPECT_EQ(At("tomorrow 10:00", late), Local(2026, 11, 29, 10, 0));
}

// As a Japanese team types them, whatever the language of the output.
TEST(ParseTimeArg, JapaneseDaysAndADateWithoutItsYearAreRead) {
  EXPECT_EQ(At("今日 15:00"), Local(2026, 11, 27, 15, 0));
  EXPECT_EQ(At("明日 10:00"), Local(2026, 11, 28, 10, 0));
  EXPECT_EQ(At("明後日 10:00"), Local(2026, 11, 29, 10, 0));
  EXPECT_EQ(At("12/20 10:00"), Local(2026, 12, 20, 10, 0));
  EXPECT_EQ(At("11/27 18:00"), Local(2026, 11, 27, 18, 0));  // today's date is this year's
  EXPECT_EQ(At("1/5 9:00"), Local(2027, 1, 5, 9, 0));        // passed: next year's
  for (const char* text : {"2/30 10:00", "13/1 10:00", "12/ 10:00", "123/4 10:00"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(t.status().message()), HasSubstr("is not a time")) << text;
  }
}

TEST(ParseTimeArg, DaysRollOverTheEndOfTheMonthAndTheYear) {
  const absl::Time last_of_november = Local(2026, 11, 30, 17, 0);
  EXPECT_EQ(At("tomorrow 10:00", last_of_november), Local(2026, 12, 1, 10, 0));
  EXPECT_EQ(At("+3d 10:00", last_of_november), Local(2026, 12, 3, 10, 0));
  const absl::Time new_years_eve = Local(2026, 12, 31, 9, 0);
  EXPECT_EQ(At("+2d 09:00", new_years_eve), Local(2027, 1, 2, 9, 0));
  EXPECT_EQ(At("mon 10:00", new_years_eve), Local(2027, 1, 4, 10, 0));
}

TEST(ParseTimeArg, AWeekdayIsTheNextOneStrictlyAfterToday) {
  // kNow is a Friday.
  for (const char* monday : {"mon 10:00", "monday 10:00", "Mon 10:00", "MONDAY 10:00",
                             "月 10:00", "月曜 10:00", "月曜日 10:00"}) {
    EXPECT_EQ(At(monday), Local(2026, 11, 30, 10, 0)) << monday;
  }
  EXPECT_EQ(At("sat 10:00"), Local(2026, 11, 28, 10, 0));
  EXPECT_EQ(At("日曜日 10:00"), Local(2026, 11, 29, 10, 0));
  EXPECT_EQ(At("wed 10:00"), Local(2026, 12, 2, 10, 0));
  EXPECT_EQ(At("木 10:00"), Local(2026, 12, 3, 10, 0));
  // Today's weekday is next week's, even before that time today: today is "today".
  EXPECT_EQ(At("fri 18:00"), Local(2026, 12, 4, 18, 0));
  EXPECT_EQ(At("金曜 09:00"), Local(2026, 12, 4, 9, 0));
  EXPECT_EQ(At("friday 11:00"), Local(2026, 12, 4, 11, 0));
}

TEST(ParseTimeArg, DaylightSavingTimeFollowsTheTeamZone) {
  // New York springs forward on Sunday 2026-03-08: 10:00 that day is 14:00 UTC, not 15:00.
  const absl::Time saturday = Local(2026, 3, 7, 12, 0, "America/New_York");
  const absl::StatusOr<absl::Time> t =
      ParseTimeArg("--at", "tomorrow 10:00", "America/New_York", saturday);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_full, *t, absl::UTCTimeZone()),
            "2026-03-08T14:00:00+00:00");
  EXPECT_EQ(*ParseTimeArg("--at", "sun 10:00", "America/New_York", saturday), *t);
  EXPECT_EQ(*ParseTimeArg("--at", "today 10:00", "America/New_York", saturday),
            absl::FromCivil(absl::CivilMinute(2026, 3, 7, 15, 0), absl::UTCTimeZone()));
}

TEST(ParseTimeArg, ADayWithoutATimeOfDayIsRefusedNamingWhatIsMissing) {
  for (const char* text : {"tomorrow", "2026-12-07", "2026/12/07", "today", "+3d", "mon", "月曜"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(t.status().message(), absl::StrCat("--at: '", text, "' has no time of day; add "
                                                 "one, such as '", text, " 10:00'"));
  }
}

TEST(ParseTimeArg, AnythingElseIsRefusedNamingTheOptionAndListingTheForms) {
  for (const char* text : {"next week", "2026-13-01 10:00", "2026-02-30 10:00",
                           "27.11.2026 10:00", "", "tomorrow at 10:00", "+3 10:00", "mo 10:00",
                           "10:00 tomorrow", "月曜日の 10:00"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--due", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(t.status().message(),
              absl::StrCat("--due: '", text, "' is not a time; write YYYY-MM-DD HH:MM, "
                           "YYYY/MM/DD HH:MM, MM/DD HH:MM, today HH:MM, tomorrow HH:MM (今日, "
                           "明日), +3d HH:MM or a weekday such as mon HH:MM (in Asia/Tokyo), or "
                           "RFC 3339 such as 2026-11-27T10:00:00+09:00"));
  }
}

TEST(ParseTimeArg, ATimeOfDayThatIsNotHoursAndMinutesIsRefused) {
  for (const char* clock : {"25:00", "10:60", "10", "10時"}) {
    const std::string text = absl::StrCat("tomorrow ", clock);
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--by", text, "Asia/Tokyo", kNow);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(t.status().message(), absl::StrCat("--by: '", text, "': '", clock, "' is not a "
                                                 "time of day; write HH:MM, from 00:00 to 23:59"));
  }
}

TEST(ParseTimeArg, LocalTimeInAZoneUnknownHereIsALocalFailureNotAConflict) {
  for (const char* text : {"2026-11-27 10:00", "tomorrow 10:00"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "No/Such_Zone", kNow);
    EXPECT_EQ(ExitCodeFor(t.status().code()), kExitFailure);  // 1, not 5 (conflict) or 2
    const std::string message(t.status().message());
    EXPECT_THAT(message, StartsWith("--at: "));
    EXPECT_THAT(message, HasSubstr("time zone database on this machine lacks"));
    EXPECT_THAT(message, HasSubstr("'No/Such_Zone'"));
    EXPECT_THAT(message, HasSubstr("RFC 3339 times still work"));
  }
  EXPECT_EQ(ExitCodeFor(ParseTimeArg("--at", "2026-11-27 10:00", "", kNow).status().code()),
            kExitFailure);
}

TEST(ParseTimeArg, AMalformedTimeIsAUsageErrorEvenWhenTheZoneIsUnknown) {
  for (const char* text : {"tomorrow", "tomorrow 25:00", "next week"}) {
    EXPECT_EQ(ParseTimeArg("--at", text, "No/Such_Zone", kNow).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(FormatDateTime, ShowsTheWeekdayOfTheTeamZoneInThreeLetters) {
  // 16:00 UTC on Sunday is already Monday in Tokyo.
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 12, 6, 16, 0),
                                       absl::UTCTimeZone());
  EXPECT_EQ(FormatDateTime(t, Tokyo()), "2026-12-07 (Mon) 01:00");
  EXPECT_EQ(FormatDateTime(t, absl::UTCTimeZone()), "2026-12-06 (Sun) 16:00");
  // Every weekday takes as many columns, so that tables stay aligned.
  for (int day = 0; day < 7; ++day) {
    EXPECT_EQ(DisplayWidth(FormatDateTime(t + absl::Hours(24 * day), Tokyo())), 22) << day;
  }
  EXPECT_EQ(FormatDateTime(TokyoTime(12, 12, 10, 0), Tokyo()), "2026-12-12 (Sat) 10:00");
}

TEST(DueHint, SaysHowLongUntilOrHowLongOverdue) {
  EXPECT_EQ(DueHint(absl::Hours(3)), "in 3h");
  EXPECT_EQ(DueHint(-absl::Hours(2)), "overdue by 2h");
  EXPECT_EQ(DueHint(-absl::Minutes(90) - absl::Seconds(1)), "overdue by 2h");  // rounded
  EXPECT_EQ(DueHint(-absl::Hours(49)), "overdue by 2d");
  EXPECT_EQ(DueHint(absl::Seconds(30)), "due now");
  EXPECT_EQ(DueHint(-absl::Seconds(59)), "due now");
  EXPECT_EQ(FormatDue(TokyoTime(11, 27, 8, 0), Tokyo(), kNow),
            "2026-11-27 (Fri) 08:00 (overdue by 2h)");
  EXPECT_EQ(FormatDue(TokyoTime(11, 27, 13, 0), Tokyo(), kNow), "2026-11-27 (Fri) 13:00 (in 3h)");
}

TEST(CompactDuration, TwoUnitsAtMostToTheMinute) {
  EXPECT_EQ(CompactDuration(absl::Hours(2) + absl::Minutes(10)), "2h 10m");
  EXPECT_EQ(CompactDuration(absl::Hours(3)), "3h");
  EXPECT_EQ(CompactDuration(absl::Minutes(45) + absl::Seconds(20)), "45m");
  EXPECT_EQ(CompactDuration(absl::Hours(28) + absl::Minutes(5)), "1d 4h");
  EXPECT_EQ(CompactDuration(absl::Hours(48)), "2d");
  EXPECT_EQ(CompactDuration(absl::Seconds(10)), "0m");
}

TEST(Table, RowsAloneAreIndentedAndAlignedWithoutTheHeader) {
  Table table({{"A"}, {"LONG HEADER"}, {"C", Table::kNoLimit}});
  table.AddRow({"ＡＢＣ商事", "x", "終わり"});
  table.AddRow({"ab", "y", "end"});
  const std::vector<std::string> lines =
      absl::StrSplit(table.RenderRows("  "), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "  ＡＢＣ商事  x  終わり");  // the header's width does not count
  EXPECT_EQ(lines[1], "  ab          y  end");
}

amends::v1::Incident IncidentWithDeadlines() {
  amends::v1::Incident incident = SampleIncident();
  incident.set_state(amends::v1::STATE_ESCALATED);
  auto* approve = incident.add_deadlines();
  approve->set_key("approve");
  approve->set_what("上長承認");
  *approve->mutable_due() = ToProto(TokyoTime(11, 27, 8, 0));
  approve->set_managers_of("営業一課");
  *approve->mutable_breached_at() = ToProto(TokyoTime(11, 27, 8, 0));
  approve->set_level(1);
  auto* promise = incident.add_deadlines();
  promise->set_key("promise-1");
  promise->set_what("promise 1: 折り返し電話");
  *promise->mutable_due() = ToProto(TokyoTime(11, 27, 13, 0));
  promise->set_user("suzuki");
  promise->set_wall_clock(true);
  auto* measure = incident.add_deadlines();
  measure->set_key("measure-1");
  measure->set_what("measure 1");
  *measure->mutable_due() = ToProto(TokyoTime(12, 4, 18, 0));
  measure->set_user("tanaka");
  return incident;
}

TEST(IncidentView, DeadlinesAreAlignedWithJapaneseTextAndSayWhoAndHowLate) {
  const std::string shown = RenderIncident(IncidentWithDeadlines(), kNow);
  const std::vector<std::string> rows = Section(shown, "Deadlines:");
  ASSERT_EQ(rows.size(), 3u) << shown;
  EXPECT_THAT(rows[0], StartsWith("  上長承認  "));
  EXPECT_THAT(rows[0], HasSubstr("2026-11-27 (Fri) 08:00 (overdue by 2h)"));
  EXPECT_THAT(rows[0], HasSubstr("managers of 営業一課"));
  EXPECT_THAT(rows[0], HasSubstr("(breached)"));
  EXPECT_THAT(rows[1], HasSubstr("2026-11-27 (Fri) 13:00 (in 3h)"));
  EXPECT_THAT(rows[1], HasSubstr("suzuki"));
  EXPECT_THAT(rows[1], HasSubstr("(wall clock)"));
  EXPECT_THAT(rows[1], Not(HasSubstr("(breached)")));
  EXPECT_THAT(rows[2], HasSubstr("2026-12-04 (Fri) 18:00 (in 7d)"));
  for (const std::string& row : rows) {
    EXPECT_EQ(ColumnOf(row, "2026-"), ColumnOf(rows[0], "2026-")) << row;
    EXPECT_THAT(row, Not(HasSubstr("...")));
    EXPECT_THAT(row, Not(testing::EndsWith(" ")));
  }
  EXPECT_EQ(ColumnOf(rows[1], "suzuki"), ColumnOf(rows[0], "managers of"));
  EXPECT_EQ(ColumnOf(rows[2], "tanaka"), ColumnOf(rows[0], "managers of"));
}

TEST(IncidentView, AHeldIncidentShowsTheTimeLeftAndTheHold) {
  amends::v1::Incident incident = IncidentWithDeadlines();
  amends::v1::Deadline* approve = incident.mutable_deadlines(0);
  approve->clear_due();
  approve->clear_breached_at();
  *approve->mutable_held_left() = ToProto(absl::Hours(2) + absl::Minutes(10));
  auto* hold = incident.mutable_hold();
  hold->set_reason("先方の社内確認待ち");
  hold->set_held_by("tanaka");
  *hold->mutable_since() = ToProto(TokyoTime(11, 27, 8, 0));
  *hold->mutable_until() = ToProto(TokyoTime(12, 1, 18, 0));

  const std::string shown = RenderIncident(incident, kNow);
  EXPECT_THAT(shown, HasSubstr("  state              escalated (on hold)\n"));
  const std::vector<std::string> rows = Section(shown, "Deadlines:");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0], HasSubstr("held, 2h 10m left"));
  EXPECT_EQ(ColumnOf(rows[0], "held"), ColumnOf(rows[1], "2026-"));
  EXPECT_THAT(Section(shown, "On hold: 先方の社内確認待ち"),
              ElementsAre("  since 2026-11-27 (Fri) 08:00 (2h ago) by tanaka, until "
                          "2026-12-01 (Tue) 18:00 (in 4d)"));

  incident.mutable_hold()->clear_until();
  EXPECT_THAT(RenderIncident(incident, kNow), HasSubstr(", until resumed\n"));
}

TEST(IncidentView, PromisesAreNumberedWithTheirTimeAndKeptMark) {
  amends::v1::Incident incident = SampleIncident();
  auto* kept = incident.add_promises();
  kept->set_number(1);
  kept->set_text("見積書を再送する");
  kept->set_owner("suzuki");
  *kept->mutable_by() = ToProto(TokyoTime(11, 26, 18, 0));
  *kept->mutable_kept_at() = ToProto(TokyoTime(11, 26, 17, 0));
  kept->set_kept_by("suzuki");
  auto* open = incident.add_promises();
  open->set_number(2);
  open->set_text("15時までに折り返しお電話する");
  open->set_owner("佐藤");
  *open->mutable_by() = ToProto(TokyoTime(11, 27, 9, 0));

  const std::vector<std::string> rows = Section(RenderIncident(incident, kNow), "Promises:");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "  1. [kept]  by 2026-11-26 (Thu) 18:00 (16h ago)        owner suzuki  "
                     "見積書を再送する");
  EXPECT_EQ(rows[1], "  2. [open]  by 2026-11-27 (Fri) 09:00 (overdue by 1h)  owner 佐藤    "
                     "15時までに折り返しお電話する");
}

TEST(IncidentView, RemindersToAcknowledgeNameTheAddresseeAndTheCommand) {
  amends::v1::Incident incident = IncidentWithDeadlines();
  auto* mine = incident.add_reminders();
  mine->set_deadline_key("promise-1");
  mine->set_what("promise 1: 折り返し電話");
  mine->set_user("suzuki");
  *mine->mutable_due() = ToProto(TokyoTime(11, 27, 13, 0));
  *mine->mutable_fired_at() = ToProto(TokyoTime(11, 27, 9, 0));
  auto* managers = incident.add_reminders();
  managers->set_deadline_key("approve");
  managers->set_what("上長承認");
  managers->set_managers_of("営業一課");
  *managers->mutable_due() = ToProto(TokyoTime(11, 27, 8, 0));
  *managers->mutable_fired_at() = ToProto(TokyoTime(11, 27, 6, 0));

  const std::vector<std::string> rows =
      Section(RenderIncident(incident, kNow), "Reminders to acknowledge (amends ack 12):");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0], StartsWith("  2026-11-27 (Fri) 09:00 (1h ago)  to suzuki  "));
  EXPECT_THAT(rows[0], HasSubstr("due 2026-11-27 (Fri) 13:00 (in 3h)"));
  EXPECT_THAT(rows[1], HasSubstr("to managers of 営業一課"));
  EXPECT_THAT(rows[1], HasSubstr("due 2026-11-27 (Fri) 08:00 (overdue by 2h)"));
  EXPECT_EQ(ColumnOf(rows[0], "promise 1"), ColumnOf(rows[1], "上長承認"));
  EXPECT_EQ(ColumnOf(rows[0], "due "), ColumnOf(rows[1], "due "));
}

TEST(IncidentView, WithoutDeadlinesOrPromisesTheSectionsSayNoneAndHoldAndRemindersAreLeftOut) {
  amends::v1::Incident incident = SampleIncident();
  const std::string shown = RenderIncident(incident, kNow);
  EXPECT_THAT(shown, HasSubstr("\nDeadlines: none\n"));
  EXPECT_THAT(shown, HasSubstr("\nPromises: none\n"));
  EXPECT_THAT(shown, Not(HasSubstr("On hold")));
  EXPECT_THAT(shown, Not(HasSubstr("Reminders")));
  EXPECT_THAT(shown, HasSubstr("  state              prevention-plan\n"));
  EXPECT_LT(shown.find("Client communication:"), shown.find("Deadlines:"));
  EXPECT_LT(shown.find("Deadlines:"), shown.find("Promises:"));
}

TEST(NextDue, TheSoonestDeadlineEvenDuringAHoldOrHeldOrNone) {
  amends::v1::Incident incident = IncidentWithDeadlines();
  EXPECT_EQ(NextDue(incident, kNow), "overdue 2h");
  incident.mutable_deadlines()->SwapElements(0, 2);  // not trusting the server's order
  EXPECT_EQ(NextDue(incident, kNow), "overdue 2h");
  incident.mutable_deadlines()->RemoveLast();         // the overdue one
  EXPECT_EQ(NextDue(incident, kNow), "in 3h");
  EXPECT_EQ(NextDue(incident, TokyoTime(11, 27, 13, 0)), "due now");
  // A hold pauses the stage's clock; promises and measures keep running and show first.
  incident.mutable_hold()->set_reason("先方回答待ち");
  EXPECT_EQ(NextDue(incident, kNow), "in 3h");
  incident.clear_deadlines();
  EXPECT_EQ(NextDue(incident, kNow), "held");
  EXPECT_EQ(NextDue(SampleIncident(), kNow), "-");
}

TEST(IncidentView, ListShowsNextDueBeforeTheSummary) {
  Incidents incidents;
  *incidents.Add() = IncidentWithDeadlines();
  *incidents.Add() = SampleIncident();
  incidents[1].set_id(3);
  incidents[1].set_summary("late report");
  const std::vector<std::string> lines =
      absl::StrSplit(RenderIncidentList(incidents, kNow), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_LT(ColumnOf(lines[0], "NEXT DUE"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_GT(ColumnOf(lines[0], "NEXT DUE"), ColumnOf(lines[0], "OWNER"));
  EXPECT_EQ(ColumnOf(lines[1], "overdue 2h"), ColumnOf(lines[0], "NEXT DUE"));
  EXPECT_EQ(ColumnOf(lines[2], "-  "), ColumnOf(lines[0], "NEXT DUE"));
  EXPECT_EQ(ColumnOf(lines[1], "15時の打ち合わせを失念"), ColumnOf(lines[0], "SUMMARY"));
  EXPECT_EQ(ColumnOf(lines[2], "late report"), ColumnOf(lines[0], "SUMMARY"));
}

InboxItems SampleInbox() {
  InboxItems items;
  auto add = [&](amends::v1::InboxItem::Reason reason, int64_t id, absl::Time due,
                 const std::string& what, const std::string& client, const std::string& summary) {
    amends::v1::InboxItem* item = items.Add();
    item->set_reason(reason);
    item->set_incident_id(id);
    item->set_team("営業一課");
    item->set_team_time_zone("Asia/Tokyo");
    item->set_client(client);
    item->set_summary(summary);
    item->set_what(what);
    *item->mutable_due() = ToProto(due);
  };
  add(amends::v1::InboxItem::REASON_BREACH, 12, TokyoTime(11, 27, 8, 0), "上長承認", "ＡＢＣ商事",
      "15時の打ち合わせを失念");
  add(amends::v1::InboxItem::REASON_APPROVAL, 3, TokyoTime(11, 27, 9, 30), "approve",
      "XYZ Trading", "Shipment two days late");
  add(amends::v1::InboxItem::REASON_DEADLINE, 14, TokyoTime(11, 27, 13, 0),
      "promise 1: 折り返し電話", "株式会社ＡＢＣ商事ホールディングス", "報告書の提出遅れ");
  add(amends::v1::InboxItem::REASON_REMINDER, 5, TokyoTime(11, 30, 10, 0), "apology visit",
      "ｱｲｳ物産", "納期遅延について先方部長より強い抗議。来週訪問予定");
  return items;
}

TEST(Inbox, KeepsTheServersOrderWithAlignedColumnsAndTheSummaryWhole) {
  const std::string rendered = RenderInbox(SampleInbox(), kNow);
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << rendered;
  EXPECT_THAT(lines[0], StartsWith("DUE "));
  const std::vector<std::string> headers = {"DUE", "ID", "WHY", "WHAT", "CLIENT", "SUMMARY"};
  for (size_t i = 1; i < headers.size(); ++i) {
    EXPECT_LT(ColumnOf(lines[0], headers[i - 1]), ColumnOf(lines[0], headers[i]));
  }
  const std::vector<std::vector<std::string>> rows = {
      {"2026-11-27 (Fri) 08:00 (overdue by 2h)", "12", "breach", "上長承認", "ＡＢＣ商事",
       "15時の打ち合わせを失念"},
      {"2026-11-27 (Fri) 09:30 (overdue by 30m)", "3", "approve", "approve", "XYZ Trading",
       "Shipment two days late"},
      {"2026-11-27 (Fri) 13:00 (in 3h)", "14", "deadline", "promise 1: 折り返し電話",
       "株式会社ＡＢＣ商...", "報告書の提出遅れ"},
      {"2026-11-30 (Mon) 10:00 (in 3d)", "5", "reminder", "apology visit", "ｱｲｳ物産",
       "納期遅延について先方部長より強い抗議。来週訪問予定"},
  };
  for (size_t r = 0; r < rows.size(); ++r) {
    size_t from = 0;  // each cell is looked for after the one before it
    for (size_t c = 0; c < headers.size(); ++c) {
      const size_t at = lines[r + 1].find(rows[r][c], from);
      ASSERT_NE(at, std::string::npos) << rows[r][c] << " not in: " << lines[r + 1];
      EXPECT_EQ(DisplayWidth(lines[r + 1].substr(0, at)), ColumnOf(lines[0], headers[c]))
          << "row " << r << ": " << rows[r][c];
      from = at + rows[r][c].size();
    }
  }
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
}

TEST(Inbox, EmptyInboxSaysSo) {
  EXPECT_EQ(RenderInbox(InboxItems(), kNow), "Nothing needs you now.\n");
}

TEST(Inbox, AnItemWithoutADueTimeShowsADashInTheTeamZoneOfEachItem) {
  InboxItems items = SampleInbox();
  items[0].clear_due();
  items[1].set_team_time_zone("Europe/Berlin");
  const std::vector<std::string> lines =
      absl::StrSplit(RenderInbox(items, kNow), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[1], StartsWith("-  "));
  EXPECT_THAT(lines[2], StartsWith("2026-11-27 (Fri) 01:30 (overdue by 30m)"));
}

TEST(Inbox, ReasonsHaveShortNames) {
  EXPECT_EQ(InboxReasonName(amends::v1::InboxItem::REASON_DEADLINE), "deadline");
  EXPECT_EQ(InboxReasonName(amends::v1::InboxItem::REASON_APPROVAL), "approve");
  EXPECT_EQ(InboxReasonName(amends::v1::InboxItem::REASON_BREACH), "breach");
  EXPECT_EQ(InboxReasonName(amends::v1::InboxItem::REASON_REMINDER), "reminder");
}

TEST(ParseDurationArg, AcceptsAbseilFormsAndDays) {
  EXPECT_EQ(*ParseDurationArg("--due-within", "24h"), absl::Hours(24));
  EXPECT_EQ(*ParseDurationArg("--due-within", "90m"), absl::Minutes(90));
  EXPECT_EQ(*ParseDurationArg("--due-within", "1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseDurationArg("--due-within", "2d"), absl::Hours(48));
  EXPECT_EQ(*ParseDurationArg("--due-within", "1d12h"), absl::Hours(36));
}

TEST(ParseDurationArg, RejectsAnythingElseNamingTheOption) {
  for (const char* text : {"", "3x", "d", "2", "-2d", "1.5d", "2dd", "1d-1h", "inf", "tomorrow",
                           "2 d", "0", "0d", "-1h"}) {
    const absl::StatusOr<absl::Duration> d = ParseDurationArg("--due-within", text);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(d.status().message()), StartsWith("--due-within: ")) << text;
  }
  EXPECT_THAT(std::string(ParseDurationArg("--due-within", "3x").status().message()),
              HasSubstr("90m, 24h, 2d"));
  // The server looks at most a year ahead; say so here rather than after a round trip.
  EXPECT_EQ(*ParseDurationArg("--due-within", "366d"), absl::Hours(24 * 366));
  EXPECT_EQ(ParseDurationArg("--due-within", "367d").status(),
            absl::InvalidArgumentError("--due-within: at most 366d, not '367d'"));
  EXPECT_EQ(ParseDurationArg("--due-within", "9000h").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TimeProto, DurationsRoundTripWithTheSameSign) {
  const absl::Duration d = absl::Hours(36) + absl::Milliseconds(250);
  EXPECT_EQ(ToProto(d).seconds(), 36 * 3600);
  EXPECT_EQ(ToProto(d).nanos(), 250000000);
  EXPECT_EQ(FromProto(ToProto(d)), d);
  EXPECT_EQ(ToProto(-absl::Milliseconds(1500)).seconds(), -1);
  EXPECT_EQ(ToProto(-absl::Milliseconds(1500)).nanos(), -500000000);
  EXPECT_EQ(FromProto(ToProto(-absl::Milliseconds(1500))), -absl::Milliseconds(1500));
}

TEST(ParseServerClock, ReadsRfc3339) {
  EXPECT_EQ(ParseServerClock("2026-11-27T01:00:00Z"), TokyoTime(11, 27, 10, 0));
  EXPECT_EQ(ParseServerClock("2026-11-27T10:00:00+09:00"), TokyoTime(11, 27, 10, 0));
  EXPECT_EQ(ParseServerClock("yesterday"), std::nullopt);
  EXPECT_EQ(ParseServerClock(""), std::nullopt);
}

TEST(EnumNames, TheSchedulersEventsHaveTimelineNames) {
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_REMINDER), "reminder");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_DEADLINE_BREACHED), "deadline-breached");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_PROMISE_MADE), "promise-made");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_PROMISE_KEPT), "promise-kept");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_HELD), "held");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_RESUMED), "resumed");
  EXPECT_EQ(CliName(amends::v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED), "reminders-acknowledged");
}

// A change as the stream sends it: `event` of incident 12 (ＡＢＣ商事, in Tokyo) at `time`.
amends::v1::IncidentChange Change(int64_t sequence, amends::v1::EventType type,
                                  const std::string& actor, const std::string& client,
                                  const std::string& text, absl::Time time) {
  amends::v1::IncidentChange change;
  amends::v1::Event* event = change.mutable_event();
  event->set_sequence(sequence);
  event->set_incident_id(12);
  event->set_type(type);
  event->set_actor(actor);
  *event->mutable_time() = ToProto(time);
  event->set_from_state(amends::v1::STATE_REPORTED);
  event->set_to_state(amends::v1::STATE_ESCALATED);
  event->set_text(text);
  amends::v1::Incident* incident = change.mutable_incident();
  incident->set_id(12);
  incident->set_team("営業一課");
  incident->set_team_time_zone("Asia/Tokyo");
  incident->mutable_client()->set_name(client);
  incident->set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  incident->set_state(amends::v1::STATE_ESCALATED);
  incident->set_version(3);
  return change;
}

TEST(WatchView, TextLinesAlignAndCutJapaneseByDisplayWidth) {
  const std::string long_client = "株式会社ミドリ精機製作所東日本営業本部";
  const std::string long_text =
      "先方部長がお怒り。上長同行での訪問が必要。『誠意を見せてほしい』とのこと。"
      "明日午前に訪問し、原因と再発防止策（共有スケジュールとダブルチェック）を説明する";
  const std::vector<std::string> lines = {
      RenderWatchHeader(),
      RenderWatchLine(Change(7, amends::v1::EVENT_TYPE_ESCALATED, "佐藤", "ＡＢＣ商事",
                             "短い理由", TokyoTime(11, 27, 17, 5)),
                      130),
      RenderWatchLine(Change(123456789, amends::v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED,
                             "tanaka-with-a-long-name", long_client, long_text,
                             TokyoTime(11, 27, 16, 58)),
                      130),
      RenderWatchLine(Change(8, amends::v1::EVENT_TYPE_ESCALATED, "ｻﾄｳ", "XYZ Trading", "",
                             TokyoTime(11, 28, 9, 0)),
                      130),
  };
  for (const std::string& line : lines) {
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    EXPECT_EQ(line.back(), '\n');
    EXPECT_THAT(line, Not(HasSubstr(" \n")));
    EXPECT_TRUE(CheckUtf8("line", line).ok()) << line;
    EXPECT_LE(DisplayWidth(line.substr(0, line.size() - 1)), 130) << line;
  }
  EXPECT_THAT(lines[1], StartsWith("#7 "));
  EXPECT_THAT(lines[1], HasSubstr("2026-11-27 (Fri) 17:05"));  // the event's time, in the team zone
  EXPECT_THAT(lines[1], HasSubstr("短い理由\n"));        // short text whole
  EXPECT_THAT(lines[2], StartsWith("#123456789 "));
  EXPECT_THAT(lines[2], HasSubstr("株式会社ミ..."));  // cut by width, "..." added
  EXPECT_THAT(lines[2], Not(HasSubstr("東日本")));
  EXPECT_THAT(lines[2], HasSubstr("tanaka-..."));
  EXPECT_THAT(lines[2], HasSubstr("先方部長がお怒り"));
  EXPECT_THAT(lines[2], HasSubstr("...\n"));  // the text cut to fit the line
  // No text on the event: the incident's summary.
  EXPECT_THAT(lines[3], HasSubstr("15時のサンプル受け渡"));

  // Every column starts at the same display column on every line, its header above it.
  const std::vector<std::vector<std::string>> cells = {
      {"#7", "2026-11-27 (Fri) 17:05", "12", "escalated", "佐藤", "escalated", "ＡＢＣ商事",
       "短い理由"},
      {"#123456789", "2026-11-27 (Fri) 16:58", "12", "first-apology-recorded", "tanaka-",
       "escalated", "株式会社ミ", "先方部長"},
      {"#8", "2026-11-28 (Sat) 09:00", "12", "escalated", "ｻﾄｳ", "escalated", "XYZ Trading",
       "15時の"},
  };
  const std::vector<std::string> headers = {"SEQ",   "TIME",  "ID",     "EVENT",
                                            "ACTOR", "STATE", "CLIENT", "TEXT"};
  // #123456789 is wider than its column and pushes its line right; the others line up.
  for (size_t row : {0u, 2u}) {
    const std::string& line = lines[row + 1];
    size_t pos = 0;
    for (size_t c = 0; c < headers.size(); ++c) {
      const size_t at = line.find(cells[row][c], pos);
      ASSERT_NE(at, std::string::npos) << cells[row][c] << " in " << line;
      EXPECT_EQ(DisplayWidth(line.substr(0, at)), ColumnOf(lines[0], headers[c]))
          << cells[row][c];
      pos = at + cells[row][c].size();
    }
  }
  // After the sequence, the long line keeps the same gaps.
  EXPECT_EQ(ColumnOf(lines[2], "first-apology-recorded") - ColumnOf(lines[2], "2026-11-27"),
            ColumnOf(lines[0], "EVENT") - ColumnOf(lines[0], "TIME"));
  EXPECT_EQ(ColumnOf(lines[2], "先方部長") - ColumnOf(lines[2], "株式会社"),
            ColumnOf(lines[0], "TEXT") - ColumnOf(lines[0], "CLIENT"));
}

TEST(WatchView, WithoutALineWidthTheTextIsPrintedWhole) {
  const std::string long_text(300, 'x');
  const std::string line = RenderWatchLine(
      Change(1, amends::v1::EVENT_TYPE_NOTE_ADDED, "sato", "ＡＢＣ商事", long_text + "\n次の行",
             TokyoTime(11, 27, 17, 5)),
      0);
  EXPECT_THAT(line, HasSubstr(long_text + " 次の行\n"));  // on one line
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST(WatchView, WideCutsNeitherTheTextNorTheNames) {
  const std::string long_client = "株式会社ミドリ精機製作所東日本営業本部";
  const std::string long_text(300, 'x');
  const std::string line = RenderWatchLine(
      Change(1, amends::v1::EVENT_TYPE_NOTE_ADDED, "tanaka-with-a-long-name", long_client,
             long_text, TokyoTime(11, 27, 17, 5)),
      kWideOutput);
  EXPECT_THAT(line, HasSubstr("tanaka-with-a-long-name"));
  EXPECT_THAT(line, HasSubstr(long_client));
  EXPECT_THAT(line, HasSubstr(long_text + "\n"));
  EXPECT_THAT(line, Not(HasSubstr("...")));
}

TEST(WatchView, JsonLineIsOneLineThatParsesBackIntoTheSameChange) {
  amends::v1::IncidentChange change =
      Change(42, amends::v1::EVENT_TYPE_ESCALATED, "佐藤", "ＡＢＣ商事",
             "先方部長がお怒り。\n上長同行での訪問が必要", TokyoTime(11, 27, 17, 5));
  change.mutable_incident()->set_details("17時前に先方から電話。\n部長が立腹");
  absl::StatusOr<std::string> line = WatchJsonLine(change);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(std::count(line->begin(), line->end(), '\n'), 1);
  EXPECT_EQ(line->back(), '\n');
  EXPECT_THAT(*line, HasSubstr("\"sequence\":\"42\""));
  amends::v1::IncidentChange parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(*line, &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, change))
      << parsed.DebugString();
}

TEST(WatchFrom, AcceptsASequenceOldestAndNow) {
  absl::StatusOr<WatchStart> after = ParseWatchFrom("--from", "123");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, (WatchStart{.kind = WatchStart::Kind::kAfter, .after_sequence = 123}));
  absl::StatusOr<WatchStart> oldest = ParseWatchFrom("--from", "oldest");
  ASSERT_TRUE(oldest.ok()) << oldest.status();
  EXPECT_EQ(oldest->kind, WatchStart::Kind::kOldest);
  absl::StatusOr<WatchStart> now = ParseWatchFrom("--from", "now");
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->kind, WatchStart::Kind::kNow);
  absl::StatusOr<WatchStart> upper = ParseWatchFrom("--from", "Oldest");
  ASSERT_TRUE(upper.ok()) << upper.status();
  EXPECT_EQ(upper->kind, WatchStart::Kind::kOldest);
}

TEST(WatchFrom, RejectsZeroNegativeAndTextNamingTheOption) {
  for (const char* text : {"0", "-1", "abc", "", "12abc", "1.5", "99999999999999999999"}) {
    absl::StatusOr<WatchStart> from = ParseWatchFrom("--from", text);
    ASSERT_FALSE(from.ok()) << text;
    EXPECT_EQ(from.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(from.status().message()), StartsWith("--from: ")) << text;
    EXPECT_THAT(std::string(from.status().message()), HasSubstr("oldest")) << text;
  }
}

TEST(WatchRequest, CarriesTheFiltersAndAResumeReplacesTheStart) {
  WatchArgs args{.team = "営業一課",
                 .incident_id = 12,
                 .client = "ＡＢＣ商事",
                 .states = {amends::v1::STATE_ESCALATED},
                 .types = {amends::v1::EVENT_TYPE_ESCALATED,
                           amends::v1::EVENT_TYPE_DEADLINE_BREACHED},
                 .from = {.kind = WatchStart::Kind::kOldest}};
  const amends::v1::WatchRequest first = BuildWatchRequest(args, std::nullopt);
  EXPECT_TRUE(first.from_oldest());
  EXPECT_EQ(first.team(), "営業一課");
  EXPECT_EQ(first.incident_id(), 12);
  EXPECT_EQ(first.client(), "ＡＢＣ商事");
  EXPECT_THAT(first.states(), ElementsAre(amends::v1::STATE_ESCALATED));
  EXPECT_THAT(first.types(), ElementsAre(amends::v1::EVENT_TYPE_ESCALATED,
                                         amends::v1::EVENT_TYPE_DEADLINE_BREACHED));
  const amends::v1::WatchRequest resumed = BuildWatchRequest(args, 57);
  EXPECT_EQ(resumed.start_case(), amends::v1::WatchRequest::kAfterSequence);
  EXPECT_EQ(resumed.after_sequence(), 57);
  EXPECT_EQ(resumed.team(), "営業一課");
  args.from = WatchStart{};
  EXPECT_TRUE(BuildWatchRequest(args, std::nullopt).from_now());
  args.from = WatchStart{.kind = WatchStart::Kind::kAfter, .after_sequence = 9};
  EXPECT_EQ(BuildWatchRequest(args, std::nullopt).after_sequence(), 9);
}

// --- amends notifications, amends me ---

using amends::v1::Notification;

Notification SampleNotification(int64_t id, const std::string& recipient,
                                Notification::State state, const std::string& answer) {
  Notification n;
  n.set_id(id);
  n.set_incident_id(12);
  n.set_team("営業一課");
  n.set_recipient(recipient);
  n.set_channel("mail");
  n.set_address(recipient + "@example.co.jp");
  n.set_reason(Notification::REASON_APPROVAL_ASKED);
  n.set_state(state);
  *n.mutable_created_at() = ToProto(TokyoTime(11, 27, 9, 0));
  if (!answer.empty()) {
    amends::v1::DeliveryAttempt* attempt = n.add_attempts();
    *attempt->mutable_at() = ToProto(TokyoTime(11, 27, 9, 1));
    attempt->set_channel("mail");
    attempt->set_ok(state == Notification::STATE_SENT);
    attempt->set_answer(answer);
  }
  return n;
}

const std::vector<std::string> kNotificationHeaders = {
    "ID", "CREATED", "RECIPIENT", "REASON", "CHANNEL", "STATE", "ATTEMPTS", "LAST ANSWER",
    "NEXT ATTEMPT"};

TEST(NotificationView, JapaneseRecipientNamesStayAligned) {
  Notifications ns;
  *ns.Add() = SampleNotification(9, "佐藤", Notification::STATE_SENT, "250 2.0.0 Ok: queued");
  *ns.Add() = SampleNotification(8, "tanaka", Notification::STATE_SENT, "250 2.0.0 Ok");
  *ns.Add() = SampleNotification(7, "ｽｽﾞｷ", Notification::STATE_SENT, "250 Ok");
  const std::string rendered = RenderNotifications(ns, Tokyo(), kNow, /*with_incident=*/false);
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << rendered;
  for (size_t i = 1; i < kNotificationHeaders.size(); ++i) {
    EXPECT_LT(ColumnOf(lines[0], kNotificationHeaders[i - 1]),
              ColumnOf(lines[0], kNotificationHeaders[i]));
  }
  const int reason_column = ColumnOf(lines[0], "REASON");
  const int answer_column = ColumnOf(lines[0], "LAST ANSWER");
  for (size_t r = 1; r < lines.size(); ++r) {
    EXPECT_EQ(ColumnOf(lines[r], "approval-asked"), reason_column) << lines[r];
    EXPECT_EQ(ColumnOf(lines[r], "250 "), answer_column) << lines[r];
  }
  EXPECT_EQ(ColumnOf(lines[1], "佐藤"), ColumnOf(lines[0], "RECIPIENT"));
  EXPECT_THAT(lines[1], HasSubstr("2026-11-27 (Fri) 09:00 (1h ago)"));  // in the team's zone
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
}

TEST(NotificationView, ALongServerAnswerIsCutOnOneLineNotWrapped) {
  const std::string answer =
      "550-5.1.1 The email account that you tried to reach does not exist. Please try "
      "double-checking the recipient's email address for typos or unnecessary spaces.\r\n"
      "550 5.1.1 https://support.example.com/mail/?p=NoSuchUser";
  Notifications ns;
  *ns.Add() = SampleNotification(9, "佐藤", Notification::STATE_FAILED, answer);
  const std::string rendered = RenderNotifications(ns, Tokyo(), kNow, /*with_incident=*/false);
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n');
  ASSERT_EQ(lines.size(), 3u) << rendered;  // header, one row, and the empty rest
  EXPECT_THAT(lines[1], HasSubstr("550-5.1.1 The email account"));
  EXPECT_THAT(lines[1], HasSubstr("..."));
  EXPECT_THAT(rendered, Not(HasSubstr("NoSuchUser")));
  // The cell is cut at kAnswerWidth columns; NEXT ATTEMPT still starts over its header.
  const int answer_column = ColumnOf(lines[0], "LAST ANSWER");
  const int next_column = ColumnOf(lines[0], "NEXT ATTEMPT");
  EXPECT_EQ(next_column - answer_column, kAnswerWidth + 2);
  EXPECT_EQ(DisplayWidth(lines[1]), next_column + 1);  // "-"
}

TEST(NotificationView, StatesAreNamedAndARetryShowsItsNextAttempt) {
  Notifications ns;
  Notification retrying =
      SampleNotification(9, "sato", Notification::STATE_RETRYING, "421 4.3.0 try again later");
  *retrying.mutable_next_attempt() = ToProto(TokyoTime(11, 27, 10, 5));
  *ns.Add() = retrying;
  *ns.Add() = SampleNotification(8, "tanaka", Notification::STATE_FAILED,
                                 "550 5.1.1 mailbox unavailable");
  Notification no_address = SampleNotification(7, "suzuki", Notification::STATE_FAILED, "");
  no_address.clear_address();
  *ns.Add() = no_address;
  Notification pending = SampleNotification(6, "ito", Notification::STATE_PENDING, "");
  *pending.mutable_not_before() = ToProto(TokyoTime(11, 30, 9, 0));  // Monday's working hours
  *ns.Add() = pending;
  *ns.Add() = SampleNotification(5, "kato", Notification::STATE_SENT, "250 Ok");
  const std::vector<std::string> lines = absl::StrSplit(
      RenderNotifications(ns, Tokyo(), kNow, /*with_incident=*/false), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u);
  const int state_column = ColumnOf(lines[0], "STATE");
  EXPECT_EQ(ColumnOf(lines[1], "retrying"), state_column);
  EXPECT_EQ(ColumnOf(lines[2], "failed"), state_column);
  EXPECT_EQ(ColumnOf(lines[3], "failed"), state_column);
  EXPECT_EQ(ColumnOf(lines[4], "pending"), state_column);
  EXPECT_EQ(ColumnOf(lines[5], "sent"), state_column);
  const int next_column = ColumnOf(lines[0], "NEXT ATTEMPT");
  EXPECT_EQ(ColumnOf(lines[1], "2026-11-27 (Fri) 10:05 (in 5m)"), next_column);
  EXPECT_EQ(ColumnOf(lines[4], "2026-11-30 (Mon) 09:00 (in 3d)"), next_column);
  EXPECT_THAT(lines[2], EndsWith("550 5.1.1 mailbox unavailable  -"));
  EXPECT_EQ(ColumnOf(lines[3], "no address"), ColumnOf(lines[0], "LAST ANSWER"));
}

TEST(NotificationView, ControlCharactersInAnswersAreNotPrintedRaw) {
  // A hostile or broken mail server: escape sequences (clear screen, colour), a bell, a
  // carriage return that would overwrite the line.
  const std::string answer = "550 \x1b[2J\x1b[31mno\x07 such\ruser\x1b]0;title\x07\tend";
  Notifications ns;
  *ns.Add() = SampleNotification(9, "佐藤\x1b[1m", Notification::STATE_FAILED, answer);
  for (const bool with_incident : {false, true}) {
    const std::string rendered = RenderNotifications(ns, Tokyo(), kNow, with_incident);
    for (const char c : rendered) {
      EXPECT_FALSE((c >= 0 && c < ' ' && c != '\n') || c == '\x7f')
          << "raw control character " << static_cast<int>(c) << " in: " << rendered;
    }
    EXPECT_THAT(rendered, HasSubstr("550 ␛[2J␛[31mno␇ such user␛]0;title␇ end"));
  }
  absl::StatusOr<std::string> outcome = TestOutcome(ns[0], Tokyo(), kNow);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(std::string(outcome.status().message()), Not(HasSubstr("\x1b")));
}

TEST(NotificationView, FailuresOfTheTeamsNameTheIncident) {
  Notifications ns;
  *ns.Add() = SampleNotification(9, "佐藤", Notification::STATE_FAILED, "550 no");
  Notification test = SampleNotification(3, "tanaka", Notification::STATE_FAILED, "550 no");
  test.set_incident_id(0);
  test.set_reason(Notification::REASON_TEST);
  *ns.Add() = test;
  const std::vector<std::string> lines = absl::StrSplit(
      RenderNotifications(ns, Tokyo(), kNow, /*with_incident=*/true), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_LT(ColumnOf(lines[0], "ID"), ColumnOf(lines[0], "INCIDENT"));
  EXPECT_LT(ColumnOf(lines[0], "INCIDENT"), ColumnOf(lines[0], "CREATED"));
  EXPECT_EQ(ColumnOf(lines[1], "#12"), ColumnOf(lines[0], "INCIDENT"));
  EXPECT_THAT(lines[2], StartsWith("3   -  "));
  EXPECT_THAT(lines[2], HasSubstr(" test "));
}

TEST(NotificationView, NoNotificationsSaysSo) {
  EXPECT_EQ(RenderNotifications(Notifications(), Tokyo(), kNow, false), "no notifications\n");
}

TEST(NotificationView, NotificationEnumsHaveCommandLineNames) {
  EXPECT_EQ(CliName(Notification::STATE_PENDING), "pending");
  EXPECT_EQ(CliName(Notification::STATE_SENT), "sent");
  EXPECT_EQ(CliName(Notification::STATE_RETRYING), "retrying");
  EXPECT_EQ(CliName(Notification::STATE_FAILED), "failed");
  EXPECT_EQ(CliName(Notification::REASON_VISIT_SCHEDULED), "visit-scheduled");
  EXPECT_EQ(CliName(Notification::REASON_TEST), "test");
}

TEST(NotificationView, RetryConfirmationNamesTheRecipientTheStateAndTheAnswer) {
  Notification n = SampleNotification(7, "佐藤", Notification::STATE_PENDING, "550 no");
  EXPECT_EQ(RenderRetried(n), "notification 7 to 佐藤 (#12) queued again → state pending\n");
  n.set_state(Notification::STATE_FAILED);
  EXPECT_EQ(RenderRetried(n),
            "notification 7 to 佐藤 (#12) failed again → state failed (550 no)\n");
  n.set_state(Notification::STATE_SENT);
  n.mutable_attempts(0)->set_answer("250 2.0.0 Ok\r\n");
  EXPECT_EQ(RenderRetried(n),
            "notification 7 to 佐藤 (#12) sent again → state sent (250 2.0.0 Ok)\n");
}

TEST(TestOutcome, ADeliveredMessageSaysWhereAndTheAnswer) {
  const Notification n =
      SampleNotification(3, "sato", Notification::STATE_SENT, "250 2.0.0 Ok: queued as 4F2A");
  absl::StatusOr<std::string> outcome = TestOutcome(n, Tokyo(), kNow);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, "test message sent to sato@example.co.jp: 250 2.0.0 Ok: queued as 4F2A\n");
}

TEST(TestOutcome, AFailedMessageIsAnErrorWithTheAnswerAndANonZeroExit) {
  const Notification failed =
      SampleNotification(3, "sato", Notification::STATE_FAILED, "550 5.1.1 mailbox unavailable");
  absl::StatusOr<std::string> outcome = TestOutcome(failed, Tokyo(), kNow);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(),
            "test message to sato@example.co.jp failed: 550 5.1.1 mailbox unavailable");
  EXPECT_EQ(ExitCodeFor(outcome.status().code()), kExitFailure);

  Notification retrying =
      SampleNotification(3, "sato", Notification::STATE_RETRYING, "421 4.3.0 try again later");
  *retrying.mutable_next_attempt() = ToProto(TokyoTime(11, 27, 10, 5));
  outcome = TestOutcome(retrying, Tokyo(), kNow);
  ASSERT_FALSE(outcome.ok());
  EXPECT_THAT(std::string(outcome.status().message()),
              HasSubstr("failed: 421 4.3.0 try again later (amends tries again 2026-11-27 "
                        "(Fri) 10:05 (in 5m))"));
  EXPECT_NE(ExitCodeFor(outcome.status().code()), kExitOk);
}

TEST(TestOutcome, WithoutAnAddressItSaysHowToSetOne) {
  Notification n = SampleNotification(3, "sato", Notification::STATE_FAILED, "");
  n.clear_address();
  absl::StatusOr<std::string> outcome = TestOutcome(n, Tokyo(), kNow);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(ExitCodeFor(outcome.status().code()), kExitConflict);
  EXPECT_THAT(std::string(outcome.status().message()), HasSubstr("amends me --email"));
}

TEST(MeView, ShowsEveryFieldAndMarksTheTeamsLanguage) {
  amends::v1::Me me;
  me.set_name("佐藤");
  me.set_team("営業一課");
  me.set_role("member");
  me.set_effective_language("ja");
  EXPECT_EQ(RenderMe(me),
            "name      佐藤\n"
            "team      営業一課\n"
            "role      member\n"
            "email     - (no mail is sent to you)\n"
            "language  ja (team's)\n");
  me.set_email("sato@example.co.jp");
  me.set_language("en");
  me.set_effective_language("en");
  EXPECT_THAT(RenderMe(me), HasSubstr("email     sato@example.co.jp\nlanguage  en\n"));
}

TEST(CheckLanguageArg, AcceptsJaEnOrNothingAndNamesTheOption) {
  EXPECT_TRUE(CheckLanguageArg("--lang", "ja").ok());
  EXPECT_TRUE(CheckLanguageArg("--lang", "en").ok());
  EXPECT_TRUE(CheckLanguageArg("--lang", "").ok());
  const absl::Status status = CheckLanguageArg("--lang", "日本語");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("--lang: unknown language '日本語'"));
}

TEST(Inbox, AFailedNotificationNamesItAndTheCommandThatSendsItAgain) {
  InboxItems items = SampleInbox();
  amends::v1::InboxItem* item = items.Add();
  item->set_reason(amends::v1::InboxItem::REASON_NOTIFICATION_FAILED);
  item->set_incident_id(12);
  item->set_notification_id(7);
  item->set_team_time_zone("Asia/Tokyo");
  item->set_client("ＡＢＣ商事");
  item->set_summary("15時の打ち合わせを失念");
  item->set_what("to 佐藤: 550 5.1.1 mailbox unavailable\r\n");
  const std::string rendered = RenderInbox(items, kNow);
  const std::vector<std::string> lines = absl::StrSplit(rendered, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 8u) << rendered;
  EXPECT_THAT(lines[5], StartsWith("-  "));
  EXPECT_EQ(ColumnOf(lines[5], "undelivered"), ColumnOf(lines[0], "WHY"));
  EXPECT_EQ(ColumnOf(lines[5], "notification 7 failed"), ColumnOf(lines[0], "WHAT"));
  EXPECT_EQ(ColumnOf(lines[5], "ＡＢＣ商事"), ColumnOf(lines[0], "CLIENT"));
  EXPECT_EQ(lines[6], "notification 7 failed: to 佐藤: 550 5.1.1 mailbox unavailable");
  EXPECT_EQ(lines[7], "  to send it again: amends notifications retry 7");
  EXPECT_EQ(InboxReasonName(amends::v1::InboxItem::REASON_NOTIFICATION_FAILED), "undelivered");
}

}  // namespace
}  // namespace amends::cli
