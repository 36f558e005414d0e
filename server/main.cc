// amendsd: the amends server, and its offline administration commands.
//
//   amendsd [--db PATH] [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE [--client-ca FILE]]
//           [--insecure] [--policy FILE] [--notify FILE] [--retention 30d] [--heartbeat 15s]
//           [--demo]
//   amendsd admin [--db PATH] team add NAME --tz ZONE [--lang ja|en] | team set NAME --lang ja|en
//   amendsd admin [--db PATH] team list
//   amendsd admin [--db PATH] team calendar NAME [--hours D=HH:MM-HH:MM]... [--holiday DATE]...
//   amendsd admin [--db PATH] user add NAME --team T --role ROLE [--email ADDR] [--lang ja|en]
//   amendsd admin [--db PATH] user set NAME [--email ADDR] [--lang ja|en] [--webhook NAME]
//   amendsd admin [--db PATH] user list
//   amendsd admin [--db PATH] user deactivate NAME
//   amendsd admin [--db PATH] token rotate USER | token revoke USER
//   amendsd admin [--db PATH] backup FILE
//   amendsd check [--db PATH]
//
// Nothing creates a directory. Serving and `admin team add` create a missing database file
// (and say so); every other admin command refuses one (server/database_files.h).
#include <signal.h>
#include <sys/stat.h>

#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/admin.h"
#include "server/admin_lists.h"
#include "server/amends_server.h"
#include "server/core/clock.h"
#include "server/core/loopback.h"
#include "server/core/policy.h"
#include "server/default_policy.h"
#include "server/database_files.h"
#include "server/demo.h"
#include "server/flag_file.h"
#include "server/mail/notify_config.h"
#include "server/transport_security.h"
#include "storage/sqlite_store.h"

