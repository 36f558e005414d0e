// The language `amends` speaks on the terminal: English, or Japanese through the GNU gettext
// catalog client/po/ja.po (built by CMake into locale/ja/LC_MESSAGES/amends.mo beside the
// binary, so that a build tree works without installing).
//
// The language is --lang (ja or en), else AMENDS_LANG, else gettext's environment: the first
// set of LANGUAGE, LC_ALL, LC_MESSAGES and LANG; English otherwise. Japanese needs no
// generated ja_JP locale: the catalog is read under C.UTF-8, which glibc always has. JSON
// output never changes with the language.
//
//   UseLanguage(ChooseLanguage(flag));
//   std::cout << Tr("just now");                          // たった今
//   absl::Substitute(Tr("in $0"), RoundedDuration(d));   // 3時間後
//
// Every message to translate is written Tr("...") in the client's code, with absl::Substitute
// placeholders ($0, $1) for what varies, so that tests/i18n_catalog_test.py can find each one
// and check that ja.po translates it with the same placeholders.
// UseLanguage is called once, by main(), before any other thread starts; Tr is then
// thread-safe.
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

// The language the flag chooses (nullopt: not given), else AMENDS_LANG, else the environment.
// A value of AMENDS_LANG other than ja or en is INVALID_ARGUMENT naming it.
absl::StatusOr<Language> ChooseLanguage(std::optional<Language> flag);

// From now on Tr() answers in `language`. For Japanese it binds the catalog found beside the
// running binary; without it (a broken install) the messages stay English.
void UseLanguage(Language language);

// `english` in the language in use: the catalog's translation, or `english` itself.
const char* Tr(const char* english);

// Whether Tr() answers in Japanese (UseLanguage found the catalog).
bool InJapanese();

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_I18N_H_
