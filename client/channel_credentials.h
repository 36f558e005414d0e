// The credentials the CLI connects with: plaintext, TLS against the system's roots or a CA file,
// and a client certificate for mutual TLS.
//
//   absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
//       ChannelCredentialsFor({.tls = true, .ca_file = "ca.pem"});
//
// Guarantees: --ca implies TLS; --cert and --key go together and imply TLS; each file is read
// here, so that a missing one is reported naming its flag (INVALID_ARGUMENT) before any
// connection. Without --ca the system's roots verify the server. Thread-safe.
#ifndef AMENDS_CLIENT_CHANNEL_CREDENTIALS_H_
#define AMENDS_CLIENT_CHANNEL_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"

namespace amends::cli {

struct ChannelSecurity {
  bool tls = false;       // --tls (AMENDS_TLS=1)
  std::string ca_file;    // --ca (AMENDS_CA): PEM roots to verify the server with
  std::string cert_file;  // --cert: PEM client certificate, for servers that require one
  std::string key_file;   // --key: its PEM private key
};

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ChannelSecurity& security);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_CHANNEL_CREDENTIALS_H_
