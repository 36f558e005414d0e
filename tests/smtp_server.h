// A real SMTP server for tests: tests/smtp_server.py (aiosmtpd, run by /usr/bin/python3) on a
// free loopback port, with what it received readable from the test.
//
//   TestCertificates certs = MakeTestCertificates();      // CA + cert for 127.0.0.1/localhost
//   SmtpServer server({.cert_file = certs.cert_file, .key_file = certs.key_file});
//   ASSERT_TRUE(server.ok()) << server.error();
//   ... send to server.address() ("127.0.0.1:PORT") ...
//   ASSERT_TRUE(server.WaitForMessages(1, absl::Seconds(10)));
//   std::vector<ReceivedMail> mails = server.Received();
//
// Also: SilentServer (accepts connections, never says a word: for timeouts) and UnusedPort()
// (nobody listens there: for refused connections). Everything lives in temporary directories
// removed when the object goes away.
//
// Needs AMENDS_SOURCE_DIR (defined for every test by tests/CMakeLists.txt), /usr/bin/python3
// with aiosmtpd, and `openssl` on PATH for MakeTestCertificates().
//
// Thread-safety: none; use an instance from one thread. The server process itself handles
// any number of connections at once.
#ifndef AMENDS_TESTS_SMTP_SERVER_H_
#define AMENDS_TESTS_SMTP_SERVER_H_

#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/process.h"
#include "tests/test_certificates.h"

namespace amends {

// One message as the server received it.
struct ReceivedMail {
  std::string raw;                             // the bytes after DATA, CRLF line ends
  std::map<std::string, std::string> headers;  // lower-case name -> value, unfolded, first one
  std::string mail_from;                       // envelope: "amends@example.com"
  std::vector<std::string> rcpt_tos;           // envelope
  std::string subject;                         // decoded by Python's email package
  std::string body;                            // decoded text, "\n" line ends
  int peer_port = 0;                           // the client's port: one per connection

  // The header's value, or "" when absent. `name` in any case.
  std::string Header(absl::string_view name) const {
    auto it = headers.find(absl::AsciiStrToLower(name));
    return it == headers.end() ? "" : it->second;
  }
};

// The header section of `raw`, unfolded: "\r\n " continuation lines join their header with
// the CRLF removed (RFC 5322 section 2.2.3).
inline std::map<std::string, std::string> ParseHeaders(absl::string_view raw) {
  std::map<std::string, std::string> headers;
  size_t end = raw.find("\r\n\r\n");
  absl::string_view section = raw.substr(0, end);
  std::string name, value;
  auto flush = [&] {
    if (!name.empty()) headers.emplace(absl::AsciiStrToLower(name), value);
    name.clear();
  };
  for (absl::string_view line : absl::StrSplit(section, "\r\n")) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      value += std::string(line);
      continue;
    }
    flush();
    size_t colon = line.find(':');
    if (colon == line.npos) continue;
    name = std::string(line.substr(0, colon));
    value = std::string(absl::StripLeadingAsciiWhitespace(line.substr(colon + 1)));
  }
  flush();
  return headers;
}

struct SmtpServerOptions {
  // Both: STARTTLS offered and required before MAIL (or, with implicit_tls, TLS from the
  // first byte). MakeTestCertificates() makes them.
  std::string cert_file;
  std::string key_file;
  bool implicit_tls = false;
  std::string auth;  // "USER:PASS": AUTH PLAIN or LOGIN required with these
  int refuse = 0;    // e.g. 550: every RCPT answered "550 5.1.1 <...>: mailbox unavailable"
  std::string refuse_only;  // with refuse: only recipients whose address starts with this
  std::string hold;  // recipients whose address starts with this are answered after 5 seconds
};

