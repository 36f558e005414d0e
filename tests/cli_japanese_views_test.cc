// The CLI's views in Japanese (issue 20), through the real binary: `inbox`, `summary`, every
// section of `show`, `timeline` and `client NAME` in the team's own words, each table's cells
// under their headers as the terminal shows wide characters, and no message left in English.
//
// The case is DOMAIN.md case 1: sato forgot a 15:00 meeting with ＡＢＣ商事 to hand over
// samples; the director is angry. sato apologises by phone and escalates, tanaka (manager)
// approves and goes along to apologise, the team records the cause, offers a discount and
// puts prevention measures in place. yamada is a member of the team.
#include <algorithm>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "client/utf8_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"
#include "tests/cli_output.h"
#include "tests/clocked_cli_fixture.h"

namespace amends {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;
using cli::ColumnOf;
using cli::Lines;
using cli::DisplayWidth;
using cli::Section;

constexpr char kClient[] = "ＡＢＣ商事";
constexpr char kSummary[] = "15時のサンプル受け渡しの打ち合わせを失念";

// One cell of a table line as the terminal shows it: cells are separated by two spaces or
// more, and start and end are display columns.
struct Cell {
  int start;
  int end;
  std::string text;
};

std::vector<Cell> Cells(const std::string& line) {
  std::vector<Cell> cells;
  size_t at = 0;
  while ((at = line.find_first_not_of(' ', at)) != std::string::npos) {
    size_t end = line.find("  ", at);
    if (end == std::string::npos) end = line.size();
    cells.push_back({DisplayWidth(line.substr(0, at)), DisplayWidth(line.substr(0, end)),
                     line.substr(at, end - at)});
    at = end;
  }
  return cells;
}

std::vector<std::string> Texts(const std::vector<Cell>& cells) {
  std::vector<std::string> texts;
  for (const Cell& c : cells) texts.push_back(c.text);
  return texts;
}

std::vector<int> Starts(const std::vector<Cell>& cells) {
  std::vector<int> starts;
  for (const Cell& c : cells) starts.push_back(c.start);
  return starts;
}

// The display column where `cell` ends in `line`: right-aligned cells end where their
// header does.
int EndColumnOf(const std::string& line, const std::string& cell) {
  return ColumnOf(line, cell) + DisplayWidth(cell);
}

// The display column of the first date in `line` ("2026/12/08(火) 10:00").
int DateColumnOf(const std::string& line) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(line, m, std::regex("[0-9]{4}/[0-9]{2}/[0-9]{2}\\(")))
      << "no date in: " << line;
  return m.empty() ? -1 : DisplayWidth(line.substr(0, m.position(0)));
}

// The one line of `lines` that contains `needle`.
std::string LineWith(const std::vector<std::string>& lines, const std::string& needle) {
  std::vector<std::string> found;
  for (const std::string& line : lines) {
    if (absl::StrContains(line, needle)) found.push_back(line);
  }
  EXPECT_THAT(found, SizeIs(1)) << needle << " in:\n" << absl::StrJoin(lines, "\n");
  return found.empty() ? "" : found[0];
}

class CliJapaneseViewsTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    AddMember("yamada");
  }

  // `amends --lang ja ARGS` as `user`: what it printed.
  std::string Ja(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), {"--lang", "ja"});
    return Amends(user, std::move(args)).out;
  }

  // The client called just before 17:00: sato reports, apologises by phone at once, asks what
  // the director expects and escalates to tanaka.
  void ReportAndEscalate() {
    Amends("sato", {"report", "--client", kClient, "--contact", "総務部 山田様", "--kind",
                    "missed-appointment", "--severity", "high", "--summary", kSummary,
                    "--details", "17時前に先方から電話。部長が立腹、「誠意を見せてほしい」とのこと"});
    Amends("sato", {"apologize", "1", "--channel", "call", "--note", "当日中に電話でお詫び"});
    Amends("sato", {"expect", "1", "--text", "再発防止の仕組みを書面で示してほしい"});
    Amends("sato", {"escalate", "1", "--reason", "先方部長が立腹。上長同行での訪問が必要"});
  }

  void Approve() { Amends("tanaka", {"approve", "1", "--note", "明日同行してお詫びする"}); }

  void ScheduleTheVisit() {
    Amends("tanaka", {"visit", "schedule", "1", "--at", "tomorrow 14:00", "--attendee", "sato",
                      "--attendee", "tanaka"});
  }

  // After the visit was scheduled, up to the prevention plan: sato promises a call-back,
  // offers a discount (tanaka approves) and a refund (an admin's to decide), reports to the
  // client by mail; tanaka apologises in person, the cause and two measures are recorded, one
  // done and verified, and the case waits on the client.
  void UpToThePreventionPlan() {
    Amends("sato", {"promise", "1", "--by", "tomorrow 10:00", "--text",
                    "明日10時までに折り返し電話する"});
    Amends("sato", {"offer", "1", "--kind", "discount", "--amount", "50000", "--text",
                    "次回ご注文分から5万円お値引き"});
    Amends("tanaka", {"offer", "approve", "1", "1", "--note", "課長決裁の範囲内"});
    Amends("sato", {"offer", "1", "--kind", "refund", "--amount", "1,500,000", "--text",
                    "全額返金"});
    Amends("sato", {"update", "1", "--channel", "mail", "--note",
                    "サンプルは本日中に再送すると報告"});
    Amends("sato", {"note", "1", "先方部長は明日午後なら時間が取れるとのこと"});
    Amends("tanaka", {"apologize", "1", "--as-manager", "--channel", "visit", "--note",
                      "部長に直接お詫び"});
    Amends("sato", {"visit", "done", "1", "--outcome", "田中課長と訪問し部長に直接お詫び"});
    Amends("sato", {"cause", "1", "--what", "15時のアポイントを個人の手帳にだけ記入していた",
                    "--why-missed", "予定をチームで共有しておらず、誰も気づける仕組みがなかった",
                    "--category", "schedule"});
    Amends("tanaka", {"measure", "add", "1", "--text", "共有スケジュールで全アポイントを管理",
                      "--owner", "sato", "--due", "+3d 18:00"});
    Amends("tanaka", {"measure", "add", "1", "--text", "前日にアポイントをダブルチェック",
                      "--owner", "yamada", "--due", "+3d 18:00"});
    Amends("sato", {"measure", "done", "1", "1"});
    Amends("tanaka", {"measure", "verify", "1", "1", "--note", "今週の全アポイントの登録を確認"});
    Amends("sato", {"hold", "1", "--reason", "先方の社内確認待ち", "--until", "+2d 18:00"});
  }

  void WalkToThePreventionPlan() {
    ReportAndEscalate();
    Approve();
    ScheduleTheVisit();
    UpToThePreventionPlan();
  }
};

// What each must do, why and for which client, each cell under its header.
TEST_F(CliJapaneseViewsTest, TheInboxSpeaksJapaneseWithItsColumnsUnderTheirHeaders) {
  ReportAndEscalate();
  Amends("sato", {"promise", "1", "--by", "tomorrow 10:00", "--text", "明日10時に折り返す"});
  std::vector<std::string> lines = Lines(Ja("sato", {"inbox"}));
  ASSERT_THAT(lines, SizeIs(::testing::Gt(1u)));
  EXPECT_THAT(Texts(Cells(lines[0])), ElementsAre("期限", "番号", "用件", "内容", "顧客", "概要"));
  const std::string promise = LineWith(lines, "お約束 1: 明日10時に折り返す");
  EXPECT_THAT(Starts(Cells(promise)), Starts(Cells(lines[0])));
  EXPECT_THAT(Texts(Cells(promise)), ElementsAre(_, "1", "要対応",
                                                 "お約束 1: 明日10時に折り返す", kClient,
                                                 kSummary));
  EXPECT_EQ(DateColumnOf(promise), 0);

  // The escalation waits for tanaka's approval.
  lines = Lines(Ja("tanaka", {"inbox"}));
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_THAT(Texts(Cells(lines[1])), ElementsAre(_, "1", "承認",
                                                  "上長報告の承認または差し戻し", kClient,
                                                  kSummary));
  EXPECT_THAT(Starts(Cells(lines[1])), Starts(Cells(lines[0])));

  EXPECT_EQ(Ja("yamada", {"inbox"}), "現在対応が必要なものはありません。\n");
  // English stays as it was.
  EXPECT_THAT(Amends("tanaka", {"inbox"}).out,
              AllOf(StartsWith("DUE "), HasSubstr("  approve  approve or decline the")));
}

