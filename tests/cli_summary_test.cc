// `amends summary` end to end through the real `amends`: the manager's view of 営業一課 at a
// glance, with incidents in several stages and severities, Japanese text, a recurrence and a
// conduct case, against the real amendsd as a child process (CliSummaryTest). Overdue
// deadlines and breaches need time to pass: DOMAIN.md case 2 runs against amendsd's code in
// process with a fake clock, moved over a weekend (ClockedSummaryTest).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/utf8_text.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"
#include "tests/clocked_cli_fixture.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

// The lines of `text` from the one equal to `first` up to the first empty line, each with its
// newline.
std::string Section(const std::string& text, absl::string_view first) {
  std::string out;
  bool in = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line == first) in = true;
    if (!in) continue;
    if (line.empty()) break;
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

// The lines of `text` that contain `needle`.
std::vector<std::string> Lines(const std::string& text, absl::string_view needle) {
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) out.emplace_back(line);
  }
  return out;
}

// The display column at which `text` starts in `line`.
int ColumnOf(const std::string& line, absl::string_view text) {
  const size_t at = line.find(std::string(text));
  EXPECT_NE(at, std::string::npos) << text << " not in " << line;
  return cli::DisplayWidth(absl::string_view(line).substr(0, at));
}

class CliSummaryTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Admin({"team", "add", "営業二課", "--tz", "Asia/Tokyo"}).exit_code, 0);
    AddMember("yamada");
    AddMember("suzuki", "manager");
    AddMember("crm-sync", "observer");
    AddMember("kato", "manager", "営業二課");
  }

  RunResult Report(const std::string& user, const std::string& client, const std::string& kind,
                   const std::string& severity, const std::string& summary,
                   std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"report", "--team", "営業一課", "--client", client,
                                     "--kind", kind, "--severity", severity, "--summary",
                                     summary};
    args.insert(args.end(), more.begin(), more.end());
    return Amends(user, args);
  }


  // 営業一課 this week: six incidents in four stages, one of them a recurrence of a client
  // whose prevention plan did not hold, and a conduct case about suzuki that tanaka recorded.
  void PopulateTheTeam() {
    Report("sato", "ＡＢＣ商事", "missed-appointment", "high",
           "15時のサンプル受け渡しの打ち合わせを失念");                            // #1 reported
    Report("yamada", "ミドリ精機株式会社", "late-deliverable", "medium",
           "会議前に必要な報告書を未提出、先方から強い抗議");                      // #2
    Amends("yamada", {"escalate", "2", "--reason", "先方部長が立腹"});               // escalated
    Report("sato", "XYZ Trading", "delivery-delay", "critical", "納品が2日遅延");   // #3
    Amends("sato", {"escalate", "3", "--reason", "生産計画に影響"});
    Amends("tanaka", {"approve", "3", "--note", "明日同行します"});                // visit
    // 東京物流: the plan was presented, the case closed; the next one is a recurrence.
    Report("sato", "東京物流", "complaint", "low", "請求金額の誤り");              // #4
    Amends("sato", {"escalate", "4", "--reason", "再発防止策の説明が必要"});
    Amends("tanaka", {"approve", "4"});
    const std::string earlier = absl::FormatTime(
        "%Y-%m-%d %H:%M", absl::Now() - absl::Hours(1), absl::FixedTimeZone(9 * 3600));
    Amends("sato", {"visit", "done", "4", "--held-at", earlier, "--attendee", "tanaka",
                    "--outcome", "経理部長に謝罪"});
    Amends("sato", {"measure", "add", "4", "--text", "請求書を二人で確認", "--owner", "sato",
                    "--due", InDays(7)});
    Amends("sato", {"cause", "4", "--what", "請求書を一人で作成していた", "--why-missed",
                    "送付前の確認の仕組みがなかった", "--category", "quality"});
    Amends("sato", {"plan", "present", "4"});
    Amends("tanaka", {"close", "4", "--reason", "先方了承"});                        // closed
    RunResult r = Report("sato", "東京物流", "complaint", "low", "納品書の記載誤り");  // #5
    ASSERT_TRUE(absl::StrContains(r.out, "recurrence: 東京物流")) << r.out;
    Report("tanaka", "ＡＢＣ商事", "conduct", "high", "担当者と先方との利益相反の懸念",
           {"--subject", "suzuki"});                                                 // #6
  }
};

