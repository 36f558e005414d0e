#include "server/core/notification_text.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "absl/time/civil_time.h"
#include "server/core/lifecycle.h"
#include "server/core/offers.h"
#include "server/core/time_proto.h"
#include "server/core/visibility.h"
#include "utf8proc.h"

namespace amends {
namespace {

using v1::Notification;

// Picks the Japanese or the English variant of each phrase, so that both stay side by side.
struct Tr {
  bool ja;
  absl::string_view operator()(absl::string_view j, absl::string_view e) const {
    return ja ? j : e;
  }
};

// ---- User text ---------------------------------------------------------------------------------

// Code points never copied from user text: C0 and C1 controls, DEL, and the bidirectional
// embeddings, overrides and isolates that could make a mail display something else than it says.
bool IsRemoved(utf8proc_int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// `text` safe to put in a mail: see the header. Line breaks (LF, CR LF, CR, U+2028, U+2029) become
// "\n" when `multiline`, else a space; tabs become a space; surrounding white space and the spaces
// ending each line go.
std::string Clean(absl::string_view text, bool multiline) {
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  bool after_cr = false;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // not UTF-8: one byte becomes U+FFFD
      out += "\xEF\xBF\xBD";
      n = 1;
    } else if (cp == '\n' && after_cr) {
      // the LF of a CR LF: the CR already made the line break
    } else if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
      out += multiline ? '\n' : ' ';
    } else if (cp == '\t') {
      out += ' ';
    } else if (!IsRemoved(cp)) {
      out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
    after_cr = n > 0 && cp == '\r';
    p += n;
    left -= n;
  }
  std::vector<std::string> lines = absl::StrSplit(out, '\n');
  for (std::string& line : lines) absl::StripTrailingAsciiWhitespace(&line);
  std::string joined = absl::StrJoin(lines, "\n");
  return std::string(absl::StripAsciiWhitespace(joined));
}

std::string OneLine(absl::string_view text) { return Clean(text, /*multiline=*/false); }

// A user name as a command-line argument, or nullopt when it would need shell quoting.
std::optional<std::string> ShellWord(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' &&
        c != '@') {
      return std::nullopt;
    }
  }
  return std::string(name);
}

// ---- Names -------------------------------------------------------------------------------------

struct Name {
  absl::string_view ja;
  absl::string_view en;
};

// Indexed by enum number; index 0 stands for anything unknown.
constexpr std::array<Name, 9> kKinds = {{
    {"その他", "other"},
    {"アポイントの失念", "missed appointment"},
    {"成果物の提出遅れ", "late deliverable"},
    {"納品遅延", "delivery delay"},
    {"クレーム", "complaint"},
    {"ハラスメント", "harassment"},
    {"担当交代", "hand-over"},
    {"利益相反・社員の行動", "conduct"},
    {"その他", "other"},
}};
constexpr std::array<Name, 5> kSeverities = {{
    {"不明", "unknown"},
    {"低", "low"},
    {"中", "medium"},
    {"高", "high"},
    {"緊急", "critical"},
}};
constexpr std::array<Name, 7> kStates = {{
    {"不明", "unknown"},
    {"報告済み", "reported"},
    {"上長確認中", "escalated"},
    {"謝罪訪問", "apology visit"},
    {"再発防止策", "prevention plan"},
    {"フォローアップ", "follow-up"},
    {"完了", "closed"},
}};
constexpr std::array<Name, 5> kOfferKinds = {{
    {"その他", "other"},
    {"値引き", "discount"},
    {"返金", "refund"},
    {"無償対応", "free service"},
    {"その他", "other"},
}};

template <size_t N>
absl::string_view NameOf(const std::array<Name, N>& names, int value, Tr tr) {
  const Name& name = (value > 0 && static_cast<size_t>(value) < N) ? names[value] : names[0];
  return tr(name.ja, name.en);
}

constexpr std::array<absl::string_view, 7> kJaWeekdays = {"月", "火", "水", "木", "金", "土", "日"};
constexpr std::array<absl::string_view, 7> kEnWeekdays = {"Mon", "Tue", "Wed", "Thu",
                                                          "Fri", "Sat", "Sun"};
