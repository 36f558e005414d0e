// Labels: a state, kind, severity or event as people read it in tables, `show` and `watch`.
// In English it is the command-line spelling (enum_names.h: "apology-visit"), which is also
// what options accept; in Japanese (i18n.h) it is the team's own word (謝罪訪問). Input is
// never translated: `--state apology-visit` works in every language.
// Pure; thread-safe once the language is chosen.
#ifndef AMENDS_CLIENT_LABELS_H_
#define AMENDS_CLIENT_LABELS_H_

#include <string>

#include "amends/v1/amends.pb.h"

namespace amends::cli {

std::string Label(amends::v1::State state);
std::string Label(amends::v1::Kind kind);
std::string Label(amends::v1::Severity severity);
std::string Label(amends::v1::EventType type);
std::string Label(amends::v1::Channel channel);  // how a contact was made: 電話, メール, 訪問
std::string Label(amends::v1::Response response);  // the answer to a harassment: 先方へ警告
std::string Label(amends::v1::OfferKind kind);  // what is offered: 値引き, 返金, 無償対応
std::string Label(amends::v1::Offer::State state);  // where an offer stands: 承認待ち
std::string Label(amends::v1::Notification::Reason reason);  // why a notification was sent
std::string Label(amends::v1::Notification::State state);  // how its delivery stands

}  // namespace amends::cli

#endif  // AMENDS_CLIENT_LABELS_H_
