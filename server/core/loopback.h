// Loopback: whether a host, or a HOST:PORT address, stays on this machine. One rule for every
// place that allows plaintext only to loopback (amendsd's listening port, the SMTP server).
//
//   IsLoopbackHost("127.0.0.1") == IsLoopbackHost("::1") == IsLoopbackHost("localhost") == true
//   IsLoopbackListen("[::1]:50051") == true;  IsLoopbackListen("0.0.0.0:50051") == false
//
// 127.0.0.0/8, ::1 and "localhost" (any case) are loopback; nothing is resolved, so a name such
// as "localhost.example.com" is not. Pure; thread-safe.
#ifndef AMENDS_SERVER_CORE_LOOPBACK_H_
#define AMENDS_SERVER_CORE_LOOPBACK_H_

#include "absl/strings/string_view.h"

namespace amends {

bool IsLoopbackHost(absl::string_view host);

// `listen` is HOST:PORT, an IPv6 host in brackets ("[::1]:0").
bool IsLoopbackListen(absl::string_view listen);

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_LOOPBACK_H_
