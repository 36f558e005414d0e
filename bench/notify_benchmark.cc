// Notifications by mail and to chat webhooks: how fast amendsd delivers them, how late they
// arrive, and what they cost the write path, measured in the same run:
//
//   notify_benchmark [--size tiny|quick|full] [--results FILE]
//
// The mail server is tests/smtp_server.py in its --sink mode (aiosmtpd on a free loopback port,
// recording each message's arrival time, size, Message-ID and subject), a process of its own.
// Every database is new: 16 teams (bench/support/write_mix.h), each member and manager with a
// mail address and every hour working time in their team's calendar, so that no notification
// waits for working hours whatever the hour of the run. amendsd keeps its default `parallel`
// (4 senders) and retry settings.
//
// - Sink ceiling: SmtpMailer (the mailer amendsd uses) straight to a new sink from 4 threads,
//   no amendsd, right after each level's run with the sink (at the last level also from 16
//   threads, but in tiny): the most the sink takes from that many senders. Each message is one
//   amendsd would send (core/notification_text.h) about a mix's incident.
// - Write path: for 16 and 64 calls in flight (tiny: 16), each point lasting 1 s (tiny), 3 s
//   (quick) or 8 s (full) after a short warm-up, amendsd driven by a closed loop with the
//   realistic mix, as write_benchmark drives it, five times: without --notify; with --notify
//   to the sink; to the sink at nice 19 (standing in for a mail server on a machine of its
//   own); to a port where nobody listens (the mail server down: the rows are written and each
//   attempted once, then wait for their retry); to the sink with each team's channel a generic
//   signed webhook to tests/http_receiver.py --sink (a process of its own); and without
//   --notify again. The loss is the
//   rate with notifications against the mean of the two without; the target is judged with
//   the sink at the same priority (the issue's setup), the other two are for comparison. With
//   the sink, the measured load starts once the warm-up's mails are all sent. Beside them, the
//   same mix straight through an IncidentWriter in this process (no gRPC, no dispatcher),
//   without and with the outbox rows: what writing the rows alone costs.
// - Webhooks: in the run with them, posts received while the load ran and the drain, beside
//   the webhook sink's ceiling (WebhookSender straight to a new one from 4 threads), and the
//   lateness of the posts as of the mails below.
// - Delivery: in the run with the sink, mails received while the load ran, then, once it
//   stopped, how fast the dispatcher drained the backlog (up to 10 s tiny, 30 s quick, 60 s
//   full): mails per second while draining, beside the sink ceiling with as many senders.
// - Lateness: from the answer to the change that caused a mail (the change has committed) to
//   the sink's receipt of the mail (p50/p99), by kind: the urgent "new incident reported" to
//   the managers of a HIGH incident, "approval needed" to the managers after an escalation,
//   "escalation approved" to the owner. Matched by the subject's "#ID". Measured in an open
//   loop at a moderate rate (half the mails/s the dispatcher kept up beside a write load it
//   fell behind, as changes, and at most half the sustained rate; 2 s tiny, 10 s quick, 30 s
//   full) and, for comparison, in the closed loops, where the backlog shows.
// Every run also gives the CPU seconds of amendsd, of the sink, and of the whole machine:
// client, server and sink share the machine's cores.
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "amends/v1/amends.grpc.pb.h"
#include "amends/v1/notify.pb.h"
#include "bench/support/common.h"
#include "bench/support/latency.h"
#include "bench/support/load.h"
#include "bench/support/process_stats.h"
#include "tests/smtp_server.h"  // UnusedPort
#include "bench/support/report.h"
#include "bench/support/server_process.h"
#include "bench/support/write_mix.h"
#include "server/core/clock.h"
#include "server/core/notices.h"
#include "server/core/notification_text.h"
#include "server/core/time_proto.h"
#include "server/core/policy.h"
#include "server/default_policy.h"
#include "server/mail/smtp_mailer.h"
#include "server/mail/webhook.h"
#include "server/writer.h"
#include "storage/sqlite_store.h"

namespace amends::bench {
namespace {

constexpr int kTeams = 16;
constexpr int kConnections = 4;
constexpr int kOpenLoopMaxInFlight = 256;
constexpr int kParallel = 4;  // amendsd's default `parallel`, which its runs keep
constexpr absl::string_view kDomain = "example.com";
constexpr absl::string_view kFrom = "amends <amends@example.com>";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

absl::Duration WarmUp(absl::Duration point) { return std::min(point / 4, absl::Seconds(1)); }

std::string Percent(double ratio) { return absl::StrFormat("%.1f%%", ratio * 100); }

// --- The mail sink ---------------------------------------------------------------------------

// One message as a sink took it: a mail (message_id, subject) or a webhook post (id: the
// notification's X-Amends-Delivery; subject: the request's path).
struct Receipt {
  absl::Time at;
  int64_t bytes = 0;
  std::string message_id;
  std::string subject;
};

// A sink as a child process, each appending "<arrival>\t<bytes>\t<id>\t<subject>" per
// message: tests/smtp_server.py --sink FILE, or tests/http_receiver.py --sink FILE for
// webhooks. `yielding`: at the lowest CPU priority (nice 19), so that it takes only the CPU
// time amendsd and the load leave idle.
class Sink {
 public:
  enum Kind { kMail, kWebhook };
  Sink(const std::string& dir, absl::string_view name, Kind kind = kMail, bool yielding = false)
      : log_(absl::StrCat(dir, "/", name, kind == kMail ? ".sink" : ".hooks")) {
    std::vector<std::string> argv = {
        "/usr/bin/python3",
        kind == kMail ? AMENDS_SOURCE_DIR "/tests/smtp_server.py"
                      : AMENDS_SOURCE_DIR "/tests/http_receiver.py",
        "--port", "0", "--sink", log_};
    if (yielding) argv.insert(argv.begin(), {"/usr/bin/nice", "-n", "19"});
    server_ = Check(ServerProcess::Spawn(argv, "READY "),
                    kind == kMail
                        ? "start the mail sink (tests/smtp_server.py, needs python3-aiosmtpd)"
                        : "start the webhook sink (tests/http_receiver.py)");
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", server_->address()); }
  std::string port() const { return server_->address(); }
  pid_t pid() const { return server_->pid(); }

  // Stops the sink and returns what it received, in order of arrival.
  std::vector<Receipt> Stop() {
    if (int code = server_->Terminate(); code != 0) {
      Die(absl::StrCat("the sink ", log_, " exited with ", code));
    }
    std::vector<Receipt> out;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits('\t', 3));
      double seconds = 0;
      Receipt r;
      if (f.size() != 4 || !absl::SimpleAtod(f[0], &seconds) ||
          !absl::SimpleAtoi(f[1], &r.bytes)) {
        Die(absl::StrCat("the sink wrote a line it should not have: ", line));
      }
      r.at = absl::FromUnixMicros(std::llround(seconds * 1e6));
      r.message_id = std::move(f[2]);
      r.subject = std::move(f[3]);
      out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(),
              [](const Receipt& a, const Receipt& b) { return a.at < b.at; });
    return out;
  }

