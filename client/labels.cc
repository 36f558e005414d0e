#include "client/labels.h"

#include "client/enum_names.h"
#include "client/i18n.h"

namespace amends::cli {

// Each msgid is the value's command-line spelling, so that English needs no catalog; a value
// this build does not know keeps its spelling (CliName: its number).

std::string Label(amends::v1::State state) {
  switch (state) {
    case amends::v1::STATE_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::STATE_REPORTED: return Tr("reported");
    case amends::v1::STATE_ESCALATED: return Tr("escalated");
    case amends::v1::STATE_APOLOGY_VISIT: return Tr("apology-visit");
    case amends::v1::STATE_PREVENTION_PLAN: return Tr("prevention-plan");
    case amends::v1::STATE_FOLLOW_UP: return Tr("follow-up");
    case amends::v1::STATE_CLOSED: return Tr("closed");
    case amends::v1::State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::State_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(state);
}

std::string Label(amends::v1::Kind kind) {
  switch (kind) {
    case amends::v1::KIND_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::KIND_MISSED_APPOINTMENT: return Tr("missed-appointment");
    case amends::v1::KIND_LATE_DELIVERABLE: return Tr("late-deliverable");
    case amends::v1::KIND_DELIVERY_DELAY: return Tr("delivery-delay");
    case amends::v1::KIND_COMPLAINT: return Tr("complaint");
    case amends::v1::KIND_HARASSMENT: return Tr("harassment");
    case amends::v1::KIND_HAND_OVER: return Tr("hand-over");
    case amends::v1::KIND_CONDUCT: return Tr("conduct");
    case amends::v1::KIND_OTHER: return Tr("other");
    case amends::v1::Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Kind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(kind);
}

std::string Label(amends::v1::Severity severity) {
  switch (severity) {
    case amends::v1::SEVERITY_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::SEVERITY_LOW: return Tr("low");
    case amends::v1::SEVERITY_MEDIUM: return Tr("medium");
    case amends::v1::SEVERITY_HIGH: return Tr("high");
    case amends::v1::SEVERITY_CRITICAL: return Tr("critical");
    case amends::v1::Severity_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Severity_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(severity);
}

}  // namespace amends::cli
