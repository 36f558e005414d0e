// The CLI's pure formatting and parsing: display width and truncation of Japanese text,
// aligned tables, relative times, time arguments, enum spellings and exit codes.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "client/display.h"
#include "client/enum_names.h"
#include "client/exit_code.h"
#include "client/incident_view.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace amends::cli {
namespace {

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
  EXPECT_EQ(cut, "株式会社…");  // a fifth wide character plus "…" would need 11 columns
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
  EXPECT_EQ(TruncateToWidth("aか\u3099bcd", 3), "a…");
  EXPECT_EQ(TruncateToWidth("aか\u3099bcd", 4), "aか\u3099…");
}

TEST(Truncate, AsciiKeepsAsMuchAsFits) { EXPECT_EQ(TruncateToWidth("abcdefgh", 5), "abcd…"); }

TEST(OneLine, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(OneLine("一行目\n二行目\tend"), "一行目 二行目 end");
}

TEST(CheckUtf8, InvalidBytesAreRejectedNamingTheOption) {
  const absl::Status status = CheckUtf8("--summary", "ab\xff");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("--summary: not valid UTF-8"));
  EXPECT_FALSE(CheckUtf8("TEXT", "\xe5\x96").ok());  // truncated sequence
  EXPECT_TRUE(CheckUtf8("TEXT", "謝罪済み").ok());
}

// The display column at which `cell` starts in `line`.
int ColumnOf(const std::string& line, const std::string& cell) {
  const size_t at = line.find(cell);
  EXPECT_NE(at, std::string::npos) << cell << " not in: " << line;
  return DisplayWidth(line.substr(0, at));
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
  EXPECT_THAT(rendered, HasSubstr("株式会社…"));
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
  EXPECT_THAT(rendered, HasSubstr(long_note));  // whole, no "…"
  EXPECT_THAT(lines[3], StartsWith("suzuk…"));   // earlier columns are still cut
  const int text_column = ColumnOf(lines[0], "TEXT");
  EXPECT_EQ(ColumnOf(lines[1], long_note), text_column);
  EXPECT_EQ(ColumnOf(lines[2], "短いメモ"), text_column);
  EXPECT_EQ(ColumnOf(lines[3], "late"), text_column);
  EXPECT_THAT(rendered, Not(HasSubstr(" \n")));
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

TEST(FormatTime, ShowsTheTeamZoneWithAHint) {
  const absl::TimeZone tokyo = *LoadTeamZone("Asia/Tokyo");
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 11, 27, 1, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatTime(t, tokyo, t - absl::Hours(3)), "2026-11-27 10:00 (in 3h)");
}

TEST(ParseTimeArg, LocalTimeIsReadInTheTeamZone) {
  const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", "2026-11-27 10:00", "Asia/Tokyo");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_full, *t, absl::UTCTimeZone()),
            "2026-11-27T01:00:00+00:00");
}

TEST(ParseTimeArg, Rfc3339NeedsNoZone) {
  for (const char* text : {"2026-11-27T10:00:00+09:00", "2026-11-27T01:00:00Z"}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", text, "Asia/Tokyo");
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(absl::ToUnixSeconds(*t), absl::ToUnixSeconds(absl::FromCivil(
                                            absl::CivilMinute(2026, 11, 27, 1, 0),
                                            absl::UTCTimeZone())));
  }
  EXPECT_TRUE(ParseTimeArg("--at", "2026-11-27T01:00:00Z", "No/Such_Zone").ok());
}

TEST(ParseTimeArg, InvalidTimesAreRejectedNamingTheOption) {
  for (const char* text : {"tomorrow", "2026-11-27", "2026-13-01 10:00", "27.11.2026 10:00", ""}) {
    const absl::StatusOr<absl::Time> t = ParseTimeArg("--due", text, "Asia/Tokyo");
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(t.status().message()), StartsWith("--due: ")) << text;
  }
}

TEST(ParseTimeArg, LocalTimeInAZoneUnknownHereIsALocalFailureNotAConflict) {
  const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", "2026-11-27 10:00", "No/Such_Zone");
  EXPECT_EQ(ExitCodeFor(t.status().code()), kExitFailure);  // 1, not 5 (conflict) or 2 (usage)
  const std::string message(t.status().message());
  EXPECT_THAT(message, StartsWith("--at: "));
  EXPECT_THAT(message, HasSubstr("time zone database on this machine lacks"));
  EXPECT_THAT(message, HasSubstr("'No/Such_Zone'"));
  EXPECT_THAT(message, HasSubstr("RFC 3339 times still work"));
  EXPECT_EQ(ExitCodeFor(ParseTimeArg("--at", "2026-11-27 10:00", "").status().code()),
            kExitFailure);
}

TEST(ParseTimeArg, AMalformedTimeIsAUsageErrorEvenWhenTheZoneIsUnknown) {
  const absl::StatusOr<absl::Time> t = ParseTimeArg("--at", "tomorrow", "No/Such_Zone");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
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
                               "     owner tanaka, due 2026-12-04 18:00 ("));
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
  EXPECT_THAT(rendered, Not(HasSubstr("…")));
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

}  // namespace
}  // namespace amends::cli