// Open incidents by stage and severity (counts right-aligned under their headers), approvals
// waiting and the last 7 days, in Japanese.
TEST_F(CliJapaneseViewsTest, TheSummarySpeaksJapaneseWithItsCountsUnderTheirHeaders) {
  ReportAndEscalate();
  Amends("sato", {"report", "--client", "株式会社山田製作所", "--kind", "late-deliverable",
                  "--severity", "medium", "--summary", "報告書の提出が会議に間に合わず"});
  const std::string summary = Ja("tanaka", {"summary"});
  EXPECT_THAT(summary, StartsWith("チーム 営業一課（Asia/Tokyo）、"));
  EXPECT_THAT(Lines(summary)[0], EndsWith(" 時点"));

  const std::vector<std::string> open = Section(summary, "対応中の案件");
  ASSERT_THAT(open, SizeIs(7));
  const std::vector<Cell> header = Cells(open[0]);
  EXPECT_THAT(Texts(header), ElementsAre("段階", "低", "中", "高", "重大", "合計"));
  for (const std::string& line : open) {
    const std::vector<Cell> row = Cells(line);
    ASSERT_THAT(row, SizeIs(6)) << line;
    EXPECT_EQ(row[0].start, 0) << line;
    for (size_t i = 1; i < row.size(); ++i) EXPECT_EQ(row[i].end, header[i].end) << line;
  }
  EXPECT_THAT(Texts(Cells(open[1])), ElementsAre("報告済み", "-", "1", "-", "-", "1"));
  EXPECT_THAT(Texts(Cells(open[2])), ElementsAre("上長確認中", "-", "-", "1", "-", "1"));
  EXPECT_THAT(Texts(Cells(open[6])), ElementsAre("合計", "-", "1", "1", "-", "2"));

  const std::vector<std::string> approvals = Section(summary, "承認待ち: 1件");
  ASSERT_THAT(approvals, SizeIs(2));
  EXPECT_THAT(Texts(Cells(approvals[0])), ElementsAre("期限", "番号", "重要度", "顧客", "概要"));
  EXPECT_THAT(Texts(Cells(approvals[1])),
              ElementsAre(_, "1", "高", kClient, kSummary));
  EXPECT_THAT(Starts(Cells(approvals[1])), Starts(Cells(approvals[0])));

  EXPECT_THAT(summary, HasSubstr("\n期限超過: なし\n"));
  const std::vector<std::string> lines = Lines(summary);
  const size_t week = std::find_if(lines.begin(), lines.end(),
                                   [](const std::string& l) {
                                     return absl::StartsWith(l, "直近7日間（");
                                   }) -
                      lines.begin();
  ASSERT_LT(week + 4, lines.size()) << summary;
  EXPECT_THAT(lines[week], EndsWith(" 以降）"));
  std::vector<std::vector<std::string>> period;
  std::vector<int> count_ends;
  for (size_t i = week + 1; i <= week + 3; ++i) {
    period.push_back(Texts(Cells(lines[i])));
    count_ends.push_back(Cells(lines[i]).back().end);
  }
  EXPECT_THAT(period, ElementsAre(ElementsAre("期限超過", "-"),
                                  ElementsAre("自動で上長へ報告", "-"),
                                  ElementsAre("再発の報告", "-")));
  EXPECT_THAT(count_ends, Each(count_ends[0]));
  EXPECT_EQ(lines[week + 4], "対応中の再発案件: -");
}

