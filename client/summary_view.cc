#include "client/summary_view.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/display.h"
#include "client/enum_names.h"
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
  if (summary.open_total().total() == 0) return "Open incidents: none\n";
  const std::vector<std::string> headers = {"STAGE", "LOW", "MEDIUM", "HIGH", "CRITICAL", "TOTAL"};
  std::vector<std::vector<std::string>> rows;
  auto add = [&rows](const std::string& stage, const StageCount& c) {
    rows.push_back({stage, CountCell(c.low()), CountCell(c.medium()), CountCell(c.high()),
                    CountCell(c.critical()), CountCell(c.total())});
  };
  for (const StageCount& c : summary.open()) add(CliName(c.state()), c);
  add("total", summary.open_total());
  for (size_t col = 1; col < headers.size(); ++col) {
    AlignRight(rows, col, DisplayWidth(headers[col]));
  }
  std::vector<Table::Column> columns;
  for (const std::string& h : headers) columns.push_back({h, Table::kNoLimit});
  return absl::StrCat("Open incidents\n", Render(Table(std::move(columns)), std::move(rows)));
}

std::string Overdue(const TeamSummary& summary, const absl::TimeZone& zone, absl::Time now) {
  if (summary.overdue().empty()) return "Overdue deadlines: none\n";
  std::vector<std::vector<std::string>> rows;
  for (const amends::v1::OverdueCount& o : summary.overdue()) {
    rows.push_back({o.user().empty() ? absl::StrCat("managers of ", o.managers_of()) : o.user(),
                    CountCell(o.deadlines()),
                    o.has_oldest_due() ? FormatDue(FromProto(o.oldest_due()), zone, now) : "-"});
  }
  AlignRight(rows, 1, DisplayWidth("DEADLINES"));
  return absl::StrCat("Overdue deadlines\n",
                      Render(Table({{"WHO", Table::kNoLimit},
                                    {"DEADLINES", Table::kNoLimit},
                                    {"OLDEST DUE", Table::kNoLimit}}),
                             std::move(rows)));
}

std::string Approvals(const TeamSummary& summary, const absl::TimeZone& zone, absl::Time now) {
  if (summary.approvals_waiting() == 0) return "Approvals waiting: none\n";
  // A TEAM column only when an escalation chain brings another team's case.
  const bool other_teams =
      std::any_of(summary.approvals().begin(), summary.approvals().end(),
                  [&](const amends::v1::ApprovalWaiting& a) { return a.team() != summary.team(); });
  std::vector<Table::Column> columns = {{"DUE", Table::kNoLimit}, {"ID", Table::kNoLimit},
                                        {"SEVERITY", Table::kNoLimit}};
  if (other_teams) columns.push_back({"TEAM", Table::kNoLimit});
  columns.push_back({"CLIENT", Table::kNoLimit});
  columns.push_back({"SUMMARY", Table::kNoLimit});
  std::vector<std::vector<std::string>> rows;
  for (const amends::v1::ApprovalWaiting& a : summary.approvals()) {
    std::vector<std::string>& row = rows.emplace_back();
    row = {a.has_due() ? FormatDue(FromProto(a.due()), zone, now) : "-",
           absl::StrCat(a.incident_id()), CliName(a.severity())};
    if (other_teams) row.push_back(a.team());
    row.push_back(a.client().empty() ? "-" : a.client());
    row.push_back(a.summary().empty() ? "-" : a.summary());
  }
  std::string out = absl::StrCat("Approvals waiting: ", summary.approvals_waiting(), "\n",
                                 Render(Table(std::move(columns)), std::move(rows)));
  if (const int more = summary.approvals_waiting() - summary.approvals_size(); more > 0) {
    absl::StrAppend(&out, "and ", more, " more, due later\n");
  }
  return out;
}

std::string Period(const TeamSummary& summary, const absl::TimeZone& zone) {
  std::vector<std::vector<std::string>> rows = {
      {"deadlines breached", CountCell(summary.breaches())},
      {"escalated by amends", CountCell(summary.automatic_escalations())},
      {"recurrences reported", CountCell(summary.recurrences_reported())}};
  AlignRight(rows, 1, 0);
  Table table({{"", Table::kNoLimit}, {"", Table::kNoLimit}});
  for (auto& row : rows) table.AddRow(std::move(row));
  return absl::StrCat("Last 7 days, since ",
                      FormatDateTime(FromProto(summary.since()), zone),
                      "\n", table.RenderRows("  "),
                      "Open recurrences: ", CountCell(summary.open_recurrences()), "\n");
}

}  // namespace

std::string RenderSummary(const TeamSummary& summary) {
  const absl::TimeZone zone =
      LoadTeamZone(summary.team_time_zone()).value_or(absl::UTCTimeZone());
  const absl::Time now = FromProto(summary.as_of());
  return absl::StrCat("Team ", summary.team(), " (", summary.team_time_zone(), "), ",
                      FormatDateTime(now, zone), "\n\n",
                      OpenIncidents(summary), "\n", Overdue(summary, zone, now), "\n",
                      Approvals(summary, zone, now), "\n", Period(summary, zone));
}

}  // namespace amends::cli
