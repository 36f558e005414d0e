// Policy: the deadline rules of a server, compiled from the text-format policy file
// (proto/amends/v1/policy.proto; the documented default is deploy/policy.textproto).
//
// Parse() checks everything a typo could break and names the line and field of the first
// problem ("policy.textproto:12: severity[1].escalate_within: ..."): every severity from LOW
// to CRITICAL present exactly once, every duration positive, reminder leads well formed, a
// chain that starts with the owner, a valid calendar with some working hours, max_hold set.
// That chain teams exist is the server's to check (it needs the store).
//
// Pure: the caller reads the file. Immutable once parsed; thread-safe.
#ifndef AMENDS_SERVER_CORE_POLICY_H_
#define AMENDS_SERVER_CORE_POLICY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "amends/v1/amends.pb.h"
#include "amends/v1/policy.pb.h"
#include "server/core/business_calendar.h"

namespace amends {

// The most an offer of compensation may be, and any approval limit.
inline constexpr int64_t kMaxOfferYen = 1'000'000'000;

struct ReminderLead {
  double fraction_gone = 0;                        // > 0: when this share of the time is gone
  absl::Duration before = absl::ZeroDuration();    // otherwise: this long before due
};

struct ChainLevel {
  enum class Kind { kOwner, kManagers, kTeam };
  Kind kind = Kind::kOwner;
  std::string team;  // kTeam only
};

struct SeverityRules {
  bool wall_clock = false;
  Span first_apology_within;
  Span escalate_within;
  Span approve_within;
  Span visit_within;
  Span plan_within;
  std::vector<Span> follow_up_after;
  std::vector<ReminderLead> reminders;
  std::vector<ChainLevel> chain;  // chain[0] is the owner
  bool raise_on_recurrence = false;
  // The team's managers are told of a new incident at once (default: HIGH and CRITICAL).
  bool tell_managers_on_report = false;
  // Client-facing kinds: the approving manager's own apology, owed from the approval (default:
  // HIGH and CRITICAL, within visit_within); an update to the client at least this often from
  // the report until the plan is presented.
  bool manager_apology_due = false;
  Span manager_apology_within;
  bool updates_due = true;  // false: update_every "none"
  Span update_every;
  // Closing without a manager's reason needs the round's measures verified (MEDIUM and up).
  bool verify_measures = false;
};

// Parses "30m", "4h", "1h30m" (absl::ParseDuration) or "3d"; must be positive and at most a
// year (366d or 8784h).
// INVALID_ARGUMENT naming `field`.
absl::StatusOr<Span> ParseSpan(absl::string_view field, absl::string_view text);

// How incidents of one kind depart from their playbook (kinds.h), defaults filled in.
struct KindRules {
  bool first_apology_due = false;
  int follow_ups = -1;  // how many of the severity's follow_up_after are planned; -1: all
  // Told at once when reported (never the owner), and with tell_chain_top the top level of
  // the severity's chain too (harassment's default).
  std::vector<ChainLevel> tell_on_report;
  bool tell_chain_top = false;
};

class Policy {
 public:
  // `source` names the text in messages (the file name).
  static absl::StatusOr<Policy> Parse(absl::string_view text, absl::string_view source);

  // REQUIRES: severity is LOW..CRITICAL.
  const SeverityRules& For(v1::Severity severity) const;
  // REQUIRES: a valid kind.
  const KindRules& ForKind(v1::Kind kind) const;
  // Who is told at once of a new incident of `kind` and `severity`, each level once.
  std::vector<ChainLevel> TellOnReport(v1::Kind kind, v1::Severity severity) const;
  const v1::Calendar& calendar() const { return calendar_; }
  // The categories a cause may have, "other" among them.
  const std::vector<std::string>& cause_categories() const { return cause_categories_; }
  // What chain level L (from 1) may approve in compensation: offer_limits()[L - 1] yen;
  // levels past the end may approve nothing (an admin's). Increasing.
  const std::vector<int64_t>& offer_limits() const { return offer_limits_; }
  absl::Duration max_hold() const { return max_hold_; }
  // Teams named in any chain or tell_on_report, for the server to check that they exist.
  std::vector<std::string> ChainTeams() const;

 private:
  Policy() = default;

  std::array<SeverityRules, 4> rules_;  // LOW..CRITICAL
  std::array<KindRules, v1::Kind_ARRAYSIZE> kinds_;  // by Kind value
  v1::Calendar calendar_;
  std::vector<std::string> cause_categories_;
  std::vector<int64_t> offer_limits_;
  absl::Duration max_hold_ = absl::ZeroDuration();
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_POLICY_H_