 private:
  std::string log_;
  std::unique_ptr<ServerProcess> server_;
};


double MeanBytes(const std::vector<Receipt>& receipts) {
  if (receipts.empty()) return kNaN;
  double sum = 0;
  for (const Receipt& r : receipts) sum += static_cast<double>(r.bytes);
  return sum / static_cast<double>(receipts.size());
}

// --- The sink's ceiling ----------------------------------------------------------------------

// What amendsd would send about a mix's incident: the urgent report notice as a mail to a
// manager, and as a post to the team's channel (the generic format, signed).
struct Typical {
  MailMessage mail;
  v1::Notification post;
};

Typical TypicalMessages(const MixTeam& team) {
  const v1::ReportIncidentRequest report = MixSlot(team, 0).ReportRequest();
  const absl::Time now = absl::Now();
  v1::Incident incident;
  incident.set_id(1234);
  incident.set_team(team.team);
  incident.set_team_time_zone("Asia/Tokyo");
  *incident.mutable_client() = report.client();
  incident.set_kind(report.kind());
  incident.set_severity(report.severity());
  incident.set_summary(report.summary());
  incident.set_details(report.details());
  incident.set_reporter(team.member);
  incident.set_owner(team.member);
  incident.set_state(v1::STATE_REPORTED);
  *incident.mutable_created_at() = ToProto(now);
  *incident.mutable_updated_at() = ToProto(now);
  incident.set_version(1);
  v1::Event event;
  event.set_incident_id(incident.id());
  event.set_type(v1::EVENT_TYPE_REPORTED);
  event.set_actor(team.member);
  *event.mutable_time() = ToProto(now);
  event.set_to_state(v1::STATE_REPORTED);
  const Notice notice{.reason = v1::Notification::REASON_REPORTED,
                      .managers_of = team.team,
                      .urgent = true};
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Tokyo", &zone);
  const MessageText text = RenderNotice(notice, incident, event, "en", zone);
  Typical out{.mail = {.to = absl::StrCat(team.manager, "@", kDomain),
                       .subject = text.subject,
                       .body = text.body,
                       .date = now}};
  v1::Notification& post = out.post;
  post.set_id(5678);
  post.set_incident_id(incident.id());
  post.set_team(team.team);
  post.set_recipient(absl::StrCat("#", team.team));
  post.set_channel("webhook:ceiling");
  post.set_reason(notice.reason);
  post.set_urgent(true);
  post.set_language("en");
  post.set_subject(text.subject);
  post.set_body(text.body);
  *post.mutable_created_at() = ToProto(now);
  post.set_state(v1::Notification::STATE_PENDING);
  *post.mutable_event() = event;
  return out;
}

struct CeilingRun {
  int senders = 0;
  LoadResult load;
  double sink_cpu = 0;
  double machine_busy = 0;
  double mean_bytes = kNaN;
};

// A generic webhook to a webhook sink at `port`, signed with the key in `secret_file`.
v1::Webhook SinkWebhook(absl::string_view name, const std::string& port, absl::string_view path,
                        const std::string& secret_file) {
  v1::Webhook hook;
  hook.set_name(std::string(name));
  hook.set_url(absl::StrCat("http://127.0.0.1:", port, path));
  hook.set_format(v1::WEBHOOK_FORMAT_GENERIC);
  hook.set_secret_file(secret_file);
  return hook;
}

// The webhooks' signing key, written once into `dir`; returns its path.
std::string SecretFile(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/webhook.secret");
  if (!std::filesystem::exists(path)) std::ofstream(path) << "bench-signing-key\n";
  return path;
}

// `senders` threads each sending one message after another to a new sink of `kind`, as the
// dispatcher's workers do: mail through SmtpMailer (its connections reused), posts through
// WebhookSender.
CeilingRun SinkCeiling(const std::string& dir, Sink::Kind kind, int senders,
                       absl::Duration duration, const Typical& typical,
                       const std::string& secret_file) {
  Sink sink(dir, absl::StrCat(kind == Sink::kMail ? "mail" : "hooks", "-ceiling-", senders),
            kind);
  std::unique_ptr<SmtpMailer> mailer;
  std::unique_ptr<WebhookSender> hook;
  if (kind == Sink::kMail) {
    v1::Smtp smtp;
    smtp.set_server(sink.address());
    smtp.set_from(std::string(kFrom));
    mailer = Check(SmtpMailer::Make(smtp), "SmtpMailer");
  } else {
    hook = Check(WebhookSender::Make(SinkWebhook("ceiling", sink.port(), "/hook", secret_file)),
                 "WebhookSender");
  }
  std::atomic<int64_t> serial{0};
  auto drive = [&](absl::Duration d) {
    return RunOnThreads(senders, d, [&](int) {
      if (hook) {
        v1::Notification n = typical.post;
        n.set_id(serial++);
        return hook->Send(n).delivered;
      }
      MailMessage m = typical.mail;
      m.message_id = absl::StrCat("<amends.", serial++, ".0@", kDomain, ">");
      m.date = absl::Now();
      return mailer->Send(m).delivered;
    });
  };
  drive(WarmUp(duration));
  CeilingRun run{.senders = senders};
  const double cpu = CpuSeconds(sink.pid());
  const double busy = MachineBusySeconds();
  run.load = drive(duration);
  run.sink_cpu = CpuSeconds(sink.pid()) - cpu;
  run.machine_busy = MachineBusySeconds() - busy;
  run.mean_bytes = MeanBytes(sink.Stop());
  return run;
}

// --- amendsd's database, read beside it ------------------------------------------------------

class Database {
 public:
  explicit Database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      Die(absl::StrCat("open ", path, ": ", sqlite3_errmsg(db_)));
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Notifications the dispatcher should have tried by now and has not recorded yet.
  int64_t Due() {
    return Count("SELECT COUNT(*) FROM notifications WHERE due_at IS NOT NULL AND due_at <= ?",
                 absl::ToUnixMicros(absl::Now()));
  }
  // Notifications by v1::Notification::State.
  std::map<int, int64_t> ByState() {
    std::map<int, int64_t> out;
    sqlite3_stmt* stmt = Prepare("SELECT state, COUNT(*) FROM notifications GROUP BY state");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out[sqlite3_column_int(stmt, 0)] = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // The notifications to webhooks, by id (their X-Amends-Delivery).
  struct Post {
    int64_t incident_id = 0;
    int reason = 0;  // v1::Notification::Reason
  };
  absl::flat_hash_map<int64_t, Post> Posts() {
    absl::flat_hash_map<int64_t, Post> out;
    sqlite3_stmt* stmt = Prepare("SELECT id, data FROM notifications");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      v1::Notification n;
      if (!n.ParseFromArray(sqlite3_column_blob(stmt, 1), sqlite3_column_bytes(stmt, 1))) {
        Die("a notification row does not parse");
      }
      if (absl::StartsWith(n.channel(), "webhook:")) {
        out[sqlite3_column_int64(stmt, 0)] = {n.incident_id(), n.reason()};
      }
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // Notifications never attempted that are due later: waiting for working hours.
  int64_t WaitingForLater() {
    return Count(
        "SELECT COUNT(*) FROM notifications WHERE state = 1 AND due_at IS NOT NULL AND due_at > ?",
        absl::ToUnixMicros(absl::Now()));
  }

 private:
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      Die(absl::StrCat("query ", sql, ": ", sqlite3_errmsg(db_)));
    }
    return stmt;
  }
  int64_t Count(const char* sql, int64_t bind) {
    sqlite3_stmt* stmt = Prepare(sql);
    sqlite3_bind_int64(stmt, 1, bind);
    int64_t n = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
  }