constexpr std::array<absl::string_view, 12> kEnMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "12月7日(月) 10:00" (with the zone's abbreviation when it is not JST), "Mon 7 Dec 10:00 JST".
std::string When(absl::Time t, const absl::TimeZone& zone, Tr tr) {
  const absl::CivilMinute m = absl::ToCivilMinute(t, zone);
  const int weekday = static_cast<int>(absl::GetWeekday(absl::CivilDay(m)));  // Monday: 0
  const std::string abbr = absl::FormatTime("%Z", t, zone);
  if (tr.ja) {
    std::string s = absl::StrFormat("%d月%d日(%s) %02d:%02d", m.month(), m.day(),
                                    kJaWeekdays[weekday], m.hour(), m.minute());
    if (abbr != "JST") absl::StrAppend(&s, " (", abbr, ")");
    return s;
  }
  return absl::StrFormat("%s %d %s %02d:%02d %s", kEnWeekdays[weekday], m.day(),
                         kEnMonths[m.month() - 1], m.hour(), m.minute(), abbr);
}

// ---- Deadlines ---------------------------------------------------------------------------------

// The deadlines of deadlines.h, by key; a numbered one's key is the prefix followed by N.
struct DeadlineName {
  absl::string_view key;
  bool numbered;
  absl::string_view ja;  // $0: N
  absl::string_view en;
};
constexpr std::array<DeadlineName, 11> kDeadlines = {{
    {"first-apology", false, "お客様への一次謝罪", "first apology to the client"},
    {"manager-apology", false, "上長ご本人からのお詫び", "the manager's own apology to the client"},
    {"update", false, "お客様への途中経過のご報告", "an update to the client"},
    {"escalate", false, "上長への報告", "escalation to a manager"},
    {"approve", false, "エスカレーションの承認", "approval of the escalation"},
    {"visit", false, "謝罪訪問", "apology visit"},
    {"plan", false, "再発防止策の提示", "presenting the prevention plan"},
    {"follow-up-", true, "$0回目のフォローアップ連絡", "follow-up contact $0"},
    {"measure-", true, "再発防止策 $0", "prevention measure $0"},
    {"promise-", true, "お約束 $0", "promise $0"},
    {"offer-", true, "補償のご提案 $0 の承認", "approval of offer $0"},
}};

struct DeadlineRef {
  const DeadlineName* name = nullptr;  // null: a key this file does not know
  int number = 0;                      // N of a numbered key
};

DeadlineRef ParseKey(absl::string_view key) {
  for (const DeadlineName& d : kDeadlines) {
    if (!d.numbered) {
      if (key == d.key) return {&d, 0};
      continue;
    }
    absl::string_view rest = key;
    int n = 0;
    if (absl::ConsumePrefix(&rest, d.key) && absl::SimpleAtoi(rest, &n) && n > 0 &&
        absl::ascii_isdigit(static_cast<unsigned char>(rest[0]))) {
      return {&d, n};
    }
  }
  return {};
}

const v1::Offer* FindOffer(const v1::Incident& incident, int number) {
  for (const v1::Offer& o : incident.offers()) {
    if (o.number() == number) return &o;
  }
  return nullptr;
}

const v1::PreventionMeasure* FindMeasure(const v1::Incident& incident, int number) {
  for (const v1::PreventionMeasure& m : incident.measures()) {
    if (m.number() == number) return &m;
  }
  return nullptr;
}

// "値引き ¥50,000", "discount ¥50,000": what an offer gives the client. Never for a confidential
// incident.
std::string OfferSummary(const v1::Offer& o, Tr tr) {
  return absl::StrCat(NameOf(kOfferKinds, o.kind(), tr), " ", FormatYen(o.amount_yen()));
}

// Whether offer `number` is above every level's limit, so that only an admin may decide it.
bool IsAdminsOffer(const v1::Incident& incident, int number) {
  const v1::Offer* o = FindOffer(incident, number);
  return o != nullptr && o->approver_level() == 0;
}

// What a deadline asks, in the reader's language. With `with_text`, a measure's or promise's own
// text, or an offer's kind and amount, follows, unless the incident is confidential.
std::string DeadlinePhrase(absl::string_view key, absl::string_view what,
                           const v1::Incident& incident, Tr tr, bool with_text) {
  const DeadlineRef ref = ParseKey(key);
  if (ref.name == nullptr) {
    // Unknown key: the core's English text says what it is, unless it may carry user text.
    if (!incident.confidential() && !what.empty()) return OneLine(what);
    return std::string(tr("期限のある対応", "a deadline"));
  }
  std::string phrase = absl::Substitute(tr(ref.name->ja, ref.name->en), ref.number);
  if (!with_text || incident.confidential()) return phrase;
  std::string text;
  if (ref.name->key == "offer-") {
    const v1::Offer* o = FindOffer(incident, ref.number);
    if (o == nullptr) return phrase;
    return absl::StrCat(phrase, tr("（", " ("), OfferSummary(*o, tr), tr("）", ")"));
  }
  if (ref.name->key == "measure-") {
    const v1::PreventionMeasure* m = FindMeasure(incident, ref.number);
    if (m != nullptr) text = OneLine(m->text());
  } else if (ref.name->key == "promise-") {
    for (const v1::Promise& p : incident.promises()) {
      if (p.number() == ref.number) text = OneLine(p.text());
    }
  }
  if (text.empty()) return phrase;
  return tr.ja ? absl::StrCat(phrase, "「", text, "」") : absl::StrCat(phrase, " \"", text, "\"");
}

struct Command {
  std::string label;  // ends without a colon
  std::string line;
};

// The commands that meet deadline `key` of incident `id`; empty for an unknown key.
std::vector<Command> CommandsFor(absl::string_view key, const v1::Incident& incident, Tr tr) {
  const std::string id = absl::StrCat(incident.id());
  const DeadlineRef ref = ParseKey(key);
  if (ref.name == nullptr) return {};
  const absl::string_view k = ref.name->key;
  if (k == "first-apology") {
    return {{std::string(tr("一次謝罪の記録（--channel は call / mail / visit）",
                            "Record the first apology (--channel call, mail or visit)")),
             absl::StrCat("amends apologize ", id, " --channel call --note \"",
                          tr("お詫びした内容", "what you said"), "\"")}};
  }
  if (k == "manager-apology") {
    return {{std::string(tr("上長ご本人からのお詫びの記録（--channel は call / mail / visit）",
                            "Record your own apology (--channel call, mail or visit)")),
             absl::StrCat("amends apologize ", id, " --as-manager --channel call --note \"",
                          tr("お詫びした内容", "what you said"), "\"")}};
  }
  if (k == "update") {
    return {{std::string(tr("お客様へのご報告の記録（--channel は call / mail / visit）",
                            "Log the update you gave the client (--channel call, mail or visit)")),
             absl::StrCat("amends update ", id, " --channel mail --note \"",
                          tr("ご報告した内容", "what you reported"), "\"")}};
  }
  if (k == "escalate") {
    return {{std::string(tr("上長へのエスカレーション", "Escalate to your manager")),
             absl::StrCat("amends escalate ", id, " --reason \"",
                          tr("上長の対応が必要な理由", "why your manager must act"), "\"")}};
  }
  if (k == "approve") {
    std::vector<Command> commands = {
        {std::string(tr("承認する場合", "To approve")), absl::StrCat("amends approve ", id)}};
    // Harassment and conduct stay with the managers: they are not declined.
    if (StateAllows(incident.kind(), v1::STATE_ESCALATED, ActionType::kDeclineEscalation)) {
      commands.push_back(
          {std::string(tr("承認しない場合（理由を添えてください）", "To decline (give the reason)")),
           absl::StrCat("amends decline ", id, " --reason \"", tr("理由", "why"), "\"")});
    }
    return commands;
  }
  if (k == "visit") {
    if (incident.visit().has_planned_at()) {
      return {{std::string(tr("訪問後の結果の記録", "After the visit, record how it went")),
               absl::StrCat("amends visit done ", id, " --outcome \"",
                            tr("訪問の結果", "what was said and agreed"), "\"")}};
    }
    std::string line = absl::StrCat("amends visit schedule ", id, " --at \"YYYY-MM-DD HH:MM\"");
    std::vector<std::string> attendees = {incident.owner()};
    if (incident.manager() != incident.owner()) attendees.push_back(incident.manager());
    for (const std::string& who : attendees) {
      if (auto word = ShellWord(who)) absl::StrAppend(&line, " --attendee ", *word);
    }
    return {{std::string(tr("訪問日時の登録", "Schedule the visit")), line}};
  }
  if (k == "plan") {
    return {{std::string(tr("お客様へ提示した後の記録", "Once presented to the client")),
             absl::StrCat("amends plan present ", id)}};
  }
  if (k == "follow-up-") {
    return {{std::string(tr("フォローアップ連絡の記録", "Log the follow-up contact")),
             absl::StrCat("amends followup ", id, " --note \"",
                          tr("お客様とのやりとり", "what was said"), "\"")}};
  }
  if (k == "measure-") {
    return {{std::string(tr("完了の記録", "Mark it done")),
             absl::StrCat("amends measure done ", id, " ", ref.number)}};
  }
  if (k == "promise-") {
    return {{std::string(tr("お約束を果たした後の記録", "Once kept, mark it kept")),
             absl::StrCat("amends promise done ", id, " ", ref.number)}};
  }
  if (k == "offer-") {
    const std::string offer = absl::StrCat(id, " ", ref.number);
    // One above every level's limit is decided by an admin, whom its managers ask.
    const bool admin = IsAdminsOffer(incident, ref.number);
    return {{std::string(admin ? tr("システム管理者が承認する場合", "For an admin to approve")
                               : tr("承認する場合", "To approve")),
             absl::StrCat("amends offer approve ", offer)},
            {std::string(admin ? tr("システム管理者が承認しない場合（理由を添えてください）",
                                    "For an admin to decline (give the reason)")
                               : tr("承認しない場合（理由を添えてください）",
                                    "To decline (give the reason)")),
             absl::StrCat("amends offer decline ", offer, " --reason \"", tr("理由", "why"),
                          "\"")}};
  }
  return {};
}

std::optional<absl::Time> DueOf(const v1::Incident& incident, absl::string_view key) {
  for (const v1::Deadline& d : incident.deadlines()) {
    if (d.key() == key && d.has_due()) return FromProto(d.due());
  }
  return std::nullopt;
}

// ---- Message assembly --------------------------------------------------------------------------

class Body {
 public:
  explicit Body(Tr tr) : tr_(tr) {}

  void Line(absl::string_view text = "") { absl::StrAppend(&text_, text, "\n"); }
  // "label：value" / "label: value"; nothing when value is empty.
  void Field(absl::string_view label, absl::string_view value) {
    if (!value.empty()) Line(absl::StrCat(label, tr_("：", ": "), value));
  }
  // The label on its own line, then each line of multi-line user text indented.
  void Block(absl::string_view label, absl::string_view user_text) {
    const std::string text = Clean(user_text, /*multiline=*/true);
    if (text.empty()) return;
    Line(absl::StrCat(label, tr_("：", ":")));
    for (absl::string_view line : absl::StrSplit(text, '\n')) Line(absl::StrCat("  ", line));
  }
  void Commands(const std::vector<Command>& commands) {
    for (const Command& c : commands) {
      Line();
      Line(absl::StrCat(c.label, tr_("：", ":")));
      Line(absl::StrCat("  ", c.line));
    }
  }

  // The text with the footer: "\n" line ends, no trailing spaces, one final "\n".
  std::string Finish() {
    Line();
    Line("--");
    Line(tr_("このメールは amends から自動送信されています。",
             "This message was sent automatically by amends."));
    std::vector<std::string> lines;
    for (absl::string_view line : absl::StrSplit(text_, '\n')) {
      line = absl::StripTrailingAsciiWhitespace(line);
      if (line.empty() && (lines.empty() || lines.back().empty())) continue;  // one blank line
      lines.emplace_back(line);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
  }

 private:
  Tr tr_;
  std::string text_;
};

// What the subject says after "[amends #12] ", by reason and, where one reason covers several
// cases, by case: the deadline asked about ("offer-") or the offer's decision ("approved",
// "declined"). The first row that matches wins; an empty case matches any.
struct ReasonText {
  Notification::Reason reason;
  absl::string_view variant;
  absl::string_view ja;
  absl::string_view en;
};
constexpr std::array<ReasonText, 15> kSubjects = {{
    {Notification::REASON_REPORTED, "", "新規案件のご報告", "New incident reported"},
    {Notification::REASON_APPROVAL_ASKED, "offer-", "補償のご提案の承認のお願い",
     "Offer approval needed"},
    {Notification::REASON_APPROVAL_ASKED, "", "エスカレーション承認のお願い", "Approval needed"},
    {Notification::REASON_APPROVED, "", "エスカレーションが承認されました", "Escalation approved"},
    {Notification::REASON_DECLINED, "", "エスカレーションが承認されませんでした",
     "Escalation declined"},
    {Notification::REASON_HANDED_OVER, "", "案件の引き継ぎ", "Incident handed over to you"},
    {Notification::REASON_VISIT_SCHEDULED, "", "謝罪訪問の日程", "Apology visit scheduled"},
    {Notification::REASON_REMINDER, "", "リマインド", "Reminder"},
    {Notification::REASON_BREACH, "", "期限超過", "Overdue"},
    {Notification::REASON_TEST, "", "テストメール", "Test message"},
    {Notification::REASON_CLOSED, "", "案件のクローズ", "Incident closed"},
    {Notification::REASON_DIGEST, "", "本日の確認事項", "Your morning digest"},
    {Notification::REASON_OFFER_DECIDED, "approved", "補償のご提案が承認されました",
     "Offer approved"},
    {Notification::REASON_OFFER_DECIDED, "declined", "補償のご提案が承認されませんでした",
     "Offer declined"},
    {Notification::REASON_MEASURE_REOPENED, "", "再発防止策の見直しのお願い",
     "Prevention measure reopened"},
}};

absl::string_view SubjectText(Notification::Reason reason, absl::string_view variant, Tr tr) {
  for (const ReasonText& r : kSubjects) {
    if (r.reason == reason && (r.variant.empty() || r.variant == variant)) return tr(r.ja, r.en);
  }
  return tr("案件の更新", "Incident updated");
}

// Everything a message needs, computed once.
struct Context {
  const Notice& notice;
  const v1::Incident& incident;
  const v1::Event& event;
  const absl::TimeZone& zone;
  Tr tr;
  std::string id;      // "12"
  std::string number;  // "#12"
  bool confidential;

  std::string When(absl::Time t) const { return amends::When(t, zone, tr); }
  // The owner's name for a sentence, or empty when confidential.
  std::string Owner() const { return confidential ? "" : OneLine(incident.owner()); }
  std::string Actor() const { return confidential ? "" : OneLine(event.actor()); }
  // N of the notice's numbered deadline when it is a `prefix` one ("offer-", "measure-"), else 0.
  int Numbered(absl::string_view prefix) const {
    const DeadlineRef ref = ParseKey(notice.deadline_key);
    return ref.name != nullptr && ref.name->key == prefix ? ref.number : 0;
  }
};

// "(sato)" / "（sato）" around a name, or nothing for an empty one.
std::string Parens(absl::string_view label, absl::string_view name, Tr tr) {
  if (name.empty()) return "";
  if (tr.ja) return absl::StrCat("（", label, "：", name, "）");
  return absl::StrCat(" (", label, " ", name, ")");
}

void Greeting(const Context& c, Body& body) {
  const Tr tr = c.tr;
  if (!c.notice.user.empty()) {
    body.Line(absl::StrCat(tr("", "Hello "), OneLine(c.notice.user), tr(" さん", ",")));
  } else if (!c.notice.managers_of.empty()) {
    body.Line(tr.ja ? absl::StrCat(OneLine(c.notice.managers_of), " チーム 管理者各位")
                    : absl::StrCat("Hello managers of ", OneLine(c.notice.managers_of), ","));
  } else {
    body.Line(tr("各位", "Hello,"));
  }
  body.Line();
  if (tr.ja) {
    body.Line("お疲れさまです。amends からのお知らせです。");
    body.Line();
  }
}

// The incident in a few lines; only its number when confidential.
void IncidentFields(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const v1::Incident& in = c.incident;
  body.Line();
  if (c.confidential) {
    body.Field(tr("案件", "Incident"),
               absl::StrCat(c.number, tr("（機密扱いのため、内容はメールに記載していません）",
                                         " (confidential: its details are not sent by mail)")));
    return;
  }
  body.Field(tr("案件", "Incident"), c.number);
  std::string client = OneLine(in.client().name());
  const std::string contact = OneLine(in.client().contact());
  if (!contact.empty()) {
    absl::StrAppend(&client, tr("（", " ("), contact, tr("）", ")"));
  }
  body.Field(tr("お客様", "Client"), client);
  body.Field(tr("概要", "Summary"), OneLine(in.summary()));
  body.Field(tr("種別", "Kind"), NameOf(kKinds, in.kind(), tr));
  body.Field(tr("重大度", "Severity"), NameOf(kSeverities, in.severity(), tr));
  body.Field(tr("状態", "State"), NameOf(kStates, in.state(), tr));
  body.Field(tr("担当者", "Owner"), OneLine(in.owner()));
  if (in.recurrence()) {
    body.Field(
        tr("再発", "Recurrence"),
        tr("このお客様では以前にも案件がありました。前回の再発防止策が機能しなかった可能性があります。",
           "this client had earlier incidents; the last prevention plan did not hold."));
  }
}

// The commands that meet the notice's deadline. Managers told of someone else's deadline act
// through the owner, so they get only the commands of approvals (an escalation's, an offer's),
// which are theirs.
std::vector<Command> ActionCommands(const Context& c) {
  if (!c.notice.managers_of.empty() && c.notice.deadline_key != "approve" &&
      c.Numbered("offer-") == 0) {
    return {};
  }
  return CommandsFor(c.notice.deadline_key, c.incident, c.tr);
}

void ShowCommand(const Context& c, Body& body) {
  body.Commands(
      {{std::string(c.tr("案件の確認", "See the incident")), absl::StrCat("amends show ", c.id)}});
}

// The deadline a reminder or breach is about: what, when, and the commands that meet it.
void DeadlineFields(const Context& c, Body& body, absl::string_view what_label,
                    absl::string_view due_label) {
  const Tr tr = c.tr;
  body.Line();
  body.Field(what_label, DeadlinePhrase(c.notice.deadline_key, c.notice.what, c.incident, tr,
                                        /*with_text=*/true));
  if (c.notice.due) body.Field(due_label, c.When(*c.notice.due));
}

// The case of kSubjects the notice is: see there.
absl::string_view SubjectVariant(const Context& c) {
  if (c.notice.reason == Notification::REASON_APPROVAL_ASKED) {
    const DeadlineRef ref = ParseKey(c.notice.deadline_key);
    return ref.name == nullptr ? "" : ref.name->key;
  }
  if (c.notice.reason == Notification::REASON_OFFER_DECIDED) {
    const v1::Offer* o = FindOffer(c.incident, c.Numbered("offer-"));
    if (o == nullptr) return "";
    if (o->state() == v1::Offer::STATE_APPROVED) return "approved";
    if (o->state() == v1::Offer::STATE_DECLINED) return "declined";
  }
  return "";
}

std::string Subject(const Context& c) {
  const Tr tr = c.tr;
  std::string subject = absl::StrCat("[amends ", c.number, "] ");
  if (c.notice.urgent) absl::StrAppend(&subject, tr("【至急】", "URGENT: "));
  absl::StrAppend(&subject, SubjectText(c.notice.reason, SubjectVariant(c), tr));
  const Notification::Reason r = c.notice.reason;
  if (r == Notification::REASON_REMINDER || r == Notification::REASON_BREACH) {
    absl::StrAppend(&subject, tr("：", ": "),
                    DeadlinePhrase(c.notice.deadline_key, c.notice.what, c.incident, tr,
                                   /*with_text=*/false));
    if (c.notice.due && r == Notification::REASON_REMINDER) {
      absl::StrAppend(&subject, tr("、", ", due "), c.When(*c.notice.due), tr("まで", ""));
    }
  }
  const std::string client = OneLine(c.incident.client().name());
  if (!c.confidential && !client.empty()) {
    absl::StrAppend(&subject, tr("（", " - "), client, tr("）", ""));
  }
  return subject;
}

// Any change without a message of its own.
void Other(const Context& c, Body& body) {
  body.Line(c.tr.ja ? absl::StrCat(c.number, " に更新があります。")
                    : absl::StrCat(c.number, " has changed."));
  IncidentFields(c, body);
  ShowCommand(c, body);
}

void Reported(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const std::string owner = c.Owner();
  if (tr.ja) {
    body.Line("チームで新しい案件が報告されました。");
    body.Line(absl::StrCat(c.notice.urgent ? "至急、" : "", "担当者",
                           owner.empty() ? "" : absl::StrCat("（", owner, "）"),
                           "に連絡を取り、状況をご確認ください。"));
  } else {
    body.Line("A new incident was reported in your team.");
    body.Line(absl::StrCat("Please contact the owner",
                           owner.empty() ? "" : absl::StrCat(" (", owner, ")"),
                           " and check the situation", c.notice.urgent ? " now." : "."));
  }
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Field(tr("報告者", "Reported by"), OneLine(c.incident.reporter()));
    body.Line();
    body.Block(tr("詳細", "Details"), c.incident.details());
  }
  ShowCommand(c, body);
}

// An offer of compensation waiting for the recipients' approval (deadline "offer-N"): what it
// gives the client, who made it, and whether an admin must decide it.
void OfferApprovalAsked(const Context& c, Body& body, int n) {
  const Tr tr = c.tr;
  const v1::Offer* o = FindOffer(c.incident, n);
  const bool admin = o != nullptr && o->approver_level() == 0;
  if (tr.ja) {
    if (admin) {
      body.Line(absl::StrCat(c.number, " の補償のご提案 ", n,
                             " は、金額がいずれの承認者の上限も超えるため、システム管理者の承認が"
                             "必要です。"));
      body.Line(absl::StrCat(c.confidential ? "amends で" : "",
                             "内容をご確認のうえ、システム管理者に承認の可否の判断をご依頼ください。"));
    } else {
      body.Line(absl::StrCat(c.number, " のお客様への補償のご提案 ", n,
                             " について、ご承認をお願いします。"));
      body.Line(absl::StrCat(c.confidential ? "amends で" : "",
                             "内容をご確認のうえ、承認の可否をご判断ください。"));
    }
    if (o != nullptr && o->approver_level() > 1) {
      body.Line("金額が担当チームの上長の承認上限を超えるため、上位の皆さまにお願いしています。");
    }
  } else {
    if (admin) {
      body.Line(absl::StrCat("Offer ", n, " of compensation to the client on ", c.number,
                             " is above every approval limit: an admin must approve or "
                             "decline it."));
      body.Line(c.confidential ? "Please review it in amends and ask an admin to decide."
                               : "Please review it and ask an admin to decide.");
    } else {
      body.Line(absl::StrCat("An offer of compensation to the client on ", c.number, " (offer ",
                             n, ") is waiting for your approval."));
      body.Line(c.confidential ? "Please review it in amends and approve or decline it."
                               : "Please review it and approve or decline it.");
    }
    if (o != nullptr && o->approver_level() > 1) {
      body.Line("The amount is above what the managers of the incident's team may approve, "
                "so it is asked of you.");
    }
  }
  std::optional<absl::Time> due = c.notice.due;
  if (!due) due = DueOf(c.incident, c.notice.deadline_key);
  if (due) body.Field(tr("回答期限", "Answer by"), c.When(*due));
  if (o != nullptr && !c.confidential) {
    body.Line();
    body.Field(tr("補償", "Offer"), OfferSummary(*o, tr));
    body.Field(tr("提案者", "Offered by"), OneLine(o->offered_by()));
    body.Block(tr("ご提案の内容", "What is offered"), o->text());
  }
  IncidentFields(c, body);
  body.Commands(CommandsFor(c.notice.deadline_key, c.incident, tr));
  ShowCommand(c, body);
}

void ApprovalAsked(const Context& c, Body& body) {
  if (const int n = c.Numbered("offer-"); n > 0) return OfferApprovalAsked(c, body, n);
  const Tr tr = c.tr;
  body.Line(tr.ja ? absl::StrCat(c.number,
                                 " のエスカレーションについて、対応方針のご承認をお願いします。")
                  : absl::StrCat("Your approval is needed for the escalation of ", c.number, "."));
  std::optional<absl::Time> due = c.notice.due;
  if (!due) due = DueOf(c.incident, "approve");
  if (due) body.Field(tr("回答期限", "Answer by"), c.When(*due));
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(tr("エスカレーションの理由", "Why it was escalated"),
               c.incident.escalation_reason());
  }
  body.Commands(CommandsFor("approve", c.incident, tr));
  ShowCommand(c, body);
}