// Every section of `show` in the team's words, each value where the others start.
TEST_F(CliJapaneseViewsTest, ShowSpeaksJapaneseInEachOfItsSections) {
  ReportAndEscalate();
  Approve();
  std::string shown = Ja("sato", {"show", "1"});
  EXPECT_THAT(shown, StartsWith(absl::StrCat("#1  ", kSummary, "\n",
                                             "お客様のご要望: 再発防止の仕組みを書面で示してほしい\n"
                                             "  （sato、")));
  EXPECT_THAT(shown, ContainsRegex("\n  顧客 +ＡＢＣ商事 — 先方担当: 総務部 山田様\n"));
  EXPECT_THAT(shown, ContainsRegex("\n  一次謝罪 +電話（sato、[^\n]*）: 当日中に電話でお詫び\n"));
  EXPECT_THAT(shown, ContainsRegex("\n  上長からの謝罪 +未実施: tanaka、期限 [^\n]*"
                                   "（amends apologize 1 --as-manager）\n"));
  EXPECT_THAT(shown, ContainsRegex("\n  訪問 +未定\n"));
  EXPECT_THAT(shown, HasSubstr("\n原因: 未記録（amends cause 1 --what TEXT --why-missed TEXT）\n"));
  EXPECT_THAT(shown, HasSubstr("\n再発防止策: なし\n"));
  EXPECT_THAT(shown, HasSubstr("\nお詫びの提案: なし\n"));
  EXPECT_THAT(shown, HasSubstr("\nお約束: なし\n"));
  EXPECT_THAT(shown, HasSubstr("\nメモ: なし\n"));
  EXPECT_THAT(LineWith(Section(shown, "期限:"), "謝罪訪問"), HasSubstr("  sato"));

  ScheduleTheVisit();
  EXPECT_THAT(Ja("sato", {"show", "1"}),
              ContainsRegex("\n  訪問 +予定 [^\n]*（同行: sato, tanaka）\n"));

  UpToThePreventionPlan();
  shown = Ja("sato", {"show", "1"});

  EXPECT_THAT(shown, ContainsRegex("\n  上長からの謝罪 +訪問（tanaka、[^\n]*）: 部長に直接お詫び\n"));
  EXPECT_THAT(shown, ContainsRegex("\n  訪問 +予定 [^\n]*（同行: sato, tanaka）\n +結果: "
                                   "田中課長と訪問し部長に直接お詫び\n +（記録: sato、"));
  EXPECT_THAT(shown, ContainsRegex("\n  状態 +再発防止策（保留中）\n"));

  const std::vector<std::string> cause = Section(shown, "原因:");
  ASSERT_THAT(cause, SizeIs(4));
  EXPECT_THAT(cause, ElementsAre(StartsWith("  事象  "), StartsWith("  見落とした理由  "),
                                 StartsWith("  分類  "), StartsWith("  記録  ")));
  EXPECT_THAT(std::vector<int>({ColumnOf(cause[0], "15時のアポイント"),
                                ColumnOf(cause[1], "予定をチームで"),
                                ColumnOf(cause[2], "schedule"), ColumnOf(cause[3], "sato")}),
              Each(ColumnOf(cause[0], "15時のアポイント")));

  EXPECT_THAT(Section(shown, "再発防止策:"),
              ElementsAre("  1. [完了] 共有スケジュールで全アポイントを管理",
                          AllOf(StartsWith("     担当 sato、期限 "), HasSubstr("、完了 "),
                                EndsWith("（sato）")),
                          AllOf(StartsWith("     効果確認済み（tanaka、"),
                                EndsWith("）: 今週の全アポイントの登録を確認")),
                          "  2. [未完了] 前日にアポイントをダブルチェック",
                          StartsWith("     担当 yamada、期限 ")));

  // The amounts right-aligned, the other cells under each other.
  const std::vector<std::string> offers = Section(shown, "お詫びの提案:");
  ASSERT_THAT(offers, SizeIs(2));
  EXPECT_THAT(Texts(Cells(offers[0])),
              ElementsAre("1. [承認]", "値引き", "¥50,000", "承認: tanaka",
                          "次回ご注文分から5万円お値引き（備考: 課長決裁の範囲内）"));
  EXPECT_THAT(Texts(Cells(offers[1])),
              ElementsAre("2. [承認待ち]", "返金", "¥1,500,000", "管理者の承認待ち", "全額返金"));
  EXPECT_EQ(ColumnOf(offers[0], "値引き"), ColumnOf(offers[1], "返金"));
  EXPECT_EQ(EndColumnOf(offers[0], "¥50,000"), EndColumnOf(offers[1], "¥1,500,000"));
  EXPECT_EQ(ColumnOf(offers[0], "承認: tanaka"), ColumnOf(offers[1], "管理者の承認待ち"));

  const std::vector<std::string> contacts = Section(shown, "お客様とのやり取り:");
  ASSERT_THAT(contacts, SizeIs(3));
  std::vector<std::vector<std::string>> contact_cells;
  for (const std::string& line : contacts) {
    std::vector<std::string> texts = Texts(Cells(line));
    texts.erase(texts.begin());  // the time
    contact_cells.push_back(texts);
    EXPECT_THAT(Starts(Cells(line)), Starts(Cells(contacts[0]))) << line;
  }
  EXPECT_THAT(contact_cells,
              ElementsAre(ElementsAre("電話", "sato", "一次謝罪", "当日中に電話でお詫び"),
                          ElementsAre("メール", "sato", "経過報告",
                                      "サンプルは本日中に再送すると報告"),
                          ElementsAre("訪問", "tanaka", "上長からの謝罪", "部長に直接お詫び")));

  // What each deadline asks, in Japanese with the team's own text; the due times (or what a
  // hold left of them) under each other.
  const std::vector<std::string> deadlines = Section(shown, "期限:");
  for (const std::string& line : deadlines) {
    ASSERT_THAT(Cells(line), SizeIs(::testing::Ge(3u))) << line;
    EXPECT_EQ(Cells(line)[1].start, Cells(deadlines[0])[1].start) << line;
  }
  EXPECT_THAT(LineWith(deadlines, "お約束 1: 明日10時までに折り返し電話する"),
              HasSubstr("（休日も計算）"));
  EXPECT_THAT(LineWith(deadlines, "お詫びの提案 2 の承認・却下を管理者に依頼: 返金 ¥1,500,000"),
              HasSubstr("営業一課の上長"));
  EXPECT_THAT(LineWith(deadlines, "再発防止策 2: 前日にアポイントをダブルチェック"),
              HasSubstr("yamada"));
  EXPECT_THAT(LineWith(deadlines, "再発防止策の提示"), ContainsRegex("保留中（残り [^）]+）"));

  const std::vector<std::string> promises = Section(shown, "お約束:");
  ASSERT_THAT(promises, SizeIs(1));
  EXPECT_THAT(Texts(Cells(promises[0])),
              ElementsAre("1. [未履行]", StartsWith("期限 "), "担当 sato",
                          "明日10時までに折り返し電話する"));
  EXPECT_THAT(Section(shown, "保留中: 先方の社内確認待ち"),
              ElementsAre(ContainsRegex("^  [0-9/]+\\([^)]+\\) [^\n]* から [0-9/]+\\([^)]+\\) "
                                        "[^\n]* まで（sato）$")));
  EXPECT_THAT(Section(shown, "メモ（amends note 1 TEXT）:"),
              ElementsAre(EndsWith(" sato: 先方部長は明日午後なら時間が取れるとのこと")));
}

