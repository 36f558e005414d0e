#include "server/core/correction.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "server/core/client_name.h"
#include "server/core/kinds.h"
#include "server/core/recurrence.h"
#include "server/core/text.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

using v1::Incident;

// "SEVERITY_HIGH" -> "high", "KIND_MISSED_APPOINTMENT" -> "missed-appointment", as the CLI
// spells them.
std::string Spelled(absl::string_view name, absl::string_view prefix) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(absl::StripPrefix(name, prefix)),
                             {{"_", "-"}});
}
std::string Spelled(v1::Severity s) { return Spelled(v1::Severity_Name(s), "SEVERITY_"); }
std::string Spelled(v1::Kind k) { return Spelled(v1::Kind_Name(k), "KIND_"); }

bool Given(const Correction& c) {
  return c.severity != v1::SEVERITY_UNSPECIFIED || c.summary || c.details || c.client ||
         c.contact || c.kind != v1::KIND_UNSPECIFIED || c.confidential;
}

absl::Status Unchanged(absl::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": the same as now; give only what changes"));
}

absl::Status CheckSeverity(const Correction& c, absl::string_view reason,
                           const Incident& incident, const Actor& actor) {
  if (c.severity == v1::SEVERITY_UNSPECIFIED) return absl::OkStatus();
  if (!v1::Severity_IsValid(c.severity)) {
    return absl::InvalidArgumentError(
        absl::StrCat("severity: unknown value ", static_cast<int>(c.severity)));
  }
  if (c.severity == incident.severity()) {
    return absl::InvalidArgumentError(absl::StrCat("severity: incident ", incident.id(),
                                                   " is already ", Spelled(c.severity)));
  }
  if (c.severity < incident.severity() && !ManagesTeam(actor, incident.team())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "lowering the severity (", Spelled(incident.severity()), " -> ", Spelled(c.severity),
        ") needs role manager, since it gives every deadline more time; you are ",
        RoleName(actor.role)));
  }
  if (CheckRequired("reason", reason, kMaxLongTextBytes).ok()) return absl::OkStatus();
  if (!CheckBytes("reason", reason, kMaxLongTextBytes).ok()) {
    return CheckBytes("reason", reason, kMaxLongTextBytes);
  }
  return absl::InvalidArgumentError("reason: required with severity: say why it changes");
}

absl::Status CheckTexts(const Correction& c, const Incident& incident) {
  if (c.summary) {
    if (auto s = CheckRequired("summary", *c.summary, kMaxLongTextBytes); !s.ok()) return s;
    if (auto s = CheckChars("summary", *c.summary, kMaxSummaryChars); !s.ok()) return s;
    if (*c.summary == incident.summary()) return Unchanged("summary");
  }
  if (c.details) {
    if (auto s = CheckBytes("details", *c.details, kMaxLongTextBytes); !s.ok()) return s;
    if (*c.details == incident.details()) return Unchanged("details");
  }
  if (c.client) {
    if (auto s = CheckRequired("client", *c.client, kMaxNameBytes); !s.ok()) return s;
    if (ClientKey(*c.client).empty()) {
      return absl::InvalidArgumentError("client: a name needs visible text");
    }
    if (*c.client == incident.client().name()) return Unchanged("client");
  }
  if (c.contact) {
    if (auto s = CheckBytes("contact", *c.contact, kMaxNameBytes); !s.ok()) return s;
    if (*c.contact == incident.client().contact()) return Unchanged("contact");
  }
  return absl::OkStatus();
}

absl::Status CheckKind(const Correction& c, const Incident& incident) {
  if (c.kind == v1::KIND_UNSPECIFIED) return absl::OkStatus();
  if (!v1::Kind_IsValid(c.kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: unknown value ", static_cast<int>(c.kind)));
  }
  if (c.kind == incident.kind()) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: incident ", incident.id(), " is already ", Spelled(c.kind)));
  }
  const Playbook from = PlaybookOf(incident.kind());
  const Playbook to = PlaybookOf(c.kind);
  if (from != to) {
    return absl::FailedPreconditionError(absl::StrCat(
        "kind: incident ", incident.id(), " is ", PlaybookName(from), " and ", Spelled(c.kind),
        " would make it ", PlaybookName(to), ", which follows another playbook: close it with "
        "a reason and report it anew"));
  }
  return absl::OkStatus();
}

