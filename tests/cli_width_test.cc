// Tables fit the terminal (issue 16): `amends list`, `inbox` and `timeline` through the real
// binaries, with Japanese clients and summaries, at COLUMNS=80, 100 and 200. Only free text
// (summaries, what is due, event texts) is cut, with "..."; ids, times, states and names stay
// whole; when that is not enough, the columns a reader can do without are left out (list:
// UPDATED, then KIND; inbox: SUMMARY; timeline: STATE); every column starts at the same
// display column on every row; --wide cuts nothing.
#include <algorithm>
#include <map>
#include <regex>
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
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

using cli::DisplayWidth;

// What a free-text column keeps however narrow the line (client/display.h).
constexpr int kMinFreeText = 10;

const std::string kAbcSummary = "15時のサンプル受け渡しの打ち合わせを失念";
const std::string kMidoriSummary =
    "月次報告書を定例会議の前日までに提出せず、進捗報告も提案もしなかったため先方課長から強い"
    "口調の苦情";
const std::string kReason =
    "先方部長がお怒り。上長同行での訪問が必要。『誠意を見せてほしい』とのこと";
const std::string kNote = "山田様より、部長は明日午前なら在席とのこと。訪問の候補日時を三つ用意する";
const std::string kPromise = "15時までに部長のご都合を伺い折り返しお電話する";

// A table as printed: where each column starts (in display columns) and each row's cells.
struct Printed {
  std::vector<std::string> lines;              // the header first
  std::vector<int> at;                         // the display column each column starts at
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // cells without their padding
};

// The length in bytes of the UTF-8 sequence that starts with `lead`.
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Cuts `line` at the display columns `at`, failing the test where the layout is not aligned:
// a character across a column's start, a column not preceded by its two spaces, or a cell
// that does not start right at its column.
std::vector<std::string> Cells(const std::string& line, const std::vector<int>& at) {
  std::vector<std::string> cells(at.size());
  size_t k = 0;
  int column = 0;
  for (size_t i = 0; i < line.size();) {
    const size_t n = std::min(SequenceLength(static_cast<unsigned char>(line[i])), line.size() - i);
    const std::string character = line.substr(i, n);
    while (k + 1 < at.size() && column >= at[k + 1]) ++k;
    const int width = DisplayWidth(character);
    EXPECT_FALSE(k + 1 < at.size() && column + width > at[k + 1])
        << "a character across the start of column " << k + 1 << ": " << line;
    cells[k] += character;
    column += width;
    i += n;
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    const std::string cell(absl::StripTrailingAsciiWhitespace(cells[c]));
    if (c + 1 < cells.size() && !cells[c + 1].empty()) {
      EXPECT_TRUE(absl::EndsWith(cells[c], "  ")) << "no gap before column " << c + 1 << ": "
                                                   << line;
    }
    EXPECT_FALSE(absl::StartsWith(cell, " ")) << "column " << c << " misaligned: " << line;
    cells[c] = cell;
  }
  return cells;
}

// The table at the start of `out` (up to an empty line), its columns found by `headers`; a
// header the table lacks (a column left out) is left out of p.headers.
Printed Parse(const std::string& out, const std::vector<std::string>& headers) {
  Printed p;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (line.empty()) break;
    p.lines.emplace_back(line);
  }
  if (p.lines.empty()) {
    ADD_FAILURE() << "no table in: " << out;
    return p;
  }
  size_t from = 0;  // each header after the one before it
  for (const std::string& header : headers) {
    const size_t byte = p.lines[0].find(header, from);
    if (byte == std::string::npos) continue;
    p.headers.push_back(header);
    p.at.push_back(DisplayWidth(p.lines[0].substr(0, byte)));
    from = byte + header.size();
  }
  EXPECT_EQ(Cells(p.lines[0], p.at), p.headers) << "the header: " << p.lines[0];
  for (size_t r = 1; r < p.lines.size(); ++r) p.rows.push_back(Cells(p.lines[r], p.at));
  return p;
}

// A cell with its relative hint ("(in 3h)", "overdue 2h") made neutral: those count from
// the time each command runs, and two runs may straddle a rounding step.
std::string WithoutHint(const std::string& cell) {
  static const std::regex hint_in_brackets(R"(\([^()]*\)$)");
  static const std::regex bare_hint(R"(^(in \d+[mhd]|overdue \d+[mhd]|due now)$)");
  return std::regex_replace(std::regex_replace(cell, hint_in_brackets, "(hint)"), bare_hint,
                            "hint");
}