void Approved(const Context& c, Body& body) {
  const Tr tr = c.tr;
  body.Line(tr.ja ? absl::StrCat(c.number, " のエスカレーションが承認されました",
                                 Parens("承認者", c.Actor(), tr), "。")
                  : absl::StrCat("Your escalation of ", c.number, " was approved",
                                 c.Actor().empty() ? "" : " by ", c.Actor(), "."));
  // Harassment and conduct go from approval to the response and the measures.
  const bool visit = c.incident.state() == v1::STATE_APOLOGY_VISIT;
  body.Line(visit ? tr("次は謝罪訪問です。お客様と日程を調整し、登録してください。",
                       "Next comes the apology visit: agree on a date with the client and "
                       "record it.")
                  : tr("次は対応方針と再発防止・保護のための施策を決めてください。",
                       "Next, decide the response and the measures, each with an owner and a "
                       "due date."));
  if (auto due = DueOf(c.incident, visit ? "visit" : "plan")) {
    body.Field(visit ? tr("謝罪訪問の期限", "Visit due by") : tr("決定の期限", "Decide by"),
               c.When(*due));
  }
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(tr("上長からのコメント", "Your manager's note"), c.event.text());
  }
  if (visit) body.Commands(CommandsFor("visit", c.incident, tr));
  ShowCommand(c, body);
}