  sqlite3* db_ = nullptr;
};

// Waits until amendsd has sent (and recorded) every notification due, for at most `limit`;
// returns whether it did.
bool WaitForOutbox(const std::string& db_path, absl::Duration limit) {
  Database db(db_path);
  const absl::Time end = absl::Now() + limit;
  for (;;) {
    if (db.Due() == 0) return true;
    if (absl::Now() >= end) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
}

// --- Which change each mail is about ---------------------------------------------------------

// The mails the mix causes, by the step that causes them.
enum class MailKind { kReported, kApprovalAsked, kApproved };
constexpr MailKind kMailKinds[] = {MailKind::kReported, MailKind::kApprovalAsked,
                                   MailKind::kApproved};

// `post`: to the team's channel rather than by mail.
absl::string_view KindName(MailKind kind, bool post) {
  switch (kind) {
    case MailKind::kReported:
      return post ? "new HIGH incident, to the team channel"
                  : "urgent: new HIGH incident, to managers";
    case MailKind::kApprovalAsked:
      return post ? "approval needed, to the team channel" : "approval needed, to managers";
    case MailKind::kApproved:
      return post ? "escalation approved, to the team channel" : "escalation approved, to owner";
  }
  return "";
}

// The answer times of the changes that cause mail, from the mix's observer.
class Commits {
 public:
  void Observe(MixStep step, const v1::Incident& incident) {
    const absl::Time now = absl::Now();
    std::optional<MailKind> kind;
    switch (step) {
      case MixStep::kReport:
        // The default policy tells the managers at once of HIGH and CRITICAL reports.
        if (incident.severity() == v1::SEVERITY_HIGH ||
            incident.severity() == v1::SEVERITY_CRITICAL) {
          kind = MailKind::kReported;
        }
        break;
      case MixStep::kEscalate:
        kind = MailKind::kApprovalAsked;
        break;
      case MixStep::kApprove:
        kind = MailKind::kApproved;
        break;
      default:
        break;
    }
    if (!kind) return;
    absl::MutexLock lock(&mu_);
    at_[{incident.id(), static_cast<int>(*kind)}] = now;
  }

  // Every commit of `kind` answered in [from, to].
  int64_t CountBetween(MailKind kind, absl::Time from, absl::Time to) const {
    absl::MutexLock lock(&mu_);
    int64_t n = 0;
    for (const auto& [key, at] : at_) {
      if (key.second == static_cast<int>(kind) && at >= from && at <= to) ++n;
    }
    return n;
  }

  std::optional<absl::Time> Find(int64_t id, MailKind kind) const {
    absl::MutexLock lock(&mu_);
    auto it = at_.find({id, static_cast<int>(kind)});
    if (it == at_.end()) return std::nullopt;
    return it->second;
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::pair<int64_t, int>, absl::Time> at_ ABSL_GUARDED_BY(mu_);
};

// Which change a message is about: the incident and the kind.
using About = std::pair<int64_t, MailKind>;

// The kind of the messages a notification reason makes; nullopt for another reason.
std::optional<MailKind> KindOf(int reason) {
  switch (reason) {
    case v1::Notification::REASON_REPORTED:
      return MailKind::kReported;
    case v1::Notification::REASON_APPROVAL_ASKED:
      return MailKind::kApprovalAsked;
    case v1::Notification::REASON_APPROVED:
      return MailKind::kApproved;
    default:
      return std::nullopt;
  }
}

// "[amends #12] URGENT: New incident reported - ..." -> 12 and the kind; nullopt for another.
std::optional<About> ParseSubject(absl::string_view subject) {
  if (!absl::ConsumePrefix(&subject, "[amends #")) return std::nullopt;
  const size_t end = subject.find(']');
  int64_t id = 0;
  if (end == subject.npos || !absl::SimpleAtoi(subject.substr(0, end), &id)) return std::nullopt;
  subject.remove_prefix(end + 1);
  subject = absl::StripLeadingAsciiWhitespace(subject);
  absl::ConsumePrefix(&subject, "URGENT: ");
  if (absl::StartsWith(subject, "New incident reported")) {
    return std::make_pair(id, MailKind::kReported);
  }
  if (absl::StartsWith(subject, "Approval needed")) {
    return std::make_pair(id, MailKind::kApprovalAsked);
  }
  if (absl::StartsWith(subject, "Escalation approved")) {
    return std::make_pair(id, MailKind::kApproved);
  }
  return std::nullopt;
}

struct Lateness {
  int64_t expected = 0;  // commits of this kind in the window
  Latencies latency;     // of those whose mail arrived
};

// Lateness of the messages caused by changes answered in [from, to]; `about` says which
// change a message is about, if any.
std::map<MailKind, Lateness> LatenessOf(
    const std::vector<Receipt>& receipts, const Commits& commits, absl::Time from,
    absl::Time to, const std::function<std::optional<About>(const Receipt&)>& about_of) {
  std::map<MailKind, Lateness> out;
  for (MailKind kind : kMailKinds) out[kind].expected = commits.CountBetween(kind, from, to);
  for (const Receipt& r : receipts) {
    std::optional<About> about = about_of(r);
    if (!about) continue;
    std::optional<absl::Time> committed = commits.Find(about->first, about->second);
    if (!committed || *committed < from || *committed > to) continue;
    out[about->second].latency.Add(r.at - *committed);
  }
  return out;
}

// --- amendsd runs ----------------------------------------------------------------------------

// kSinkYielding: the sink at nice 19, standing in for a mail server on a machine of its own.
// kSinkAndWebhooks: the mail sink, and each team's channel a generic webhook to a webhook sink.
enum class MailServer { kNone, kSink, kSinkYielding, kDown, kSinkAndWebhooks };

absl::string_view RunName(MailServer mail) {
  switch (mail) {
    case MailServer::kNone:
      return "notifications off";
    case MailServer::kSink:
      return "notifications on";
    case MailServer::kSinkYielding:
      return "on, mail server at nice 19";
    case MailServer::kDown:
      return "on, mail server down";
    case MailServer::kSinkAndWebhooks:
      return "on, mail and team webhooks";
  }
  return "";
}

struct AmendsdRun {
  LoadResult load;
  double cpu_seconds = 0;   // amendsd's, during the load
  double sink_cpu = 0;      // the sinks', during the load
  double client_cpu = 0;    // this process's (the load's), during the load
  double machine_busy = 0;  // every process's, during the load
  double mean_group = 0;    // changes per commit over amendsd's life
  int64_t writes = 0;       // changes over amendsd's life (warm-up included)
  std::string errors;
  // With notifications:
  int64_t rows = 0;                 // notifications made over amendsd's life
  std::map<int, int64_t> by_state;  // at exit
  int64_t waiting_for_later = 0;    // due after the run: waiting for working hours
  // With the sink:
  absl::Time load_begin, load_end;
  int64_t backlog_at_end = 0;  // due and not yet recorded when the load stopped
  bool drained = false;        // nothing left due before the time allowed ran out
  absl::Duration drain;        // from the end of the load to the last mail received
  double drain_cpu = 0;        // amendsd's CPU seconds meanwhile
  double drain_sink_cpu = 0;
  std::vector<Receipt> receipts;
  std::map<MailKind, Lateness> lateness;
  // With team webhooks (posts are rows too):
  int64_t posts = 0;  // webhook rows over amendsd's life
  std::vector<Receipt> posts_received;
  std::map<MailKind, Lateness> post_lateness;

  static int64_t Between(const std::vector<Receipt>& receipts, absl::Time from, absl::Time to) {
    return std::count_if(receipts.begin(), receipts.end(),
                         [&](const Receipt& r) { return r.at >= from && r.at <= to; });
  }
  int64_t ReceivedBetween(absl::Time from, absl::Time to) const {
    return Between(receipts, from, to);
  }
  double MailsPerChange() const {
    return writes > 0 && rows > posts
               ? static_cast<double>(rows - posts) / static_cast<double>(writes)
               : kNaN;
  }
};

// amendsd on a new database in `dir`, with `mail` as its mail server; `drive` runs the measured
// load through the mix and the stubs.
template <typename Drive>
AmendsdRun WithAmendsd(const std::string& dir, absl::string_view name, MailServer mail,
                       int slots, absl::Duration warm_up, absl::Duration drain_limit,
                       Drive drive) {
  const std::string path = absl::StrCat(dir, "/", name, ".db");
  const std::vector<MixTeam> teams = Check(
      CreateMixTeams(path, kTeams,
                     {.email_domain = std::string(kDomain), .always_open = true}),
      "create teams");
  std::unique_ptr<Sink> sink, hooks;
  std::vector<std::string> flags;
  if (mail != MailServer::kNone) {
    std::string server;
    if (mail == MailServer::kDown) {
      server = absl::StrCat("127.0.0.1:", UnusedPort());
    } else {
      sink = std::make_unique<Sink>(dir, name, Sink::kMail, mail == MailServer::kSinkYielding);
      server = sink->address();
    }
    const std::string config = absl::StrCat(dir, "/", name, ".notify");
    std::ofstream out(config);
    out << "smtp { server: \"" << server << "\" from: \"" << kFrom << "\" }\n";
    if (mail == MailServer::kSinkAndWebhooks) {
      hooks = std::make_unique<Sink>(dir, name, Sink::kWebhook);
      for (size_t t = 0; t < teams.size(); ++t) {
        const std::string hook = absl::StrCat("team-", t);
        out << "webhook { "
            << SinkWebhook(hook, hooks->port(), absl::StrCat("/hook/", t), SecretFile(dir))
                   .ShortDebugString()
            << " }\nteam_channel { team: \"" << teams[t].team << "\" webhook: \"" << hook
            << "\" }\n";
      }
    }
    flags = {"--notify", config};
  }
  std::unique_ptr<ServerProcess> server =
      Check(ServerProcess::Start(path, flags), "start amendsd");
  std::vector<std::unique_ptr<v1::IncidentService::Stub>> stubs;
  for (int i = 0; i < kConnections; ++i) {
    stubs.push_back(v1::IncidentService::NewStub(OwnChannel(server->address(), i)));
  }
  Commits commits;
  WriteMix mix(teams, slots);
  mix.SetObserver([&](MixStep step, const v1::Incident& incident) {
    commits.Observe(step, incident);
  });
  StartCall start = [&](int64_t n, Done done) {
    mix.StartGrpc(*stubs[n % kConnections], std::move(done));
  };
  RunClosedLoop(std::min(slots, 64), warm_up, start);
  // The measured load starts with an empty outbox, not with the warm-up's backlog.
  if (sink) WaitForOutbox(path, drain_limit);

  AmendsdRun out;
  const pid_t sink_pid = sink ? sink->pid() : -1;
  const pid_t hooks_pid = hooks ? hooks->pid() : -1;
  auto sink_cpu = [&] {
    return (sink ? CpuSeconds(sink_pid) : 0.0) + (hooks ? CpuSeconds(hooks_pid) : 0.0);
  };
  const double cpu = CpuSeconds(server->pid());
  const double scpu = sink_cpu();
  const double ccpu = CpuSeconds(getpid());
  const double busy = MachineBusySeconds();
  out.load_begin = absl::Now();
  out.load = drive(start);
  out.load_end = absl::Now();
  out.cpu_seconds = CpuSeconds(server->pid()) - cpu;
  out.sink_cpu = sink_cpu() - scpu;
  out.client_cpu = CpuSeconds(getpid()) - ccpu;
  out.machine_busy = MachineBusySeconds() - busy;
  out.errors = mix.errors();

  if (sink) {
    const double cpu_before = CpuSeconds(server->pid());
    const double scpu_before = sink_cpu();
    out.backlog_at_end = Database(path).Due();
    out.drained = WaitForOutbox(path, drain_limit);
    out.drain_cpu = CpuSeconds(server->pid()) - cpu_before;
    out.drain_sink_cpu = sink_cpu() - scpu_before;
  }
  std::string printed;
  if (int code = server->Terminate(&printed); code != 0) {
    Die(absl::StrCat("amendsd exited with ", code, ": ", printed));
  }
  // "amendsd: N writes in M commits ...", over the server's life (warm-up included).
  for (absl::string_view line : absl::StrSplit(printed, '\n')) {
    int64_t writes = 0, commits_made = 0;
    if (std::sscanf(std::string(line).c_str(), "amendsd: %" SCNd64 " writes in %" SCNd64,
                    &writes, &commits_made) == 2 &&
        commits_made > 0) {
      out.writes = writes;
      out.mean_group = static_cast<double>(writes) / static_cast<double>(commits_made);
    }
  }
  if (mail != MailServer::kNone) {
    Database db(path);
    out.by_state = db.ByState();
    for (const auto& [state, n] : out.by_state) out.rows += n;
    out.waiting_for_later = db.WaitingForLater();
    if (hooks) {
      const absl::flat_hash_map<int64_t, Database::Post> posts = db.Posts();
      out.posts = static_cast<int64_t>(posts.size());
      out.posts_received = hooks->Stop();
      out.post_lateness = LatenessOf(
          out.posts_received, commits, out.load_begin, out.load_end,
          [&](const Receipt& r) -> std::optional<About> {
            int64_t id = 0;
            if (!absl::SimpleAtoi(r.message_id, &id)) return std::nullopt;
            auto it = posts.find(id);
            if (it == posts.end()) return std::nullopt;
            std::optional<MailKind> kind = KindOf(it->second.reason);
            if (!kind) return std::nullopt;
            return About{it->second.incident_id, *kind};
          });
    }
  }
  if (sink) {
    out.receipts = sink->Stop();
    if (!out.receipts.empty() && out.receipts.back().at > out.load_end) {
      out.drain = out.receipts.back().at - out.load_end;
    }
    out.lateness = LatenessOf(out.receipts, commits, out.load_begin, out.load_end,
                              [](const Receipt& r) { return ParseSubject(r.subject); });
  }
  return out;
}

// The write path without gRPC or a dispatcher: the mix committed by as many threads as calls
// in flight straight through an IncidentWriter on a new SqliteStore in this process (as
// write_benchmark's storage ceiling), with or without the outbox rows (EnableNotifications).
// What the rows alone cost, apart from the delivery.
struct StorageRun {
  LoadResult load;
  double cpu_seconds = 0;  // this process's
  double machine_busy = 0;
  double mean_group = 0;
  std::string errors;
};

StorageRun Storage(const std::string& dir, int in_flight, absl::Duration duration,
                   const Policy& policy, bool rows) {
  const std::string path = absl::StrCat(dir, "/storage-", rows ? "rows-" : "", in_flight, ".db");
  const std::vector<MixTeam> teams = Check(
      CreateMixTeams(path, kTeams, {.email_domain = std::string(kDomain), .always_open = true}),
      "create teams");
  std::unique_ptr<SqliteStore> store = Check(SqliteStore::Open(path), "open store");
  RealClock clock;
  IncidentWriter writer(*store, clock, policy);
  if (rows) writer.EnableNotifications();
  WriteMix mix(teams, in_flight);
  auto drive = [&](absl::Duration d) { return mix.DriveWriter(writer, d); };
  drive(WarmUp(duration));
  const IncidentWriter::Stats before = writer.stats();
  StorageRun run;
  const double cpu = CpuSeconds(getpid());
  const double busy = MachineBusySeconds();
  run.load = drive(duration);
  run.cpu_seconds = CpuSeconds(getpid()) - cpu;
  run.machine_busy = MachineBusySeconds() - busy;
  const IncidentWriter::Stats after = writer.stats();
  if (after.groups > before.groups) {
    run.mean_group = static_cast<double>(after.changes - before.changes) /
                     static_cast<double>(after.groups - before.groups);
  }
  run.errors = mix.errors();
  return run;
}

int Main(const Options& options) {
  const std::vector<int> levels = options.Pick<std::vector<int>>({16}, {16, 64}, {16, 64});
  const absl::Duration point =
      options.Pick(absl::Seconds(1), absl::Seconds(3), absl::Seconds(8));
  const absl::Duration drain_limit =
      options.Pick(absl::Seconds(10), absl::Seconds(30), absl::Seconds(60));
  const absl::Duration open_duration =
      options.Pick(absl::Seconds(2), absl::Seconds(10), absl::Seconds(30));

  char dir_template[] = "/tmp/notify_benchmark-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) Die("mkdtemp");
  const std::string dir = dir_template;
  const Policy policy =
      Check(Policy::Parse(DefaultPolicyText(), kDefaultPolicyName), "default policy");

  Report report("notify", options);
  Table& summary = report.AddTable(
      "Write path with notifications: amendsd's changes/s with --notify against the same mix "
      "without it (closed loop, realistic mix, a new database each run)",
      {"in flight", "off changes/s", "on changes/s", "loss", "on, mail server niced changes/s",
       "loss (niced)", "on, mail down changes/s", "loss (down)", "on, mail + webhooks changes/s",
       "loss (mail + webhooks)", "off p99 ms", "on p99 ms", "mails per change",
       "writer alone changes/s", "writer + rows changes/s", "loss (rows)"});
  Table& delivery = report.AddTable(
      absl::StrCat("Mail delivery: amendsd's dispatcher (", kParallel,
                   " senders) to the local sink, beside the sink's ceiling with as many senders"),
      {"in flight", "mails made", "received during load", "mails/s during load",
       "backlog at load end", "mails/s draining", "drain s", "amendsd CPU ms per mail",
       "sink CPU ms per mail", "sink ceiling mails/s", "ratio to ceiling"});
  Table& posts_table = report.AddTable(
      absl::StrCat("Webhook delivery: amendsd's dispatcher (", kParallel, " senders, mail and "
                   "posts together) to each team's channel, a generic signed webhook to the "
                   "local webhook sink, beside the sink's ceiling with as many senders"),
      {"in flight", "posts made", "received during load", "posts/s during load",
       "mails received during load", "posts/s draining", "drain s",
       "webhook ceiling posts/s", "ratio to ceiling"});
  Table& ceiling_table = report.AddTable(
      "Sink ceilings, no amendsd: SmtpMailer straight to tests/smtp_server.py --sink (mail), "
      "WebhookSender straight to tests/http_receiver.py --sink (webhook), measured right after "
      "the runs with notifications at each level",
      {"beside", "sink", "senders", "messages/s", "failed", "p50 ms", "p99 ms", "sink CPU s",
       "machine busy s"});
  Table& lateness = report.AddTable(
      "Commit to receipt: from the answer to the change to the sink's receipt of its mail or "
      "post",
      {"run", "mail", "received", "of", "p50 ms", "p99 ms", "max ms", "p99 < 1 s"});
  Table& runs = report.AddTable(
      "Every run: calls, latency, CPU seconds during the load (amendsd's; the sink's; the "
      "client's, this process's, which for the in-process writer is the writer's; every other "
      "process's) and the machine's busy seconds",
      {"in flight", "run", "ok", "failed", "per s", "p50 ms", "p99 ms", "p99.9 ms",
       "amendsd CPU s", "sink CPU s", "client CPU s", "others CPU s", "machine busy s",
       "changes per commit"});

  auto add_run = [&](const std::string& in_flight, absl::string_view name, AmendsdRun& run) {
    LoadResult& l = run.load;
    runs.Row({in_flight, std::string(name), l.ok, l.failed, l.PerSecond(),
              l.latency.Millis(0.5), l.latency.Millis(0.99), l.latency.Millis(0.999),
              run.cpu_seconds, run.sink_cpu, run.client_cpu,
              run.machine_busy - run.cpu_seconds - run.sink_cpu - run.client_cpu,
              run.machine_busy, run.mean_group > 0 ? Cell(run.mean_group) : Cell(kNaN)});
    if (!run.errors.empty()) {
      report.Note(absl::StrCat(name, " at ", in_flight, ": errors: ", run.errors));
    }
    auto failed = run.by_state.find(v1::Notification::STATE_FAILED);
    if (failed != run.by_state.end() && failed->second > 0) {
      report.Note(absl::StrCat(name, " at ", in_flight, ": ", failed->second,
                               " notification(s) failed for good"));
    }
    if (run.waiting_for_later > 0) {
      report.Note(absl::StrCat(name, " at ", in_flight, ": ", run.waiting_for_later,
                               " notification(s) wait for working hours (a holiday in the "
                               "policy's calendar?): not sent during the run"));
    }
  };
  auto add_lateness = [&](const std::string& run_name, std::map<MailKind, Lateness>& of,
                          bool posts) {
    for (MailKind kind : kMailKinds) {
      Lateness& l = of[kind];
      const bool urgent = !posts && kind == MailKind::kReported;
      const double p99 = l.latency.Millis(0.99);
      lateness.Row({run_name, std::string(KindName(kind, posts)), l.latency.count(), l.expected,
                    l.latency.Millis(0.5), p99, l.latency.Millis(1.0),
                    std::string(!urgent ? "-" : p99 < 1000 ? "yes" : "NO")});
    }
  };

  // A sink's ceiling with `senders`, beside the run named `beside`.
  const Typical typical = TypicalMessages(
      Check(CreateMixTeams(absl::StrCat(dir, "/mail.db"), 1), "create a team").front());
  double ceiling_bytes = kNaN;
  auto ceiling = [&](const std::string& beside, Sink::Kind kind, int senders) {
    CeilingRun c = SinkCeiling(dir, kind, senders, point, typical, SecretFile(dir));
    if (kind == Sink::kMail) ceiling_bytes = c.mean_bytes;
    ceiling_table.Row({beside, std::string(kind == Sink::kMail ? "mail" : "webhook"),
                       int64_t{senders}, c.load.PerSecond(), c.load.failed,
                       c.load.latency.Millis(0.5), c.load.latency.Millis(0.99), c.sink_cpu,
                       c.machine_busy});
    return c.load.PerSecond();
  };

  double delivery_pace = kNaN;  // mails/s under a load the dispatcher fell behind, the least
  double mails_per_change = kNaN;
  double sustained_on = 0;     // changes/s with notifications at the highest level
  double amendsd_bytes = kNaN;
  struct Loss {
    int in_flight;
    double beside;  // the mail server at the same priority as amendsd and the load
    double niced;   // the mail server at nice 19
  };
  std::vector<Loss> losses;
  for (int in_flight : levels) {
    const std::string label = absl::StrCat(in_flight);
    // Without notifications first and last, so that the machine's drift over the runs with
    // them shows (and is averaged out) rather than counting as their cost.
    auto run = [&](MailServer mail, absl::string_view tag) {
      AmendsdRun r = WithAmendsd(
          dir, absl::StrCat(tag, "-", in_flight), mail, in_flight, WarmUp(point), drain_limit,
          [&](const StartCall& start) { return RunClosedLoop(in_flight, point, start); });
      add_run(label, RunName(mail), r);
      return r;
    };
    AmendsdRun off_before = run(MailServer::kNone, "off");
    AmendsdRun on = run(MailServer::kSink, "on");
    AmendsdRun niced = run(MailServer::kSinkYielding, "niced");
    AmendsdRun down = run(MailServer::kDown, "down");
    AmendsdRun hooks = run(MailServer::kSinkAndWebhooks, "hooks");
    AmendsdRun off_after = run(MailServer::kNone, "off-again");
    const double off_rate = (off_before.load.PerSecond() + off_after.load.PerSecond()) / 2;
    StorageRun alone = Storage(dir, in_flight, point, policy, false);
    StorageRun with_rows = Storage(dir, in_flight, point, policy, true);
    for (StorageRun* r : {&alone, &with_rows}) {
      const bool rows = r == &with_rows;
      runs.Row({label,
                std::string(rows ? "writer + rows (in-process)" : "writer alone (in-process)"),
                r->load.ok, r->load.failed, r->load.PerSecond(), r->load.latency.Millis(0.5),
                r->load.latency.Millis(0.99), r->load.latency.Millis(0.999), kNaN, kNaN,
                r->cpu_seconds, r->machine_busy - r->cpu_seconds, r->machine_busy,
                r->mean_group > 0 ? Cell(r->mean_group) : Cell(kNaN)});
      if (!r->errors.empty()) report.Note(absl::StrCat("in-process writer: errors: ", r->errors));
    }
    const double loss = 1 - on.load.PerSecond() / off_rate;
    const double loss_niced = 1 - niced.load.PerSecond() / off_rate;
    const double loss_down = 1 - down.load.PerSecond() / off_rate;
    const double loss_hooks = 1 - hooks.load.PerSecond() / off_rate;
    losses.push_back({in_flight, loss, loss_niced});
    summary.Row({int64_t{in_flight}, off_rate, on.load.PerSecond(), Percent(loss),
                 niced.load.PerSecond(), Percent(loss_niced), down.load.PerSecond(),
                 Percent(loss_down), hooks.load.PerSecond(), Percent(loss_hooks),
                 off_before.load.latency.Millis(0.99),
                 on.load.latency.Millis(0.99), on.MailsPerChange(), alone.load.PerSecond(),
                 with_rows.load.PerSecond(),
                 Percent(1 - with_rows.load.PerSecond() / alone.load.PerSecond())});
    mails_per_change = on.MailsPerChange();
    sustained_on = on.load.PerSecond();
    amendsd_bytes = MeanBytes(on.receipts);

    const absl::Duration load = on.load_end - on.load_begin;
    const int64_t during = on.ReceivedBetween(on.load_begin, on.load_end);
    const int64_t after = on.ReceivedBetween(on.load_end + absl::Nanoseconds(1),
                                             absl::InfiniteFuture());
    // Draining is meaningful only with a backlog of 100 mails or more.
    const bool backlog = after >= 100 && on.drain > absl::Milliseconds(100);
    const double draining = backlog ? after / absl::ToDoubleSeconds(on.drain) : kNaN;
    // What the dispatcher delivers at most beside the write load: its pace under a load it
    // fell behind.
    if (on.backlog_at_end > 0) {
      const double pace = during / absl::ToDoubleSeconds(load);
      if (!(delivery_pace <= pace)) delivery_pace = pace;
    }
    const std::string beside = absl::StrCat(in_flight, " in flight");
    const double ceiling_rate = ceiling(beside, Sink::kMail, kParallel);
    // More senders than amendsd's: whether the sink or the senders set the pace.
    if (options.size != Size::kTiny && in_flight == levels.back()) {
      ceiling(beside, Sink::kMail, 16);
    }
    delivery.Row({int64_t{in_flight}, on.rows, during, during / absl::ToDoubleSeconds(load),
                  on.backlog_at_end, draining,
                  backlog ? Cell(absl::ToDoubleSeconds(on.drain)) : Cell(kNaN),
                  backlog ? Cell(on.drain_cpu * 1000 / static_cast<double>(after)) : Cell(kNaN),
                  backlog ? Cell(on.drain_sink_cpu * 1000 / static_cast<double>(after))
                          : Cell(kNaN),
                  ceiling_rate,
                  backlog ? Cell(Percent(draining / ceiling_rate)) : Cell(std::string("-"))});
    if (!on.drained) {
      report.Note(absl::StrCat(in_flight, " in flight: the backlog was not drained within ",
                               absl::FormatDuration(drain_limit), "; the drain rate is over the ",
                               "mails received by then"));
    }
    add_lateness(absl::StrCat("closed loop, ", in_flight, " in flight"), on.lateness, false);

    // The same with every team's channel a webhook: posts beside the mail.
    const absl::Duration hooks_load = hooks.load_end - hooks.load_begin;
    const int64_t posts_during =
        AmendsdRun::Between(hooks.posts_received, hooks.load_begin, hooks.load_end);
    const int64_t posts_after = AmendsdRun::Between(
        hooks.posts_received, hooks.load_end + absl::Nanoseconds(1), absl::InfiniteFuture());
    absl::Duration posts_drain;
    if (!hooks.posts_received.empty() && hooks.posts_received.back().at > hooks.load_end) {
      posts_drain = hooks.posts_received.back().at - hooks.load_end;
    }
    const bool posts_backlog = posts_after >= 100 && posts_drain > absl::Milliseconds(100);
    const double hooks_ceiling = ceiling(beside, Sink::kWebhook, kParallel);
    const double posts_draining =
        posts_backlog ? posts_after / absl::ToDoubleSeconds(posts_drain) : kNaN;
    posts_table.Row(
        {int64_t{in_flight}, hooks.posts, posts_during,
         posts_during / absl::ToDoubleSeconds(hooks_load),
         hooks.ReceivedBetween(hooks.load_begin, hooks.load_end), posts_draining,
         posts_backlog ? Cell(absl::ToDoubleSeconds(posts_drain)) : Cell(kNaN), hooks_ceiling,
         posts_backlog ? Cell(Percent(posts_draining / hooks_ceiling)) : Cell(std::string("-"))});
    if (!hooks.drained) {
      report.Note(absl::StrCat(in_flight, " in flight, with webhooks: the backlog was not "
                               "drained within ", absl::FormatDuration(drain_limit)));
    }
    add_lateness(absl::StrCat("closed loop, ", in_flight, " in flight, with webhooks"),
                 hooks.post_lateness, true);
  }

  // A moderate rate: half of what the dispatcher delivers beside the write load, as changes,
  // and at most half the sustained rate; when it never fell behind, half the sustained rate.
  double open_rate = sustained_on / 2;
  if (delivery_pace > 0 && mails_per_change > 0) {
    open_rate = std::min(open_rate, delivery_pace / 2 / mails_per_change);
  }
  AmendsdRun open = WithAmendsd(
      dir, "on-open", MailServer::kSink, kOpenLoopMaxInFlight, WarmUp(point), drain_limit,
      [&](const StartCall& start) {
        return RunAtRate(open_rate, open_duration, kOpenLoopMaxInFlight, start);
      });
  const std::string open_label = absl::StrFormat("open loop, %.0f changes/s", open_rate);
  add_run("open", open_label, open);
  add_lateness(open_label, open.lateness, false);
  // The same rate with every team's channel a webhook too: posts at a sustainable rate.
  AmendsdRun open_hooks = WithAmendsd(
      dir, "hooks-open", MailServer::kSinkAndWebhooks, kOpenLoopMaxInFlight, WarmUp(point),
      drain_limit, [&](const StartCall& start) {
        return RunAtRate(open_rate, open_duration, kOpenLoopMaxInFlight, start);
      });
  const std::string open_hooks_label = absl::StrCat(open_label, ", with webhooks");
  add_run("open", open_hooks_label, open_hooks);
  add_lateness(open_hooks_label, open_hooks.lateness, false);
  add_lateness(open_hooks_label, open_hooks.post_lateness, true);
  const double urgent_p99 = open.lateness[MailKind::kReported].latency.Millis(0.99);
  const int64_t urgent_count = open.lateness[MailKind::kReported].latency.count();
  const int64_t urgent_expected = open.lateness[MailKind::kReported].expected;
  Table& open_table = report.AddTable(
      absl::StrFormat("Open loop with notifications at %.0f changes/s (half the mails/s the "
                      "dispatcher kept up under load, as changes, at most half the sustained "
                      "rate), latency from each call's scheduled start",
                      open_rate),
      {"target/s", "achieved/s", "failed", "p50 ms", "p99 ms", "mails made", "mails/s received",
       "amendsd CPU s", "sink CPU s", "machine busy s"});
  {
    LoadResult& l = open.load;
    const absl::Duration load = open.load_end - open.load_begin;
    open_table.Row({open_rate, l.PerSecond(), l.failed, l.latency.Millis(0.5),
                    l.latency.Millis(0.99), open.rows,
                    open.ReceivedBetween(open.load_begin, open.load_end) /
                        absl::ToDoubleSeconds(load),
                    open.cpu_seconds, open.sink_cpu, open.machine_busy});
  }

  report.Note(absl::StrFormat(
      "Mean message sizes as the sink received them: amendsd's %.0f bytes, the ceiling's %.0f "
      "bytes (the urgent report notice, rendered as amendsd renders it).",
      amendsd_bytes, ceiling_bytes));
  report.Note(
      "Mails made: notification rows over amendsd's life (warm-up included); mails per change "
      "= rows / changes committed. The mix makes mail on three of its seven steps: a HIGH "
      "report (3 of its 6 cases) tells the managers at once, an escalation asks them to "
      "approve, an approval tells the owner. Every user has an address and every hour is "
      "working time, so nothing waits.");
  report.Note(
      "Mails/s draining: mails received after the load stopped over the time to the last one, "
      "when at least 100 were left; amendsd (sink) CPU ms per mail: its CPU time meanwhile per "
      "mail. "
      "The open loop's rate is half the least mails/s during a load that left a backlog, as "
      "changes. "
      "Sink ceiling: SmtpMailer, its connections reused as the dispatcher's workers reuse them, "
      "straight to a new sink from this process; the sink (Python, one thread) shares the "
      "machine's cores with amendsd and the load.");
  report.Note(
      "Commit to receipt: a change counts as committed when its answer arrives (its commit is "
      "a little earlier, so this is at most the call's latency too late); the receipt is the "
      "sink's clock when the message's data ended. Only changes answered during the measured "
      "load are counted; 'received of' counts the mails that arrived (before the drain ended) "
      "of the changes that should cause one.");
  report.Note(
      "Writer alone / writer + rows: the mix through IncidentWriter on SqliteStore in this "
      "process, one thread per call in flight, without and with EnableNotifications(): the "
      "rows written in each change's transaction, nothing sent. Its CPU seconds are in the "
      "client column.");
  report.Note(
      "Mail and team webhooks: each of the 16 teams' channel is a generic webhook, signed with "
      "HMAC-SHA256, to one tests/http_receiver.py --sink (Python, a thread per connection; "
      "amendsd opens a connection per post). The channel is told of every report (not only "
      "HIGH ones), every approval asked and every approval: 3 posts per 7 changes of the mix. "
      "Posts' commit to receipt is timed for the HIGH reports, approvals asked and approvals. "
      "Team channel notices are not urgent: they go at once here only because every hour is "
      "working time. Webhook ceiling: WebhookSender straight to a new webhook sink from this "
      "process.");
  report.Note(
      "Mail server down: --notify to a loopback port nobody listens on; each notification is "
      "written, attempted once (refused at once) and left to retry in about 10 minutes.");
  report.Note(
      "Off changes/s: the mean of two runs without notifications, the first and the last at "
      "each level (both are in the every-run table: their spread is this machine's noise). "
      "Mail server niced: the sink at nice 19, a step toward a mail server on a machine of its "
      "own (it still takes this machine's idle time, and its wake-ups), for comparison.");
  for (const Loss& l : losses) {
    report.Note(absl::StrCat("At ", l.in_flight, " in flight the write path loses ",
                             Percent(l.beside), " with notifications on (target: at most 10%): ",
                             l.beside <= 0.10 ? "PASS" : "FAIL", "; with the mail server niced: ",
                             Percent(l.niced)));
  }
  report.Note(absl::StrFormat(
      "Urgent notifications in the open loop: p99 commit to receipt %.0f ms over %d of %d "
      "(target: under 1 s): %s",
      urgent_p99, urgent_count, urgent_expected,
      urgent_count > 0 && urgent_count == urgent_expected && urgent_p99 < 1000 ? "PASS"
                                                                                : "FAIL"));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return report.Finish().ok() ? 0 : 1;
}

}  // namespace
}  // namespace amends::bench

int main(int argc, char** argv) {
  const amends::bench::Options options = amends::bench::ParseOptions(
      argc, argv, "notify_benchmark",
      "Notifications by mail and webhooks: amendsd's write path with and without --notify at "
      "16 and 64 calls in flight, mails and webhook posts delivered per second to local sinks "
      "beside the sinks' ceilings, and lateness from commit to receipt (p50/p99), urgent mail "
      "included, in an open loop at a moderate rate.");
  return amends::bench::Main(options);
}
