#include "client/summary_view.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "absl/time/time.h"
#include "client/display.h"
#include "client/i18n.h"
#include "client/labels.h"
#include "client/time_input.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

using amends::v1::StageCount;
using amends::v1::TeamSummary;

// A count as a cell: "-" for none.
std::string CountCell(int64_t n) { return n == 0 ? "-" : absl::StrCat(n); }

// Right-aligns column `col` of `rows` under a header of `header_width` columns.
void AlignRight(std::vector<std::vector<std::string>>& rows, size_t col, int header_width) {
  int width = header_width;
  for (const auto& row : rows) width = std::max(width, DisplayWidth(row[col]));
  for (auto& row : rows) {
    row[col].insert(0, static_cast<size_t>(width - DisplayWidth(row[col])), ' ');
  }
}

std::string Render(Table table, std::vector<std::vector<std::string>> rows) {
  for (auto& row : rows) table.AddRow(std::move(row));
  return table.Render();
}

std::string OpenIncidents(const TeamSummary& summary) {
  if (summary.open_total().total() == 0) return absl::StrCat(Tr("Open incidents: none"), "\n");
  const std::vector<std::string> headers = {Tr("STAGE"), Tr("LOW"),      Tr("MEDIUM"),
                                            Tr("HIGH"),  Tr("CRITICAL"), Tr("TOTAL")};
  std::vector<std::vector<std::string>> rows;
  auto add = [&rows](const std::string& stage, const StageCount& c) {
    rows.push_back({stage, CountCell(c.low()), CountCell(c.medium()), CountCell(c.high()),
                    CountCell(c.critical()), CountCell(c.total())});
  };
  for (const StageCount& c : summary.open()) add(Label(c.state()), c);
  add(Tr("total"), summary.open_total());
  for (size_t col = 1; col < headers.size(); ++col) {
    AlignRight(rows, col, DisplayWidth(headers[col]));
  }
  std::vector<Table::Column> columns;
  for (const std::string& h : headers) columns.push_back({h, Table::kNoLimit});
  return absl::StrCat(Tr("Open incidents"), "\n",
                      Render(Table(std::move(columns)), std::move(rows)));
}

std::string Overdue(const TeamSummary& summary, const absl::TimeZone& zone, absl::Time now) {
  if (summary.overdue().empty()) return absl::StrCat(Tr("Overdue deadlines: none"), "\n");
  std::vector<std::vector<std::string>> rows;
  for (const amends::v1::OverdueCount& o : summary.overdue()) {
    rows.push_back({o.user().empty() ? absl::Substitute(Tr("managers of $0"), o.managers_of())
                                     : o.user(),
                    CountCell(o.deadlines()),
                    o.has_oldest_due() ? FormatDue(FromProto(o.oldest_due()), zone, now) : "-"});
  }
  const std::string deadlines = Tr("DEADLINES");
  AlignRight(rows, 1, DisplayWidth(deadlines));
  return absl::StrCat(Tr("Overdue deadlines"), "\n",
                      Render(Table({{Tr("WHO"), Table::kNoLimit},
                                    {deadlines, Table::kNoLimit},
                                    {Tr("OLDEST DUE"), Table::kNoLimit}}),
                             std::move(rows)));
}

std::string Approvals(const TeamSummary& summary, const absl::TimeZone& zone, absl::Time now) {
  if (summary.approvals_waiting() == 0) return absl::StrCat(Tr("Approvals waiting: none"), "\n");
  // A TEAM column only when an escalation chain brings another team's case.
  const bool other_teams =
      std::any_of(summary.approvals().begin(), summary.approvals().end(),
                  [&](const amends::v1::ApprovalWaiting& a) { return a.team() != summary.team(); });
  std::vector<Table::Column> columns = {{Tr("DUE"), Table::kNoLimit}, {Tr("ID"), Table::kNoLimit},
                                        {Tr("SEVERITY"), Table::kNoLimit}};
  if (other_teams) columns.push_back({Tr("TEAM"), Table::kNoLimit});
  columns.push_back({Tr("CLIENT"), Table::kNoLimit});
  columns.push_back({Tr("SUMMARY"), Table::kNoLimit});
  std::vector<std::vector<std::string>> rows;
  for (const amends::v1::ApprovalWaiting& a : summary.approvals()) {
    std::vector<std::string>& row = rows.emplace_back();
    row = {a.has_due() ? FormatDue(FromProto(a.due()), zone, now) : "-",
           absl::StrCat(a.incident_id()), Label(a.severity())};
    if (other_teams) row.push_back(a.team());
    row.push_back(a.client().empty() ? "-" : a.client());
    row.push_back(a.summary().empty() ? "-" : a.summary());
  }
  std::string out =
      absl::StrCat(absl::Substitute(Tr("Approvals waiting: $0"), summary.approvals_waiting()),
                   "\n", Render(Table(std::move(columns)), std::move(rows)));
  if (const int more = summary.approvals_waiting() - summary.approvals_size(); more > 0) {
    absl::StrAppend(&out, absl::Substitute(Tr("and $0 more, due later"), more), "\n");
  }
  return out;
}

std::string Period(const TeamSummary& summary, const absl::TimeZone& zone) {
  std::vector<std::vector<std::string>> rows = {
      {Tr("deadlines breached"), CountCell(summary.breaches())},
      {Tr("escalated by amends"), CountCell(summary.automatic_escalations())},
      {Tr("recurrences reported"), CountCell(summary.recurrences_reported())}};
  AlignRight(rows, 1, 0);
  Table table({{"", Table::kNoLimit}, {"", Table::kNoLimit}});
  for (auto& row : rows) table.AddRow(std::move(row));
  return absl::StrCat(
      absl::Substitute(Tr("Last 7 days, since $0"),
                       FormatDateTime(FromProto(summary.since()), zone)),
      "\n", table.RenderRows("  "),
      absl::Substitute(Tr("Open recurrences: $0"), CountCell(summary.open_recurrences())), "\n");
}

}  // namespace

std::string RenderSummary(const TeamSummary& summary) {
  const absl::TimeZone zone =
      LoadTeamZone(summary.team_time_zone()).value_or(absl::UTCTimeZone());
  const absl::Time now = FromProto(summary.as_of());
  return absl::StrCat(absl::Substitute(Tr("Team $0 ($1), $2"), summary.team(),
                                       summary.team_time_zone(), FormatDateTime(now, zone)),
                      "\n\n",
                      OpenIncidents(summary), "\n", Overdue(summary, zone, now), "\n",
                      Approvals(summary, zone, now), "\n", Period(summary, zone));
}

}  // namespace amends::cli
