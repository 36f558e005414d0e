#include "server/core/kinds.h"

namespace amends {

bool IsClientFacing(v1::Kind kind) {
  switch (kind) {
    case v1::KIND_MISSED_APPOINTMENT:
    case v1::KIND_LATE_DELIVERABLE:
    case v1::KIND_DELIVERY_DELAY:
    case v1::KIND_COMPLAINT:
    case v1::KIND_OTHER:
      return true;
    case v1::KIND_UNSPECIFIED:
    case v1::KIND_HARASSMENT:
    case v1::KIND_HAND_OVER:
    case v1::KIND_CONDUCT:
      return false;
    case v1::Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Kind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return false;
}

}  // namespace amends