TEST_F(CliSummaryTest, ManagerSeesTheTeamsOpenIncidentsApprovalsAndRecurrencesAtAGlance) {
  PopulateTheTeam();
  const RunResult r = Amends("tanaka", {"summary"});  // the default team: tanaka's own
  EXPECT_TRUE(absl::StartsWith(r.out, "Team 営業一課 (Asia/Tokyo), ")) << r.out;
  // #5 is a recurrence: its LOW is raised to MEDIUM.
  EXPECT_EQ(Section(r.out, "Open incidents"),
            "Open incidents\n"
            "STAGE            LOW  MEDIUM  HIGH  CRITICAL  TOTAL\n"
            "reported           -       1     1         -      2\n"
            "escalated          -       1     1         -      2\n"
            "apology-visit      -       -     -         1      1\n"
            "prevention-plan    -       -     -         -      -\n"
            "follow-up          -       -     -         -      -\n"
            "total              -       2     2         1      5\n")
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\nOverdue deadlines: none\n")) << r.out;
  const std::vector<std::string> approvals =
      absl::StrSplit(Section(r.out, "Approvals waiting: 2"), '\n', absl::SkipEmpty());
  ASSERT_EQ(approvals.size(), 4u) << r.out;
  const std::string& header = approvals[1];
  EXPECT_TRUE(absl::StartsWith(header, "DUE ")) << r.out;
  // #2, and the conduct case about suzuki, which tanaka may read; the columns line up by
  // display width whatever the text.
  for (const auto& [client, summary] :
       {std::pair{"ミドリ精機株式会社", "会議前に必要な報告書を未提出、先方から強い抗議"},
        std::pair{"ＡＢＣ商事", "担当者と先方との利益相反の懸念"}}) {
    const std::vector<std::string> row = Lines(r.out, summary);
    ASSERT_EQ(row.size(), 1u) << r.out;
    EXPECT_EQ(ColumnOf(row[0], client), ColumnOf(header, "CLIENT")) << r.out;
    EXPECT_EQ(ColumnOf(row[0], summary), ColumnOf(header, "SUMMARY")) << r.out;
  }
  EXPECT_TRUE(absl::StrContains(r.out,
                                "  deadlines breached    -\n"
                                "  escalated by amends   -\n"
                                "  recurrences reported  1\n"
                                "Open recurrences: 1\n"))
      << r.out;
  // "Last 7 days, since 2026-11-30 (Mon) 11:30": the date with its weekday.
  const size_t since = r.out.find("Last 7 days, since ");
  ASSERT_NE(since, std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(since + 29, 2), " (") << r.out;
  // Nothing of another width than its own: no ellipsis, dash or arrow.
  for (const char* ambiguous : {"…", "—", "→"}) {
    EXPECT_FALSE(absl::StrContains(r.out, ambiguous)) << r.out;
  }
}

TEST_F(CliSummaryTest, ConductCaseIsNotCountedForTheManagerItIsAbout) {
  PopulateTheTeam();
  const RunResult r = Amends("suzuki", {"summary", "--team", "営業一課"});
  EXPECT_EQ(Section(r.out, "Open incidents"),
            "Open incidents\n"
            "STAGE            LOW  MEDIUM  HIGH  CRITICAL  TOTAL\n"
            "reported           -       1     1         -      2\n"
            "escalated          -       1     -         -      1\n"
            "apology-visit      -       -     -         1      1\n"
            "prevention-plan    -       -     -         -      -\n"
            "follow-up          -       -     -         -      -\n"
            "total              -       2     1         1      4\n")
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\nApprovals waiting: 1\n")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "利益相反")) << r.out;
  const RunResult json = Amends("suzuki", {"summary", "--output", "json"});
  EXPECT_TRUE(absl::StrContains(json.out, "\"approvalsWaiting\":1")) << json.out;
  EXPECT_FALSE(absl::StrContains(json.out, "利益相反")) << json.out;
}