void Declined(const Context& c, Body& body) {
  const Tr tr = c.tr;
  body.Line(tr.ja ? absl::StrCat(c.number, " のエスカレーションは承認されませんでした",
                                 Parens("判断", c.Actor(), tr), "。")
                  : absl::StrCat("Your escalation of ", c.number, " was declined",
                                 c.Actor().empty() ? "" : " by ", c.Actor(), "."));
  body.Line(
      c.confidential
          ? tr("amends で理由をご確認のうえ対応を見直し、必要であれば改めてエスカレーションしてください。",
               "Please read the reason in amends, review the response and escalate again "
               "if needed.")
          : tr("理由をご確認のうえ対応を見直し、必要であれば改めてエスカレーションしてください。",
               "Please read the reason, review the response and escalate again if needed."));
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(tr("理由", "Reason"), c.event.text());
  }
  ShowCommand(c, body);
  body.Commands(CommandsFor("escalate", c.incident, tr));
}

// An offer the recipient made was approved or declined (deadline key "offer-N").
void OfferDecided(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const int n = c.Numbered("offer-");
  const v1::Offer* o = FindOffer(c.incident, n);
  if (o == nullptr || (o->state() != v1::Offer::STATE_APPROVED &&
                       o->state() != v1::Offer::STATE_DECLINED)) {
    return Other(c, body);
  }
  const bool approved = o->state() == v1::Offer::STATE_APPROVED;
  const std::string by = c.confidential ? "" : OneLine(o->decided_by());
  if (approved) {
    body.Line(tr.ja ? absl::StrCat(c.number, " の補償のご提案 ", n, " が承認されました",
                                   Parens("承認者", by, tr), "。")
                    : absl::StrCat("Your offer ", n, " of compensation on ", c.number,
                                   " was approved", by.empty() ? "" : " by ", by, "."));
    body.Line(tr("お客様にお伝えしたら、その旨を記録してください。",
                 "Once you have made the offer to the client, record it as delivered."));
  } else {
    body.Line(tr.ja ? absl::StrCat(c.number, " の補償のご提案 ", n, " は承認されませんでした",
                                   Parens("判断", by, tr), "。")
                    : absl::StrCat("Your offer ", n, " of compensation on ", c.number,
                                   " was declined", by.empty() ? "" : " by ", by, "."));
    body.Line(c.confidential
                  ? tr("amends で理由をご確認のうえ、お客様へのご提案を見直してください。",
                       "Please read the reason in amends and review what to offer the client.")
                  : tr("理由をご確認のうえ、お客様へのご提案を見直してください。",
                       "Please read the reason and review what to offer the client."));
  }
  if (!c.confidential) {
    body.Line();
    body.Field(tr("補償", "Offer"), OfferSummary(*o, tr));
  }
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(approved ? tr("承認者からのコメント", "The approver's note") : tr("理由", "Reason"),
               o->decision_note());
  }
  if (approved) {
    body.Commands({{std::string(tr("お客様にお伝えした後の記録", "Once made to the client")),
                    absl::StrCat("amends offer delivered ", c.id, " ", n)}});
  }
  ShowCommand(c, body);
}

