#include "server/core/kinds.h"

namespace amends {

Playbook PlaybookOf(v1::Kind kind) {
  switch (kind) {
    case v1::KIND_UNSPECIFIED:
    case v1::KIND_MISSED_APPOINTMENT:
    case v1::KIND_LATE_DELIVERABLE:
    case v1::KIND_DELIVERY_DELAY:
    case v1::KIND_COMPLAINT:
    case v1::KIND_OTHER:
      return Playbook::kClientFacing;
    case v1::KIND_HARASSMENT:
      return Playbook::kHarassment;
    case v1::KIND_CONDUCT:
      return Playbook::kConduct;
    case v1::KIND_HAND_OVER:
      return Playbook::kHandOver;
    case v1::Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Kind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return Playbook::kClientFacing;
}

bool IsClientFacing(v1::Kind kind) {
  return kind != v1::KIND_UNSPECIFIED && PlaybookOf(kind) == Playbook::kClientFacing;
}

absl::string_view PlaybookName(Playbook playbook) {
  switch (playbook) {
    case Playbook::kClientFacing:
      return "a client-facing case";
    case Playbook::kHarassment:
      return "a harassment case";
    case Playbook::kConduct:
      return "a conduct case";
    case Playbook::kHandOver:
      return "a hand-over";
  }
  return "a case";
}

}  // namespace amends
