#include "client/user_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include <CLI/CLI.hpp>
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/substitute.h"
#include "client/i18n.h"

namespace amends::cli {
namespace {

// Where the config is: under $XDG_CONFIG_HOME, else ~/.config; "" if neither is known.
std::string ConfigPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return absl::StrCat(xdg, "/amends/config");
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return absl::StrCat(home, "/.config/amends/config");
  return "";
}

}  // namespace

absl::StatusOr<UserConfig> LoadUserConfig() {
  UserConfig config;
  const std::string path = ConfigPath();
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) {
    if (path.empty() || errno == ENOENT) return config;
    return absl::InvalidArgumentError(
        absl::Substitute(Tr("config $0: $1"), path, std::strerror(errno)));
  }
  const auto refuse = [&](const std::string& why) {
    return absl::InvalidArgumentError(absl::Substitute(Tr("config $0: $1"), path, why));
  };
  if (st.st_uid != geteuid()) return refuse(Tr("it belongs to another user; make your own"));
  if ((st.st_mode & 077) != 0) {
    return refuse(absl::Substitute(
        Tr("other users may read or change it (mode $0); it names your token: chmod 600 $1"),
        absl::StrFormat("%04o", st.st_mode & 07777), path));
  }
  std::ifstream in(path);
  if (!in) return refuse(Tr("cannot read it"));
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(in);
  } catch (const CLI::Error& e) {
    return refuse(e.what());
  }
  for (const CLI::ConfigItem& item : items) {
    if (!item.parents.empty()) {
      return refuse(absl::Substitute(Tr("[$0]: sections are not used; keys go at the top"),
                                     item.parents.front()));
    }
    const std::string& key = item.name;
    if (item.inputs.size() != 1) {
      return refuse(absl::StrCat(key, ": ", Tr("one value, in quotes")));
    }
    const std::string& value = item.inputs.front();
    if (key == "server") {
      config.server = value;
    } else if (key == "ca") {
      config.ca = value;
    } else if (key == "token-file") {
      config.token_file = value;
    } else if (key == "token") {
      return refuse(absl::StrCat(
          "token: ", Tr("keep the token in a file of its own and name it with token-file")));
    } else {
      return refuse(
          absl::Substitute(Tr("unknown key \"$0\" (server, ca and token-file are known)"), key));
    }
  }
  config.path = path;
  return config;
}

}  // namespace amends::cli