// What a failed check of measure `number` found, from the event's text (lifecycle.cc, EventText:
// "2. <measure text>: <note> (did not work: open again, due ...)"); the measure keeps no note of
// a failed check.
std::string VerificationFindings(const v1::Event& event, const v1::PreventionMeasure* m,
                                 int number) {
  absl::string_view text = event.text();
  if (const size_t tail = text.rfind(" (did not work: "); tail != absl::string_view::npos) {
    text = text.substr(0, tail);
  }
  if (m != nullptr) absl::ConsumePrefix(&text, absl::StrCat(number, ". ", m->text(), ": "));
  return std::string(text);
}

// A check by someone other than the owner found that the recipient's measure did not work
// (deadline key "measure-N"): it is open again, with a new due time.
void MeasureReopened(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const int n = c.Numbered("measure-");
  if (n == 0) return Other(c, body);
  const v1::PreventionMeasure* m = FindMeasure(c.incident, n);
  const std::string by = c.Actor();
  if (tr.ja) {
    body.Line(absl::StrCat(c.number, " の再発防止策 ", n,
                           " の効果を確認したところ、十分に機能していないことがわかりました",
                           Parens("確認者", by, tr), "。"));
    body.Line(c.confidential
                  ? "この施策は未完了に戻りました。amends で確認結果をご確認のうえ見直し、新しい"
                    "期限までに改めて実施してください。"
                  : "この施策は未完了に戻りました。確認結果を踏まえて見直し、新しい期限までに"
                    "改めて実施してください。");
  } else {
    body.Line(absl::StrCat("A check of prevention measure ", n, " on ", c.number,
                           " found that it did not work", Parens("checked by", by, tr), "."));
    body.Line(c.confidential
                  ? "It is open again: please read the findings in amends, rework it and carry "
                    "it out by the new due date."
                  : "It is open again: please rework it in the light of the findings and carry "
                    "it out by the new due date.");
  }
  body.Line();
  body.Field(tr("対応", "To do"), DeadlinePhrase(c.notice.deadline_key, c.notice.what, c.incident,
                                                  tr, /*with_text=*/true));
  std::optional<absl::Time> due = c.notice.due;
  if (!due && m != nullptr && m->has_due()) due = FromProto(m->due());
  if (due) body.Field(tr("新しい期限", "New due date"), c.When(*due));
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(tr("確認結果", "What the check found"), VerificationFindings(c.event, m, n));
  }
  body.Commands(CommandsFor(c.notice.deadline_key, c.incident, tr));
  ShowCommand(c, body);
}