// What happened, by whom and to which stage, each under its header.
TEST_F(CliJapaneseViewsTest, TheTimelineSpeaksJapaneseWithItsColumnsUnderTheirHeaders) {
  ReportAndEscalate();
  Approve();
  const std::vector<std::string> lines = Lines(Ja("sato", {"timeline", "1"}));
  ASSERT_THAT(lines, SizeIs(6));
  EXPECT_THAT(Texts(Cells(lines[0])), ElementsAre("日時", "実施者", "出来事", "状態", "内容"));
  std::vector<std::vector<std::string>> events;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<Cell> row = Cells(lines[i]);
    EXPECT_THAT(Starts(row), Starts(Cells(lines[0]))) << lines[i];
    std::vector<std::string> texts = Texts(row);
    texts.erase(texts.begin());  // the time
    events.push_back(texts);
  }
  EXPECT_THAT(
      events,
      ElementsAre(ElementsAre("sato", "報告", "報告済み", kSummary),
                  ElementsAre("sato", "一次謝罪", "報告済み", HasSubstr("当日中に電話でお詫び")),
                  ElementsAre("sato", "ご要望を記録", "報告済み",
                              "再発防止の仕組みを書面で示してほしい"),
                  ElementsAre("sato", "上長へ報告", "報告済み -> 上長確認中",
                              "先方部長が立腹。上長同行での訪問が必要"),
                  ElementsAre("tanaka", "上長が承認", "上長確認中 -> 謝罪訪問",
                              "明日同行してお詫びする")));
  // JSON and English keep the event's spelling.
  EXPECT_THAT(Amends("sato", {"timeline", "1"}).out, HasSubstr("escalation-approved"));
}

