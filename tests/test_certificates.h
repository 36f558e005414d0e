// Test files: a temporary directory, whole-file reads and writes, and certificates made by the
// `openssl` command at test time (TLS for SMTP, gRPC and mutual TLS). For tests only.
#ifndef AMENDS_TESTS_TEST_CERTIFICATES_H_
#define AMENDS_TESTS_TEST_CERTIFICATES_H_

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/process.h"

namespace amends {

// A directory made under $TMPDIR (or /tmp) and removed, with its content, on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "amends-test") {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp && *tmp ? tmp : "/tmp", "/", prefix, "-XXXXXX");
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }  // empty if it could not be made
  std::string File(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

 private:
  std::string path_;
};

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline bool WriteWholeFile(const std::string& path, absl::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

// A certificate authority, a server certificate it signed for 127.0.0.1 and localhost, and a
// client certificate it signed (for mutual TLS), valid for two days, made by the `openssl`
// command. `error` is empty when all went well.
struct TestCertificates {
  std::shared_ptr<TempDir> dir;
  std::string ca_file;    // PEM: the CA's certificate, for ca_file / CURLOPT_CAINFO
  std::string cert_file;  // PEM: the server's certificate
  std::string key_file;   // PEM: the server's key, unencrypted
  std::string client_cert_file;  // PEM: a client's certificate ("CN=amends test client")
  std::string client_key_file;   // PEM: its key, unencrypted
  std::string error;
};

inline TestCertificates MakeTestCertificates() {
  TestCertificates certs;
  certs.dir = std::make_shared<TempDir>("amends-certs");
  const TempDir& d = *certs.dir;
  certs.ca_file = d.File("ca.pem");
  certs.cert_file = d.File("server.pem");
  certs.key_file = d.File("server.key");
  certs.client_cert_file = d.File("client.pem");
  certs.client_key_file = d.File("client.key");
  WriteWholeFile(d.File("server.ext"),
                 "basicConstraints=critical,CA:FALSE\n"
                 "keyUsage=critical,digitalSignature,keyEncipherment\n"
                 "extendedKeyUsage=serverAuth\n"
                 "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  WriteWholeFile(d.File("client.ext"),
                 "basicConstraints=critical,CA:FALSE\n"
                 "keyUsage=critical,digitalSignature\n"
                 "extendedKeyUsage=clientAuth\n");
  const std::vector<std::vector<std::string>> steps = {
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", d.File("ca.key"), "-out", certs.ca_file, "-days", "2", "-subj",
       "/CN=amends test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
       "keyUsage=critical,keyCertSign,cRLSign"},
      {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", certs.key_file, "-out", d.File("server.csr"), "-subj", "/CN=localhost"},
      {"openssl", "x509", "-req", "-in", d.File("server.csr"), "-CA", certs.ca_file, "-CAkey",
       d.File("ca.key"), "-CAcreateserial", "-out", certs.cert_file, "-days", "2", "-extfile",
       d.File("server.ext")},
      {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", certs.client_key_file, "-out", d.File("client.csr"), "-subj",
       "/CN=amends test client"},
      {"openssl", "x509", "-req", "-in", d.File("client.csr"), "-CA", certs.ca_file, "-CAkey",
       d.File("ca.key"), "-CAcreateserial", "-out", certs.client_cert_file, "-days", "2",
       "-extfile", d.File("client.ext")},
  };
  for (const std::vector<std::string>& argv : steps) {
    std::vector<std::string> full = {"/usr/bin/env"};
    full.insert(full.end(), argv.begin(), argv.end());
    RunResult r = RunCommand(full);
    if (r.exit_code != 0) {
      certs.error = absl::StrCat("openssl ", argv[1], " failed (", r.exit_code, "): ", r.err);
      break;
    }
  }
  return certs;
}

}  // namespace amends

#endif  // AMENDS_TESTS_TEST_CERTIFICATES_H_