// A bulk hand-over (amends handover), told once: `what` is whose work it was, `items` all that
// went to the recipient; the incident is the hand-over case with its checklist.
void BulkHandedOver(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const std::string from = OneLine(c.notice.what);
  body.Line(tr.ja ? absl::StrCat(from, " さんの担当があなたに引き継がれました。")
                  : absl::StrCat(from, "'s work has been handed over to you."));
  body.Line(tr("引き継ぎチェックリストを確認し、お客様への紹介訪問を調整してください。",
               "Please go through the hand-over checklist and arrange the introduction visit "
               "with the client."));
  body.Line();
  body.Block(tr("引き継ぎメモ", "Hand-over note"), c.incident.details());
  body.Line();
  body.Line(tr("引き継がれたもの：", "Handed over to you:"));
  for (const std::string& item : c.notice.items) body.Line(absl::StrCat("  ", OneLine(item)));
  body.Commands({{std::string(tr("チェックリストの確認", "See the checklist")),
                  absl::StrCat("amends checklist show ", c.id)}});
}

void HandedOver(const Context& c, Body& body) {
  if (!c.notice.items.empty()) return BulkHandedOver(c, body);
  const Tr tr = c.tr;
  const std::string from = c.confidential ? "" : OneLine(c.incident.last_hand_over().from_owner());
  body.Line(tr.ja ? absl::StrCat(c.number, " の担当があなたに引き継がれました",
                                 Parens("前任", from, tr), "。")
                  : absl::StrCat(c.number, " has been handed over to you",
                                 from.empty() ? "" : " by ", from, "."));
  body.Line(tr(
      "お客様に同じ説明を繰り返させることのないよう、引き継ぎメモと経緯をご確認ください。",
      "Please read the hand-over note and the history, so that the client never has to repeat themselves."));
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(tr("引き継ぎメモ", "Hand-over note"), c.incident.last_hand_over().note());
  }
  bool first = true;
  for (const v1::Deadline& d : c.incident.deadlines()) {
    if (d.user() != c.notice.user || !d.has_due()) continue;
    if (first) {
      body.Line();
      body.Line(tr("あなたの担当で期限のある対応：", "Deadlines now yours:"));
      first = false;
    }
    body.Line(absl::StrCat("  ", DeadlinePhrase(d.key(), d.what(), c.incident, tr, true),
                           tr("（期限：", " (due "), c.When(FromProto(d.due())), tr("）", ")")));
  }
  ShowCommand(c, body);
}

