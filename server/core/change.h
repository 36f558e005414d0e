// Change: what one accepted action does to an incident, ready to be committed.
// Plain value; freely copyable.
#ifndef AMENDS_SERVER_CORE_CHANGE_H_
#define AMENDS_SERVER_CORE_CHANGE_H_

#include "amends/v1/amends.pb.h"

namespace amends {

struct Change {
  v1::Incident incident;  // as it stands after the change, version + 1
  v1::Event event;        // exactly one; sequence is assigned when the change is committed
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_CHANGE_H_
