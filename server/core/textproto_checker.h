// Textproto checking: parses a Protobuf text-format file and names the source line of a field
// path in errors, so that a configuration mistake reads "notify.textproto:3: smtp.server: ...".
// Shared by every text-format configuration (the policy, the notify channels).
//
//   TextFormat::ParseInfoTree tree;
//   v1::NotifyConfig config;
//   if (absl::Status s = ParseTextproto(text, source, &config, &tree); !s.ok()) return s;
//   const TextprotoChecker check(source, config, tree);
//   if (config.smtp().server().empty()) return check.Error("smtp.server", "smtp.server: required");
//
// Pure. A checker only reads the message and tree it was given, which must outlive it; its
// methods are const and safe to call from several threads.
#ifndef AMENDS_SERVER_CORE_TEXTPROTO_CHECKER_H_
#define AMENDS_SERVER_CORE_TEXTPROTO_CHECKER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace amends {

// Parses `text` into `message`, recording where each field was written into `tree`. Unknown
// fields and repeated singular fields are errors. A syntax error is INVALID_ARGUMENT
// "<source>:<line>:<column>: <parser's message>" (1-based) for the first problem only.
absl::Status ParseTextproto(absl::string_view text, absl::string_view source,
                            google::protobuf::Message* message,
                            google::protobuf::TextFormat::ParseInfoTree* tree);

// Names the source line of a field path such as "severity[2].approve_within" or
// "smtp.server", from the locations the text-format parser recorded.
class TextprotoChecker {
 public:
  TextprotoChecker(absl::string_view source, const google::protobuf::Message& root,
                   const google::protobuf::TextFormat::ParseInfoTree& tree)
      : source_(source), root_(root), tree_(tree) {}

  // INVALID_ARGUMENT "<source>:<line>: <message>". The line is where the deepest part of
  // `path` that the text spells out starts: for a missing field, its enclosing message; with
  // no part spelled out, just "<source>: <message>". `message` should name the field itself.
  absl::Status Error(absl::string_view path, absl::string_view message) const;

  // `status` placed at the line of `path` (as Error, with status's message); OK stays OK.
  // For helpers whose errors already name the field: ErrorAt("timeout", ParseSpan(...)).
  absl::Status ErrorAt(absl::string_view path, const absl::Status& status) const;

  // Whether the text spells out `path` itself, even with a default value (`team: ""`).
  bool Written(absl::string_view path) const;

 private:
  struct Resolved {
    int line = -1;  // 0-based
    bool complete = false;
  };
  // Walks `path` through the message and the recorded locations side by side.
  Resolved Resolve(absl::string_view path) const;

  absl::string_view source_;
  const google::protobuf::Message& root_;
  const google::protobuf::TextFormat::ParseInfoTree& tree_;
};

}  // namespace amends

#endif  // AMENDS_SERVER_CORE_TEXTPROTO_CHECKER_H_
