#include "server/mail/mime.h"

#include <openssl/evp.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace amends {
namespace {

constexpr absl::string_view kWordStart = "=?UTF-8?B?";
constexpr absl::string_view kWordEnd = "?=";
constexpr size_t kMaxWord = 75;         // RFC 2047 section 2
constexpr size_t kMaxEncodedLine = 76;  // RFC 2047 section 2, a line with encoded words
constexpr size_t kMaxLine = 998;        // RFC 5322 section 2.1.1
constexpr size_t kBase64Line = 76;      // RFC 2045 section 6.8

std::string Base64(absl::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

// Bytes in the UTF-8 character that starts with `lead`; 1 for a byte that cannot start one.
size_t CharLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

bool PrintableAscii(absl::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// Line ends made CRLF: "\r\n", a lone "\r" and "\n" all become "\r\n".
std::string CrlfLines(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

// The display name of a From header: as it is if it is a plain run of words, quoted if it
// has specials, encoded if it is not ASCII.
std::string DisplayName(absl::string_view name) {
  if (!PrintableAscii(name) || absl::StrContains(name, "=?")) return EncodeHeaderWord(name, 6);
  if (name.find_first_of("()<>[]:;@\\,.\"") == name.npos) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string HeaderSafe(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

std::string EncodeHeaderWord(absl::string_view utf8, size_t first_line_used) {
  const std::string text = HeaderSafe(utf8);
  if (PrintableAscii(text) && !absl::StrContains(text, "=?") &&
      first_line_used + text.size() <= kMaxLine) {
    return text;
  }
  // Base64 turns each 3 bytes into 4 characters.
  auto max_bytes = [](size_t room) {
    size_t chars = room > kWordStart.size() + kWordEnd.size()
                       ? room - kWordStart.size() - kWordEnd.size()
                       : 0;
    return chars / 4 * 3;
  };
  std::string out;
  size_t room = std::min(kMaxWord, kMaxEncodedLine - std::min(first_line_used, size_t{56}));
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size()) {
      size_t next = std::min(end + CharLength(text[end]), text.size());
      if (next - start > max_bytes(room) && end > start) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, kWordStart, Base64(absl::string_view(text).substr(start, end - start)),
                    kWordEnd);
    start = end;
    room = kMaxWord;  // a continuation line starts with one space: 1 + 75 = 76
  }
  return out;
}

std::string BareAddress(absl::string_view mailbox) {
  absl::string_view address = absl::StripAsciiWhitespace(mailbox);
  size_t open = address.rfind('<');
  if (open != address.npos) {
    address.remove_prefix(open + 1);
    address = address.substr(0, address.find('>'));
  }
  return std::string(absl::StripAsciiWhitespace(address));
}

std::string FormatMailDate(absl::Time time) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const absl::CivilSecond at = absl::ToCivilSecond(time, absl::UTCTimeZone());
  const int weekday = static_cast<int>(absl::GetWeekday(at));  // Monday is 0
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[weekday], at.day(),
                         kMonths[at.month() - 1], at.year(), at.hour(), at.minute(),
                         at.second());
}

std::string BuildMessage(const MailMessage& message, absl::string_view from_header) {
  std::string from = HeaderSafe(absl::StripAsciiWhitespace(from_header));
  if (size_t open = from.rfind('<'); open != from.npos) {
    absl::string_view name = absl::StripAsciiWhitespace(absl::string_view(from).substr(0, open));
    if (!name.empty()) from = absl::StrCat(DisplayName(name), " <", BareAddress(from), ">");
  }
  std::string out;
  absl::StrAppend(&out, "Date: ", FormatMailDate(message.date), "\r\n");
  absl::StrAppend(&out, "From: ", from, "\r\n");
  absl::StrAppend(&out, "To: ", HeaderSafe(message.to), "\r\n");
  absl::StrAppend(&out, "Subject: ", EncodeHeaderWord(message.subject, 9), "\r\n");
  absl::StrAppend(&out, "Message-ID: ", HeaderSafe(message.message_id), "\r\n");
  absl::StrAppend(&out, "MIME-Version: 1.0\r\n");
  absl::StrAppend(&out, "Content-Type: text/plain; charset=UTF-8\r\n");
  absl::StrAppend(&out, "Content-Transfer-Encoding: base64\r\n");
  // RFC 3834: tells vacation responders and the like not to answer.
  absl::StrAppend(&out, "Auto-Submitted: auto-generated\r\n");
  out += "\r\n";
  const std::string body = Base64(CrlfLines(message.body));
  for (size_t i = 0; i < body.size(); i += kBase64Line) {
    absl::StrAppend(&out, absl::string_view(body).substr(i, kBase64Line), "\r\n");
  }
  return out;
}

}  // namespace amends
