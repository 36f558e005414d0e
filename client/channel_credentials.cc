#include "client/channel_credentials.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/i18n.h"

namespace amends::cli {
namespace {

absl::StatusOr<std::string> ReadPem(absl::string_view flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", absl::Substitute(Tr("cannot read $0"), path)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", absl::Substitute(Tr("$0 is not a PEM file"), path)));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ChannelSecurity& s) {
  if (s.cert_file.empty() != s.key_file.empty()) {
    // The flag each names stays outside the message: error_text.cc reads it from there.
    return absl::InvalidArgumentError(
        s.cert_file.empty() ? absl::StrCat("--key: ", absl::Substitute(Tr("needs $0"), "--cert"))
                            : absl::StrCat("--cert: ", absl::Substitute(Tr("needs $0"), "--key")));
  }
  if (!s.tls && s.ca_file.empty() && s.cert_file.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  if (!s.ca_file.empty()) {
    absl::StatusOr<std::string> roots = ReadPem("--ca", s.ca_file);
    if (!roots.ok()) return roots.status();
    options.pem_root_certs = *std::move(roots);
  }
  if (!s.cert_file.empty()) {
    absl::StatusOr<std::string> cert = ReadPem("--cert", s.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem("--key", s.key_file);
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *std::move(cert);
    options.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(options);
}

}  // namespace amends::cli
