// Policy::Parse and ParseSpan: the shipped default policy, and every kind of mistake named by
// its line and field. Most broken policies are Valid() with one line edited; it has one
// severity a line so that a test knows where each part is.
#include "server/core/policy.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace amends {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Lines 1-4: LOW, MEDIUM, HIGH, CRITICAL; 5: calendar; 6: max_hold.
std::string Valid() {
  std::string text;
  for (absl::string_view severity : {"LOW", "MEDIUM", "HIGH", "CRITICAL"}) {
    absl::StrAppend(&text, "severity { severity: SEVERITY_", severity,
                    R"( first_apology_within: "1h" escalate_within: "2h" approve_within: "2h")",
                    R"( visit_within: "2d" plan_within: "3d" follow_up_after: ["5d", "20d"])",
                    R"( reminder { fraction_gone: 0.5 } reminder { before: "1h" })",
                    R"( chain { owner: true } chain { managers: true } })", "\n");
  }
  absl::StrAppend(&text, R"(calendar { hours { days: "mon-fri" open: "09:00" close: "18:00" } })",
                  "\n", R"(max_hold: "3d")", "\n");
  return text;
}

// Valid() with `from` replaced by `to` on line `line` (1-based) only.
std::string ValidWith(int line, absl::string_view from, absl::string_view to) {
  std::vector<std::string> lines = absl::StrSplit(Valid(), '\n');
  lines[line - 1] = absl::StrReplaceAll(lines[line - 1], {{from, to}});
  return absl::StrJoin(lines, "\n");
}

// Parse()'s error message for `text`, or "ok".
std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<Policy> policy = Policy::Parse(text, "policy.textproto");
  if (policy.ok()) return "ok";
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(policy.status().message());
}

