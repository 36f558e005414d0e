// A fuzz target: one function that takes any bytes and must neither crash nor break a promise
// of the code it feeds. Each tests/fuzz/NAME.cc ends with AMENDS_FUZZ_TARGET(NAME, Function)
// and says in its first lines what it promises.
//
// tests/fuzz/CMakeLists.txt builds every target into two programs:
// - amends_fuzz, in the clang tree of ./scripts/fuzz: libFuzzer with AddressSanitizer, fuzzing
//   the target the environment names (AMENDS_FUZZ_TARGET=NAME); what it finds is saved in
//   tests/fuzz/crashes/NAME/;
// - fuzz_replay_test, in the ordinary build, which feeds every file of tests/fuzz/corpus/NAME/
//   (the seeds) and tests/fuzz/crashes/NAME/ to the function: an input that once found a bug
//   stays a test forever.
//
// FUZZ_EXPECT(condition, detail) states a promise. Broken, it aborts under libFuzzer (a
// finding) and fails the test in the replay. A target must be deterministic: the same bytes,
// the same path. Targets are registered during static initialisation and run on one thread.
#ifndef AMENDS_TESTS_FUZZ_FUZZ_TARGET_H_
#define AMENDS_TESTS_FUZZ_FUZZ_TARGET_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace amends::fuzz {

using Target = void (*)(absl::string_view input);

// Every target by name (AMENDS_FUZZ_TARGET adds them).
const std::map<std::string, Target>& Targets();
// Adds a target; returns true. Only for AMENDS_FUZZ_TARGET.
bool Register(const char* name, Target target);

// Reports a broken promise; `detail` says what was seen. Defined by each driver
// (libfuzzer_driver.cc, replay_test.cc).
void Broken(const char* promise, const char* file, int line, absl::string_view detail);

}  // namespace amends::fuzz

#define FUZZ_EXPECT(condition, detail)                                                 \
  do {                                                                                 \
    if (!(condition)) ::amends::fuzz::Broken(#condition, __FILE__, __LINE__, (detail)); \
  } while (false)

// A refusal as every parser of untrusted input gives one: INVALID_ARGUMENT whose message
// starts with `prefix`, the file, option or field it names.
#define FUZZ_EXPECT_REFUSAL(status, prefix)                                        \
  FUZZ_EXPECT((status).code() == absl::StatusCode::kInvalidArgument &&            \
                  absl::StartsWith((status).message(), (prefix)),                  \
              (status).ToString())

#define AMENDS_FUZZ_TARGET(name, function) \
  [[maybe_unused]] static const bool amends_fuzz_##name = ::amends::fuzz::Register(#name, function);

#endif  // AMENDS_TESTS_FUZZ_FUZZ_TARGET_H_
