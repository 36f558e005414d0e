// The mail path through a real SMTP server (tests/smtp_server.py, aiosmtpd) on loopback:
// SmtpMailer over plain, STARTTLS and implicit TLS with certificates made by openssl now,
// AUTH, refusals, dead and silent servers; the MIME encoding; the --notify configuration.
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/mail/mime.h"
#include "server/mail/notify_config.h"
#include "server/mail/smtp_mailer.h"
#include "tests/smtp_server.h"

namespace amends {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const char kJapaneseSubject[] = "【至急】ABC商事様との打ち合わせに遅刻しました";
const char kJapaneseBody[] =
    "佐藤です。\n"
    "本日15:00のお約束を失念しておりました。\n"
    "至急ご対応ください。\n";

MailMessage JapaneseMessage(absl::string_view to = "tanaka@example.com") {
  return MailMessage{.to = std::string(to),
                     .subject = kJapaneseSubject,
                     .body = kJapaneseBody,
                     .message_id = "<n42.7@amends.example.com>",
                     .date = absl::FromCivil(absl::CivilSecond(2024, 5, 7, 15, 0, 0),
                                             absl::FixedTimeZone(9 * 3600))};
}

v1::Smtp SmtpTo(const std::string& server) {
  v1::Smtp smtp;
  smtp.set_server(server);
  smtp.set_from("amends <amends@example.com>");
  smtp.set_timeout("10s");
  return smtp;
}

std::unique_ptr<SmtpMailer> MakeMailer(const v1::Smtp& smtp) {
  absl::StatusOr<std::unique_ptr<SmtpMailer>> mailer = SmtpMailer::Make(smtp);
  EXPECT_TRUE(mailer.ok()) << mailer.status();
  return mailer.ok() ? *std::move(mailer) : nullptr;
}

std::string DecodeBase64(absl::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "<bad base64>";
  out.resize(n);
  size_t padding = text.size() - text.find_last_not_of('=') - 1;
  out.resize(out.size() - padding);  // EVP_DecodeBlock counts the padding as zero bytes
  return out;
}

// Whether `bytes` is whole UTF-8 characters: starts on a lead byte, ends after a last one.
bool WholeUtf8(absl::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    unsigned char c = bytes[i];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (n == 0 || i + n > bytes.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// ---- MIME ----

TEST(EncodeHeaderWord, PrintableAsciiPassesUnchanged) {
  EXPECT_EQ(EncodeHeaderWord("Incident #42 escalated: ABC Corp"),
            "Incident #42 escalated: ABC Corp");
  EXPECT_EQ(EncodeHeaderWord(""), "");
}

TEST(EncodeHeaderWord, LongJapaneseIsSplitAtCharacterBoundariesIntoWordsOfAtMost75) {
  std::string subject;
  for (int i = 0; i < 6; ++i) subject += kJapaneseSubject;  // about 130 characters
  subject += "😀 end";  // a 4-byte character and ASCII too
  const std::string encoded = EncodeHeaderWord(subject, 9);
  std::vector<std::string> words = absl::StrSplit(encoded, "\r\n ");
  ASSERT_GT(words.size(), 5u);
  EXPECT_LE(9 + words[0].size(), 76u) << "Subject: and the first word fit one line";
  std::string decoded;
  for (const std::string& word : words) {
    EXPECT_LE(word.size(), 75u) << word;
    absl::string_view inner = word;
    ASSERT_TRUE(absl::ConsumePrefix(&inner, "=?UTF-8?B?")) << word;
    ASSERT_TRUE(absl::ConsumeSuffix(&inner, "?=")) << word;
    const std::string bytes = DecodeBase64(inner);
    EXPECT_TRUE(WholeUtf8(bytes)) << "a character is split at " << word;
    decoded += bytes;
  }
  EXPECT_EQ(decoded, subject);
}

TEST(EncodeHeaderWord, LineBreaksCannotStartANewHeader) {
  const std::string encoded = EncodeHeaderWord("hello\r\nBcc: victim@example.com");
  EXPECT_EQ(encoded, "hello  Bcc: victim@example.com");
}

TEST(EncodeHeaderWord, TextThatLooksLikeAnEncodedWordIsEncodedItself) {
  EXPECT_THAT(EncodeHeaderWord("=?UTF-8?B?5pel?="), StartsWith("=?UTF-8?B?PT9VVEYtOD9C"));
}

TEST(BareAddress, TakesTheAddressOutOfAMailbox) {
  EXPECT_EQ(BareAddress("amends <amends@example.com>"), "amends@example.com");
  EXPECT_EQ(BareAddress(" amends@example.com "), "amends@example.com");
  EXPECT_EQ(BareAddress("\"Sato, T.\" <sato@example.com>"), "sato@example.com");
}

TEST(FormatMailDate, IsRfc5322InUtcWithEnglishNames) {
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 5, 7, 15, 4, 5),
                                       absl::FixedTimeZone(9 * 3600));
  EXPECT_EQ(FormatMailDate(t), "Tue, 07 May 2024 06:04:05 +0000");
}

TEST(BuildMessage, HasCrlfLinesNoLongerThan78AndABase64Body) {
  MailMessage message = JapaneseMessage();
  message.subject = "line\nbreak";
  message.message_id = "<x@y>\r\nBcc: victim@example.com";
  const std::string bytes = BuildMessage(message, "謝罪管理 <amends@example.com>");
  EXPECT_FALSE(absl::StrContains(bytes, "\r\nBcc:"));
  EXPECT_THAT(bytes, HasSubstr("\r\nSubject: line break\r\n"));
  EXPECT_THAT(bytes, HasSubstr("\r\nFrom: =?UTF-8?B?"));
  EXPECT_THAT(bytes, HasSubstr("?= <amends@example.com>\r\n"));
  for (absl::string_view line : absl::StrSplit(bytes, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_FALSE(absl::StrContains(line, '\n')) << "bare LF in " << line;
    EXPECT_FALSE(absl::StrContains(line, '\r')) << "bare CR in " << line;
  }
  const std::string body = bytes.substr(bytes.find("\r\n\r\n") + 4);
  EXPECT_EQ(DecodeBase64(absl::StrReplaceAll(body, {{"\r\n", ""}})),
            absl::StrReplaceAll(kJapaneseBody, {{"\n", "\r\n"}}));
}

// Found by the mail fuzz target: amends accepts internationalised addresses, which no header
// encoding can carry; the To line has the address in UTF-8 (RFC 6532), and nothing else is.
TEST(BuildMessage, AnInternationalisedAddressIsTheOnlyTextNotInAscii) {
  MailMessage message = JapaneseMessage();
  message.to = "佐藤@例え.jp";
  const std::string bytes = BuildMessage(message, "謝罪管理 <amends@example.com>");
  const std::string to_line = "\r\nTo: 佐藤@例え.jp\r\n";
  ASSERT_THAT(bytes, HasSubstr(to_line));
  std::string rest = bytes;
  rest.erase(rest.find(to_line), to_line.size());
  EXPECT_TRUE(std::all_of(rest.begin(), rest.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
      << rest;
}

// ---- SmtpMailer through a real server ----

TEST(SmtpMailer, JapaneseSubjectAndBodyArriveDecodedOverPlainLoopback) {
  SmtpServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp;  // the documented smallest configuration
  smtp.set_server(server.address());
  smtp.set_from("amends@example.com");
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(smtp);
  ASSERT_NE(mailer, nullptr);

  MailOutcome outcome = mailer->Send(JapaneseMessage());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
  EXPECT_FALSE(outcome.permanent);
  EXPECT_EQ(outcome.answer, "250 2.0.0 Ok: queued as 1");

  std::vector<ReceivedMail> mails = server.Received();
  ASSERT_EQ(mails.size(), 1u);
  const ReceivedMail& mail = mails[0];
  EXPECT_EQ(mail.subject, kJapaneseSubject);
  EXPECT_EQ(mail.body, kJapaneseBody);
  EXPECT_EQ(mail.mail_from, "amends@example.com");
  EXPECT_THAT(mail.rcpt_tos, ElementsAre("tanaka@example.com"));
  EXPECT_EQ(mail.Header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(mail.Header("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(mail.Header("MIME-Version"), "1.0");
  EXPECT_THAT(mail.Header("Subject"), StartsWith("=?UTF-8?B?"));
  EXPECT_EQ(mail.Header("Message-ID"), "<n42.7@amends.example.com>");
  EXPECT_EQ(mail.Header("From"), "amends@example.com");
  EXPECT_EQ(mail.Header("To"), "tanaka@example.com");
  EXPECT_EQ(mail.Header("Date"), "Tue, 07 May 2024 06:00:00 +0000");
}

TEST(SmtpMailer, StartTlsDeliversWithTheConfiguredCa) {
  TestCertificates certs = MakeTestCertificates();
  ASSERT_EQ(certs.error, "");
  SmtpServer server({.cert_file = certs.cert_file, .key_file = certs.key_file});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_security(v1::Smtp::SECURITY_STARTTLS);
  smtp.set_ca_file(certs.ca_file);

  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
  ASSERT_EQ(server.Received().size(), 1u);
  EXPECT_EQ(server.Received()[0].subject, kJapaneseSubject);
}

TEST(SmtpMailer, LoopbackWithoutSecurityUsesStartTlsWhenOffered) {
  TestCertificates certs = MakeTestCertificates();
  ASSERT_EQ(certs.error, "");
  SmtpServer server({.cert_file = certs.cert_file, .key_file = certs.key_file});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());  // SECURITY_UNSPECIFIED; the server requires TLS
  smtp.set_ca_file(certs.ca_file);
  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
}

TEST(SmtpMailer, UntrustedCertificateFailsForGoodAndDeliversNothing) {
  TestCertificates certs = MakeTestCertificates();
  ASSERT_EQ(certs.error, "");
  SmtpServer server({.cert_file = certs.cert_file, .key_file = certs.key_file});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_security(v1::Smtp::SECURITY_STARTTLS);  // no ca_file: the system's CAs

  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_TRUE(outcome.permanent) << outcome.answer;
  EXPECT_THAT(outcome.answer, HasSubstr("certificate"));
  EXPECT_TRUE(server.Received().empty());
}

TEST(SmtpMailer, StartTlsRequiredButNotOfferedFailsForGood) {
  SmtpServer server;  // plain only
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_security(v1::Smtp::SECURITY_STARTTLS);
  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_TRUE(outcome.permanent) << outcome.answer;
  EXPECT_TRUE(server.Received().empty());
}

TEST(SmtpMailer, ImplicitTlsDelivers) {
  TestCertificates certs = MakeTestCertificates();
  ASSERT_EQ(certs.error, "");
  SmtpServer server(
      {.cert_file = certs.cert_file, .key_file = certs.key_file, .implicit_tls = true});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_security(v1::Smtp::SECURITY_IMPLICIT_TLS);
  smtp.set_ca_file(certs.ca_file);
  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpMailer, LogsInWithThePasswordFileLessItsFinalNewline) {
  TempDir dir;
  ASSERT_TRUE(WriteWholeFile(dir.File("password"), "s3cret pass\n"));
  SmtpServer server({.auth = "amends:s3cret pass"});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_username("amends");
  smtp.set_password_file(dir.File("password"));
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(smtp);
  ASSERT_NE(mailer, nullptr);
  // The file is read once, by Make: a later change does not matter.
  ASSERT_TRUE(WriteWholeFile(dir.File("password"), "changed\n"));

  MailOutcome outcome = mailer->Send(JapaneseMessage());
  EXPECT_TRUE(outcome.delivered) << outcome.answer;
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpMailer, WrongPasswordIsRefusedForGood) {
  TempDir dir;
  ASSERT_TRUE(WriteWholeFile(dir.File("password"), "wrong\n"));
  SmtpServer server({.auth = "amends:right"});
  ASSERT_TRUE(server.ok()) << server.error();
  v1::Smtp smtp = SmtpTo(server.address());
  smtp.set_username("amends");
  smtp.set_password_file(dir.File("password"));
  MailOutcome outcome = MakeMailer(smtp)->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_TRUE(outcome.permanent) << outcome.answer;
  EXPECT_THAT(outcome.answer, StartsWith("535"));
}

TEST(SmtpMailer, RefusedRecipientIsPermanentWithTheServersAnswer) {
  SmtpServer server({.refuse = 550});
  ASSERT_TRUE(server.ok()) << server.error();
  MailOutcome outcome = MakeMailer(SmtpTo(server.address()))->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_TRUE(outcome.permanent);
  EXPECT_EQ(outcome.answer, "550 5.1.1 <tanaka@example.com>: mailbox unavailable");
}

TEST(SmtpMailer, RecipientRefusedFor450IsTemporary) {
  SmtpServer server({.refuse = 450});
  ASSERT_TRUE(server.ok()) << server.error();
  MailOutcome outcome = MakeMailer(SmtpTo(server.address()))->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.permanent);
  EXPECT_THAT(outcome.answer, StartsWith("450 "));
}

TEST(SmtpMailer, NobodyListeningIsATemporaryFailure) {
  const int port = UnusedPort();
  ASSERT_NE(port, 0);
  MailOutcome outcome =
      MakeMailer(SmtpTo(absl::StrCat("127.0.0.1:", port)))->Send(JapaneseMessage());
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.permanent);
  EXPECT_THAT(outcome.answer, StartsWith(absl::StrCat("smtp://127.0.0.1:", port, ": ")));
  EXPECT_EQ(outcome.answer.find_first_of("\r\n"), std::string::npos);
}

TEST(SmtpMailer, SilentServerTimesOutWithinTheConfiguredTimeout) {
  SilentServer silent;
  ASSERT_NE(silent.port(), 0);
  v1::Smtp smtp = SmtpTo(silent.address());
  smtp.set_timeout("1s");
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(smtp);
  const absl::Time start = absl::Now();
  MailOutcome outcome = mailer->Send(JapaneseMessage());
  const absl::Duration took = absl::Now() - start;
  EXPECT_FALSE(outcome.delivered);
  EXPECT_FALSE(outcome.permanent);
  EXPECT_THAT(outcome.answer, HasSubstr("timed out"));
  EXPECT_GE(took, absl::Milliseconds(900));
  EXPECT_LT(took, absl::Seconds(5));
}

TEST(SmtpMailer, ServerDownForAWhileFailsTemporarilyThenDeliversWhenBack) {
  SmtpServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo(server.address()));
  server.Stop();
  MailOutcome down = mailer->Send(JapaneseMessage());
  EXPECT_FALSE(down.delivered);
  EXPECT_FALSE(down.permanent) << down.answer;

  ASSERT_TRUE(server.Restart()) << server.error();
  MailOutcome back = mailer->Send(JapaneseMessage());
  EXPECT_TRUE(back.delivered) << back.answer;
  EXPECT_EQ(server.Received().size(), 1u);
}

TEST(SmtpMailer, NextMessageReusesTheOpenConnection) {
  SmtpServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo(server.address()));
  ASSERT_TRUE(mailer->Send(JapaneseMessage("a@example.com")).delivered);
  ASSERT_TRUE(mailer->Send(JapaneseMessage("b@example.com")).delivered);
  ASSERT_TRUE(server.WaitForMessages(2, absl::Seconds(10)));
  const std::vector<ReceivedMail> mails = server.Received();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_NE(mails[0].peer_port, 0);
  EXPECT_EQ(mails[0].peer_port, mails[1].peer_port);
  EXPECT_EQ(mails[1].rcpt_tos, std::vector<std::string>{"b@example.com"});
}

TEST(SmtpMailer, ServerRestartedSinceTheLastMessageGetsANewConnection) {
  SmtpServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo(server.address()));
  ASSERT_TRUE(mailer->Send(JapaneseMessage()).delivered);
  server.Stop();
  ASSERT_TRUE(server.Restart()) << server.error();
  MailOutcome again = mailer->Send(JapaneseMessage());
  EXPECT_TRUE(again.delivered) << again.answer;
  EXPECT_TRUE(server.WaitForMessages(2, absl::Seconds(10)));
}

TEST(SmtpMailer, MessageAfterARefusedOneIsDelivered) {
  SmtpServerOptions options;
  options.refuse = 550;
  options.refuse_only = "gone@";
  SmtpServer server(options);
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo(server.address()));
  MailOutcome refused = mailer->Send(JapaneseMessage("gone@example.com"));
  EXPECT_TRUE(refused.permanent) << refused.answer;
  EXPECT_THAT(refused.answer, HasSubstr("550"));
  MailOutcome next = mailer->Send(JapaneseMessage("b@example.com"));
  EXPECT_TRUE(next.delivered) << next.answer;
  ASSERT_TRUE(server.WaitForMessages(1, absl::Seconds(10)));
  EXPECT_EQ(server.Received().front().rcpt_tos, std::vector<std::string>{"b@example.com"});
}

