#include "server/core/policy.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "server/core/kinds.h"
#include "server/core/textproto_checker.h"

namespace amends {
namespace {

namespace pb = google::protobuf;
using pb::TextFormat;

// A cause category is a short word ("schedule", "hand-over").
constexpr size_t kMaxCategoryBytes = 40;

constexpr absl::string_view kNotADuration = "is not a duration like 30m, 4h or 3d";
// Nothing amends waits for is more than a year away; longer spans are typos ("300d" for "30d")
// and would make deadline arithmetic walk a calendar for years.
constexpr int kMaxSpanDays = 366;
constexpr absl::string_view kTooLong = "is more than a year (at most 366d or 8784h)";

// "HIGH" for SEVERITY_HIGH: how the messages speak of a severity.
std::string ShortName(v1::Severity severity) {
  return std::string(absl::StripPrefix(v1::Severity_Name(severity), "SEVERITY_"));
}

// ParseSpan() with the error at the field's line.
absl::StatusOr<Span> SpanAt(const TextprotoChecker& check, absl::string_view path,
                            absl::string_view text) {
  absl::StatusOr<Span> span = ParseSpan(path, text);
  if (!span.ok()) return check.ErrorAt(path, span.status());
  return span;
}

absl::StatusOr<ReminderLead> CompileReminder(const TextprotoChecker& check,
                                             const v1::ReminderLead& lead,
                                             const std::string& path) {
  bool has_fraction = lead.fraction_gone() != 0;
  bool has_before = !lead.before().empty();
  if (has_fraction == has_before) {
    return check.Error(path, absl::StrCat(path, ": give exactly one of fraction_gone and before"));
  }
  ReminderLead compiled;
  if (has_fraction) {
    double f = lead.fraction_gone();
    if (!(f > 0 && f < 1)) {  // also refuses nan
      return check.Error(
          path + ".fraction_gone",
          absl::StrCat(path, ".fraction_gone: ", f, " is not between 0 and 1 (0.5 is half-way)"));
    }
    compiled.fraction_gone = f;
    return compiled;
  }
  absl::StatusOr<Span> before = SpanAt(check, path + ".before", lead.before());
  if (!before.ok()) return before.status();
  // A working day has no fixed length, and a lead is a length of time, so "1d" is refused
  // rather than guessed as 24 or 9 hours.
  if (before->days > 0) {
    return check.Error(path + ".before",
                       absl::StrCat(path, ".before: \"", lead.before(),
                                    "\" must be a time like 30m or 4h, not days"));
  }
  compiled.before = before->time;
  return compiled;
}

// `index` is the level's place in a severity's chain, or -1 for a kind's tell_on_report.
absl::StatusOr<ChainLevel> CompileChainLevel(const TextprotoChecker& check,
                                             const v1::ChainLevel& level,
                                             const std::string& path, int index) {
  if (check.Written(path + ".team") && absl::StripAsciiWhitespace(level.team()).empty()) {
    return check.Error(path + ".team", absl::StrCat(path, ".team: must name a team"));
  }
  bool has_team = !level.team().empty();
  if (level.owner() + level.managers() + has_team != 1) {
    return check.Error(path, absl::StrCat(path,
                                          ": give exactly one of owner: true, "
                                          "managers: true and team: \"NAME\""));
  }
  // Level 0 gets the reminders before a deadline, which only the owner can act on.
  if (index == 0 && !level.owner()) {
    return check.Error(path, absl::StrCat(path, ": the first level must be owner: true"));
  }
  // Level 1 is told of the first breach and asked to approve escalations: the managers who
  // can approve are the team's own.
  if (index == 1 && !level.managers()) {
    return check.Error(path, absl::StrCat(path, ": the second level must be managers: true"));
  }
  // The owner reported or was given the case: telling them of it says nothing.
  if (index < 0 && level.owner()) {
    return check.Error(path, absl::StrCat(path, ": owner: true is not told of a report; give "
                                                "managers: true or team: \"NAME\""));
  }
  if (level.owner()) return ChainLevel{.kind = ChainLevel::Kind::kOwner};
  if (level.managers()) return ChainLevel{.kind = ChainLevel::Kind::kManagers};
  return ChainLevel{.kind = ChainLevel::Kind::kTeam, .team = level.team()};
}

// One severity's rules; `at` is its path ("severity[2]").
absl::StatusOr<SeverityRules> CompileSeverity(const TextprotoChecker& check,
                                              const v1::SeverityPolicy& s,
                                              const std::string& at) {
  // Missing fields are reported at the severity's own line, so say which one it is.
  const std::string in = absl::StrCat(at, " (", ShortName(s.severity()), "): ");
  SeverityRules rules{.wall_clock = s.wall_clock(),
                      .raise_on_recurrence = s.raise_on_recurrence(),
                      .tell_managers_on_report =
                          s.has_tell_managers_on_report()
                              ? s.tell_managers_on_report()
                              : s.severity() >= v1::SEVERITY_HIGH};

  struct Stage {
    absl::string_view field;
    const std::string& text;
    Span* span;
  };
  const Stage stages[] = {
      {"first_apology_within", s.first_apology_within(), &rules.first_apology_within},
      {"escalate_within", s.escalate_within(), &rules.escalate_within},
      {"approve_within", s.approve_within(), &rules.approve_within},
      {"visit_within", s.visit_within(), &rules.visit_within},
      {"plan_within", s.plan_within(), &rules.plan_within},
  };
  for (const Stage& stage : stages) {
    std::string path = absl::StrCat(at, ".", stage.field);
    if (stage.text.empty()) return check.Error(path, absl::StrCat(in, stage.field, ": required"));
    absl::StatusOr<Span> span = SpanAt(check, path, stage.text);
    if (!span.ok()) return span.status();
    *stage.span = *span;
  }

  // Sincerity (issue 17): optional, with defaults by severity, so older policy files still
  // parse.
  rules.manager_apology_due = s.has_manager_apology_due() ? s.manager_apology_due()
                                                          : s.severity() >= v1::SEVERITY_HIGH;
  rules.manager_apology_within = rules.visit_within;
  if (!s.manager_apology_within().empty()) {
    absl::StatusOr<Span> span =
        SpanAt(check, at + ".manager_apology_within", s.manager_apology_within());
    if (!span.ok()) return span.status();
    rules.manager_apology_within = *span;
  }
  static constexpr int kDefaultUpdateDays[] = {5, 3, 2, 1};  // LOW..CRITICAL
  static_assert(std::size(kDefaultUpdateDays) == v1::SEVERITY_CRITICAL);
  rules.update_every = Span{.days = kDefaultUpdateDays[s.severity() - 1]};
  if (s.update_every() == "none") {
    rules.updates_due = false;
  } else if (!s.update_every().empty()) {
    absl::StatusOr<Span> span = SpanAt(check, at + ".update_every", s.update_every());
    if (!span.ok()) return span.status();
    rules.update_every = *span;
  }
  rules.verify_measures =
      s.has_verify_measures() ? s.verify_measures() : s.severity() >= v1::SEVERITY_MEDIUM;

  for (int i = 0; i < s.follow_up_after_size(); ++i) {
    absl::StatusOr<Span> span =
        SpanAt(check, absl::StrCat(at, ".follow_up_after[", i, "]"), s.follow_up_after(i));
    if (!span.ok()) return span.status();
    rules.follow_up_after.push_back(*span);
  }

  for (int i = 0; i < s.reminder_size(); ++i) {
    absl::StatusOr<ReminderLead> lead =
        CompileReminder(check, s.reminder(i), absl::StrCat(at, ".reminder[", i, "]"));
    if (!lead.ok()) return lead.status();
    rules.reminders.push_back(*lead);
  }

  if (s.chain_size() == 0) {
    return check.Error(at, absl::StrCat(in, "chain: required, starting with owner: true"));
  }
  for (int i = 0; i < s.chain_size(); ++i) {
    absl::StatusOr<ChainLevel> level =
        CompileChainLevel(check, s.chain(i), absl::StrCat(at, ".chain[", i, "]"), i);
    if (!level.ok()) return level.status();
    rules.chain.push_back(*level);
  }
  return rules;
}

// The playbook's defaults (kinds.h), before the policy's KindPolicy.
KindRules DefaultKindRules(v1::Kind kind) {
  switch (PlaybookOf(kind)) {
    case Playbook::kClientFacing:
      return {.first_apology_due = true};
    case Playbook::kHarassment:
      return {.tell_on_report = {ChainLevel{.kind = ChainLevel::Kind::kManagers}},
              .tell_chain_top = true};
    case Playbook::kConduct:
      return {};
    case Playbook::kHandOver:
      return {.follow_ups = 1};
  }
  return {};
}

absl::Status CompileKind(const TextprotoChecker& check, const v1::KindPolicy& k,
                         const std::string& at, KindRules& rules) {
  if (k.has_first_apology_due()) rules.first_apology_due = k.first_apology_due();
  if (k.has_follow_ups()) {
    if (k.follow_ups() < 0 || k.follow_ups() > 20) {
      return check.Error(at + ".follow_ups",
                         absl::StrCat(at, ".follow_ups: ", k.follow_ups(),
                                      " is not between 0 and 20"));
    }
    rules.follow_ups = k.follow_ups();
  }
  if (k.tell_on_report_size() > 0) {
    rules.tell_on_report.clear();
    rules.tell_chain_top = false;
  }
  for (int i = 0; i < k.tell_on_report_size(); ++i) {
    absl::StatusOr<ChainLevel> level = CompileChainLevel(
        check, k.tell_on_report(i), absl::StrCat(at, ".tell_on_report[", i, "]"), -1);
    if (!level.ok()) return level.status();
    rules.tell_on_report.push_back(*level);
  }
  return absl::OkStatus();
}

bool SameLevel(const ChainLevel& a, const ChainLevel& b) {
  return a.kind == b.kind && a.team == b.team;
}

}  // namespace

absl::StatusOr<Span> ParseSpan(absl::string_view field, absl::string_view text) {
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": \"", text, "\" ", why));
  };
  Span span;
  if (absl::string_view days = text; absl::ConsumeSuffix(&days, "d")) {
    // Whole days only: "1d4h" would mix days with a time, which have different units in
    // business time (a working day is not 24 hours).
    if (days.find_first_not_of("+-0123456789") != days.npos ||
        !absl::SimpleAtoi(days, &span.days)) {
      return invalid(kNotADuration);
    }
    if (span.days <= 0) return invalid("must be positive");
    if (span.days > kMaxSpanDays) return invalid(kTooLong);
    return span;
  }
  if (!absl::ParseDuration(text, &span.time) || span.time == absl::InfiniteDuration()) {
    return invalid(kNotADuration);
  }
  if (span.time <= absl::ZeroDuration()) return invalid("must be positive");
  if (span.time > absl::Hours(24) * kMaxSpanDays) return invalid(kTooLong);
  return span;
}

