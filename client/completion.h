// `amends completion bash`: a bash completion script made from the command line's own
// definition, so that it never lists a command or option the CLI does not have.
//
//   source <(amends completion bash)
//   amends vi<TAB>        -> visit
//   amends visit <TAB>    -> done schedule
//   amends list --st<TAB> -> --state
//
// Completes commands, subcommands and the options of the command typed so far; option values
// are left to bash's default (file names). Pure; thread-compatible.
#ifndef AMENDS_CLIENT_COMPLETION_H_
#define AMENDS_CLIENT_COMPLETION_H_

#include <string>

#include <CLI/CLI.hpp>

namespace amends::cli {

std::string BashCompletion(const CLI::App& app);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_COMPLETION_H_