namespace {

constexpr absl::Duration kShutdownGrace = absl::Seconds(10);
// The start-up integrity check reads the file for at most this long (`amendsd check` reads all).
constexpr absl::Duration kStartCheckBudget = absl::Milliseconds(300);

int Fail(const absl::Status& status) {
  std::cerr << "amendsd: " << status.message() << "\n";
  return absl::IsInvalidArgument(status) ? 2 : 1;
}

// Opens the database at `path`, which CheckDatabasePath has allowed, first making existing
// files private; says both that and whether the file is new on `log`.
absl::StatusOr<std::unique_ptr<amends::SqliteStore>> OpenStore(const std::string& path,
                                                                bool is_new, std::ostream& log) {
  absl::StatusOr<std::vector<std::string>> tightened = amends::TightenDatabaseFiles(path);
  if (!tightened.ok()) return tightened.status();
  for (const std::string& line : *tightened) log << "amendsd: " << line << std::endl;
  auto store = amends::SqliteStore::Open(path);
  if (store.ok() && is_new) log << "amendsd: created a new database at " << path << std::endl;
  return store;
}

// SQLite's quick check of the database at `path`, within kStartCheckBudget: DATA_LOSS naming the
// damage if it finds any; says on `log` if the file was too large to read whole.
absl::Status CheckAtStart(const std::string& path, std::ostream& log) {
  absl::StatusOr<amends::SqliteStore::Integrity> integrity =
      amends::SqliteStore::CheckIntegrity(path, /*full=*/false, kStartCheckBudget);
  if (!integrity.ok()) {
    return absl::Status(integrity.status().code(),
                        absl::StrCat("database ", path, ": ", integrity.status().message()));
  }
  if (!integrity->problems.empty()) {
    constexpr size_t kShown = 3;
    std::string found;
    for (size_t i = 0; i < integrity->problems.size() && i < kShown; ++i) {
      absl::StrAppend(&found, "\n  ", integrity->problems[i]);
    }
    return absl::DataLossError(absl::StrCat(
        "database ", path, " is damaged; not serving it. SQLite found:", found,
        "\nRun `amendsd check --db ", path,
        "` for the whole report, then restore the last good backup (README, \"Deploying\")"));
  }
  if (!integrity->complete) {
    log << "amendsd: the start-up check read part of " << path << " ("
        << integrity->pages << " pages) in " << absl::FormatDuration(kStartCheckBudget)
        << "; `amendsd check` reads all of it" << std::endl;
  }
  return absl::OkStatus();
}

// `amendsd check`: SQLite's full integrity check; prints what it found. 0 if sound.
int CheckCommand(const std::string& path) {
  absl::StatusOr<amends::SqliteStore::Integrity> integrity =
      amends::SqliteStore::CheckIntegrity(path, /*full=*/true, absl::InfiniteDuration());
  if (!integrity.ok()) {
    std::cerr << "amendsd: database " << path << ": " << integrity.status().message() << "\n";
    return 1;
  }
  if (integrity->problems.empty()) {
    std::cout << path << ": sound (SQLite's integrity_check of " << integrity->pages
              << " pages found nothing wrong)\n";
    return 0;
  }
  for (const std::string& problem : integrity->problems) std::cout << problem << "\n";
  std::cout << path << ": damaged (" << integrity->problems.size()
            << (integrity->problems.size() >= 100 ? " or more" : "")
            << " problems). Stop amendsd and restore the last good backup (README, "
               "\"Deploying\")\n";
  return 1;
}

// The policy in `path`, or the built-in default when empty; then checks that every team an
// escalation chain names exists, so that a typo stops the server now, not at a breach.
absl::StatusOr<amends::Policy> LoadPolicy(const std::string& path, amends::Store& store) {
  absl::StatusOr<amends::Policy> policy = absl::InternalError("unreachable");
  if (path.empty()) {
    policy = amends::Policy::Parse(amends::DefaultPolicyText(), amends::kDefaultPolicyName);
  } else {
    absl::StatusOr<std::string> text = amends::ReadFlagFile("--policy", path);
    if (!text.ok()) return text.status();
    policy = amends::Policy::Parse(*text, path);
  }
  if (!policy.ok()) return policy.status();
  for (const std::string& team : policy->ChainTeams()) {
    if (absl::Status s = store.GetTeam(team).status(); !s.ok()) {
      if (!absl::IsNotFound(s)) return s;
      return absl::InvalidArgumentError(absl::StrCat(
          path.empty() ? amends::kDefaultPolicyName : path, ": chain team \"", team,
          "\" does not exist (add it with: amendsd admin team add)"));
    }
  }
  return policy;
}

// A flag's duration: "30d" (calendar days), "12h", "90m", "15s".
absl::StatusOr<absl::Duration> ParseFlagDuration(absl::string_view flag, absl::string_view text) {
  absl::StatusOr<amends::Span> span = amends::ParseSpan(flag, text);
  if (!span.ok()) return span.status();
  const absl::Duration d = absl::Hours(24) * span->days + span->time;
  if (d <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": must be longer than zero"));
  }
  return d;
}

// Blocks SIGINT and SIGTERM in every thread; the caller waits for them with sigwait().
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

struct ServeFlags {
  std::string db = "./var/amends.db";
  std::string listen = "127.0.0.1:50051";
  std::string policy;
  std::string retention = "30d";
  std::string heartbeat = "15s";
  std::string notify;
  bool demo = false;
  bool reflection = false;
  amends::TransportSecurity security;
};

// The channels of --notify FILE, checked like the policy (line and field of a mistake).
absl::StatusOr<std::optional<amends::v1::NotifyConfig>> LoadNotify(const std::string& path) {
  if (path.empty()) return std::nullopt;
  absl::StatusOr<std::string> text = amends::ReadFlagFile("--notify", path);
  if (!text.ok()) return text.status();
  absl::StatusOr<amends::v1::NotifyConfig> config = amends::ParseNotifyConfig(*text, path);
  if (!config.ok()) return config.status();
  return *config;
}