TEST(SmtpMailer, ConcurrentSendsAllArrive) {
  SmtpServer server;
  ASSERT_TRUE(server.ok()) << server.error();
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo(server.address()));
  std::atomic<int> delivered = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      if (mailer->Send(JapaneseMessage(absl::StrCat("user", i, "@example.com"))).delivered) {
        ++delivered;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(delivered, 6);
  EXPECT_TRUE(server.WaitForMessages(6, absl::Seconds(10)));
}

TEST(SmtpMailer, NotAnAddressIsRefusedWithoutConnecting) {
  std::unique_ptr<SmtpMailer> mailer = MakeMailer(SmtpTo("127.0.0.1:1"));
  MailOutcome outcome = mailer->Send(JapaneseMessage("tanaka"));
  EXPECT_FALSE(outcome.delivered);
  EXPECT_TRUE(outcome.permanent);
  EXPECT_THAT(outcome.answer, HasSubstr("not a mail address"));
}

TEST(SmtpMailerMake, PlainToANonLoopbackServerIsRefusedNamingTheField) {
  v1::Smtp smtp = SmtpTo("mail.example.com:25");
  smtp.set_security(v1::Smtp::SECURITY_PLAIN);
  absl::StatusOr<std::unique_ptr<SmtpMailer>> mailer = SmtpMailer::Make(smtp);
  EXPECT_EQ(mailer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(mailer.status().message()), StartsWith("smtp.security: SECURITY_PLAIN"));
}

