#include "server/transport_security.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "server/core/loopback.h"
#include "server/flag_file.h"

namespace amends {
namespace {

// INVALID_ARGUMENT naming `flag` unless `path` can be read and holds a PEM block of `kind`
// ("CERTIFICATE", "PRIVATE KEY": any "-----BEGIN ... PRIVATE KEY-----").
absl::Status CheckPemFile(absl::string_view flag, const std::string& path,
                          absl::string_view kind) {
  absl::StatusOr<std::string> text = ReadFlagFile(flag, path);
  if (!text.ok()) return text.status();
  const std::string& content = *text;
  const bool found = kind == "CERTIFICATE"
                         ? absl::StrContains(content, "-----BEGIN CERTIFICATE-----")
                         : absl::StrContains(content, "PRIVATE KEY-----");
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", path, " holds no PEM ", absl::AsciiStrToLower(kind)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TransportSecurity& s) {
  if (s.cert_file.empty() != s.key_file.empty()) {
    return absl::InvalidArgumentError(s.cert_file.empty()
                                          ? "--tls-key: needs --tls-cert, the certificate chain"
                                          : "--tls-cert: needs --tls-key, its private key");
  }
  if (s.cert_file.empty()) {
    if (!s.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--client-ca: needs --tls-cert and --tls-key: client certificates are checked over TLS");
    }
    if (!s.insecure && !IsLoopbackListen(s.listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen ", s.listen,
          ": refusing to serve without TLS beyond this machine: tokens and confidential cases "
          "would cross the network in clear. Give --tls-cert and --tls-key, listen on "
          "127.0.0.1, or pass --insecure if something else encrypts the traffic"));
    }
    return grpc::InsecureServerCredentials();
  }
  if (absl::Status ok = CheckPemFile("--tls-cert", s.cert_file, "CERTIFICATE"); !ok.ok()) {
    return ok;
  }
  if (absl::Status ok = CheckPemFile("--tls-key", s.key_file, "PRIVATE KEY"); !ok.ok()) return ok;
  if (!s.client_ca.empty()) {
    if (absl::Status ok = CheckPemFile("--client-ca", s.client_ca, "CERTIFICATE"); !ok.ok()) {
      return ok;
    }
  }
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      s.key_file, s.cert_file, s.client_ca,
      static_cast<unsigned int>(absl::ToInt64Seconds(kCertificateRefresh)));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (s.client_ca.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace amends
