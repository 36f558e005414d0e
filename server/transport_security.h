// Transport security of amendsd's listening port: TLS from certificate files, mutual TLS with a
// client CA, and the rule that a plaintext port is only for loopback.
//
//   absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
//       ServerCredentialsFor({.listen = "0.0.0.0:50051", .cert_file = "...", .key_file = "..."});
//
// Guarantees: TLS credentials come from gRPC's FileWatcherCertificateProvider, which reads the
// files again every kCertificateRefresh, so renewed certificates are served without a restart.
// The files are checked once here (readable, PEM of a certificate and a key), so that a mistake
// stops amendsd at start with the flag named rather than failing every handshake. Without
// certificates the port is plaintext, which is refused (INVALID_ARGUMENT: "--listen
// 0.0.0.0:50051: ...") for any address other than loopback unless `insecure` is set.
// Pure except for reading the files; thread-safe.
#ifndef AMENDS_SERVER_TRANSPORT_SECURITY_H_
#define AMENDS_SERVER_TRANSPORT_SECURITY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"

namespace amends {

inline constexpr absl::Duration kCertificateRefresh = absl::Seconds(10);

struct TransportSecurity {
  std::string listen;     // "127.0.0.1:50051", "[::1]:0", "0.0.0.0:50051", "amends.local:443"
  std::string cert_file;  // --tls-cert: PEM certificate chain; empty: no TLS
  std::string key_file;   // --tls-key: PEM private key
  std::string client_ca;  // --client-ca: PEM CA that client certificates must be signed by
  bool insecure = false;  // --insecure: plaintext on a non-loopback address, knowingly
};

// The credentials to listen with; INVALID_ARGUMENT naming the flag for a missing or unreadable
// file, a key without a certificate (or the reverse), a client CA without TLS, or plaintext on
// a non-loopback address without `insecure`.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TransportSecurity& security);

}  // namespace amends

#endif  // AMENDS_SERVER_TRANSPORT_SECURITY_H_