TEST(SmtpMailerMake, MissingPasswordFileIsNamed) {
  v1::Smtp smtp = SmtpTo("127.0.0.1:25");
  smtp.set_username("amends");
  smtp.set_password_file("/nonexistent/password");
  absl::StatusOr<std::unique_ptr<SmtpMailer>> mailer = SmtpMailer::Make(smtp);
  EXPECT_EQ(mailer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(mailer.status().message()),
              StartsWith("smtp.password_file: cannot read /nonexistent/password"));
}

// ---- ParseNotifyConfig ----

TEST(ParseNotifyConfig, MinimalConfigWorksWithTheDefaults) {
  absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(
      R"(smtp { server: "127.0.0.1:2525" from: "amends@example.com" })", "notify.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  const NotifySettings settings = NotifySettingsOf(*config);
  EXPECT_EQ(settings.attempts, 8);
  EXPECT_EQ(settings.first_wait, absl::Minutes(10));
  EXPECT_EQ(settings.parallel, 4);
  EXPECT_EQ(settings.smtp_timeout, absl::Seconds(30));
  EXPECT_TRUE(SmtpMailer::Make(config->smtp()).ok());
}

TEST(ParseNotifyConfig, TheDocumentedExampleParses) {
  absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(
      ReadWholeFile(AMENDS_SOURCE_DIR "/deploy/notify.textproto"), "notify.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->smtp().security(), v1::Smtp::SECURITY_STARTTLS);
  EXPECT_EQ(NotifySettingsOf(*config).attempts, 8);
}

TEST(ParseNotifyConfig, ServerWithoutPortNamesLineAndField) {
  absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(
      "smtp {\n  from: \"amends@example.com\"\n  server: \"mail.example.com\"\n}\n",
      "notify.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("notify.textproto:3: smtp.server: \"mail.example.com\" has no port"));
}

TEST(ParseNotifyConfig, MissingFromIsReportedAtTheSmtpBlock) {
  absl::StatusOr<v1::NotifyConfig> config =
      ParseNotifyConfig("parallel: 2\nsmtp {\n  server: \"127.0.0.1:25\"\n}\n", "n.textproto");
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("n.textproto:2: smtp.from: required"));
}