void VisitScheduled(const Context& c, Body& body) {
  const Tr tr = c.tr;
  body.Line(
      tr.ja
          ? absl::StrCat(c.number, " の謝罪訪問の日程が決まりました。ご同行をお願いします。")
          : absl::StrCat("The apology visit for ", c.number, " is scheduled, with you attending."));
  const v1::ApologyVisit& visit = c.incident.visit();
  if (visit.has_planned_at()) {
    body.Field(tr("日時", "When"), c.When(FromProto(visit.planned_at())));
  }
  std::vector<std::string> attendees;
  for (const std::string& a : visit.attendees()) attendees.push_back(OneLine(a));
  body.Field(tr("同行者", "Attendees"), absl::StrJoin(attendees, tr("、", ", ")));
  IncidentFields(c, body);
  body.Commands(CommandsFor("visit", c.incident, tr));
  ShowCommand(c, body);
}

void Reminder(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const bool late =
      c.notice.due && c.event.has_time() && *c.notice.due <= FromProto(c.event.time());
  if (tr.ja) {
    body.Line(absl::StrCat(c.number, late ? " の対応期限を過ぎています。至急ご対応ください。"
                                          : " の対応期限が近づいています。"));
  } else {
    body.Line(absl::StrCat("A deadline on ", c.number,
                           late ? " has passed: please act now." : " is coming up."));
  }
  DeadlineFields(c, body, tr("対応", "To do"), tr("期限", "Due"));
  IncidentFields(c, body);
  body.Commands(ActionCommands(c));
  ShowCommand(c, body);
  body.Commands({{std::string(tr("このリマインドを確認済みにする", "Acknowledge this reminder")),
                  absl::StrCat("amends ack ", c.id)}});
}

void Breach(const Context& c, Body& body) {
  const Tr tr = c.tr;
  const std::string owner = c.Owner();
  // An offer still waiting is the managers' own to decide (or to have an admin decide).
  const int offer = c.notice.managers_of.empty() ? 0 : c.Numbered("offer-");
  const bool admin = offer > 0 && IsAdminsOffer(c.incident, offer);
  if (tr.ja) {
    body.Line(absl::StrCat(c.number, " で、期限までに完了していない対応があります。"));
    if (offer > 0) {
      body.Line(absl::StrCat(c.confidential ? "amends で" : "", "内容をご確認のうえ、",
                             admin ? "システム管理者に承認の可否の判断をご依頼ください。"
                                   : "承認の可否をご判断ください。"));
    } else if (!c.notice.managers_of.empty()) {
      body.Line(absl::StrCat("担当者", owner.empty() ? "" : absl::StrCat("（", owner, "）"),
                             "に状況を確認し、必要な手当てをお願いします。"));
    } else {
      body.Line("至急ご対応ください。");
    }
  } else {
    body.Line(absl::StrCat("A deadline on ", c.number, " has passed without being met."));
    if (offer > 0) {
      body.Line(absl::StrCat("Please review the offer", c.confidential ? " in amends" : "",
                             admin ? " and ask an admin to approve or decline it."
                                   : " and approve or decline it."));
    } else if (!c.notice.managers_of.empty()) {
      body.Line(absl::StrCat("Please check with the owner",
                             owner.empty() ? "" : absl::StrCat(" (", owner, ")"), " and act."));
    } else {
      body.Line("Please act now.");
    }
  }
  DeadlineFields(c, body, tr("対応", "What was due"), tr("期限", "Due"));
  IncidentFields(c, body);
  body.Commands(ActionCommands(c));
  ShowCommand(c, body);
}

