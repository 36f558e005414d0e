// ErrorLine: what `amends` prints (after "amends: ") for a command that failed. In English the
// message as the server or the client wrote it. In Japanese, a message of the client's own is
// already translated and printed as it is; one from the server (exit_code.h FromServer), which
// the server writes in English, is preceded by what went wrong, told by its code (status code,
// hence also the exit code) and the field the message names ("--at: ...", "team: ...").
//
//   ErrorLine(FromGrpcStatus({NOT_FOUND, "incident 999 not found"}))
//     English:  "incident 999 not found"
//     Japanese: "見つかりません: incident 999 not found"
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
