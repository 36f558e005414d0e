// ErrorLine: what `amends` prints (after "amends: ") for a command that failed. In English the
// message as the server or the client wrote it. In Japanese, what went wrong, told by its code
// (status code, hence also the exit code) and the field the message names ("--at: ...",
// "team: ..."), then the message itself after a colon: it may quote what was typed, and the
// server writes it in English.
//
//   ErrorLine(InvalidArgumentError("--at: '来週 10:00' is not a time; ..."))
//     English:  "--at: '来週 10:00' is not a time; ..."
//     Japanese: "入力に誤りがあります（--at）: '来週 10:00' is not a time; ..."
// The text is made safe for a terminal (no control sequences) and one line. Thread-safe once
// the language is chosen (i18n.h).
#ifndef AMENDS_CLIENT_ERROR_TEXT_H_
#define AMENDS_CLIENT_ERROR_TEXT_H_

#include <string>

#include "absl/status/status.h"

namespace amends::cli {

std::string ErrorLine(const absl::Status& status);

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_ERROR_TEXT_H_