int LongestLine(const Printed& p) {
  int longest = 0;
  for (const std::string& line : p.lines) longest = std::max(longest, DisplayWidth(line));
  return longest;
}

// The display columns column `c` takes: up to the next column's gap, or for the last
// column its widest cell.
int ColumnWidth(const Printed& p, size_t c) {
  if (c + 1 < p.at.size()) return p.at[c + 1] - p.at[c] - 2;
  int widest = DisplayWidth(p.headers[c]);
  for (const auto& row : p.rows) widest = std::max(widest, DisplayWidth(row[c]));
  return widest;
}

// The index of column `header` in `p`, or p.headers.size() when it was left out.
size_t Column(const Printed& p, const std::string& header) {
  return std::find(p.headers.begin(), p.headers.end(), header) - p.headers.begin();
}

// Row `r`'s cell in column `header` (which must be shown).
std::string Cell(const Printed& p, size_t r, const std::string& header) {
  const size_t c = Column(p, header);
  if (c == p.headers.size() || r >= p.rows.size()) {
    ADD_FAILURE() << "no " << header << " in row " << r;
    return "";
  }
  return p.rows[r][c];
}

// A column of free text, and the most columns it has however wide the line (0: no limit).
struct FreeText {
  std::string header;
  int max_width = 0;
};

// Checks `fitted`, printed for a terminal `width` columns wide, against `wide`, the same
// table printed with --wide: the rows and every cell shown but the free-text ones are the
// same; a free-text cell is whole or a prefix of the whole text followed by "...", no wider
// than its column; lines are at most `width` columns, unless the free text is already down to
// its minimum; and text is narrowed only as much as the line needs.
void ExpectFitted(const Printed& fitted, const Printed& wide, int width,
                  const std::vector<FreeText>& free) {
  ASSERT_EQ(fitted.rows.size(), wide.rows.size());
  bool at_minimum = true;   // no free-text column can give more
  bool narrowed = false;    // a free-text column was made narrower than its own maximum
  for (const FreeText& f : free) {
    const size_t column = Column(fitted, f.header);
    if (column == fitted.headers.size()) continue;  // left out
    const int column_width = ColumnWidth(fitted, column);
    at_minimum = at_minimum && column_width <= std::max(kMinFreeText, DisplayWidth(f.header));
    int needed = 0;
    for (const auto& row : wide.rows) {
      needed = std::max(needed, DisplayWidth(row[Column(wide, f.header)]));
    }
    if (f.max_width > 0) needed = std::min(needed, f.max_width);
    narrowed = narrowed || column_width < needed;
  }
  for (size_t r = 0; r < fitted.rows.size(); ++r) {
    for (size_t c = 0; c < fitted.at.size(); ++c) {
      const std::string& cell = fitted.rows[r][c];
      const std::string& whole = wide.rows[r][Column(wide, fitted.headers[c])];
      const auto is_free = [&](const FreeText& f) { return f.header == fitted.headers[c]; };
      if (std::none_of(free.begin(), free.end(), is_free)) {
        EXPECT_EQ(WithoutHint(cell), WithoutHint(whole)) << "row " << r << " column " << c;
        continue;
      }
      EXPECT_LE(DisplayWidth(cell), ColumnWidth(fitted, c)) << cell;
      if (cell == whole) continue;
      EXPECT_TRUE(absl::EndsWith(cell, "...")) << cell << " is not " << whole;
      EXPECT_TRUE(absl::StartsWith(whole, absl::StripSuffix(cell, "..."))) << cell;
    }
  }
  const std::string table = absl::StrJoin(fitted.lines, "\n");
  const int longest = LongestLine(fitted);
  if (!at_minimum) {
    EXPECT_LE(longest, width) << table;
  }
  // Narrowed just enough: a wide character may leave a column short by one.
  if (narrowed && !at_minimum) {
    EXPECT_GE(longest, width - static_cast<int>(free.size())) << table;
  }
  // Not narrowed at all when the whole table fits.
  if (LongestLine(wide) <= width) {
    EXPECT_FALSE(narrowed) << table;
  }
}

class WidthTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    // DOMAIN.md cases 1 and 2: the forgotten meeting, and the late report to a client of
    // many years.
    Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "missed-appointment", "--severity", "high", "--summary", kAbcSummary});
    Amends("sato", {"report", "--team", "営業一課", "--client", "株式会社ミドリ精機", "--kind",
                    "late-deliverable", "--severity", "medium", "--summary", kMidoriSummary});
    Amends("sato", {"escalate", "1", "--reason", kReason});
    Amends("sato", {"note", "1", kNote});
    Amends("sato", {"promise", "2", "--by", InDays(1), "--text", kPromise});
  }

  // `amends ARGS` as `user`, its stdout a pipe and COLUMNS as given ("": not a width).
  RunResult Amends(const std::string& user, std::vector<std::string> args,
                   const std::string& columns = "") {
    return CliFixture::Amends(user, std::move(args), 0, {{"COLUMNS", columns}});
  }

  // The view `args` printed at COLUMNS=`width`, and the same with --wide.
  std::pair<Printed, Printed> Both(const std::string& user, const std::vector<std::string>& args,
                                   const std::vector<std::string>& headers, int width) {
    std::vector<std::string> wide_args = args;
    wide_args.push_back("--wide");
    return {Parse(Amends(user, args, absl::StrCat(width)).out, headers),
            Parse(Amends(user, wide_args, absl::StrCat(width)).out, headers)};
  }
};

const std::vector<std::string> kListHeaders = {"ID",    "STATE",    "SEVERITY", "KIND",
                                               "CLIENT", "OWNER",   "NEXT DUE", "SUMMARY",
                                               "UPDATED"};
const std::vector<std::string> kInboxHeaders = {"DUE", "ID", "WHY", "WHAT", "CLIENT", "SUMMARY"};
const std::vector<std::string> kTimelineHeaders = {"TIME", "ACTOR", "EVENT", "STATE", "TEXT"};

TEST_F(WidthTest, ListFitsEachWidthCuttingOnlyTheSummary) {
  for (int width : {80, 100, 200}) {
    SCOPED_TRACE(absl::StrCat("COLUMNS=", width));
    auto [fitted, wide] = Both("sato", {"list"}, kListHeaders, width);
    ASSERT_EQ(fitted.rows.size(), 2u);
    ExpectFitted(fitted, wide, width, {{"SUMMARY", 40}});
    EXPECT_LE(LongestLine(fitted), width);
    EXPECT_EQ(Cell(fitted, 1, "CLIENT"), "ＡＢＣ商事");
    EXPECT_EQ(Cell(fitted, 0, "CLIENT"), "株式会社ミドリ精機");
    for (const char* kept : {"ID", "STATE", "SEVERITY", "OWNER", "NEXT DUE", "SUMMARY"}) {
      EXPECT_LT(Column(fitted, kept), fitted.headers.size()) << kept << " left out";
    }
  }
  // On 200 columns the short summary is whole; the long one is cut at the column's own 40.
  auto [fitted, wide] = Both("sato", {"list"}, kListHeaders, 200);
  EXPECT_EQ(fitted.headers, kListHeaders);  // nothing left out
  EXPECT_EQ(Cell(fitted, 1, "SUMMARY"), kAbcSummary);
  EXPECT_LE(DisplayWidth(Cell(fitted, 0, "SUMMARY")), 40);
  EXPECT_TRUE(absl::EndsWith(Cell(fitted, 0, "SUMMARY"), "...")) << Cell(fitted, 0, "SUMMARY");
  EXPECT_LE(LongestLine(fitted), 200);
}

// The list's columns other than the summary take about 110 columns with these clients: on 80
// the summary keeps its minimum and UPDATED, then KIND, are left out; never an id, a state or
// a time. Narrower than anything, the same, not an error.
TEST_F(WidthTest, NarrowTerminalLeavesOutUpdatedThenKindNeverIdsStatesOrTimes) {
  const Printed narrow = Parse(Amends("sato", {"list"}, "80").out, kListHeaders);
  ASSERT_EQ(narrow.rows.size(), 2u);
  EXPECT_EQ(Column(narrow, "UPDATED"), narrow.headers.size()) << narrow.lines[0];
  EXPECT_EQ(Cell(narrow, 1, "ID"), "1");
  EXPECT_EQ(Cell(narrow, 1, "STATE"), "escalated");
  EXPECT_EQ(Cell(narrow, 1, "CLIENT"), "ＡＢＣ商事");
  EXPECT_TRUE(absl::StartsWith(Cell(narrow, 1, "SUMMARY"), "15時の")) << narrow.lines[2];
  EXPECT_LE(LongestLine(narrow), 80);
  const Printed tiny = Parse(Amends("sato", {"list"}, "20").out, kListHeaders);
  EXPECT_EQ(Column(tiny, "KIND"), tiny.headers.size()) << tiny.lines[0];
  EXPECT_EQ(Cell(tiny, 1, "SUMMARY"), "15時の...");
  EXPECT_FALSE(Cell(tiny, 1, "NEXT DUE").empty());
}