absl::StatusOr<Policy> Policy::Parse(absl::string_view text, absl::string_view source) {
  v1::Policy proto;
  TextFormat::ParseInfoTree tree;
  // Unknown fields and repeated singular fields are syntax errors too.
  if (absl::Status parsed = ParseTextproto(text, source, &proto, &tree); !parsed.ok()) {
    return parsed;
  }
  const TextprotoChecker check(source, proto, tree);
  Policy policy;

  std::array<int, 4> defined_by = {-1, -1, -1, -1};  // index in proto.severity(), by severity
  for (int i = 0; i < proto.severity_size(); ++i) {
    const v1::SeverityPolicy& s = proto.severity(i);
    const std::string at = absl::StrCat("severity[", i, "]");
    const std::string field = at + ".severity";
    if (s.severity() < v1::SEVERITY_LOW || s.severity() > v1::SEVERITY_CRITICAL) {
      std::string name = v1::Severity_Name(s.severity());
      return check.Error(field, absl::StrCat(field, ": ", name.empty() ? "?" : name,
                                             " is not one of SEVERITY_LOW, SEVERITY_MEDIUM, "
                                             "SEVERITY_HIGH and SEVERITY_CRITICAL"));
    }
    int& first = defined_by[s.severity() - 1];
    if (first >= 0) {
      return check.Error(field, absl::StrCat(field, ": ", ShortName(s.severity()),
                                             " is already defined by severity[", first, "]"));
    }
    first = i;
    absl::StatusOr<SeverityRules> rules = CompileSeverity(check, s, at);
    if (!rules.ok()) return rules.status();
    policy.rules_[s.severity() - 1] = *std::move(rules);
  }
  for (int severity = v1::SEVERITY_LOW; severity <= v1::SEVERITY_CRITICAL; ++severity) {
    if (defined_by[severity - 1] < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": severity ", ShortName(static_cast<v1::Severity>(severity)), ": missing"));
    }
  }

  // Make() validates every field and then needs some working hours; the zone does not matter
  // for either.
  if (absl::StatusOr<BusinessCalendar> calendar =
          BusinessCalendar::Make(absl::UTCTimeZone(), proto.calendar());
      !calendar.ok()) {
    // The message starts with the field's path ("calendar.holidays[1]: ...").
    absl::string_view message = calendar.status().message();
    return check.Error(message.substr(0, message.find(':')), message);
  }
  policy.calendar_ = proto.calendar();

  for (int kind = 0; kind < v1::Kind_ARRAYSIZE; ++kind) {
    policy.kinds_[kind] = DefaultKindRules(static_cast<v1::Kind>(kind));
  }
  std::array<int, v1::Kind_ARRAYSIZE> kind_defined_by;
  kind_defined_by.fill(-1);
  for (int i = 0; i < proto.kind_size(); ++i) {
    const v1::KindPolicy& k = proto.kind(i);
    const std::string at = absl::StrCat("kind[", i, "]");
    const std::string field = at + ".kind";
    if (k.kind() == v1::KIND_UNSPECIFIED) {
      return check.Error(field, absl::StrCat(field, ": required, e.g. KIND_HARASSMENT"));
    }
    int& first = kind_defined_by[k.kind()];
    if (first >= 0) {
      return check.Error(field, absl::StrCat(field, ": ", v1::Kind_Name(k.kind()),
                                             " is already adjusted by kind[", first, "]"));
    }
    first = i;
    if (absl::Status s = CompileKind(check, k, at, policy.kinds_[k.kind()]); !s.ok()) return s;
  }

  for (int i = 0; i < proto.cause_categories_size(); ++i) {
    const std::string path = absl::StrCat("cause_categories[", i, "]");
    const std::string& name = proto.cause_categories(i);
    if (name.empty() || name.size() > kMaxCategoryBytes ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != name.npos) {
      return check.Error(path,
                         absl::StrCat(path, ": \"", absl::CHexEscape(name),
                                      "\" is not a name of lowercase letters, digits and '-'"));
    }
    if (std::find(policy.cause_categories_.begin(), policy.cause_categories_.end(), name) !=
        policy.cause_categories_.end()) {
      return check.Error(path,
                         absl::StrCat(path, ": \"", name, "\" is listed twice"));
    }
    policy.cause_categories_.push_back(name);
  }
  if (policy.cause_categories_.empty()) {
    policy.cause_categories_ = {"schedule", "communication", "hand-over", "capacity",
                                "quality",  "process"};
  }
  if (std::find(policy.cause_categories_.begin(), policy.cause_categories_.end(), "other") ==
      policy.cause_categories_.end()) {
    policy.cause_categories_.push_back("other");
  }
  for (int i = 0; i < proto.offer_limit_yen_size(); ++i) {
    const int64_t limit = proto.offer_limit_yen(i);
    const int64_t below = i == 0 ? 0 : proto.offer_limit_yen(i - 1);
    if (limit <= below || limit > kMaxOfferYen) {
      return check.Error(
          absl::StrCat("offer_limit_yen[", i, "]"),
          absl::StrCat("offer_limit_yen[", i, "]: ", limit, " must be above ", below,
                       i == 0 ? "" : " (the level below's)", " and at most ", kMaxOfferYen));
    }
    policy.offer_limits_.push_back(limit);
  }
  if (policy.offer_limits_.empty()) policy.offer_limits_ = {100'000, 1'000'000};

  if (proto.max_hold().empty()) return check.Error("max_hold", "max_hold: required");
  absl::StatusOr<Span> max_hold = SpanAt(check, "max_hold", proto.max_hold());
  if (!max_hold.ok()) return max_hold.status();
  // A hold is limited in wall time (it stops the business clock), so a day is 24 hours.
  policy.max_hold_ = max_hold->time + absl::Hours(24) * max_hold->days;
  return policy;
}