std::string ShippedPolicy() {
  // The test runs from the build tree; the file lives beside the sources.
  std::string here = __FILE__;
  std::ifstream file(here.substr(0, here.rfind('/')) + "/../deploy/policy.textproto");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

constexpr Span Hours(int n) { return Span{.time = absl::Hours(n)}; }
constexpr Span Days(int n) { return Span{.days = n}; }

TEST(PolicyTest, ShippedDefaultParsesWithDocumentedValues) {
  std::string text = ShippedPolicy();
  ASSERT_FALSE(text.empty());
  absl::StatusOr<Policy> policy = Policy::Parse(text, "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();

  const SeverityRules& low = policy->For(v1::SEVERITY_LOW);
  EXPECT_FALSE(low.wall_clock);
  EXPECT_EQ(low.first_apology_within, Hours(4));
  EXPECT_EQ(low.escalate_within, Days(1));
  EXPECT_EQ(low.visit_within, Days(5));
  EXPECT_THAT(low.follow_up_after, ElementsAre(Days(5), Days(20), Days(60)));
  EXPECT_TRUE(low.raise_on_recurrence);
  ASSERT_EQ(low.reminders.size(), 2u);
  EXPECT_EQ(low.reminders[0].fraction_gone, 0.5);
  EXPECT_EQ(low.reminders[1].before, absl::Hours(1));
  ASSERT_EQ(low.chain.size(), 2u);
  EXPECT_EQ(low.chain[0].kind, ChainLevel::Kind::kOwner);
  EXPECT_EQ(low.chain[1].kind, ChainLevel::Kind::kManagers);

  const SeverityRules& medium = policy->For(v1::SEVERITY_MEDIUM);
  EXPECT_EQ(medium.escalate_within, Hours(4));
  EXPECT_EQ(medium.visit_within, Days(3));

  const SeverityRules& high = policy->For(v1::SEVERITY_HIGH);
  EXPECT_FALSE(high.wall_clock);
  EXPECT_EQ(high.approve_within, Hours(2));
  EXPECT_EQ(high.plan_within, Days(3));

  const SeverityRules& critical = policy->For(v1::SEVERITY_CRITICAL);
  EXPECT_TRUE(critical.wall_clock);
  EXPECT_EQ(critical.escalate_within, Hours(1));
  EXPECT_EQ(critical.visit_within, Days(1));
  EXPECT_EQ(critical.reminders[1].before, absl::Minutes(15));
  EXPECT_FALSE(critical.raise_on_recurrence);

  EXPECT_EQ(policy->max_hold(), absl::Hours(72));
  EXPECT_TRUE(policy->ChainTeams().empty());  // the third level is only an example
  ASSERT_EQ(policy->calendar().hours_size(), 1);
  EXPECT_EQ(policy->calendar().hours(0).days(), "mon-fri");
  EXPECT_THAT(policy->calendar().holidays(), testing::Contains("2026-05-06"));
}

TEST(PolicyTest, ShippedExampleErrorIsTrue) {
  // The file's header shows the error for a typo in MEDIUM's escalate_within.
  const std::string expected =
      "policy.textproto:70: severity[1].escalate_within: \"4x\" is not a duration like 30m, "
      "4h or 3d";
  std::string text = ShippedPolicy();
  EXPECT_THAT(text, HasSubstr(expected));
  EXPECT_EQ(ErrorOf(absl::StrReplaceAll(
                text, {{R"(escalate_within: "4h"  # half)", R"(escalate_within: "4x"  # half)"}})),
            expected);
}

TEST(PolicyTest, ShippedCalendarSkipsGoldenWeek) {
  absl::StatusOr<Policy> policy = Policy::Parse(ShippedPolicy(), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Make(tokyo, policy->calendar());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // Friday 1 May 2026, 17:00; 2-6 May are a weekend and four holidays.
  absl::Time friday = absl::FromCivil(absl::CivilMinute(2026, 5, 1, 17, 0), tokyo);
  EXPECT_EQ(calendar->Add(friday, policy->For(v1::SEVERITY_HIGH).escalate_within, false),
            absl::FromCivil(absl::CivilMinute(2026, 5, 7, 10, 0), tokyo));
}

TEST(PolicyTest, ValidPolicyParses) {
  absl::StatusOr<Policy> policy = Policy::Parse(Valid(), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->For(v1::SEVERITY_CRITICAL).plan_within, Days(3));
}

TEST(PolicyTest, SyntaxErrorNamesLineAndColumn) {
  EXPECT_THAT(ErrorOf("severity {\n  severity: SEVERITY_LOW\n  escalate_within \"4h\"\n}\n"),
              HasSubstr("policy.textproto:3:19: "));
}

TEST(PolicyTest, UnknownFieldIsASyntaxError) {
  // Protobuf's column is that of the token after the name (":").
  EXPECT_EQ(ErrorOf(ValidWith(2, "escalate_within", "escalate_withn")),
            "policy.textproto:2:79: Message type \"amends.v1.SeverityPolicy\" has no field "
            "named \"escalate_withn\".");
}

TEST(PolicyTest, BadDurationNamesLineAndField) {
  // MEDIUM's escalate_within on a line of its own (line 3): the error names that line.
  std::string text = ValidWith(2, R"( escalate_within: "2h")", "\n  escalate_within: \"4x\"\n");
  EXPECT_EQ(ErrorOf(text),
            "policy.textproto:3: severity[1].escalate_within: \"4x\" is not a "
            "duration like 30m, 4h or 3d");
}

TEST(PolicyTest, NonPositiveDurationNamesLineAndField) {
  EXPECT_EQ(ErrorOf(ValidWith(3, R"(visit_within: "2d")", R"(visit_within: "0d")")),
            "policy.textproto:3: severity[2].visit_within: \"0d\" must be positive");
  EXPECT_EQ(ErrorOf(ValidWith(4, R"(plan_within: "3d")", R"(plan_within: "-1h")")),
            "policy.textproto:4: severity[3].plan_within: \"-1h\" must be positive");
  EXPECT_EQ(ErrorOf(ValidWith(1, R"("20d")", R"("20d", "0m")")),
            "policy.textproto:1: severity[0].follow_up_after[2]: \"0m\" must be positive");
}

TEST(PolicyTest, ListElementNamesTheLineOfItsList) {
  // The parser records where a list starts, not each element: the error must not point at
  // the next follow_up_after line instead.
  std::string text = ValidWith(1, R"(follow_up_after: ["5d", "20d"])",
                               "follow_up_after: [\"5d\", \"0m\"]\nfollow_up_after: \"20d\"\n");
  EXPECT_EQ(ErrorOf(text),
            "policy.textproto:1: severity[0].follow_up_after[1]: \"0m\" must be positive");
  // Nested messages are recorded one by one, in a list too.
  text = ValidWith(2, R"(reminder { fraction_gone: 0.5 } reminder { before: "1h" })",
                   "reminder: [{ fraction_gone: 0.5 },\n{ before: \"1x\" }]");
  EXPECT_EQ(ErrorOf(text),
            "policy.textproto:3: severity[1].reminder[1].before: \"1x\" is not a "
            "duration like 30m, 4h or 3d");
}

TEST(PolicyTest, MissingDurationNamesTheSeverityLine) {
  EXPECT_EQ(ErrorOf(ValidWith(3, R"(approve_within: "2h")", "")),
            "policy.textproto:3: severity[2] (HIGH): approve_within: required");
  EXPECT_EQ(ErrorOf(ValidWith(3, R"(approve_within: "2h")", R"(approve_within: "")")),
            "policy.textproto:3: severity[2] (HIGH): approve_within: required");
}

TEST(PolicyTest, DuplicateSeverityNamesBothEntries) {
  EXPECT_EQ(ErrorOf(ValidWith(4, "SEVERITY_CRITICAL", "SEVERITY_HIGH")),
            "policy.textproto:4: severity[3].severity: HIGH is already defined by severity[2]");
}

TEST(PolicyTest, MissingSeverityIsNamed) {
  std::vector<std::string> lines = absl::StrSplit(Valid(), '\n');
  lines.erase(lines.begin() + 3);
  EXPECT_EQ(ErrorOf(absl::StrJoin(lines, "\n")), "policy.textproto: severity CRITICAL: missing");
}

TEST(PolicyTest, UnspecifiedSeverityIsRefused) {
  EXPECT_EQ(ErrorOf(ValidWith(2, "severity: SEVERITY_MEDIUM", "")),
            "policy.textproto:2: severity[1].severity: SEVERITY_UNSPECIFIED is not one of "
            "SEVERITY_LOW, SEVERITY_MEDIUM, SEVERITY_HIGH and SEVERITY_CRITICAL");
}

TEST(PolicyTest, ReminderNeedsExactlyOneLead) {
  EXPECT_EQ(
      ErrorOf(ValidWith(1, "{ fraction_gone: 0.5 }", R"({ fraction_gone: 0.5 before: "1h" })")),
      "policy.textproto:1: severity[0].reminder[0]: give exactly one of fraction_gone and "
      "before");
  EXPECT_EQ(ErrorOf(ValidWith(1, "{ fraction_gone: 0.5 }", "{ }")),
            "policy.textproto:1: severity[0].reminder[0]: give exactly one of fraction_gone and "
            "before");
  EXPECT_EQ(ErrorOf(ValidWith(2, "fraction_gone: 0.5", "fraction_gone: 1.5")),
            "policy.textproto:2: severity[1].reminder[0].fraction_gone: 1.5 is not between 0 and "
            "1 (0.5 is half-way)");
  EXPECT_EQ(ErrorOf(ValidWith(2, R"(before: "1h")", R"(before: "1d")")),
            "policy.textproto:2: severity[1].reminder[1].before: \"1d\" must be a time like 30m "
            "or 4h, not days");
}

TEST(PolicyTest, ChainMustStartWithOwner) {
  EXPECT_EQ(ErrorOf(ValidWith(3, "chain { owner: true } ", "")),
            "policy.textproto:3: severity[2].chain[0]: the first level must be owner: true");
  EXPECT_EQ(ErrorOf(ValidWith(3, "chain { owner: true } chain { managers: true } ", "")),
            "policy.textproto:3: severity[2] (HIGH): chain: required, starting with owner: true");
}

TEST(PolicyTest, ChainLevelNeedsExactlyOneTarget) {
  EXPECT_EQ(ErrorOf(ValidWith(2, "{ managers: true }", R"({ managers: true team: "heads" })")),
            "policy.textproto:2: severity[1].chain[1]: give exactly one of owner: true, "
            "managers: true and team: \"NAME\"");
  EXPECT_EQ(ErrorOf(ValidWith(2, "{ managers: true }", R"({ team: " " })")),
            "policy.textproto:2: severity[1].chain[1].team: must name a team");
  EXPECT_EQ(ErrorOf(ValidWith(2, "{ managers: true }", R"({ team: "" })")),
            "policy.textproto:2: severity[1].chain[1].team: must name a team");
}

TEST(PolicyTest, ChainTeamsAreDistinct) {
  std::vector<std::string> lines = absl::StrSplit(Valid(), '\n');
  for (int i = 0; i < 4; ++i) {
    absl::StrReplaceAll({{"chain { managers: true }",
                          i == 3 ? R"(chain { managers: true } chain { team: "legal" })"
                                 : R"(chain { managers: true } chain { team: "heads" })"}},
                        &lines[i]);
  }
  absl::StatusOr<Policy> policy = Policy::Parse(absl::StrJoin(lines, "\n"), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_THAT(policy->ChainTeams(), ElementsAre("heads", "legal"));
  const std::vector<ChainLevel>& chain = policy->For(v1::SEVERITY_CRITICAL).chain;
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[2].kind, ChainLevel::Kind::kTeam);
  EXPECT_EQ(chain[2].team, "legal");
}

// Approval is asked of the team's own managers first, so the chain says so at level 1.
TEST(PolicyTest, SecondChainLevelMustBeTheManagers) {
  std::vector<std::string> lines = absl::StrSplit(Valid(), '\n');
  absl::StrReplaceAll({{"chain { managers: true }", R"(chain { team: "heads" })"}}, &lines[0]);
  EXPECT_THAT(ErrorOf(absl::StrJoin(lines, "\n")),
              HasSubstr("severity[0].chain[1]: the second level must be managers: true"));
}

// The calendar's own messages come from BusinessCalendar; Parse() adds the line.
TEST(PolicyTest, BadCalendarNamesLineAndField) {
  EXPECT_THAT(
      ErrorOf(ValidWith(5, "} }", "}\nholidays: \"2026-01-01\"\nholidays: \"2026-13-01\" }")),
      StartsWith("policy.textproto:7: calendar.holidays[1]: "));
  EXPECT_THAT(ErrorOf(ValidWith(5, R"( close: "18:00")", "\n close: \"8:00\"")),
              StartsWith("policy.textproto:6: calendar.hours[0].close: "));
}

TEST(PolicyTest, CalendarWithoutHoursIsRefused) {
  EXPECT_THAT(
      ErrorOf(ValidWith(5, R"(hours { days: "mon-fri" open: "09:00" close: "18:00" })", "")),
      StartsWith("policy.textproto:5: calendar.hours: "));
}

TEST(PolicyTest, MaxHoldIsRequiredAndCountsWallTime) {
  EXPECT_EQ(ErrorOf(ValidWith(6, R"(max_hold: "3d")", "")), "policy.textproto: max_hold: required");
  EXPECT_EQ(ErrorOf(ValidWith(6, R"("3d")", R"("3 days")")),
            "policy.textproto:6: max_hold: \"3 days\" is not a duration like 30m, 4h or 3d");
  absl::StatusOr<Policy> policy =
      Policy::Parse(ValidWith(6, R"("3d")", R"("2d")"), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->max_hold(), absl::Hours(48));
  policy = Policy::Parse(ValidWith(6, R"("3d")", R"("1h30m")"), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->max_hold(), absl::Minutes(90));
}

TEST(ParseSpanTest, AcceptsTimesAndWholeDays) {
  EXPECT_EQ(ParseSpan("f", "30m").value(), Span{.time = absl::Minutes(30)});
  EXPECT_EQ(ParseSpan("f", "4h").value(), Hours(4));
  EXPECT_EQ(ParseSpan("f", "1h30m").value(), Span{.time = absl::Minutes(90)});
  EXPECT_EQ(ParseSpan("f", "3d").value(), Days(3));
  EXPECT_EQ(ParseSpan("f", "20d").value(), Days(20));
}

TEST(ParseSpanTest, RefusesWhatIsNotADuration) {
  EXPECT_EQ(
      ParseSpan("escalate_within", "4x").status(),
      absl::InvalidArgumentError("escalate_within: \"4x\" is not a duration like 30m, 4h or 3d"));
  for (absl::string_view text :
       {"", "d", "1d4h", "4h1d", "1.5d", " 3d", "3 d", "4", "inf", "99999999999d"}) {
    EXPECT_THAT(ParseSpan("f", text).status().message(), HasSubstr("is not a duration")) << text;
  }
}

TEST(ParseSpanTest, RefusesZeroAndNegative) {
  EXPECT_EQ(ParseSpan("max_hold", "0d").status(),
            absl::InvalidArgumentError("max_hold: \"0d\" must be positive"));
  for (absl::string_view text : {"0", "0m", "-1h", "-3d"}) {
    EXPECT_THAT(ParseSpan("f", text).status().message(), HasSubstr("must be positive")) << text;
  }
}

TEST(ParseSpanTest, RefusesMoreThanAYear) {
  EXPECT_EQ(ParseSpan("f", "366d").value(), Days(366));
  EXPECT_EQ(ParseSpan("f", "8784h").value(), Hours(8784));
  for (absl::string_view text : {"367d", "8785h", "2000000000d", "100000000h"}) {
    EXPECT_THAT(ParseSpan("escalate_within", text).status().message(),
                HasSubstr("is more than a year")) << text;
  }
}

// Per-kind playbooks (KindPolicy): the defaults, and what a policy may change.
TEST(PolicyTest, KindsKeepTheirPlaybooksDefaultsUnlessThePolicyAdjustsThem) {
  absl::StatusOr<Policy> policy = Policy::Parse(Valid(), "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->ForKind(v1::KIND_COMPLAINT).first_apology_due);
  EXPECT_FALSE(policy->ForKind(v1::KIND_HARASSMENT).first_apology_due);
  EXPECT_FALSE(policy->ForKind(v1::KIND_CONDUCT).first_apology_due);
  EXPECT_FALSE(policy->ForKind(v1::KIND_HAND_OVER).first_apology_due);
  EXPECT_EQ(policy->ForKind(v1::KIND_HAND_OVER).follow_ups, 1);
  EXPECT_EQ(policy->ForKind(v1::KIND_COMPLAINT).follow_ups, -1);
  // Harassment: the managers, and the chain's top level (here the managers too: told once).
  ASSERT_EQ(policy->TellOnReport(v1::KIND_HARASSMENT, v1::SEVERITY_LOW).size(), 1u);
  EXPECT_TRUE(policy->TellOnReport(v1::KIND_COMPLAINT, v1::SEVERITY_CRITICAL).empty());

  policy = Policy::Parse(
      Valid() + R"(kind { kind: KIND_HARASSMENT tell_on_report { managers: true } )"
                R"(tell_on_report { team: "compliance" } })" "\n"
                R"(kind { kind: KIND_CONDUCT first_apology_due: true follow_ups: 0 })",
      "policy.textproto");
  ASSERT_TRUE(policy.ok()) << policy.status();
  const std::vector<ChainLevel> told = policy->TellOnReport(v1::KIND_HARASSMENT, v1::SEVERITY_HIGH);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].kind, ChainLevel::Kind::kManagers);
  EXPECT_EQ(told[1].team, "compliance");
  EXPECT_THAT(policy->ChainTeams(), ElementsAre("compliance"));
  EXPECT_TRUE(policy->ForKind(v1::KIND_CONDUCT).first_apology_due);
  EXPECT_EQ(policy->ForKind(v1::KIND_CONDUCT).follow_ups, 0);
}

TEST(PolicyTest, KindPolicyMistakesNameLineAndField) {
  EXPECT_EQ(ErrorOf(Valid() + "kind { follow_ups: 1 }"),
            "policy.textproto:7: kind[0].kind: required, e.g. KIND_HARASSMENT");
  EXPECT_EQ(ErrorOf(Valid() + "kind { kind: KIND_CONDUCT }\nkind { kind: KIND_CONDUCT }"),
            "policy.textproto:8: kind[1].kind: KIND_CONDUCT is already adjusted by kind[0]");
  EXPECT_EQ(ErrorOf(Valid() + "kind { kind: KIND_HAND_OVER follow_ups: -1 }"),
            "policy.textproto:7: kind[0].follow_ups: -1 is not between 0 and 20");
  EXPECT_THAT(ErrorOf(Valid() + "kind { kind: KIND_HARASSMENT tell_on_report { owner: true } }"),
              StartsWith("policy.textproto:7: kind[0].tell_on_report[0]: owner: true is not "
                         "told of a report"));
}

}  // namespace
}  // namespace amends