TEST_F(WidthTest, InboxFitsEachWidthCuttingOnlyWhatAndSummary) {
  for (const char* user : {"sato", "tanaka"}) {
    for (int width : {80, 100, 200}) {
      SCOPED_TRACE(absl::StrCat(user, " COLUMNS=", width));
      auto [fitted, wide] = Both(user, {"inbox"}, kInboxHeaders, width);
      ASSERT_FALSE(fitted.rows.empty());
      ExpectFitted(fitted, wide, width, {{"WHAT", 30}, {"SUMMARY"}});
      EXPECT_LE(LongestLine(fitted), width);
      for (size_t r = 0; r < fitted.rows.size(); ++r) {
        const std::string id = Cell(fitted, r, "ID");
        if (id == "1") {
          EXPECT_EQ(Cell(fitted, r, "CLIENT"), "ＡＢＣ商事");
        }
        if (id == "2") {
          EXPECT_EQ(Cell(fitted, r, "CLIENT"), "株式会社ミドリ精機");
        }
        if (id == "1" && width == 200) {
          EXPECT_EQ(Cell(fitted, r, "SUMMARY"), kAbcSummary);
        }
      }
    }
  }
}

TEST_F(WidthTest, TimelineFitsEachWidthCuttingOnlyTheText) {
  for (int width : {80, 100, 200}) {
    SCOPED_TRACE(absl::StrCat("COLUMNS=", width));
    auto [fitted, wide] = Both("sato", {"timeline", "1"}, kTimelineHeaders, width);
    ASSERT_EQ(fitted.rows.size(), 3u);  // reported, escalated, note-added
    ExpectFitted(fitted, wide, width, {{"TEXT"}});
    EXPECT_LE(LongestLine(fitted), width);
    if (width >= 100) {
      EXPECT_EQ(Cell(fitted, 1, "STATE"), "reported -> escalated");
    }
    EXPECT_EQ(Cell(fitted, 1, "EVENT"), "escalated");
    if (width == 200) {
      EXPECT_EQ(Cell(fitted, 0, "TEXT"), kAbcSummary);
      EXPECT_EQ(Cell(fitted, 1, "TEXT"), kReason);
      EXPECT_EQ(Cell(fitted, 2, "TEXT"), kNote);
    } else {
      EXPECT_TRUE(absl::EndsWith(Cell(fitted, 1, "TEXT"), "...")) << fitted.lines[2];
    }
  }
}

TEST_F(WidthTest, WideFlagPrintsEveryCellWhole) {
  // The list's summary is whole beyond its column's own 40 columns, and so is the inbox's
  // WHAT beyond its 30.
  RunResult r = Amends("sato", {"list", "--wide"}, "80");
  EXPECT_TRUE(absl::StrContains(r.out, kMidoriSummary)) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "...")) << r.out;
  r = Amends("sato", {"--wide", "inbox"}, "80");  // a global flag, before or after the command
  EXPECT_TRUE(absl::StrContains(r.out, kPromise)) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "...")) << r.out;
  r = Amends("sato", {"timeline", "1", "--wide"}, "80");
  EXPECT_TRUE(absl::StrContains(r.out, kReason)) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, kNote)) << r.out;
}

TEST_F(WidthTest, OutputToAPipeWithoutColumnsIsNotCutToFit) {
  for (const char* columns : {"", "0", "abc"}) {
    SCOPED_TRACE(absl::StrCat("COLUMNS='", columns, "'"));
    RunResult r = Amends("sato", {"timeline", "1"}, columns);
    EXPECT_TRUE(absl::StrContains(r.out, kReason)) << r.out;
    EXPECT_FALSE(absl::StrContains(r.out, "...")) << r.out;
    r = Amends("sato", {"list"}, columns);
    EXPECT_TRUE(absl::StrContains(r.out, kAbcSummary)) << r.out;
  }
}

TEST_F(WidthTest, AlignedOutputHasNoCharacterOfAmbiguousWidth) {
  for (const std::vector<std::string>& view : std::vector<std::vector<std::string>>{
           {"list"}, {"inbox"}, {"timeline", "1"}, {"client", "ＡＢＣ商事"}, {"notifications", "1"}}) {
    for (const char* columns : {"", "80"}) {
      const std::string out = Amends("sato", view, columns).out;
      for (const char* ambiguous : {"…", "—", "→", "–", "·"}) {
        EXPECT_FALSE(absl::StrContains(out, ambiguous))
            << absl::StrJoin(view, " ") << " shows " << ambiguous << ":\n" << out;
      }
    }
  }
}

}  // namespace
}  // namespace amends
