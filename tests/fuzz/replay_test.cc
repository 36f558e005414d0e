// The fuzz targets in the ordinary build: each replays its seeds (tests/fuzz/corpus/NAME/) and
// every input a fuzzer once found a bug with (tests/fuzz/crashes/NAME/), so that a fixed bug
// stays fixed. See fuzz_target.h.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fuzz/fuzz_target.h"

namespace amends::fuzz {
namespace {

std::vector<std::string> TargetNames() {
  std::vector<std::string> names;
  for (const auto& [name, target] : Targets()) names.push_back(name);
  return names;
}

// The files of tests/fuzz/KIND/NAME/, sorted; none when the directory does not exist.
std::vector<std::filesystem::path> Inputs(const char* kind, const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(AMENDS_SOURCE_DIR) / "tests" / "fuzz" / kind / name;
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class ReplayTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReplayTest, SeedsAndSavedFindingsKeepEveryPromise) {
  const Target target = Targets().at(GetParam());
  const std::vector<std::filesystem::path> seeds = Inputs("corpus", GetParam());
  EXPECT_FALSE(seeds.empty()) << "tests/fuzz/corpus/" << GetParam() << "/ has no seed";
  for (const char* kind : {"corpus", "crashes"}) {
    for (const std::filesystem::path& file : Inputs(kind, GetParam())) {
      SCOPED_TRACE(file.string());
      target(Contents(file));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fuzz, ReplayTest, ::testing::ValuesIn(TargetNames()),
                         [](const auto& info) { return info.param; });

}  // namespace

void Broken(const char* promise, const char* file, int line, absl::string_view detail) {
  ADD_FAILURE_AT(file, line) << "broken promise: " << promise << "\n  seen: " << detail;
}

}  // namespace amends::fuzz
