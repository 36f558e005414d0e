#include "server/core/textproto_checker.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/tokenizer.h"

namespace amends {
namespace {

namespace pb = google::protobuf;
using pb::TextFormat;

// Keeps the first syntax error as "line:column: message" (1-based); the parser stops there.
class FirstError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (text.empty()) text = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  std::string text;
};

}  // namespace

absl::Status ParseTextproto(absl::string_view text, absl::string_view source,
                            pb::Message* message, TextFormat::ParseInfoTree* tree) {
  FirstError syntax;
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&syntax);
  parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(std::string(text), message)) {
    return absl::InvalidArgumentError(absl::StrCat(source, ":", syntax.text));
  }
  return absl::OkStatus();
}

absl::Status TextprotoChecker::Error(absl::string_view path, absl::string_view message) const {
  int line = Resolve(path).line;
  return absl::InvalidArgumentError(line < 0
                                        ? absl::StrCat(source_, ": ", message)
                                        : absl::StrCat(source_, ":", line + 1, ": ", message));
}

absl::Status TextprotoChecker::ErrorAt(absl::string_view path, const absl::Status& status) const {
  if (status.ok()) return status;
  return Error(path, status.message());
}

bool TextprotoChecker::Written(absl::string_view path) const { return Resolve(path).complete; }

TextprotoChecker::Resolved TextprotoChecker::Resolve(absl::string_view path) const {
  Resolved found;
  const pb::Message* message = &root_;
  const TextFormat::ParseInfoTree* tree = &tree_;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr || tree == nullptr) return found;
    int index = -1;  // the parser's "not repeated"
    if (size_t bracket = part.find('['); bracket != part.npos) {
      absl::string_view number = part.substr(bracket + 1);
      if (!absl::ConsumeSuffix(&number, "]") || !absl::SimpleAtoi(number, &index)) return found;
      part = part.substr(0, bracket);
    }
    const pb::FieldDescriptor* field =
        message->GetDescriptor()->FindFieldByName(std::string(part));
    if (field == nullptr || field->is_repeated() != (index >= 0)) return found;
    const pb::Reflection& reflection = *message->GetReflection();
    int located = index;
    if (field->is_repeated()) {
      int size = reflection.FieldSize(*message, field);
      if (index >= size) return found;
      // The parser records one location per list (`follow_up_after: ["5d", "20d"]`), not
      // per element; then the best it can tell is where the field first appears.
      if (tree->GetLocation(field, size - 1).line < 0) located = 0;
    }
    TextFormat::ParseLocation at = tree->GetLocation(field, located);
    if (at.line < 0) return found;
    found.line = at.line;
    if (field->message_type() == nullptr) {
      message = nullptr;
      continue;
    }
    // Nested messages are recorded one by one, lists or not.
    message = index >= 0 ? &reflection.GetRepeatedMessage(*message, field, index)
                         : &reflection.GetMessage(*message, field);
    tree = tree->GetTreeForNested(field, index);
  }
  found.complete = true;
  return found;
}

}  // namespace amends