// Whoever holds open work in the case must still read it once it is confidential.
absl::Status CheckConfidential(const Correction& c, const Incident& incident) {
  if (!c.confidential) return absl::OkStatus();
  if (incident.confidential()) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidential: incident ", incident.id(), " already is"));
  }
  Incident after = incident;
  after.set_confidential(true);
  auto check = [&](const std::string& user, absl::string_view what) -> absl::Status {
    const auto holder = std::find_if(c.holders.begin(), c.holders.end(),
                                     [&](const Actor& a) { return a.name == user; });
    if (holder != c.holders.end() && CanRead(after, *holder)) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "confidential: ", user, " holds ", what, " and could not read incident ", incident.id(),
        " once confidential (only its reporter, its owner and the managers of ",
        incident.team(), " do): give it to someone who can first"));
  };
  for (const v1::PreventionMeasure& m : incident.measures()) {
    if (m.has_done_at()) continue;
    if (auto s = check(m.owner(), absl::StrCat("measure ", m.number())); !s.ok()) return s;
  }
  for (const v1::Promise& p : incident.promises()) {
    if (p.has_kept_at()) continue;
    if (auto s = check(p.owner(), absl::StrCat("promise ", p.number())); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// What the client's links say after a correction of the client, for the timeline.
std::string Links(const Incident& before, const Incident& after) {
  std::vector<std::string> notes;
  auto ids = [](const auto& links) {
    return absl::StrJoin(links, ", ", [](std::string* out, const v1::RelatedIncident& r) {
      absl::StrAppend(out, "#", r.id());
    });
  };
  if (after.recurrence()) {
    notes.push_back(absl::StrCat("a recurrence of ", ids(after.earlier_incidents())));
  } else if (before.recurrence()) {
    notes.push_back("no longer a recurrence");
  }
  if (after.related_open_size() > 0) {
    notes.push_back(absl::StrCat("related, open: ", ids(after.related_open())));
  }
  if (notes.empty()) return "";
  return absl::StrCat(" (", absl::StrJoin(notes, "; "), ")");
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

absl::Status CheckCorrection(const Correction& c, absl::string_view reason,
                             const Incident& incident, const Actor& actor) {
  if (!Given(c)) {
    return absl::InvalidArgumentError(
        "nothing to correct: give severity, summary, details, client, contact, kind or "
        "confidential");
  }
  if (auto s = CheckSeverity(c, reason, incident, actor); !s.ok()) return s;
  if (auto s = CheckBytes("reason", reason, kMaxLongTextBytes); !s.ok()) return s;
  if (auto s = CheckTexts(c, incident); !s.ok()) return s;
  if (auto s = CheckKind(c, incident); !s.ok()) return s;
  return CheckConfidential(c, incident);
}

void ApplyCorrection(const Correction& c, Incident& incident, const Rules& rules,
                     absl::Time now) {
  const Incident before = incident;
  if (c.kind != v1::KIND_UNSPECIFIED) incident.set_kind(c.kind);
  if (c.summary) incident.set_summary(*c.summary);
  if (c.details) incident.set_details(*c.details);
  if (c.contact) incident.mutable_client()->set_contact(*c.contact);
  if (c.client) {
    const bool another = ClientKey(*c.client) != ClientKey(incident.client().name());
    incident.mutable_client()->set_name(*c.client);
    if (another) {
      LinkClientIncidents(incident, c.client_incidents);
      // As at report: the last plan with this client did not hold. A severity given with the
      // correction is the one wanted.
      if (incident.recurrence() && !before.recurrence() &&
          c.severity == v1::SEVERITY_UNSPECIFIED) {
        RaiseOnRecurrence(incident, rules.policy);
      }
    }
  }
  if (c.severity != v1::SEVERITY_UNSPECIFIED) incident.set_severity(c.severity);
  if (c.confidential) incident.set_confidential(true);
  if (incident.severity() != before.severity() || incident.kind() != before.kind()) {
    RecomputeStageDeadlines(incident, before, rules, now);
  }
}

std::string CorrectionText(const Correction& c, absl::string_view reason,
                           const Incident& before, const Incident& after) {
  std::vector<std::string> parts;
  if (after.severity() != before.severity()) {
    parts.push_back(absl::StrCat("severity ", Spelled(before.severity()), " -> ",
                                 Spelled(after.severity()),
                                 c.severity == v1::SEVERITY_UNSPECIFIED ? " (recurrence)" : ""));
  }
  if (c.summary) {
    parts.push_back(
        absl::StrCat("summary \"", before.summary(), "\" -> \"", after.summary(), "\""));
  }
  if (c.details) parts.push_back(after.details().empty() ? "details removed" : "details changed");
  if (c.client) {
    const bool another = ClientKey(before.client().name()) != ClientKey(after.client().name());
    parts.push_back(absl::StrCat("client ", before.client().name(), " -> ",
                                 after.client().name(), another ? Links(before, after) : ""));
  }
  if (c.contact) {
    parts.push_back(absl::StrCat("contact ", OrDash(before.client().contact()), " -> ",
                                 OrDash(after.client().contact())));
  }
  if (after.kind() != before.kind()) {
    parts.push_back(absl::StrCat("kind ", Spelled(before.kind()), " -> ", Spelled(after.kind())));
  }
  if (c.confidential) parts.push_back("made confidential");
  std::string text = absl::StrJoin(parts, "; ");
  if (!reason.empty()) absl::StrAppend(&text, "; reason: ", reason);
  return text;
}

}  // namespace amends
