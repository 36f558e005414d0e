#include "client/cli11_language.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "client/utf8_text.h"

namespace amends::cli {
namespace {

// CLI11's default headings, which it also uses as group keys.
constexpr char kOptions[] = "Options";
constexpr char kSubcommands[] = "Subcommands";

// The text of `message` before `separator`, and after it; nullopt without it.
std::optional<std::pair<std::string, std::string>> Split(absl::string_view message,
                                                         absl::string_view separator) {
  const size_t at = message.find(separator);
  if (at == absl::string_view::npos) return std::nullopt;
  return std::pair{std::string(message.substr(0, at)),
                   std::string(message.substr(at + separator.size()))};
}

// CLI11's message (CLI/Error.hpp, 2.1) for the kinds of error a user can make, in the
// language in use; the English itself when it is not one of them.
std::string Translated(const CLI::Error& error) {
  const absl::string_view message = error.what();
  if (!InJapanese()) return std::string(message);
  const std::string kind = error.get_name();
  if (kind == "RequiredError") {
    if (message == "A subcommand is required") return Tr("a command is required");
    if (absl::string_view name = message; absl::ConsumeSuffix(&name, " is required")) {
      return absl::Substitute(Tr("$0 is required"), name);
    }
  } else if (kind == "ExcludesError") {
    if (auto parts = Split(message, " excludes ")) {
      return absl::Substitute(Tr("$0 cannot be given with $1"), parts->first, parts->second);
    }
  } else if (kind == "RequiresError") {
    if (auto parts = Split(message, " requires ")) {
      return absl::Substitute(Tr("$0 needs $1 as well"), parts->first, parts->second);
    }
  } else if (auto parts = Split(message, " not expected: ")) {  // ExtrasError, named anyhow
    return absl::Substitute(Tr("unexpected arguments: $0"), parts->second);
  } else if (kind == "ArgumentMismatch") {
    if (auto parts = Split(message, ": ")) {
      return absl::Substitute(Tr("$0 needs a value"), parts->first);
    }
  } else if (kind == "ConversionError") {
    if (auto parts = Split(message, "Could not convert: ")) {
      if (auto value = Split(parts->second, " = ")) {
        return absl::Substitute(Tr("$0: $1 is not a number"), value->first, value->second);
      }
    }
  }
  // ValidationError: "NAME: " and amends' own check's message, already in the language.
  return std::string(message);
}

// CLI11's formatter, with each option's description starting where the others do however
// wide the characters of its name column (必須) are: CLI11 pads by bytes.
class WidthFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override {
    const std::string name =
        absl::StrCat("  ", make_option_name(option, is_positional), make_option_opts(option));
    const std::string description = make_option_desc(option);
    const int column = static_cast<int>(get_column_width());
    const int width = DisplayWidth(name);
    if (description.empty()) return name + "\n";
    const std::string new_line = absl::StrCat("\n", std::string(column, ' '));
    return absl::StrCat(name, width >= column ? new_line : std::string(column - width, ' '),
                        absl::StrReplaceAll(description, {{"\n", new_line}}), "\n");
  }
};

// `app` and its commands, through every level: `formatter`, and its headings and help flags
// translated.
void Translate(CLI::App& app, const std::shared_ptr<WidthFormatter>& formatter) {
  app.formatter(formatter);
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group() == kOptions) option->group(Tr("Options"));
  }
  if (CLI::Option* help = app.get_help_ptr()) help->description(Tr("Print this help and exit"));
  if (CLI::Option* version = app.get_version_ptr()) {
    version->description(Tr("Print the version and exit"));
  }
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_group() == kSubcommands) command->group(Tr("Commands"));
    Translate(*command, formatter);
  }
}

}  // namespace

std::optional<Language> LanguageFlag(int argc, const char* const* argv) {
  CLI::App flags;
  flags.allow_extras();
  flags.set_help_flag();
  std::string language;
  // The first: a global --lang comes before the command's own options (`me --lang`).
  flags.add_option("--lang", language)->multi_option_policy(CLI::MultiOptionPolicy::TakeFirst);
  try {
    flags.parse(argc, argv);
  } catch (const CLI::ParseError&) {
    return std::nullopt;
  }
  absl::StatusOr<Language> chosen = ParseLanguage("--lang", language);
  return chosen.ok() ? std::optional(*chosen) : std::nullopt;
}

void SpeakTheLanguage(CLI::App& app) {
  if (!InJapanese()) return;
  auto formatter = std::make_shared<WidthFormatter>();
  formatter->label("Usage", Tr("Usage"));
  formatter->label("OPTIONS", Tr("OPTIONS"));
  formatter->label("SUBCOMMAND", Tr("COMMAND"));
  formatter->label("REQUIRED", Tr("REQUIRED"));
  formatter->label("Positionals", Tr("Arguments"));
  formatter->label("Env", Tr("Env"));
  formatter->label("Needs", Tr("Needs"));
  formatter->label("Excludes", Tr("Excludes"));
  Translate(app, formatter);
}

std::string UsageError(const CLI::Error& error) {
  return absl::StrCat(
      "amends: ", absl::Substitute(Tr("$0 (see --help)"), TerminalSafe(OneLine(Translated(error)))),
      "\n");
}

}  // namespace amends::cli
