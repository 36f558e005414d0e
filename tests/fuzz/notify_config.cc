// The notify file of `amendsd --notify` (server/mail/notify_config.h): any text is either
// refused with a message that names the file, or becomes a configuration whose every part
// passes the checks amendsd makes before sending anything, with numbers in their ranges.
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/mail/notify_config.h"
#include "server/mail/webhook.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends {
namespace {

void FuzzNotifyConfig(absl::string_view text) {
  absl::StatusOr<v1::NotifyConfig> config = ParseNotifyConfig(text, "notify.textproto");
  if (!config.ok()) {
    FUZZ_EXPECT_REFUSAL(config.status(), "notify.textproto:");
    return;
  }
  const NotifySettings settings = NotifySettingsOf(*config);
  FUZZ_EXPECT(settings.attempts >= 1 && settings.attempts <= 20, absl::StrCat(settings.attempts));
  FUZZ_EXPECT(settings.parallel >= 1 && settings.parallel <= 64, absl::StrCat(settings.parallel));
  FUZZ_EXPECT(settings.first_wait > absl::ZeroDuration() &&
                  settings.first_wait < absl::InfiniteDuration(),
              absl::FormatDuration(settings.first_wait));
  FUZZ_EXPECT(settings.smtp_timeout > absl::ZeroDuration() &&
                  settings.smtp_timeout < absl::InfiniteDuration(),
              absl::FormatDuration(settings.smtp_timeout));
  if (config->has_smtp()) {
    const absl::Status smtp = CheckSmtp(config->smtp());
    FUZZ_EXPECT(smtp.ok(), smtp.ToString());
    absl::StatusOr<SmtpEndpoint> server = ParseSmtpServer(config->smtp().server());
    FUZZ_EXPECT(server.ok() && server->port >= 1 && server->port <= 65535,
                server.status().ToString());
  }
  for (int i = 0; i < config->webhook_size(); ++i) {
    const absl::Status hook = CheckWebhook(config->webhook(i), i);
    FUZZ_EXPECT(hook.ok(), hook.ToString());
  }
}

}  // namespace
}  // namespace amends

AMENDS_FUZZ_TARGET(notify_config, amends::FuzzNotifyConfig)
