// Reading what the CLI printed, for tests of its views: where a cell starts on screen, the
// lines of one section of `amends show`, and English left in Japanese output.
#ifndef AMENDS_TESTS_CLI_OUTPUT_H_
#define AMENDS_TESTS_CLI_OUTPUT_H_

#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/utf8_text.h"
#include "gtest/gtest.h"

namespace amends::cli {

// The display column at which `cell` starts in `line`.
inline int ColumnOf(const std::string& line, const std::string& cell) {
  const size_t at = line.find(cell);
  EXPECT_NE(at, std::string::npos) << cell << " not in: " << line;
  return DisplayWidth(line.substr(0, at));
}

// The non-empty lines of `text`.
inline std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// The lines of `text` after the one equal to `title`, up to the next blank line.
inline std::vector<std::string> Section(const std::string& text, const std::string& title) {
  const std::vector<std::string> lines = absl::StrSplit(text, '\n');
  std::vector<std::string> section;
  bool in = false;
  for (const std::string& line : lines) {
    if (line == title) {
      in = true;
    } else if (in && line.empty()) {
      break;
    } else if (in) {
      section.push_back(line);
    }
  }
  EXPECT_TRUE(in) << title << " not in:\n" << text;
  return section;
}

// Whether `line` has three English words in a row outside the commands it quotes ("amends
// expect 1 --text TEXT"): in Japanese output, a message left in English. Only for output whose
// user data (names, summaries, notes) is Japanese or single words.
inline bool HasEnglishPhrase(const std::string& line) {
  static const std::regex command("amends( [-A-Za-z0-9]+)+");
  static const std::regex phrase("[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}");
  return std::regex_search(std::regex_replace(line, command, ""), phrase);
}

}  // namespace amends::cli

#endif  // AMENDS_TESTS_CLI_OUTPUT_H_