int Serve(const ServeFlags& flags) {
  const std::string& db = flags.db;
  const std::string& listen = flags.listen;
  absl::StatusOr<absl::Duration> retention = ParseFlagDuration("--retention", flags.retention);
  if (!retention.ok()) return Fail(retention.status());
  absl::StatusOr<absl::Duration> heartbeat = ParseFlagDuration("--heartbeat", flags.heartbeat);
  if (!heartbeat.ok()) return Fail(heartbeat.status());
  // Before the database is opened, so that a mistake in the file creates nothing.
  absl::StatusOr<std::optional<amends::v1::NotifyConfig>> notify = LoadNotify(flags.notify);
  if (!notify.ok()) return Fail(notify.status());
  // Before gRPC starts any thread (making credentials may), so that every thread has the
  // signals blocked and only sigwait below receives them.
  sigset_t signals = BlockShutdownSignals();
  amends::TransportSecurity security = flags.security;
  security.listen = listen;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      amends::ServerCredentialsFor(security);
  if (!credentials.ok()) return Fail(credentials.status());
  const bool tls = !security.cert_file.empty();
  if (!tls && !amends::IsLoopbackListen(listen)) {
    std::cerr << "amendsd: WARNING: --insecure: serving " << listen
              << " without TLS; tokens and cases cross the network in clear unless something "
                 "else encrypts them"
              << std::endl;
  }
  absl::StatusOr<bool> is_new = amends::CheckDatabasePath(db, amends::NewDatabase::kAllow);
  if (!is_new.ok()) return Fail(is_new.status());
  absl::StatusOr<amends::ServerLock> lock = amends::ServerLock::Take(db);  // before opening
  if (!lock.ok()) return Fail(lock.status());
  auto store = OpenStore(db, *is_new, std::cout);
  if (!store.ok()) return Fail(store.status());
  if (absl::Status sound = CheckAtStart(db, std::cout); !sound.ok()) return Fail(sound);
  absl::StatusOr<amends::Policy> policy = LoadPolicy(flags.policy, **store);
  if (!policy.ok()) return Fail(policy.status());
  amends::RealClock clock;
  auto server = amends::AmendsServer::Start(
      **store, clock, *policy,
      {.listen = listen,
       .credentials = *credentials,
       .retention = *retention,
       .heartbeat = *heartbeat,
       .reflection = flags.reflection,
       .notify = *notify});
  if (!server.ok()) return Fail(server.status());
  if (*notify) {
    std::cout << "amendsd: notifications by mail through " << (*notify)->smtp().server()
              << std::endl;
  } else {
    std::cout << "amendsd: notifications are off (no --notify FILE): nobody is mailed; "
                 "see deploy/notify.textproto"
              << std::endl;
  }
  const std::string address =
      absl::StrCat(listen.substr(0, listen.rfind(':')), ":", (*server)->port());
  if (flags.demo) {
    absl::StatusOr<bool> seeded = amends::SeedDemoIfEmpty(**store, address, std::cout);
    if (!seeded.ok()) return Fail(seeded.status());
    if (!*seeded) {
      std::cout << "Reusing the database " << db
                << " (its demo tokens were shown at first start; 'amendsd admin token rotate "
                   "USER' issues new ones).\n";
    }
  }
  std::cout << "amendsd: "
            << (!tls                         ? "plaintext (no --tls-cert)"
                : security.client_ca.empty() ? "TLS"
                                             : "TLS, client certificates required")
            << std::endl;
  // Scripts and tests read the address from this line: keep it last and as it is.
  std::cout << "amendsd listening on " << address << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  std::cout << "amendsd: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
            << ", finishing in-flight calls" << std::endl;
  (*server)->Shutdown(kShutdownGrace);
  // How well commits grouped over the server's life: one fsync per commit.
  const amends::IncidentWriter::Stats stats = (*server)->writer().stats();
  std::cout << "amendsd: " << stats.changes << " writes in " << stats.groups
            << " commits (at most " << stats.largest_group << " in one)" << std::endl;
  server->reset();
  store->reset();  // closes the database cleanly
  std::cout << "amendsd: stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Every file amendsd creates (database, WAL, lock) is private to its user: the cases are
  // confidential.
  umask(077);
  CLI::App app{"amendsd: the amends server for client-relationship incidents"};
  app.set_version_flag("--version", "amendsd " AMENDS_VERSION);
  app.footer(
      "Examples:\n"
      "  amendsd --demo                                # serve ./var/amends.db on 127.0.0.1:50051\n"
      "  amendsd admin team add 営業一課 --tz Asia/Tokyo   # creates ./var/amends.db if missing\n"
      "  amendsd admin team list\n"
      "  amendsd admin team calendar 営業一課 --hours mon-fri=09:00-18:00 --holiday 2026-12-29\n"
      "  amendsd admin user add tanaka --team 営業一課 --role manager   # prints the token\n"
      "  amendsd admin user set tanaka --email tanaka@example.co.jp --lang ja\n"
      "  amendsd admin user list\n"
      "  amendsd admin token revoke sato\n"
      "  amendsd admin backup /backups/amends-2026-12-06.db   # while amendsd serves\n"
      "  amendsd check                                 # SQLite's full integrity check");
  ServeFlags serve;
  std::string& db = serve.db;
  app.add_option("--db", db, "SQLite database file, created if missing (its directory must exist)")
      ->capture_default_str();
  app.add_option("--listen", serve.listen, "address to serve gRPC on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--tls-cert", serve.security.cert_file,
                 "TLS: PEM certificate chain to serve; re-read within a minute when renewed")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", serve.security.key_file, "TLS: the certificate's PEM private key")
      ->check(CLI::ExistingFile);
  app.add_option("--client-ca", serve.security.client_ca,
                 "mutual TLS: clients must present a certificate signed by this PEM CA")
      ->check(CLI::ExistingFile);
  app.add_flag("--insecure", serve.security.insecure,
               "allow plaintext on an address other than loopback (only behind something that "
               "encrypts, such as a TLS proxy)");
  app.add_option("--policy", serve.policy,
                 "deadline policy, Protobuf text format (default: the built-in "
                 "deploy/policy.textproto)")
      ->check(CLI::ExistingFile);
  app.add_option("--retention", serve.retention,
                 "how long the change stream keeps changes for Watch subscribers to resume "
                 "from (timelines are kept forever)")
      ->capture_default_str();
  app.add_option("--heartbeat", serve.heartbeat,
                 "how long an idle Watch stream stays silent before a heartbeat; also how "
                 "soon a revoked token's streams end")
      ->capture_default_str();
  app.add_option("--notify", serve.notify,
                 "channels to tell people through, Protobuf text format (see "
                 "deploy/notify.textproto); without it nothing is sent")
      ->check(CLI::ExistingFile);
  app.add_flag("--demo", serve.demo, "with an empty database, create a demo team and print tokens");
  app.add_flag("--reflection", serve.reflection,
               "also serve gRPC server reflection (for grpcurl and the like); off by default, "
               "since anyone who can connect may use it without a token");

  CLI::App* admin = app.add_subcommand("admin", "manage teams, users and tokens offline");
  admin->add_option("--db", db,
                    "SQLite database file; it must exist, except for team add, which creates it "
                    "if missing (never its directory)")
      ->capture_default_str();
  admin->footer(
      "Examples:\n"
      "  amendsd admin --db /var/lib/amends/amends.db team add 営業一課 --tz Asia/Tokyo --lang ja\n"
      "  amendsd admin --db /var/lib/amends/amends.db team list\n"
      "  amendsd admin --db /var/lib/amends/amends.db user add tanaka --team 営業一課 --role "
      "manager\n"
      "  amendsd admin --db /var/lib/amends/amends.db user list\n"
      "  amendsd admin --db /var/lib/amends/amends.db token rotate tanaka\n"
      "Only team add creates a missing database (in an existing directory, and says so); the "
      "other commands refuse it, naming the path.");
  admin->require_subcommand(1);
  std::string name, tz, team, role, email, lang;
  const std::string lang_help = "language of the mail amends sends the user: ja or en (\"\": "
                                "the team's)";
  const std::string team_lang_help =
      "language of the mail to members without their own: ja or en (default: en)";
  const std::string email_help = "mail address for notifications (\"\": none, no mail is sent)";
  CLI::App* team_cmd = admin->add_subcommand("team", "manage teams")->require_subcommand(1);
  CLI::App* team_add = team_cmd->add_subcommand(
      "add", "add a team; creates the database if missing (its directory must exist)");
  team_add->add_option("NAME", name, "team name")->required();
  team_add->add_option("--tz", tz, "IANA time zone, e.g. Asia/Tokyo")->required();
  team_add->add_option("--lang", lang, team_lang_help);
  CLI::App* team_set = team_cmd->add_subcommand(
      "set", "set a team's language, for members without their own");
  team_set->add_option("NAME", name, "team name")->required();
  team_set->add_option("--lang", lang, team_lang_help)->required();
  CLI::App* team_list = team_cmd->add_subcommand(
      "list", "list teams: time zone, language, active users, and their own calendar if any");
  team_list->footer("Example:\n  amendsd admin --db /var/lib/amends/amends.db team list");
  amends::CalendarEdit edit;
  CLI::App* team_calendar = team_cmd->add_subcommand(
      "calendar", "show or change a team's working hours and holidays (added to the policy's)");
  team_calendar->add_option("NAME", name, "team name")->required();
  team_calendar->add_option("--hours", edit.hours,
                            "working hours, e.g. mon-fri=09:00-18:00 (repeat for other days; "
                            "replaces the team's hours)");
  team_calendar->add_option("--holiday", edit.add_holidays, "a day off, YYYY-MM-DD (repeatable)");
  team_calendar->add_option("--remove-holiday", edit.remove_holidays,
                            "forget a day off, YYYY-MM-DD (repeatable)");
  team_calendar->add_flag("--reset", edit.reset,
                          "forget the team's own calendar first (back to the policy's)");
  CLI::App* user_cmd = admin->add_subcommand("user", "manage users")->require_subcommand(1);
  CLI::App* user_add = user_cmd->add_subcommand("add", "add a user and print their token");
  user_add->add_option("NAME", name, "user name")->required();
  user_add->add_option("--team", team, "the user's team")->required();
  user_add->add_option("--role", role, "member, manager, observer or admin")
      ->default_val("member");
  user_add->add_option("--email", email, email_help);
  user_add->add_option("--lang", lang, lang_help);
  CLI::App* user_set =
      user_cmd->add_subcommand("set", "change a user's mail address, language or webhook; "
                                      "only the options given change");
  user_set->add_option("NAME", name, "user name")->required();
  CLI::Option* set_email = user_set->add_option("--email", email, email_help);
  CLI::Option* set_lang = user_set->add_option("--lang", lang, lang_help);
  std::string webhook;
  CLI::Option* set_webhook = user_set->add_option(
      "--webhook", webhook,
      "a personal chat webhook (its name in the --notify file), tried before mail; \"\" for none");
  CLI::App* user_list = user_cmd->add_subcommand(
      "list", "list users: role, team, mail address, webhook, language, and whether active");
  user_list->footer("Example:\n  amendsd admin --db /var/lib/amends/amends.db user list");
  CLI::App* user_deactivate = user_cmd->add_subcommand(
      "deactivate", "for someone who has left: revoke their token for good; they can no "
                    "longer be given incidents, measures or promises, and are told nothing. "
                    "Timelines keep their name");
  user_deactivate->add_option("NAME", name, "user name")->required();
  CLI::App* token_cmd = admin->add_subcommand("token", "manage tokens")->require_subcommand(1);
  CLI::App* token_rotate = token_cmd->add_subcommand("rotate", "issue a new token, void the old");
  token_rotate->add_option("USER", name, "user name")->required();
  CLI::App* token_revoke = token_cmd->add_subcommand("revoke", "void the user's token");
  token_revoke->add_option("USER", name, "user name")->required();
  std::string backup_file;
  CLI::App* backup = admin->add_subcommand(
      "backup", "copy the database, consistent, to a new file, also while amendsd serves it "
                "(README, \"Deploying\", says how to restore)");
  backup->add_option("FILE", backup_file, "the copy to write; must not exist")->required();
  CLI::App* check = app.add_subcommand(
      "check", "run SQLite's full integrity check of the database, also while amendsd serves "
               "it; exit 1 if damaged");
  check->add_option("--db", db, "SQLite database file")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (check->parsed()) return CheckCommand(db);
  if (!admin->parsed()) return Serve(serve);

  // Only team add may create the database; a rejected one creates nothing.
  absl::StatusOr<bool> is_new = amends::CheckDatabasePath(
      db, team_add->parsed() ? amends::NewDatabase::kAllow : amends::NewDatabase::kRefuse);
  if (!is_new.ok()) return Fail(is_new.status());
  if (team_add->parsed()) {
    if (auto st = amends::CheckNewTeam(name, tz, lang); !st.ok()) return Fail(st);
  }
  // stdout is for what the command prints (tokens, lists).
  auto store = OpenStore(db, *is_new, std::cerr);
  if (!store.ok()) return Fail(store.status());
  amends::Store& s = **store;
  if (team_add->parsed()) {
    if (auto st = amends::AddTeam(s, name, tz, lang); !st.ok()) return Fail(st);
    std::cerr << "team " << name << " added (" << tz << ", " << (lang.empty() ? "en" : lang)
              << ")\n";
  } else if (team_set->parsed()) {
    if (auto st = amends::SetTeamLanguage(s, name, lang); !st.ok()) return Fail(st);
    std::cerr << "team " << name << " now writes in " << (lang.empty() ? "en" : lang) << "\n";
  } else if (user_set->parsed()) {
    amends::ContactEdit contact_edit;
    if (set_email->count() > 0) contact_edit.email = email;
    if (set_lang->count() > 0) contact_edit.language = lang;
    if (set_webhook->count() > 0) contact_edit.webhook = webhook;
    auto user = amends::EditUserContact(s, name, contact_edit);
    if (!user.ok()) return Fail(user.status());
    std::cerr << "user " << name << ": email=" << (user->email.empty() ? "-" : user->email)
              << " lang=" << (user->language.empty() ? "(team's)" : user->language)
              << " webhook=" << (user->webhook.empty() ? "-" : user->webhook) << "\n";
  } else if (team_calendar->parsed()) {
    auto text = amends::EditTeamCalendar(s, name, edit);
    if (!text.ok()) return Fail(text.status());
    std::cout << *text;
  } else if (user_add->parsed() || token_rotate->parsed()) {
    auto token = user_add->parsed()
                     ? amends::AddUser(s, name, team, role, {.email = email, .language = lang})
                     : amends::RotateToken(s, name);
    if (!token.ok()) return Fail(token.status());
    std::cerr << "token for " << name << " (shown only now):\n";
    std::cout << *token << "\n";
  } else if (team_list->parsed()) {
    auto text = amends::TeamList(s);
    if (!text.ok()) return Fail(text.status());
    std::cout << *text;
  } else if (user_list->parsed()) {
    auto text = amends::UserList(s);
    if (!text.ok()) return Fail(text.status());
    std::cout << *text;
  } else if (token_revoke->parsed()) {
    if (auto st = amends::RevokeToken(s, name); !st.ok()) return Fail(st);
    std::cerr << "token of " << name << " revoked\n";
  } else if (user_deactivate->parsed()) {
    auto owned = amends::DeactivateUser(s, name);
    if (!owned.ok()) return Fail(owned.status());
    std::cerr << "user " << name << " deactivated: token revoked; given no more incidents, "
              << "measures or promises, and told nothing\n";
    if (!owned->empty()) {
      std::cerr << name << " still owns " << owned->size() << " open incident(s), to hand over "
                << "with `amends handover --from " << name << " --to SUCCESSOR --note ...`:";
      for (int64_t id : *owned) std::cerr << " #" << id;
      std::cerr << "\n";
    }
  } else if (backup->parsed()) {
    if (auto st = (*store)->BackupTo(backup_file); !st.ok()) return Fail(st);
    std::cerr << "backed up " << db << " to " << backup_file << "\n";
  }
  return 0;
}
