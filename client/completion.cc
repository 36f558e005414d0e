#include "client/completion.h"

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace amends::cli {
namespace {

// The words that may follow command `path` ("" for the top level; "visit schedule"): its
// subcommands and its long options, `app`'s global options included.
void AddCases(const CLI::App& app, const CLI::App& global, const std::string& path,
              std::string& cases, std::vector<std::string>& paths) {
  std::vector<std::string> words;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    words.push_back(sub->get_name());
  }
  auto options = [&words](const CLI::App& of) {
    for (const CLI::Option* option : of.get_options()) {
      for (const std::string& name : option->get_lnames()) {
        if (absl::c_find(words, "--" + name) == words.end()) words.push_back("--" + name);
      }
    }
  };
  options(app);
  if (&app != &global) options(global);
  absl::StrAppend(&cases, "    \"", path, "\") words=\"", absl::StrJoin(words, " "), "\" ;;\n");
  if (!path.empty()) paths.push_back(path);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    AddCases(*sub, global, path.empty() ? sub->get_name() : path + " " + sub->get_name(), cases,
             paths);
  }
}

}  // namespace

std::string BashCompletion(const CLI::App& app) {
  std::string cases;
  std::vector<std::string> paths;
  AddCases(app, app, "", cases, paths);
  std::vector<std::string> quoted;
  for (const std::string& p : paths) quoted.push_back(absl::StrCat("\"", p, "\""));
  return absl::StrCat(
      "# bash completion for amends; made by 'amends completion bash'\n"
      "_amends() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" w words\n"
      "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
      "    [[ $w == -* ]] && continue\n"
      "    case \"${path:+$path }$w\" in\n"
      "      ", absl::StrJoin(quoted, "|"), ") path=\"${path:+$path }$w\" ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$path\" in\n",
      cases,
      "    *) words=\"\" ;;\n"
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}\n"
      "complete -o default -F _amends amends\n");
}

}  // namespace amends::cli
