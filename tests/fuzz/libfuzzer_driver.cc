// amends_fuzz's libFuzzer entry points: the target named by AMENDS_FUZZ_TARGET gets every
// input, and a broken FUZZ_EXPECT is a finding like a crash, which libFuzzer saves in its
// artifact directory (tests/fuzz/crashes/NAME/ under ./scripts/fuzz).
//
//   AMENDS_FUZZ_TARGET=policy build-fuzz/bin/amends_fuzz CORPUS_DIR...   (libFuzzer's flags)
//   AMENDS_FUZZ_TARGET=list build-fuzz/bin/amends_fuzz                   (the targets' names)
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_target.h"

namespace amends::fuzz {
namespace {

Target chosen = nullptr;

}  // namespace

void Broken(const char* promise, const char* file, int line, absl::string_view detail) {
  std::fprintf(stderr, "%s:%d: broken promise: %s\n  seen: %.*s\n", file, line, promise,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace amends::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using amends::fuzz::Targets;
  const char* name = std::getenv("AMENDS_FUZZ_TARGET");
  if (name != nullptr && std::string(name) == "list") {
    for (const auto& [target, function] : Targets()) std::printf("%s\n", target.c_str());
    std::exit(0);
  }
  if (name == nullptr || Targets().count(name) == 0) {
    std::fprintf(stderr, "amends_fuzz: set AMENDS_FUZZ_TARGET to one of:");
    for (const auto& [target, function] : Targets()) std::fprintf(stderr, " %s", target.c_str());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  amends::fuzz::chosen = Targets().at(name);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  amends::fuzz::chosen(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