TEST(ParseNotifyConfig, PlainToANonLoopbackServerIsRejectedAtItsLine) {
  absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(
      "smtp {\n  server: \"mail.example.com:25\"\n  from: \"a@example.com\"\n"
      "  security: SECURITY_PLAIN\n}\n",
      "notify.textproto");
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith("notify.textproto:4: smtp.security: SECURITY_PLAIN"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("mail.example.com"));
}

TEST(ParseNotifyConfig, PlainToLoopbackIsAllowed) {
  for (const char* host : {"127.0.0.1:25", "127.1.2.3:25", "localhost:25", "[::1]:25"}) {
    absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(
        absl::StrCat("smtp { server: \"", host,
                     "\" from: \"a@example.com\" security: SECURITY_PLAIN }"),
        "n");
    EXPECT_TRUE(config.ok()) << host << ": " << config.status();
  }
}

TEST(ParseNotifyConfig, OutOfRangeNumbersAndBadDurationsNameLineAndField) {
  const std::string smtp = "smtp { server: \"127.0.0.1:25\" from: \"a@example.com\" }\n";
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {smtp + "retry { attempts: 21 }", "n:2: retry.attempts: 21 is not between 1 and 20"},
      {smtp + "retry {\n attempts: 0\n}", "n:3: retry.attempts: 0 is not between 1 and 20"},
      {smtp + "parallel: 65", "n:2: parallel: 65 is not between 1 and 64"},
      {smtp + "retry { first_wait: \"10 minutes\" }",
       "n:2: retry.first_wait: \"10 minutes\" is not a duration"},
      {smtp + "retry { first_wait: \"-1m\" }", "n:2: retry.first_wait: \"-1m\" must be positive"},
      {"smtp { server: \"127.0.0.1:25\" from: \"a@example.com\"\n timeout: \"soon\" }",
       "n:2: smtp.timeout: \"soon\" is not a duration"},
      {"smtp { server: \"127.0.0.1:25\" from: \"a@example.com\"\n username: \"u\" }",
       "n:2: smtp.username: given without smtp.password_file"},
      {"smtp { server: \"127.0.0.1:x\" from: \"a@example.com\" }",
       "n:1: smtp.server: \"127.0.0.1:x\": the port must be a number"},
      {"smtp { server: \"127.0.0.1:25\"\n from: \"amends\" }",
       "n:2: smtp.from: \"amends\" is not an address"},
      {"smtp { server: \"127.0.0.1:25\" from: \"a@example.com\" }\nsmpt {}",
       "n:2:6: Message type \"amends.v1.NotifyConfig\" has no field named \"smpt\""},
      {"", "n: smtp: required"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(c.text, "n");
    EXPECT_THAT(std::string(config.status().message()), StartsWith(c.error)) << c.text;
  }
}

}  // namespace
}  // namespace amends
