// A real HTTP(S) receiver for webhook tests: tests/http_receiver.py (/usr/bin/python3) on a
// free loopback port, with the requests it received readable from the test.
//
//   TestCertificates certs = MakeTestCertificates();
//   HttpReceiver hook({.cert_file = certs.cert_file, .key_file = certs.key_file});
//   ASSERT_TRUE(hook.ok()) << hook.error();
//   ... POST to hook.url("/hook") ...
//   std::vector<ReceivedRequest> requests = hook.Received();
//
// Thread-safety: none; use an instance from one thread.
#ifndef AMENDS_TESTS_HTTP_RECEIVER_H_
#define AMENDS_TESTS_HTTP_RECEIVER_H_

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/process.h"
#include "tests/test_certificates.h"

namespace amends {

struct ReceivedRequest {
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpReceiverOptions {
  std::string cert_file;  // both: HTTPS
  std::string key_file;
  std::string status = "200";  // codes answered in turn, the last repeating: "500,200"
  int hold_seconds = 0;        // answer only after this long
};

class HttpReceiver {
 public:
  explicit HttpReceiver(HttpReceiverOptions options = {}) {
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     AMENDS_SOURCE_DIR "/tests/http_receiver.py",
                                     "--out",
                                     out_.path(),
                                     "--status",
                                     options.status};
    if (!options.cert_file.empty()) {
      argv.insert(argv.end(), {"--cert", options.cert_file, "--key", options.key_file});
    }
    if (options.hold_seconds > 0) {
      argv.insert(argv.end(), {"--hold", absl::StrCat(options.hold_seconds)});
    }
    https_ = !options.cert_file.empty();
    auto process = std::make_unique<ChildProcess>(argv);
    std::string line;
    if (process->started()) process->ReadLineWithin(&line, std::chrono::seconds(20));
    absl::string_view rest = line;
    if (!absl::ConsumePrefix(&rest, "READY ") || !absl::SimpleAtoi(rest, &port_)) {
      error_ = absl::StrCat("http_receiver.py did not start: \"", line, "\" ",
                            process->started() ? process->Wait().err : "(spawn failed)");
      return;
    }
    process_ = std::move(process);
  }
  ~HttpReceiver() {
    if (process_ == nullptr) return;
    process_->Signal(SIGTERM);
    process_->Wait();
  }
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  bool ok() const { return process_ != nullptr; }
  const std::string& error() const { return error_; }
  // "https://localhost:PORT/path" (the test certificate's name), or http://127.0.0.1:PORT/path.
  std::string url(const std::string& path) const {
    return https_ ? absl::StrCat("https://localhost:", port_, path)
                  : absl::StrCat("http://127.0.0.1:", port_, path);
  }

  std::vector<ReceivedRequest> Received() const {
    std::vector<ReceivedRequest> requests;
    for (int n = 1;; ++n) {
      const std::string file = absl::StrCat(out_.path(), "/", n, ".json");
      if (!std::filesystem::exists(file)) break;
      google::protobuf::Struct record;
      if (!google::protobuf::util::JsonStringToMessage(ReadWholeFile(file), &record).ok()) break;
      const auto& f = record.fields();
      ReceivedRequest r;
      r.path = f.at("path").string_value();
      r.body = f.at("body").string_value();
      for (const auto& [name, value] : f.at("headers").struct_value().fields()) {
        r.headers[name] = value.string_value();
      }
      requests.push_back(std::move(r));
    }
    return requests;
  }

  // Whether at least `n` requests arrived within `timeout` (polled every 20ms).
  bool WaitForRequests(size_t n, absl::Duration timeout) const {
    const absl::Time deadline = absl::Now() + timeout;
    while (Received().size() < n) {
      if (absl::Now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

 private:
  TempDir out_{"amends-http"};
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  bool https_ = false;
  std::string error_;
};

}  // namespace amends

#endif  // AMENDS_TESTS_HTTP_RECEIVER_H_
