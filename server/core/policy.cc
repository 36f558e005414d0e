#include "server/core/policy.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace amends {
namespace {

namespace pb = google::protobuf;
using pb::TextFormat;

constexpr absl::string_view kNotADuration = "is not a duration like 30m, 4h or 3d";

// Keeps the first syntax error as "line:column: message" (1-based); the parser stops there.
class FirstError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (text.empty()) text = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string text;
};

// "HIGH" for SEVERITY_HIGH: how the messages speak of a severity.
std::string ShortName(v1::Severity severity) {
  return std::string(absl::StripPrefix(v1::Severity_Name(severity), "SEVERITY_"));
}

// Names the source line of a field path such as "severity[2].approve_within", from the
// locations the text-format parser recorded.
class Checker {
 public:
  Checker(absl::string_view source, const v1::Policy& policy, const TextFormat::ParseInfoTree& tree)
      : source_(source), policy_(policy), tree_(tree) {}

  // INVALID_ARGUMENT "<source>:<line>: <message>". The line is where the deepest part of
  // `path` that the text spells out starts: for a missing field, its enclosing message; with
  // no part spelled out, just "<source>: <message>".
  absl::Status Error(absl::string_view path, absl::string_view message) const {
    int line = Resolve(path).line;
    return absl::InvalidArgumentError(line < 0
                                          ? absl::StrCat(source_, ": ", message)
                                          : absl::StrCat(source_, ":", line + 1, ": ", message));
  }

  // Whether the text spells out `path` itself, even with a default value (`team: ""`).
  bool Written(absl::string_view path) const { return Resolve(path).complete; }

  // ParseSpan() with the error at the field's line.
  absl::StatusOr<Span> SpanAt(absl::string_view path, absl::string_view text) const {
    absl::StatusOr<Span> span = ParseSpan(path, text);
    if (!span.ok()) return Error(path, span.status().message());
    return span;
  }

 private:
  struct Resolved {
    int line = -1;  // 0-based
    bool complete = false;
  };

  // Walks `path` through the message and the recorded locations side by side.
  Resolved Resolve(absl::string_view path) const {
    Resolved found;
    const pb::Message* message = &policy_;
    const TextFormat::ParseInfoTree* tree = &tree_;
    for (absl::string_view part : absl::StrSplit(path, '.')) {
      if (message == nullptr || tree == nullptr) return found;
      int index = -1;  // the parser's "not repeated"
      if (size_t bracket = part.find('['); bracket != part.npos) {
        absl::string_view number = part.substr(bracket + 1);
        if (!absl::ConsumeSuffix(&number, "]") || !absl::SimpleAtoi(number, &index)) return found;
        part = part.substr(0, bracket);
      }
      const pb::FieldDescriptor* field =
          message->GetDescriptor()->FindFieldByName(std::string(part));
      if (field == nullptr || field->is_repeated() != (index >= 0)) return found;
      const pb::Reflection& reflection = *message->GetReflection();
      int located = index;
      if (field->is_repeated()) {
        int size = reflection.FieldSize(*message, field);
        if (index >= size) return found;
        // The parser records one location per list (`follow_up_after: ["5d", "20d"]`), not
        // per element; then the best it can tell is where the field first appears.
        if (tree->GetLocation(field, size - 1).line < 0) located = 0;
      }
      TextFormat::ParseLocation at = tree->GetLocation(field, located);
      if (at.line < 0) return found;
      found.line = at.line;
      if (field->message_type() == nullptr) {
        message = nullptr;
        continue;
      }
      // Nested messages are recorded one by one, lists or not.
      message = index >= 0 ? &reflection.GetRepeatedMessage(*message, field, index)
                           : &reflection.GetMessage(*message, field);
      tree = tree->GetTreeForNested(field, index);
    }
    found.complete = true;
    return found;
  }

  absl::string_view source_;
  const v1::Policy& policy_;
  const TextFormat::ParseInfoTree& tree_;
};

absl::StatusOr<ReminderLead> CompileReminder(const Checker& check, const v1::ReminderLead& lead,
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
  absl::StatusOr<Span> before = check.SpanAt(path + ".before", lead.before());
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

absl::StatusOr<ChainLevel> CompileChainLevel(const Checker& check, const v1::ChainLevel& level,
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
  if (level.owner()) return ChainLevel{.kind = ChainLevel::Kind::kOwner};
  if (level.managers()) return ChainLevel{.kind = ChainLevel::Kind::kManagers};
  return ChainLevel{.kind = ChainLevel::Kind::kTeam, .team = level.team()};
}

// One severity's rules; `at` is its path ("severity[2]").
absl::StatusOr<SeverityRules> CompileSeverity(const Checker& check, const v1::SeverityPolicy& s,
                                              const std::string& at) {
  // Missing fields are reported at the severity's own line, so say which one it is.
  const std::string in = absl::StrCat(at, " (", ShortName(s.severity()), "): ");
  SeverityRules rules{.wall_clock = s.wall_clock(), .raise_on_recurrence = s.raise_on_recurrence()};

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
    absl::StatusOr<Span> span = check.SpanAt(path, stage.text);
    if (!span.ok()) return span.status();
    *stage.span = *span;
  }

  for (int i = 0; i < s.follow_up_after_size(); ++i) {
    absl::StatusOr<Span> span =
        check.SpanAt(absl::StrCat(at, ".follow_up_after[", i, "]"), s.follow_up_after(i));
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
    return span;
  }
  if (!absl::ParseDuration(text, &span.time) || span.time == absl::InfiniteDuration()) {
    return invalid(kNotADuration);
  }
  if (span.time <= absl::ZeroDuration()) return invalid("must be positive");
  return span;
}

absl::StatusOr<Policy> Policy::Parse(absl::string_view text, absl::string_view source) {
  v1::Policy proto;
  TextFormat::ParseInfoTree tree;
  FirstError syntax;
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&syntax);
  parser.WriteLocationsTo(&tree);
  // Unknown fields and repeated singular fields are syntax errors too.
  if (!parser.ParseFromString(std::string(text), &proto)) {
    return absl::InvalidArgumentError(absl::StrCat(source, ":", syntax.text));
  }
  const Checker check(source, proto, tree);
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

  if (proto.max_hold().empty()) return check.Error("max_hold", "max_hold: required");
  absl::StatusOr<Span> max_hold = check.SpanAt("max_hold", proto.max_hold());
  if (!max_hold.ok()) return max_hold.status();
  // A hold is limited in wall time (it stops the business clock), so a day is 24 hours.
  policy.max_hold_ = max_hold->time + absl::Hours(24) * max_hold->days;
  return policy;
}

const SeverityRules& Policy::For(v1::Severity severity) const {
  return rules_.at(severity - 1);  // throws rather than read past the array
}

std::vector<std::string> Policy::ChainTeams() const {
  std::vector<std::string> teams;
  for (const SeverityRules& rules : rules_) {
    for (const ChainLevel& level : rules.chain) {
      if (level.kind == ChainLevel::Kind::kTeam &&
          std::find(teams.begin(), teams.end(), level.team) == teams.end()) {
        teams.push_back(level.team);
      }
    }
  }
  return teams;
}

}  // namespace amends