class SmtpServer {
 public:
  // Starts the server on a free port and waits (up to 20s) until it listens; see ok().
  explicit SmtpServer(SmtpServerOptions options = {}) : options_(std::move(options)) {
    Start(0);
  }
  ~SmtpServer() { Stop(); }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  bool ok() const { return running(); }
  bool running() const { return process_ != nullptr; }
  // Why it did not start (its stderr), when !ok().
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  // Messages received so far, in order of arrival; those of earlier runs on this instance
  // (before a Restart) included.
  std::vector<ReceivedMail> Received() const {
    std::vector<ReceivedMail> mails;
    for (int n = 1;; ++n) {
      const std::string eml = absl::StrCat(out_.path(), "/", n, ".eml");
      if (!std::filesystem::exists(eml)) break;
      ReceivedMail mail;
      mail.raw = ReadWholeFile(eml);
      mail.headers = ParseHeaders(mail.raw);
      google::protobuf::Struct info;
      if (google::protobuf::util::JsonStringToMessage(
              ReadWholeFile(absl::StrCat(out_.path(), "/", n, ".json")), &info)
              .ok()) {
        const auto& f = info.fields();
        if (f.count("mail_from")) mail.mail_from = f.at("mail_from").string_value();
        if (f.count("subject")) mail.subject = f.at("subject").string_value();
        if (f.count("body")) mail.body = f.at("body").string_value();
        if (f.count("peer_port")) mail.peer_port = static_cast<int>(f.at("peer_port").number_value());
        if (f.count("rcpt_tos")) {
          for (const auto& v : f.at("rcpt_tos").list_value().values()) {
            mail.rcpt_tos.push_back(v.string_value());
          }
        }
      }
      mails.push_back(std::move(mail));
    }
    return mails;
  }

  // Whether at least `n` messages arrived within `timeout` (polled every 20ms).
  bool WaitForMessages(size_t n, absl::Duration timeout) const {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      size_t count = 0;
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(out_.path(), ec)) {
        if (entry.path().extension() == ".eml") ++count;
      }
      if (count >= n) return true;
      if (absl::Now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Stops the server (SIGTERM, then waits). Connections are refused until Restart().
  void Stop() {
    if (process_ == nullptr) return;
    process_->Signal(SIGTERM);
    process_->Wait();
    process_.reset();
  }

  // Starts it again on the same port, with the same options and messages; false if it did
  // not come up (see error()).
  bool Restart() {
    Stop();
    return Start(port_);
  }

 private:
  bool Start(int port) {
    error_.clear();
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     AMENDS_SOURCE_DIR "/tests/smtp_server.py",
                                     "--port",
                                     absl::StrCat(port),
                                     "--out",
                                     out_.path()};
    if (!options_.cert_file.empty()) {
      argv.insert(argv.end(), {"--starttls-cert", options_.cert_file, "--starttls-key",
                               options_.key_file});
      if (options_.implicit_tls) argv.push_back("--implicit-tls");
    }
    if (!options_.auth.empty()) argv.insert(argv.end(), {"--auth", options_.auth});
    if (options_.refuse != 0) argv.insert(argv.end(), {"--refuse", absl::StrCat(options_.refuse)});
    if (!options_.refuse_only.empty()) argv.insert(argv.end(), {"--refuse-only", options_.refuse_only});
    if (!options_.hold.empty()) argv.insert(argv.end(), {"--hold", options_.hold});
    auto process = std::make_unique<ChildProcess>(argv);
    std::string line;
    int listening = 0;
    if (process->started()) process->ReadLineWithin(&line, std::chrono::seconds(20));
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "READY ") || !absl::SimpleAtoi(rest, &listening)) {
      error_ = absl::StrCat("smtp_server.py did not start: \"", line, "\" ",
                            process->started() ? process->Wait().err : "(spawn failed)");
      return false;
    }
    port_ = listening;
    process_ = std::move(process);
    return true;
  }

  SmtpServerOptions options_;
  TempDir out_{"amends-smtp"};
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::string error_;
};

// A loopback port where nobody listens (bound a moment, then released): connecting is refused.
inline int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A loopback server that accepts TCP connections (the kernel completes them) and never sends
// a byte, so a client waiting for the SMTP greeting waits until its own timeout.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd_, 16) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentServer() { close(fd_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return port_; }  // 0 if it could not listen
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace amends

#endif  // AMENDS_TESTS_SMTP_SERVER_H_
