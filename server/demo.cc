#include "server/demo.h"

#include <utility>
#include <vector>

#include "server/admin.h"

namespace amends {

absl::StatusOr<bool> SeedDemoIfEmpty(Store& store, const std::string& listen, std::ostream& out) {
  // Users, not teams, tell an empty database: a start that died after creating the team
  // must not leave a demo nobody can log into.
  absl::StatusOr<std::vector<User>> existing = store.ListUsers();
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return false;

  if (auto s = AddTeam(store, "tokyo-sales", "Asia/Tokyo"); !s.ok() && !absl::IsAlreadyExists(s)) {
    return s;
  }
  const std::pair<const char*, const char*> users[] = {
      {"sato", "member"}, {"tanaka", "manager"}, {"suzuki", "manager"}};
  std::vector<std::string> tokens;
  for (const auto& [name, role] : users) {
    absl::StatusOr<std::string> token = AddUser(store, name, "tokyo-sales", role);
    if (!token.ok()) return token.status();
    tokens.push_back(*token);
  }
  out << "Created demo team tokyo-sales (Asia/Tokyo). Tokens are shown only now:\n";
  for (size_t i = 0; i < tokens.size(); ++i) {
    out << "  " << users[i].first << " (" << users[i].second << "): " << tokens[i] << "\n";
  }
  out << "\nTry, in another terminal:\n"
      << "  export AMENDS_SERVER=" << listen << "\n"
      << "  export AMENDS_TOKEN=" << tokens[0] << "   # sato\n"
      << "  build/bin/amends report --team tokyo-sales --client ＡＢＣ商事 "
         "--kind missed-appointment --severity high --summary \"15時の打ち合わせを失念\"\n"
      << "  build/bin/amends escalate 1 --reason \"先方部長がお怒り\"\n"
      << "  AMENDS_TOKEN=" << tokens[1] << " build/bin/amends approve 1   # tanaka\n"
      << "  build/bin/amends show 1\n\n";
  return true;
}

}  // namespace amends