void Closed(const Context& c, Body& body) {
  body.Line(c.tr.ja ? absl::StrCat(c.number, " はクローズされました。")
                    : absl::StrCat(c.number, " was closed."));
  IncidentFields(c, body);
  if (!c.confidential) {
    body.Line();
    body.Block(c.tr("理由", "Reason"), c.incident.close_reason());
  }
  ShowCommand(c, body);
}

Tr TrFor(absl::string_view language) { return Tr{language == "ja"}; }

}  // namespace

MessageText RenderNotice(const Notice& notice, const v1::Incident& incident, const v1::Event& event,
                         absl::string_view language, const absl::TimeZone& zone) {
  const Context c{notice,
                  incident,
                  event,
                  zone,
                  TrFor(language),
                  absl::StrCat(incident.id()),
                  absl::StrCat("#", incident.id()),
                  incident.confidential()};
  Body body(c.tr);
  Greeting(c, body);
  switch (notice.reason) {
    case Notification::REASON_REPORTED:
      Reported(c, body);
      break;
    case Notification::REASON_APPROVAL_ASKED:
      ApprovalAsked(c, body);
      break;
    case Notification::REASON_APPROVED:
      Approved(c, body);
      break;
    case Notification::REASON_DECLINED:
      Declined(c, body);
      break;
    case Notification::REASON_HANDED_OVER:
      HandedOver(c, body);
      break;
    case Notification::REASON_VISIT_SCHEDULED:
      VisitScheduled(c, body);
      break;
    case Notification::REASON_REMINDER:
      Reminder(c, body);
      break;
    case Notification::REASON_BREACH:
      Breach(c, body);
      break;
    case Notification::REASON_CLOSED:
      Closed(c, body);
      break;
    case Notification::REASON_OFFER_DECIDED:
      OfferDecided(c, body);
      break;
    case Notification::REASON_MEASURE_REOPENED:
      MeasureReopened(c, body);
      break;
    case Notification::REASON_UNSPECIFIED:
    case Notification::REASON_TEST:
    case Notification::REASON_DIGEST:
    case v1::Notification_Reason_Notification_Reason_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::Notification_Reason_Notification_Reason_INT_MAX_SENTINEL_DO_NOT_USE_:
      Other(c, body);
      break;
  }
  return {Subject(c), body.Finish()};
}

std::optional<MessageText> RenderDigest(const Actor& manager,
                                        std::span<const v1::Incident> incidents,
                                        absl::Time since, absl::Time now,
                                        absl::string_view language, const absl::TimeZone& zone) {
  const Tr tr = TrFor(language);
  std::vector<std::string> approvals, overdue, breaches;
  for (const v1::Incident& incident : incidents) {
    if (!CanRead(incident, manager) || incident.state() == v1::STATE_CLOSED) continue;
    // "#12 ＡＢＣ商事: summary", or only the number when confidential.
    const std::string which =
        incident.confidential()
            ? absl::StrCat("#", incident.id())
            : absl::StrCat("#", incident.id(), " ", OneLine(incident.client().name()), ": ",
                           OneLine(incident.summary()));
    for (const v1::Deadline& d : incident.deadlines()) {
      const std::string what = DeadlinePhrase(d.key(), d.what(), incident, tr, false);
      const bool offer = absl::StartsWith(d.key(), "offer-");
      if ((d.key() == "approve" || offer) && d.managers_of() == manager.team && d.has_due()) {
        // An escalation's approval by the incident alone; an offer's by what it is too.
        approvals.push_back(absl::StrCat(which, offer ? tr("：", ": ") : "", offer ? what : "",
                                         tr("（回答期限 ", " (answer by "),
                                         When(FromProto(d.due()), zone, tr), tr("）", ")")));
      } else if (d.has_breached_at() && FromProto(d.breached_at()) >= since) {
        breaches.push_back(absl::StrCat(which, tr("：", ": "), what));
      } else if (d.has_due() && FromProto(d.due()) < now && incident.team() == manager.team) {
        overdue.push_back(absl::StrCat(which, tr("：", ": "), what, tr("（期限 ", " (due "),
                                       When(FromProto(d.due()), zone, tr), tr("）", ")")));
      }
    }
  }
  if (approvals.empty() && overdue.empty() && breaches.empty()) return std::nullopt;
  Body body(tr);
  body.Line(tr.ja ? absl::StrCat(OneLine(manager.name), " さん") :
                    absl::StrCat("Hello ", OneLine(manager.name), ","));
  body.Line();
  body.Line(tr("本日ご確認いただきたい案件です。", "Here is what waits for you today."));
  auto section = [&](absl::string_view title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    body.Line();
    body.Line(absl::StrCat(title, tr("（", " ("), lines.size(), tr("件）", ")")));
    for (const std::string& line : lines) body.Line(absl::StrCat("  ", line));
  };
  section(tr("承認待ち", "Approvals waiting for you"), approvals);
  section(tr("前営業日からの期限超過", "Breached since the last working day"), breaches);
  section(tr("期限を過ぎている対応", "Overdue in your team"), overdue);
  body.Commands({{std::string(tr("一覧の確認", "See them")), "amends inbox"}});
  return MessageText{
      absl::StrCat("[amends] ", tr("本日の確認事項", "Your morning digest"), tr("（", " ("),
                   approvals.size() + overdue.size() + breaches.size(), tr("件）", ")")),
      body.Finish()};
}

MessageText RenderTestMessage(absl::string_view recipient, absl::string_view language,
                              absl::Time now, const absl::TimeZone& zone) {
  const Tr tr = TrFor(language);
  Body body(tr);
  const std::string name = OneLine(recipient);
  body.Line(tr.ja ? absl::StrCat(name, " さん") : absl::StrCat("Hello ", name, ","));
  body.Line();
  body.Line(tr(
      "amends からのテストメールです。このメールが届いていれば、メール通知は正しく設定されています。",
      "This is a test message from amends. If you can read it, notification mail reaches you."));
  body.Line();
  body.Field(tr("送信日時", "Sent"), When(now, zone, tr));
  return {absl::StrCat("[amends] ", SubjectText(Notification::REASON_TEST, "", tr)), body.Finish()};
}

}  // namespace amends