TEST_F(CliSummaryTest, SummaryAsJsonIsTheTeamSummaryMessage) {
  PopulateTheTeam();
  const RunResult r = Amends("tanaka", {"summary", "--output", "json"});
  ASSERT_EQ(Lines(r.out, "{").size(), 1u) << r.out;  // one object, one line
  for (const char* field :
       {"\"team\":\"営業一課\"", "\"teamTimeZone\":\"Asia/Tokyo\"", "\"approvalsWaiting\":2",
        "\"recurrencesReported\":1", "\"openRecurrences\":1", "\"state\":\"STATE_ESCALATED\"",
        "\"asOf\":", "\"since\":"}) {
    EXPECT_TRUE(absl::StrContains(r.out, field)) << field << "\n" << r.out;
  }
}

TEST_F(CliSummaryTest, MemberIsRefusedAndAnObserverMaySeeIt) {
  PopulateTheTeam();
  RunResult r = Amends("sato", {"summary"}, 4);
  EXPECT_EQ(r.err, "amends: summary needs role manager or observer; you are member\n");
  EXPECT_EQ(r.out, "");
  // The observer counts what it may read: not the confidential conduct case.
  r = Amends("crm-sync", {"summary"});
  EXPECT_TRUE(absl::StrContains(r.out, "\ntotal              -       2     1         1      4\n"))
      << r.out;
}

TEST_F(CliSummaryTest, ManagerSeesTheirOwnTeamByDefaultAndNoOtherTeam) {
  PopulateTheTeam();
  RunResult r = Amends("kato", {"summary"});
  EXPECT_TRUE(absl::StartsWith(r.out, "Team 営業二課 (Asia/Tokyo), ")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\n\nOpen incidents: none\n\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\nApprovals waiting: none\n")) << r.out;
  r = Amends("kato", {"summary", "--team", "営業一課"}, 4);
  EXPECT_EQ(r.err, "amends: --team: you may see the summary of your own team only (営業二課)\n");
}

// DOMAIN.md case 2 through the real `amends` against amendsd's code in process, whose clock
// the test moves: on Friday evening yamada answers a sharp complaint with a mail and tells
// nobody; by Monday noon amends has escalated it itself, and the summary says so.
class ClockedSummaryTest : public ClockedCliTest {};

TEST_F(ClockedSummaryTest, BreachesAutomaticEscalationAndOverdueDeadlinesShowByMondayNoon) {
  At(27, 17, 30);  // Friday 17:30
  Amends("yamada", {"report", "--team", "tokyo-sales", "--client", "ミドリ精機株式会社", "--kind",
                    "late-deliverable", "--severity", "high", "--summary",
                    "会議前に必要な報告書を未提出、先方から強い抗議"});
  // Monday: nobody apologised, nobody escalated. At 10:31 amends escalates it itself.
  At(30, 10, 31);
  At(30, 12, 0);
  RunResult r = Amends("tanaka", {"summary"});
  EXPECT_TRUE(absl::StartsWith(r.out, "Team tokyo-sales (Asia/Tokyo), 2026-11-30 (Mon) 12:00\n"))
      << r.out;
  EXPECT_EQ(Section(r.out, "Overdue deadlines"),
            "Overdue deadlines\n"
            "WHO     DEADLINES  OLDEST DUE\n"
            "yamada          1  2026-11-30 (Mon) 09:30 (overdue by 3h)\n")
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\nApprovals waiting: 1\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out,
                                "Last 7 days, since 2026-11-23 (Mon) 12:00\n"
                                "  deadlines breached    2\n"
                                "  escalated by amends   1\n"
                                "  recurrences reported  -\n"))
      << r.out;

  At(30, 13, 0);  // the approval's two working hours are gone too
  r = Amends("tanaka", {"summary"});
  EXPECT_EQ(Section(r.out, "Overdue deadlines"),
            "Overdue deadlines\n"
            "WHO                      DEADLINES  OLDEST DUE\n"
            "yamada                           1  2026-11-30 (Mon) 09:30 (overdue by 4h)\n"
            "managers of tokyo-sales          1  2026-11-30 (Mon) 12:31 (overdue by 29m)\n")
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "  deadlines breached    3\n")) << r.out;
}

}  // namespace
}  // namespace amends