// A client's incidents with their measures, and the cause that comes back.
TEST_F(CliJapaneseViewsTest, TheClientViewSpeaksJapaneseAndNamesTheCauseThatRepeats) {
  WalkToThePreventionPlan();
  Amends("sato", {"report", "--client", kClient, "--kind", "late-deliverable", "--severity",
                  "medium", "--summary", "見積書の提出が約束の期日に遅れた"});
  Amends("sato", {"cause", "2", "--what", "提出期日を個人のメモにだけ残していた", "--why-missed",
                  "期日をチームで共有していなかった", "--category", "schedule"});
  const std::vector<std::string> lines = Lines(Ja("sato", {"client", kClient}));
  ASSERT_THAT(lines, SizeIs(5));
  const std::string& header = lines[0];
  EXPECT_THAT(Texts(Cells(header)), ElementsAre("番号", "状態", "重要度", "原因", "概要", "対策",
                                                "担当", "期限", "完了"));
  const std::string measure1 = LineWith(lines, "1. 共有スケジュール");
  for (auto [cell, under] : {std::pair{"再発防止策", "状態"}, {"高", "重要度"},
                             {"schedule", "原因"}, {"15時のサンプル", "概要"},
                             {"1. 共有スケジュール", "対策"}, {"sato", "担当"}, {"はい", "完了"}}) {
    EXPECT_EQ(ColumnOf(measure1, cell), ColumnOf(header, under)) << cell;
  }
  EXPECT_EQ(DateColumnOf(measure1), ColumnOf(header, "期限"));
  const std::string measure2 = LineWith(lines, "2. 前日にアポイントをダブルチェック");
  EXPECT_EQ(ColumnOf(measure2, "yamada"), ColumnOf(header, "担当"));
  EXPECT_EQ(ColumnOf(measure2, "いいえ"), ColumnOf(header, "完了"));
  EXPECT_EQ(lines.back(), "原因分類「schedule」の再発: #1, #2");
}

// Each view's own words are Japanese: once the team's data (names, summaries, notes, the
// cause's category) and the commands it suggests are taken out, no line keeps three English
// words in a row, which is how a message left in English shows. The timeline's last column,
// what the server recorded for each event, is left out.
TEST_F(CliJapaneseViewsTest, NoViewLeavesAMessageInEnglish) {
  WalkToThePreventionPlan();
  Amends("sato", {"report", "--client", "ＸＹＺ物産", "--kind", "hand-over", "--severity", "low",
                  "--summary", "異動に伴い担当を鈴木へ引き継ぎ", "--check", "未完了の見積書を共有"});
  Amends("sato", {"report", "--client", "ＸＹＺ物産", "--kind", "harassment", "--severity",
                  "high", "--summary", "先方担当者から威圧的な言動", "--confidential"});
  // A table without its last column.
  auto without_last_column = [](const std::string& table) {
    std::string out;
    for (const std::string& line : Lines(table)) {
      std::vector<std::string> texts = Texts(Cells(line));
      texts.pop_back();
      absl::StrAppend(&out, absl::StrJoin(texts, "  "), "\n");
    }
    return out;
  };
  auto views = [&](bool japanese) {
    auto run = [&](const std::string& user, std::vector<std::string> args) {
      if (japanese) args.insert(args.begin(), {"--lang", "ja"});
      return Amends(user, std::move(args)).out;
    };
    std::vector<std::string> out = {
        run("sato", {"inbox"}),          run("tanaka", {"inbox"}),
        run("yamada", {"inbox"}),        run("tanaka", {"summary"}),
        run("sato", {"show", "1"}),      run("sato", {"show", "2"}),
        run("sato", {"show", "3"}),      run("sato", {"client", kClient}),
        run("sato", {"list"}),           without_last_column(run("sato", {"timeline", "1"}))};
    return absl::StrJoin(out, "\n");
  };
  auto english_lines = [&](const std::string& text) {
    std::vector<std::string> found;
    for (const std::string& line : Lines(text)) {
      std::string bare = line;
      for (const char* data : {"sato", "tanaka", "yamada", "schedule", "Asia/Tokyo"}) {
        absl::StrReplaceAll({{data, ""}}, &bare);
      }
      if (cli::HasEnglishPhrase(bare)) found.push_back(line);
    }
    return found;
  };
  EXPECT_THAT(english_lines(views(/*japanese=*/true)), SizeIs(0));
  // The check itself sees English.
  EXPECT_THAT(english_lines(views(/*japanese=*/false)), SizeIs(::testing::Gt(10u)));
}

