#include "client/i18n.h"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace amends::cli {
namespace {

constexpr char kDomain[] = "amends";
bool translating = false;  // set by UseLanguage, while no other thread calls Tr

// A variable's value, or "" when it is unset.
absl::string_view Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// Whether a locale (ja_JP.UTF-8) or a language list (ja:en) asks for Japanese first.
bool AsksForJapanese(absl::string_view value) {
  value = value.substr(0, value.find(':'));
  return value == "ja" || absl::StartsWith(value, "ja_") || absl::StartsWith(value, "ja.");
}

// Binds the catalog found beside the running binary; false without one (a broken install).
bool BindCatalog() {
  // Beside the binary (a build tree), or in ../share/locale (an installation).
  std::error_code error;
  const std::filesystem::path bin =
      std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
  if (error) return false;
  std::filesystem::path dir;
  for (const std::filesystem::path& candidate : {bin / "locale", bin / "../share/locale"}) {
    if (std::filesystem::exists(candidate / "ja/LC_MESSAGES/amends.mo", error)) {
      dir = candidate;
      break;
    }
  }
  if (dir.empty()) return false;
  // gettext reads LANGUAGE unless the locale of messages is plain C; C.UTF-8 is always there,
  // so no ja_JP locale need be generated. Only messages change: numbers, character classes
  // and the rest stay as they were.
  if (std::setlocale(LC_MESSAGES, "C.UTF-8") == nullptr) return false;
  setenv("LANGUAGE", "ja", /*overwrite=*/1);
  bindtextdomain(kDomain, dir.c_str());
  bind_textdomain_codeset(kDomain, "UTF-8");
  return true;
}

}  // namespace

absl::StatusOr<Language> ParseLanguage(absl::string_view field, absl::string_view text) {
  if (text == "ja") return Language::kJapanese;
  if (text == "en") return Language::kEnglish;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", Tr("must be ja or en")));
}

absl::StatusOr<std::optional<Language>> AskedLanguage(std::optional<Language> flag) {
  if (flag) return flag;
  const absl::string_view asked = Env("AMENDS_LANG");
  if (asked.empty()) return std::nullopt;
  absl::StatusOr<Language> language = ParseLanguage("AMENDS_LANG", asked);
  if (!language.ok()) return language.status();
  return *language;
}

Language EnvironmentLanguage() {
  // As gettext reads them: the locale of messages is the first of LC_ALL, LC_MESSAGES and
  // LANG that is set, and LANGUAGE comes before it unless that locale is plain C.
  absl::string_view locale = "C";
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (absl::string_view value = Env(name); !value.empty()) {
      locale = value;
      break;
    }
  }
  const absl::string_view languages = Env("LANGUAGE");
  const bool plain_c = locale == "C" || locale == "POSIX";
  if (!languages.empty() && !plain_c) {
    return AsksForJapanese(languages) ? Language::kJapanese : Language::kEnglish;
  }
  return AsksForJapanese(locale) ? Language::kJapanese : Language::kEnglish;
}

void UseLanguage(Language language) {
  // Once, on the first call, whatever the language: a later call (the language kept on the
  // server, once connected) then changes no locale or environment under gRPC's threads.
  static const bool catalog = BindCatalog();
  translating = catalog && language == Language::kJapanese;
}

bool InJapanese() { return translating; }

const char* Tr(const char* english) {
  return translating ? dgettext(kDomain, english) : english;
}

const char* TrIn(const char* context, const char* english) {
  if (!translating) return english;
  // gettext's own key for a message in a context: "CONTEXT\004MESSAGE".
  const std::string key = absl::StrCat(context, "\004", english);
  const char* translated = dgettext(kDomain, key.c_str());
  return translated == key.c_str() ? english : translated;
}

}  // namespace amends::cli