const SeverityRules& Policy::For(v1::Severity severity) const {
  return rules_.at(severity - 1);  // throws rather than read past the array
}

const KindRules& Policy::ForKind(v1::Kind kind) const {
  return kinds_.at(kind);  // throws rather than read past the array
}

std::vector<ChainLevel> Policy::TellOnReport(v1::Kind kind, v1::Severity severity) const {
  const KindRules& rules = ForKind(kind);
  std::vector<ChainLevel> levels = rules.tell_on_report;
  if (rules.tell_chain_top) {
    const ChainLevel& top = For(severity).chain.back();
    if (top.kind != ChainLevel::Kind::kOwner &&
        std::none_of(levels.begin(), levels.end(),
                     [&](const ChainLevel& l) { return SameLevel(l, top); })) {
      levels.push_back(top);
    }
  }
  return levels;
}

std::vector<std::string> Policy::ChainTeams() const {
  std::vector<std::string> teams;
  auto add = [&](const std::vector<ChainLevel>& levels) {
    for (const ChainLevel& level : levels) {
      if (level.kind == ChainLevel::Kind::kTeam &&
          std::find(teams.begin(), teams.end(), level.team) == teams.end()) {
        teams.push_back(level.team);
      }
    }
  };
  for (const SeverityRules& rules : rules_) add(rules.chain);
  for (const KindRules& rules : kinds_) add(rules.tell_on_report);
  return teams;
}

}  // namespace amends
