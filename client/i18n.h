// The language `amends` speaks on the terminal: English, or Japanese through the GNU gettext
// catalog client/po/ja.po (built by CMake into locale/ja/LC_MESSAGES/amends.mo beside the
// binary, so that a build tree works without installing).
//
// The language is --lang (ja or en), else AMENDS_LANG, else the one the user keeps on the
// server (`amends me --lang`; main.cc asks for it once connected), else gettext's environment:
// the first set of LANGUAGE, LC_ALL, LC_MESSAGES and LANG; English otherwise. Japanese needs
// no generated ja_JP locale: the catalog is read under C.UTF-8, which glibc always has. JSON
// output never changes with the language.
//
//   std::optional<Language> asked = *AskedLanguage(flag);
//   UseLanguage(asked.value_or(EnvironmentLanguage()));
//   std::cout << Tr("just now");                          // たった今
//   absl::Substitute(Tr("in $0"), RoundedDuration(d));   // 3時間後
//
// Every message to translate is written Tr("...") (or TrIn) in the client's code, with
// absl::Substitute placeholders ($0, $1) for what varies, so that tests/i18n_catalog_test.py
// can find each one
// and check that ja.po translates it with the same placeholders.
// UseLanguage is first called by main() before any other thread starts: that call binds the
// catalog (setting LC_MESSAGES and LANGUAGE). A later one, while no other thread calls Tr,
// only changes the language. Tr is then thread-safe.
#ifndef AMENDS_CLIENT_I18N_H_
#define AMENDS_CLIENT_I18N_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace amends::cli {

enum class Language { kEnglish, kJapanese };

// "ja" or "en"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<Language> ParseLanguage(absl::string_view field, absl::string_view text);

// The language the flag asks for (nullopt: not given), else AMENDS_LANG; nullopt when
// neither does. A value of AMENDS_LANG other than ja or en is INVALID_ARGUMENT naming it.
absl::StatusOr<std::optional<Language>> AskedLanguage(std::optional<Language> flag);

// The language gettext's environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
Language EnvironmentLanguage();

// From now on Tr() answers in `language`. Japanese needs the catalog found beside the
// running binary; without it (a broken install) the messages stay English.
void UseLanguage(Language language);

// `english` in the language in use: the catalog's translation, or `english` itself.
const char* Tr(const char* english);

// Tr for a word whose translation depends on where it stands (gettext's msgctxt): "closed" is
// 完了 as a state but 完了しました as the confirmation of a change.
//   TrIn("confirmation", "closed")
const char* TrIn(const char* context, const char* english);

// Whether Tr() answers in Japanese (UseLanguage found the catalog).
bool InJapanese();

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_I18N_H_