class ClockedJapaneseViewsTest : public ClockedCliTest {
 protected:
  std::string Ja(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), {"--lang", "ja"});
    return Amends(user, std::move(args)).out;
  }
};

// DOMAIN.md case 2: on Friday evening yamada reports a late report to a long-standing client,
// then nobody apologises nor escalates over the weekend. On Monday amends has escalated it
// itself, and what is overdue, the breaches and the reminders are told in Japanese.
TEST_F(ClockedJapaneseViewsTest, OverdueDeadlinesBreachesAndRemindersAreToldInJapanese) {
  At(27, 17, 30);  // Friday 17:30
  Amends("yamada", {"report", "--team", "tokyo-sales", "--client", "ミドリ精機株式会社", "--kind",
                    "late-deliverable", "--severity", "high", "--summary",
                    "会議前に必要な報告書を未提出、先方から強い抗議"});
  At(30, 10, 31);
  At(30, 13, 0);  // Monday 13:00: the approval's two working hours are gone too
  const std::string summary = Ja("tanaka", {"summary"});
  EXPECT_THAT(summary, StartsWith("チーム tokyo-sales（Asia/Tokyo）、2026/11/30(月) 13:00 時点\n"));
  const std::vector<std::string> overdue = Section(summary, "期限超過");
  ASSERT_THAT(overdue, SizeIs(3)) << summary;
  const std::vector<Cell> header = Cells(overdue[0]);
  EXPECT_THAT(Texts(header), ElementsAre("対応者", "件数", "最も古い期限"));
  EXPECT_THAT(Texts(Cells(overdue[1])),
              ElementsAre("yamada", "1", "2026/11/30(月) 09:30 (4時間超過)"));
  EXPECT_THAT(Texts(Cells(overdue[2])),
              ElementsAre("tokyo-salesの上長", "1", "2026/11/30(月) 12:31 (29分超過)"));
  for (const std::string& line : overdue) {
    const std::vector<Cell> row = Cells(line);
    ASSERT_THAT(row, SizeIs(3)) << line;
    EXPECT_EQ(row[0].start, 0) << line;
    EXPECT_EQ(row[1].end, header[1].end) << line;  // counts right-aligned
    EXPECT_EQ(row[2].start, header[2].start) << line;
  }
  EXPECT_THAT(summary, HasSubstr("\n  期限超過          3\n"
                                 "  自動で上長へ報告  1\n"
                                 "  再発の報告        -\n"));

  // tanaka is told of the breach, asked for approval, and reminded.
  const std::vector<std::string> inbox = Lines(Ja("tanaka", {"inbox"}));
  ASSERT_THAT(inbox, SizeIs(::testing::Gt(3u)));
  std::vector<std::vector<std::string>> items;
  for (size_t i = 1; i < inbox.size(); ++i) {
    EXPECT_THAT(Starts(Cells(inbox[i])), Starts(Cells(inbox[0]))) << inbox[i];
    std::vector<std::string> texts = Texts(Cells(inbox[i]));
    items.push_back({texts.begin() + 1, texts.begin() + 4});  // ID, WHY, WHAT
  }
  EXPECT_THAT(items, ElementsAre(ElementsAre("1", "期限超過", "お客様への一次謝罪"),
                                 ElementsAre("1", "承認", "上長報告の承認または差し戻し"),
                                 ElementsAre("1", "リマインダー", "上長報告の承認または差し戻し"),
                                 ElementsAre("1", "リマインダー", "上長報告の承認または差し戻し")));

  const std::string shown = Ja("yamada", {"show", "1"});
  EXPECT_THAT(LineWith(Section(shown, "期限:"), "上長報告の承認または差し戻し"),
              AllOf(HasSubstr("  tokyo-salesの上長  "), EndsWith("  （超過）")));
  const std::vector<std::string> reminders = Section(shown, "未確認のリマインダー（amends ack 1）:");
  ASSERT_THAT(reminders, SizeIs(::testing::Gt(0u))) << shown;
  for (const std::string& line : reminders) {
    EXPECT_THAT(Starts(Cells(line)), Starts(Cells(reminders[0]))) << line;
    EXPECT_THAT(Texts(Cells(line)), ElementsAre(_, StartsWith("宛先 "), _, StartsWith("期限 ")))
        << line;
  }
  EXPECT_THAT(shown, HasSubstr("お客様への一次謝罪")) << shown;
}

}  // namespace
}  // namespace amends
