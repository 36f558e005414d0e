// The user's config file, $XDG_CONFIG_HOME/amends/config (~/.config/amends/config when
// XDG_CONFIG_HOME is unset), in TOML as CLI11 reads it:
//
//   server = "amends.example.co.jp:50051"
//   ca = "/home/sato/.config/amends/ca.pem"
//   token-file = "/home/sato/.config/amends/token"
//
// It gives defaults only: the environment (AMENDS_SERVER, AMENDS_CA, AMENDS_TOKEN_FILE) and the
// command line come first. It is refused whole (INVALID_ARGUMENT, naming the file) if another
// user owns it or may read or change it, or if it holds anything else: a token itself belongs
// in its own file, named by token-file. Thread-compatible; reads the process environment.
#ifndef AMENDS_CLIENT_USER_CONFIG_H_
#define AMENDS_CLIENT_USER_CONFIG_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace amends::cli {

struct UserConfig {
  std::string path;  // where it was read from; "" when there is none
  std::optional<std::string> server;
  std::optional<std::string> ca;
  std::optional<std::string> token_file;
};

// The config at its place, or an empty one when no file is there.
absl::StatusOr<UserConfig> LoadUserConfig();

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_USER_CONFIG_H_
