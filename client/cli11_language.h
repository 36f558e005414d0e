// CLI11's own words in the language in use (i18n.h): the labels and headings of --help, and
// the parse errors CLI11 writes itself. amends' own help texts are Tr() where they are written.
//
//   UseLanguage(ChooseLanguage(LanguageFlag(argc, argv)));  // before the help texts are built
//   SpeakTheLanguage(app);                                  // once every command is added
//   app.failure_message([](const CLI::App*, const CLI::Error& e) { return UsageError(e); });
//
// Called by main() only; not thread-safe (it changes `app`).
#ifndef AMENDS_CLIENT_CLI11_LANGUAGE_H_
#define AMENDS_CLIENT_CLI11_LANGUAGE_H_

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "client/i18n.h"

namespace amends::cli {

// The language a global --lang ja|en asks for anywhere on the command line, before the
// command line is parsed (so that help texts can be written in it); nullopt when none does.
// A value other than ja or en is left to the full parse to refuse.
std::optional<Language> LanguageFlag(int argc, const char* const* argv);

// Translates the labels of `app`'s help (Usage, OPTIONS, REQUIRED, ...) and the headings of
// its options and commands, through every subcommand.
void SpeakTheLanguage(CLI::App& app);

// The message of a parse error, in the language in use: in Japanese what was wrong, with the
// option it names, in the team's words; in English CLI11's own message.
std::string UsageError(const CLI::Error& error);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_CLI11_LANGUAGE_H_
