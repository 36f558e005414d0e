#include "tests/fuzz/fuzz_target.h"

namespace amends::fuzz {
namespace {

std::map<std::string, Target>& Table() {
  static auto* targets = new std::map<std::string, Target>;
  return *targets;
}

}  // namespace

const std::map<std::string, Target>& Targets() { return Table(); }

bool Register(const char* name, Target target) {
  Table().emplace(name, target);
  return true;
}

}  // namespace amends::fuzz
