// Conversions between absl::Time and google.protobuf.Timestamp. Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_TIME_PROTO_H_
#define AMENDS_SERVER_CORE_TIME_PROTO_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace amends {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {  // Timestamp wants non-negative nanos
    rem += 1000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem * 1000));
  return ts;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_TIME_PROTO_H_
