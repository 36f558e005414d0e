#include "server/mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/mail/mime.h"
#include "server/mail/secret_file.h"
#include "server/mail/notify_config.h"

namespace amends {
namespace {

constexpr size_t kMaxAnswer = 300;
// A connection idle longer than this is closed rather than reused (libcurl's default is 118s;
// mail servers commonly drop idle clients after 300s).
constexpr long kMaxIdle = 60;
// At most this many idle handles (and their connections) are kept.
constexpr size_t kMaxIdleHandles = 16;

// One line of at most kMaxAnswer bytes, no control characters.
std::string OneLine(absl::string_view text) {
  std::string line = HeaderSafe(absl::StripAsciiWhitespace(text));
  if (line.size() > kMaxAnswer) line.resize(kMaxAnswer);
  return line;
}

// What one Send() shares with libcurl's callbacks.
struct Transfer {
  absl::string_view upload;  // the message, consumed as curl reads it
  std::string last_line;     // the server's latest answer line, before any QUIT
  bool quit_sent = false;    // after a failure libcurl says QUIT; "221 Bye" is no answer
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t n = std::min(size * count, transfer->upload.size());
  std::memcpy(buffer, transfer->upload.data(), n);
  transfer->upload.remove_prefix(n);
  return n;
}

int KeepServerLines(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  absl::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT && absl::StartsWithIgnoreCase(text, "QUIT")) {
    transfer->quit_sent = true;
  }
  if (type != CURLINFO_HEADER_IN || transfer->quit_sent) return 0;
  // Usually one line a call; of several, the last is the answer's final one.
  text = absl::StripTrailingAsciiWhitespace(text);
  if (size_t newline = text.rfind('\n'); newline != text.npos) text.remove_prefix(newline + 1);
  if (!text.empty()) transfer->last_line = std::string(text);
  return 0;
}

// Failures that a retry cannot mend: the configuration or the server's set-up must change.
bool PermanentCurlError(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SmtpMailer>> SmtpMailer::Make(const v1::Smtp& config) {
  if (absl::Status checked = CheckSmtp(config); !checked.ok()) return checked;
  const SmtpEndpoint endpoint = *ParseSmtpServer(config.server());
  InitCurlOnce();

  std::unique_ptr<SmtpMailer> mailer(new SmtpMailer());
  v1::Smtp::Security security = config.security();
  if (security == v1::Smtp::SECURITY_UNSPECIFIED && endpoint.port == 465) {
    security = v1::Smtp::SECURITY_IMPLICIT_TLS;
  }
  const std::string host =
      absl::StrContains(endpoint.host, ':') ? absl::StrCat("[", endpoint.host, "]") : endpoint.host;
  const bool implicit = security == v1::Smtp::SECURITY_IMPLICIT_TLS;
  mailer->url_ = absl::StrCat(implicit ? "smtps://" : "smtp://", host, ":", endpoint.port);
  switch (security) {
    case v1::Smtp::SECURITY_PLAIN:
      mailer->use_ssl_ = CURLUSESSL_NONE;
      break;
    case v1::Smtp::SECURITY_UNSPECIFIED:
      mailer->use_ssl_ = endpoint.loopback ? CURLUSESSL_TRY : CURLUSESSL_ALL;
      break;
    default:  // STARTTLS; for smtps:// libcurl does TLS whatever this says
      mailer->use_ssl_ = CURLUSESSL_ALL;
      break;
  }

  if (!config.ca_file().empty()) {
    absl::StatusOr<std::string> ca = ReadConfigFile("smtp.ca_file", config.ca_file());
    if (!ca.ok()) return ca.status();
    mailer->ca_file_ = config.ca_file();
  }
  if (!config.username().empty()) {
    absl::StatusOr<std::string> password =
        ReadSecretFile("smtp.password_file", config.password_file());
    if (!password.ok()) return password.status();
    mailer->username_ = config.username();
    mailer->password_ = *std::move(password);
  }
  mailer->envelope_from_ = BareAddress(config.from());
  mailer->from_header_ = config.from();
  mailer->timeout_ = SmtpTimeoutOf(config);
  return mailer;
}

SmtpMailer::~SmtpMailer() = default;  // each idle handle says QUIT as it is cleaned up

CurlHandle SmtpMailer::TakeHandle() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      CurlHandle handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return CurlHandle(curl_easy_init());
}

void SmtpMailer::GiveBack(CurlHandle handle) {
  absl::MutexLock lock(&mu_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

MailOutcome SmtpMailer::Send(const MailMessage& message) {
  MailOutcome outcome;
  const std::string to = BareAddress(HeaderSafe(message.to));
  if (!absl::StrContains(to, '@') || to.find_first_of(" <>") != to.npos) {
    outcome.permanent = true;
    outcome.answer = OneLine(absl::StrCat("not a mail address: \"", message.to, "\""));
    return outcome;
  }
  CurlHandle curl = TakeHandle();
  if (curl == nullptr) {
    outcome.answer = "libcurl: cannot make a handle";
    return outcome;
  }
  const std::string bytes = BuildMessage(message, from_header_);
  Transfer transfer{.upload = bytes};
  const std::string mail_from = absl::StrCat("<", envelope_from_, ">");
  CurlList rcpt(
      curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str()));
  char error[CURL_ERROR_SIZE] = {0};
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(timeout_));

  CURL* c = curl.get();
  // A reset keeps the handle's open connection, which the transfer below reuses if the server
  // still holds it (libcurl checks), and forgets every option of the previous message.
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // several threads; timeouts without SIGALRM
  curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl_);
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  if (!username_.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, username_.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
  }
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  // Bounds the wait for the answer to a closing QUIT too, which CURLOPT_TIMEOUT does not
  // (libcurl's own default is two minutes). Whole seconds only in this libcurl.
  const long timeout_s =
      static_cast<long>(absl::ToInt64Seconds(absl::Ceil(timeout_, absl::Seconds(1))));
  curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, std::max(1L, timeout_s));
  curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, kMaxIdle);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  // VERBOSE only routes the protocol to KeepServerLines; nothing is printed.
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, KeepServerLines);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transfer);

  CURLcode result = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  long new_connections = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &new_connections);
  if (result != CURLE_OK && code == 0 && new_connections == 0) {
    // A reused connection that the server had just closed, unknown to libcurl when it checked:
    // the message is not at fault. Once more on a new connection.
    transfer = Transfer{.upload = bytes};
    error[0] = '\0';
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    result = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  }
  const std::string last_line = transfer.last_line;
  // The handle outlives this call's buffers: it must point at none of them when it next
  // speaks (a QUIT when it is cleaned up).
  curl_easy_setopt(c, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, nullptr);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(c, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, nullptr);
  GiveBack(std::move(curl));

  if (result == CURLE_OK) {
    outcome.delivered = true;
    outcome.answer = OneLine(last_line.empty() ? absl::StrCat(code) : last_line);
  } else if (code >= 400 && !last_line.empty()) {
    outcome.permanent = code >= 500;
    outcome.answer = OneLine(last_line);
  } else {
    outcome.permanent = PermanentCurlError(result);
    outcome.answer =
        OneLine(absl::StrCat(url_, ": ", error[0] != '\0' ? error : curl_easy_strerror(result)));
  }
  return outcome;
}

}  // namespace amends
