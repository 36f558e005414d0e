// amends: the command-line client of the amends incident service.
//
// Parses the arguments (CLI11), checks that every text argument is UTF-8, connects to the
// server, runs one command (commands.h; `watch`: watch.h) and turns its status into one line
// on stderr and an exit code (exit_code.h). No exception leaves main.
#include <cstdint>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/strings/substitute.h"
#include "amends/v1/amends.grpc.pb.h"
#include "client/channel_credentials.h"
#include "client/cli11_language.h"
#include "client/commands.h"
#include "client/completion.h"
#include "client/enum_names.h"
#include "client/error_text.h"
#include "client/exit_code.h"
#include "client/flag_names.h"
#include "client/i18n.h"
#include "client/notification_view.h"
#include "client/terminal_width.h"
#include "client/user_config.h"
#include "client/time_input.h"
#include "client/utf8_text.h"
#include "client/watch.h"
#include "client/watch_view.h"
#include "client/yen.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace amends::cli {
namespace {

constexpr absl::Duration kConnectTimeout = absl::Seconds(5);
// gRPC's retry policy: a call of IncidentService that fails UNAVAILABLE (the server restarting
// while it was under way) is sent once more. Every change carries a request id (commands.cc),
// so the server applies it once. HandOver has none, and is never retried.
constexpr absl::string_view kRetryOnce = R"json({"methodConfig": [
  {"name": [{"service": "amends.v1.IncidentService"}],
   "retryPolicy": {"maxAttempts": 2, "initialBackoff": "0.2s", "maxBackoff": "1s",
                   "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}},
  {"name": [{"service": "amends.v1.IncidentService", "method": "HandOver"}]}]})json";

using Action = std::function<absl::Status(Session&)>;

// An option whose value is a proto enum spelled as in enum_names.h; the help lists the
// spellings and an unknown one is a parse error (exit 2) listing them. `value` is an E, or a
// std::vector<E> for an option that may be repeated (--state a --state b).
template <typename E, typename Value>
CLI::Option* AddEnumOptionTo(CLI::App* app, const std::string& name, Value* value,
                             const std::string& help) {
  const google::protobuf::EnumDescriptor& type = *google::protobuf::GetEnumDescriptor<E>();
  CLI::Option* option = app->add_option(
      name, *value, absl::StrCat(help, ": ", absl::StrJoin(CliNames(type), ", ")));
  option->type_name("VALUE");
  option->transform(CLI::Validator(
      [&type, name](std::string& text) -> std::string {
        absl::StatusOr<int> number = ParseCliName(type, name, text);
        if (!number.ok()) {
          return std::string(absl::StripPrefix(number.status().message(), name + ": "));
        }
        text = std::to_string(*number);
        return "";
      },
      ""));
  return option;
}

template <typename E>
CLI::Option* AddEnumOption(CLI::App* app, const std::string& name, E* value,
                           const std::string& help) {
  return AddEnumOptionTo<E>(app, name, value, help);
}

template <typename E>
CLI::Option* AddEnumListOption(CLI::App* app, const std::string& name, std::vector<E>* values,
                               const std::string& help) {
  return AddEnumOptionTo<E>(app, name, values, help)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

std::string CheckServer(const std::string& server) {
  return server.empty() ? Tr("must be HOST:PORT") : "";
}

// A token goes into an HTTP/2 header: printable ASCII without spaces.
std::string CheckToken(const std::string& token) {
  for (char c : token) {
    if (c <= ' ' || c > '~') return Tr("must be printable ASCII without spaces");
  }
  return "";
}

// The token in `path`: its content less surrounding white space, checked like --token.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token-file: ", absl::Substitute(Tr("cannot read $0"), path)));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token-file: ", absl::Substitute(Tr("$0 is empty"), path)));
  }
  if (std::string problem = CheckToken(token); !problem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--token-file: ", absl::Substitute(Tr("the token in $0 $1"), path, problem)));
  }
  return token;
}

// For counts and numbers: "must be 1 or more" (a non-number is left to CLI11's conversion
// error).
std::string CheckPositive(const std::string& text) {
  int64_t n = 0;
  return absl::SimpleAtoi(text, &n) && n < 1 ? Tr("must be 1 or more") : "";
}

// The exit code for `status`; a failure is first printed as one line on stderr.
int Finish(const absl::Status& status) {
  if (!status.ok()) std::cerr << "amends: " << ErrorLine(status) << "\n";
  return ExitCodeFor(status.code());
}

// The language the caller keeps on the server (`amends me --lang`), when they set one and the
// server answers at once; nullopt otherwise (the command itself will say what is wrong).
std::optional<Language> StoredLanguage(amends::v1::NotificationService::StubInterface& stub,
                                       const std::string& token) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  amends::v1::Me me;
  if (!stub.GetMe(&context, amends::v1::GetMeRequest(), &me).ok()) return std::nullopt;
  absl::StatusOr<Language> language = ParseLanguage("language", me.language());
  return language.ok() ? std::optional(*language) : std::nullopt;
}

// Every argument given to `app` and the subcommands that ran, checked to be UTF-8.
absl::Status CheckArgumentsAreUtf8(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& value : option->results()) {
      if (absl::Status status = CheckUtf8(option->get_name(), value); !status.ok()) {
        return status;
      }
    }
  }
  for (const CLI::App* sub : app.get_subcommands()) {
    if (absl::Status status = CheckArgumentsAreUtf8(*sub); !status.ok()) return status;
  }
  return absl::OkStatus();
}

// The command line: every subcommand, the storage its options are parsed into, and the
// action of the one that was given.
class CommandLine {
 public:
  // With `ask_server_for_language`, the user's language on the server, if they keep one,
  // replaces the environment's once connected (i18n.h).
  explicit CommandLine(bool ask_server_for_language)
      : ask_server_for_language_(ask_server_for_language) {
    app_.failure_message([](const CLI::App*, const CLI::Error& e) { return UsageError(e); });
    app_.fallthrough();  // global options may follow the command
    app_.require_subcommand(1);
    app_.set_version_flag("--version", "amends " AMENDS_VERSION);
    app_.add_option("--server", server_, Tr("the amends server, HOST:PORT"))
        ->envname("AMENDS_SERVER")
        ->check(CLI::Validator(CheckServer, ""))
        ->capture_default_str();
    app_.add_option("--token-file", token_file_,
                    Tr("a file holding your access token, used instead of --token (better: a "
                    "command line is visible to every local user in ps and kept in history)"))
        ->envname("AMENDS_TOKEN_FILE");
    app_.add_option("--token", token_,
                    Tr("your access token, sent as 'authorization: Bearer TOKEN'; prefer "
                    "--token-file or AMENDS_TOKEN"))
        ->envname("AMENDS_TOKEN")
        ->check(CLI::Validator(CheckToken, ""));
    // Transport security; the environment gives defaults, as for --server.
    app_.add_flag("--tls", security_.tls,
                  Tr("connect over TLS, verifying the server against the system's roots (or --ca)"))
        ->envname("AMENDS_TLS");
    app_.add_option("--ca", security_.ca_file,
                    Tr("TLS: PEM CA to verify the server with (implies --tls)"))
        ->envname("AMENDS_CA");
    app_.add_option("--cert", security_.cert_file,
                    Tr("mutual TLS: your PEM client certificate (with --key; implies --tls)"));
    app_.add_option("--key", security_.key_file,
                    Tr("mutual TLS: the client certificate's PEM key"));
    app_.add_option("--output", output_, Tr("table (for people) or json (one object per line)"))
        ->check(CLI::Validator(
            [](const std::string& text) -> std::string {
              return text == "table" || text == "json" ? "" : Tr("must be table or json");
            },
            ""))
        ->capture_default_str();
    app_.add_option("--lang", language_,
                    Tr("ja or en: the language of messages, tables and times (else AMENDS_LANG, "
                       "else the one you keep on the server with 'amends me --lang', else "
                       "LANGUAGE, LC_ALL, LC_MESSAGES or LANG; English otherwise). JSON output "
                       "is the same in every language"))
        ->check(CLI::Validator(
            [](const std::string& text) -> std::string {
              absl::StatusOr<Language> language = ParseLanguage("--lang", text);
              return language.ok() ? ""
                                   : std::string(absl::StripPrefix(
                                         language.status().message(), "--lang: "));
            },
            ""));
    app_.add_flag("--wide", wide_,
                  Tr("print every cell of a table whole. By default tables fit the terminal's "
                  "width (or COLUMNS): summaries, notes and other free text are cut with "
                  "'...'; ids, times, states and names never are"));
    AddQueries();
    AddWatch();
    AddLifecycle();
    AddNotifications();
    AddCompletion();
    app_.footer(absl::StrCat(
        absl::Substitute(
            Tr("Run 'amends COMMAND --help' for a command's options and an example.\n\n"
               "Times (--at, --due, --by, --until, --held-at) are read in the team's time zone: "
               "'tomorrow 10:00' ($0), '+7d 18:00', 'mon 10:00' (the next Monday), "
               "'12/20 10:00', '2026-12-07 10:00', or RFC 3339.\n\n"
               "Defaults for --server, --ca and --token-file may be kept in "
               "~/.config/amends/config\n"
               "($$XDG_CONFIG_HOME/amends/config), mode 600, as lines such as\n"),
            "明日 10:00"),
        "  server = \"amends.example.co.jp:50051\"\n"
        "  ca = \"/home/sato/.config/amends/ca.pem\"\n"
        "  token-file = \"/home/sato/.config/amends/token\"\n",
        Tr("The AMENDS_* variables, then the options, come before it.\n\n"), ExitCodeHelp()));
    SpeakTheLanguage(app_);
  }

  // Exit code for the whole run.
  int Run(int argc, char** argv) {
    // The config file's values are defaults: what the environment or the command line gives
    // replaces them while parsing.
    absl::StatusOr<UserConfig> config = LoadUserConfig();
    if (!config.ok()) return Finish(config.status());
    if (config->server) {
      if (std::string problem = CheckServer(*config->server); !problem.empty()) {
        return Finish(absl::InvalidArgumentError(
            absl::StrCat("config ", config->path, ": server: ", problem)));
      }
      server_ = *config->server;
    }
    if (config->ca) security_.ca_file = *config->ca;
    try {
      app_.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // CLI11 says only that a command is required: name the word it did not know.
      const bool help = e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success);
      if (std::optional<std::string> word = help ? std::nullopt : UnknownCommand(argc, argv)) {
        std::cerr << "amends: "
                  << absl::Substitute(Tr("unknown command '$0' (see --help for the commands)"),
                                      TerminalSafe(OneLine(*word)))
                  << "\n";
        return kExitUsage;
      }
      return app_.exit(e) == 0 ? kExitOk : kExitUsage;  // --help → 0
    }
    if (absl::Status status = CheckArgumentsAreUtf8(app_); !status.ok()) return Finish(status);
    // A token given any other way comes first.
    if (config->token_file && app_.get_option("--token")->count() == 0 &&
        app_.get_option("--token-file")->count() == 0) {
      token_file_ = *config->token_file;
    }
    if (!token_file_.empty()) {
      absl::StatusOr<std::string> token = ReadTokenFile(token_file_);
      if (!token.ok()) return Finish(token.status());
      token_ = *std::move(token);
    }
    if (watch_requested_) return RunWatch();
    if (completion_requested_) {  // needs no server
      std::cout << BashCompletion(app_);
      return kExitOk;
    }
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ChannelCredentialsFor(security_);
    if (!credentials.ok()) return Finish(credentials.status());
    grpc::ChannelArguments args;
    args.SetServiceConfigJSON(std::string(kRetryOnce));
    std::shared_ptr<grpc::Channel> channel =
        grpc::CreateCustomChannel(server_, *credentials, args);
    if (absl::Status status = WaitForServer(*channel, server_, kConnectTimeout); !status.ok()) {
      return Finish(status);
    }
    std::unique_ptr<amends::v1::IncidentService::Stub> stub =
        amends::v1::IncidentService::NewStub(channel);
    std::unique_ptr<amends::v1::NotificationService::Stub> notifications =
        amends::v1::NotificationService::NewStub(channel);
    Session session{.stub = stub.get(),
                    .notifications = notifications.get(),
                    .token = token_,
                    .json = output_ == "json" || json_flag_,
                    .width = wide_ ? kWideOutput : TerminalWidth()};
    if (ask_server_for_language_) {
      if (std::optional<Language> stored = StoredLanguage(*notifications, token_)) {
        UseLanguage(*stored);
      }
    }
    return Finish(NameFlags(action_(session)));
  }

 private:
  // The first word of the command line that is neither an option nor an option's value, when
  // it names no command.
  std::optional<std::string> UnknownCommand(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.empty() || arg[0] != '-') {
        const std::vector<CLI::App*> commands =
            app_.get_subcommands([&arg](CLI::App* sub) { return sub->check_name(arg); });
        if (!commands.empty()) return std::nullopt;
        return arg;
      }
      const CLI::Option* option = app_.get_option_no_throw(arg.substr(0, arg.find('=')));
      if (option != nullptr && option->get_type_size() > 0 && arg.find('=') == arg.npos) ++i;
    }
    return std::nullopt;
  }

  // `amends watch`: until Ctrl-C (exit 0) or an error a reconnect cannot fix. It does not
  // wait for the server first: it retries until the server is there.
  int RunWatch() {
    Watcher watcher({.token = token_,
                     .json = output_ == "json",
                     .line_width = wide_ ? kWideOutput : TerminalWidth()});
    // Before gRPC starts any thread, so that every thread has the signals blocked and only
    // this one receives them.
    TerminationSignals signals([&watcher] { watcher.Stop(); });
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        ChannelCredentialsFor(security_);
    if (!credentials.ok()) return Finish(credentials.status());
    std::shared_ptr<grpc::Channel> channel = WatchChannel(server_, *std::move(credentials));
    if (ask_server_for_language_) {
      if (std::optional<Language> stored =
              StoredLanguage(*amends::v1::NotificationService::NewStub(channel), token_)) {
        UseLanguage(*stored);
      }
    }
    std::unique_ptr<amends::v1::WatchService::Stub> stub =
        amends::v1::WatchService::NewStub(channel);
    return Finish(watcher.Run(*stub, watch_));
  }

  // "Example:" and `example` below it, each of its lines indented.
  static std::string ExampleFooter(const std::string& example) {
    return absl::StrCat(Tr("Example:"), "\n  ", absl::StrReplaceAll(example, {{"\n", "\n  "}}));
  }

  CLI::App* Command(CLI::App* parent, const std::string& name, const std::string& help,
                    const std::string& example, Action action) {
    CLI::App* sub = parent->add_subcommand(name, help);
    sub->footer(ExampleFooter(example));
    sub->callback([this, action = std::move(action)] { action_ = action; });
    return sub;
  }

  // A command that changes incident ID: it takes --expected-version too.
  CLI::App* Mutation(CLI::App* parent, const std::string& name, const std::string& help,
                     const std::string& example, Action action) {
    CLI::App* sub = Command(parent, name, help, example, std::move(action));
    sub->add_option("ID", target_.id, Tr("the incident number"))->required();
    sub->add_option("--expected-version", target_.expected_version,
                    Tr("change nothing and exit 5 unless the incident is at this version"))
        ->check(CLI::Validator(CheckPositive, ""));
    return sub;
  }

  // A command made of subcommands; `example` shows them used together, one per line.
  CLI::App* Group(const std::string& name, const std::string& help, const std::string& example) {
    CLI::App* group = app_.add_subcommand(name, help);
    group->footer(ExampleFooter(example));
    group->require_subcommand(1);
    return group;
  }

  void AddQueries() {
    CLI::App* report = Command(
        &app_, "report",
        Tr("Report an incident: a moment the team let a client down, harassment by a client, a "
        "rep's own conduct, or a hand-over"),
        "amends report --team 営業一課 --client ＡＢＣ商事 --contact 山田様 "
        "--kind missed-appointment --severity high --summary \"15時の打ち合わせを失念\" "
        "--details \"サンプル受け渡しの予定だった。17時前に先方から電話\"",
        [this](Session& s) {
          if (confidential_option_->count() > 0) report_.confidential = confidential_;
          return Report(s, report_);
        });
    report->add_option("--team", report_.team, Tr("the team (default: yours)"));
    report->add_option("--client", report_.client, Tr("the client company"))->required();
    report->add_option("--contact", report_.contact, Tr("the person at the client"));
    AddEnumOption(report, "--kind", &report_.kind, Tr("what happened"))->required();
    AddEnumOption(report, "--severity", &report_.severity,
                  Tr("higher when a director is involved, the relationship is long or valuable, "
                  "or it happened before"))
        ->required();
    report->add_option("--summary", report_.summary, Tr("one line saying what happened"))
        ->required();
    report->add_option("--details", report_.details, Tr("everything else worth knowing"));
    confidential_option_ = report->add_flag(
        "--confidential", confidential_,
        Tr("only the reporter, the owner and the team's managers see it (harassment and conduct "
        "always are; other kinds only with this flag)"));
    report->add_option("--request-id", report_.request_id,
                       Tr("an id you choose for this report: a retry with the same id returns the "
                       "incident created the first time instead of a second one"));
    report->add_option("--subject", report_.subject,
                       Tr("conduct: the team member it is about, who will never see it"));
    report->add_option("--check", report_.checklist,
                       Tr("hand-over: an item of the checklist of what must pass to the successor "
                       "(repeatable; default: open incidents, promises and measures; key "
                       "contacts; what the client is sensitive about)"))
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);

    CLI::App* handover = Command(
        &app_, "handover",
        Tr("A rep leaves or changes accounts (managers): hand all their open incidents, measures "
        "and promises to a successor at once, all or nothing"),
        "amends handover --from yamada --to sato --note \"山田退職のため佐藤が引き継ぎ\" --dry-run\n"
        "amends handover --from yamada --to sato --client ＡＢＣ商事 --note \"担当替え\"",
        [this](Session& s) { return HandOver(s, handover_); });
    handover->add_option("--from", handover_.from, Tr("who leaves"))->required();
    handover->add_option("--to", handover_.to, Tr("the successor"))->required();
    handover->add_option("--client", handover_.client,
                         Tr("only this client's incidents (width and case ignored)"));
    handover->add_option("--note", handover_.note,
                         Tr("the hand-over note, kept in each timeline: contacts, what the client "
                         "expects next"))
        ->required();
    handover->add_flag("--dry-run", handover_.dry_run, Tr("show what would move; change nothing"));

    CLI::App* list = Command(&app_, "list",
                             Tr("List open incidents (--all: closed ones too), newest first"),
                             "amends list --state escalated --state apology-visit --severity high",
                             [this](Session& s) { return List(s, list_); });
    list->add_option("--team", list_.team, Tr("the team (default: yours)"));
    CLI::Option* state = AddEnumListOption(list, "--state", &list_.states,
                                           Tr("only in this stage (repeatable: any of them)"));
    list->add_flag("--all", list_.all, Tr("closed incidents too"))->excludes(state);
    list->add_option("--owner", list_.owner, Tr("only owned by this user"));
    list->add_option("--client", list_.client,
                     Tr("only with this client (width and case ignored)"));
    AddEnumOption(list, "--severity", &list_.severity, Tr("only of this severity"));
    list->add_flag("--mine", list_.mine, Tr("only incidents you own"));
    CLI::Option* overdue = list->add_flag("--overdue", list_.overdue,
                                          Tr("only incidents with a deadline already past"));
    list->add_option("--due-within", due_within_,
                     Tr("only incidents with a deadline due within this long from now, overdue "
                     "ones included: 90m, 24h, 2d, 1d12h"))
        ->type_name("DURATION")
        ->check(CLI::Validator(
            [this](std::string& text) -> std::string {
              absl::StatusOr<absl::Duration> d = ParseDurationArg("--due-within", text);
              if (!d.ok()) {
                return std::string(absl::StripPrefix(d.status().message(), "--due-within: "));
              }
              list_.due_within = *d;
              return "";
            },
            ""))
        ->excludes(overdue);
    list->add_option("--limit", list_.limit, Tr("print at most this many"))
        ->check(CLI::Validator(CheckPositive, ""))
        ->capture_default_str();

    CLI::App* inbox = Command(&app_, "inbox", Tr("What needs you now, soonest due first"),
                              "amends inbox", [](Session& s) { return Inbox(s); });
    inbox->footer(absl::StrCat(
        Tr("WHY says what you are asked to do: deadline (one you must meet), approve (an "
           "escalation, or an offer of compensation, waiting for you as manager), breach (a "
           "deadline missed in a team you manage), reminder (sent to you, not acknowledged yet: "
           "'amends ack ID'), undelivered "
           "(a notification to someone in a team you manage failed: 'amends notifications retry "
           "N').\n\n"),
        ExampleFooter("amends inbox")));
    inbox->add_flag("--json", json_flag_, Tr("the same as --output json"));

    const std::string summary_example =
        "amends summary\n"
        "amends summary --team 営業一課 --output json";
    CLI::App* summary = Command(
        &app_, "summary",
        Tr("A team at a glance (its managers and observers): open incidents by stage and severity, "
        "overdue deadlines by person, approvals waiting, the last 7 days"),
        summary_example, [this](Session& s) { return Summary(s, list_.team); });
    summary->footer(absl::StrCat(
        Tr("Open incidents: a row per stage, a column per severity. Overdue deadlines: by the "
        "person each names, or 'managers of TEAM' for an approval, with the oldest due time. "
        "Approvals waiting: escalations the team's managers must approve or decline, soonest "
        "due first (the team's own, and other teams' an escalation chain asks of them). Last 7 "
        "days: deadlines breached, incidents amends escalated because nobody did in time, and "
        "recurrences reported (the client's last prevention plan did not hold). Only what you "
        "may read is counted: a confidential case only if you may see it.\n\n"),
        ExampleFooter(summary_example)));
    summary->add_option("--team", list_.team,
                        Tr("the team (default: yours; another team: admins)"));

    CLI::App* show = Command(&app_, "show", Tr("Show every detail of one incident"),
                             "amends show 12", [this](Session& s) { return Show(s, target_.id); });
    show->add_option("ID", target_.id, Tr("the incident number"))->required();

    CLI::App* timeline =
        Command(&app_, "timeline", Tr("Show everything that happened to an incident, in order"),
                "amends timeline 12", [this](Session& s) { return Timeline(s, target_.id); });
    timeline->add_option("ID", target_.id, Tr("the incident number"))->required();

    CLI::App* client = Command(&app_, "client", Tr("List a client's incidents with their measures"),
                               "amends client ＡＢＣ商事",
                               [this](Session& s) { return ListClient(s, text_, list_.limit); });
    client->add_option("NAME", text_, Tr("the client company (width and case ignored)"))
        ->required();
    client->add_option("--limit", list_.limit, Tr("print at most this many incidents"))
        ->check(CLI::Validator(CheckPositive, ""))
        ->capture_default_str();
  }

  void AddWatch() {
    CLI::App* watch = app_.add_subcommand(
        "watch", Tr("Print every change to incidents as it happens, one line each, until Ctrl-C"));
    watch->footer(absl::StrCat(
        Tr("Each line: the change's sequence (#123), time in the team's zone, incident, event, "
        "actor, state after the change, client, and the event's text or the incident's "
        "summary. Client and actor are cut to their columns, and the text to the terminal's "
        "width (--wide: nothing is cut). With --output json, one IncidentChange (event and "
        "incident) per line, for other programs.\n\n"
        "When the connection is lost (server restart, network), watch reconnects by itself and "
        "continues right after the last change or heartbeat it saw: no change is missed or "
        "printed twice; connection news goes to stderr. To resume later, save the last "
        "event.sequence and pass it to --from; when the server no longer keeps the changes "
        "after it, watch says so and exits 1: start again with --from oldest. Errors no retry "
        "can fix (token, permission, unknown incident) exit at once with their code. Ctrl-C or "
        "SIGTERM stops it cleanly (exit 0).\n\n"),
        ExampleFooter(absl::StrCat(
            "amends watch\n"
            "amends watch --team tokyo-sales --type escalated --type deadline-breached\n"
            "amends watch --client ＡＢＣ商事 --state apology-visit --state follow-up\n"
            "amends watch --output json --from 1234 | ./notify-chat   # ",
            Tr("the changes after #1234")))));
    watch->callback([this] { watch_requested_ = true; });
    watch->add_option("--team", watch_.team, Tr("only this team's incidents (default: every team "
                                             "you may read)"));
    watch->add_option("--incident", watch_.incident_id, Tr("only this incident (its number)"))
        ->type_name("ID")
        ->check(CLI::Validator(CheckPositive, ""));
    watch->add_option("--client", watch_.client,
                      Tr("only this client's incidents (width and case ignored)"));
    AddEnumListOption(watch, "--state", &watch_.states,
                      Tr("only changes that leave the incident in this stage (repeat for more)"));
    AddEnumListOption(watch, "--type", &watch_.types, Tr("only these events (repeat for more)"));
    watch->add_option("--from", from_,
                      Tr("where to start: now (the default: changes from now on), oldest (every "
                      "change the server still keeps), or a sequence N (the changes after #N)"))
        ->type_name("SEQ|oldest|now")
        ->check(CLI::Validator(
            [this](std::string& text) -> std::string {
              absl::StatusOr<WatchStart> from = ParseWatchFrom("--from", text);
              if (!from.ok()) {
                return std::string(absl::StripPrefix(from.status().message(), "--from: "));
              }
              watch_.from = *from;
              return "";
            },
            ""));
  }

  void AddLifecycle() {
    CLI::App* note = Mutation(&app_, "note", Tr("Add a note to an incident"),
                              "amends note 12 \"先方部長は『誠意を見せてほしい』とのこと\"",
                              [this](Session& s) { return AddNote(s, target_, text_); });
    note->add_option("TEXT", text_, Tr("the note"))->required();

    CLI::App* assign =
        Mutation(&app_, "assign", Tr("Hand an incident over to another owner"),
                 "amends assign 12 suzuki --note \"山田様に金曜までに回答すると約束済み\"",
                 [this](Session& s) { return Assign(s, target_, user_, note_); });
    assign->add_option("USER", user_, Tr("the new owner"))->required();
    assign->add_option("--note", note_, Tr("open promises, contacts, what the client expects next"))
        ->required();

    AddEdit();

    AddApologize();

    const std::string expect_example =
        "amends expect 12 --text \"部長は、同じことが二度と起きない仕組みを書面で示すことと、"
        "サンプルを今週中に届けることを求めている\"";
    CLI::App* expect = Mutation(
        &app_, "expect",
        Tr("Record what the client expects of the team, in their words (replaces the last)"),
        expect_example, [this](Session& s) { return RecordExpectation(s, target_, text_); });
    expect->footer(absl::StrCat(
        Tr("When a client's director asks you to \"show sincerity\", find out what they actually "
        "expect before answering: `amends show` prints it at the top, so that everyone working "
        "on the case answers that.\n\n"),
        ExampleFooter(expect_example)));
    expect->add_option("--text", text_, Tr("what the client expects, as they said it"))->required();

    CLI::App* escalate = Mutation(
        &app_, "escalate", Tr("Tell your manager and ask for approval of the response"),
        "amends escalate 12 --reason \"先方部長が立腹。上長同行での訪問が必要\"",
        [this](Session& s) { return Escalate(s, target_, reason_); });
    escalate->add_option("--reason", reason_, Tr("why the manager must act"))->required();

    CLI::App* approve = Mutation(&app_, "approve", Tr("Approve an escalation (manager)"),
                                 "amends approve 12 --note \"明日午前に同行する\"",
                                 [this](Session& s) { return Approve(s, target_, note_); });
    approve->add_option("--note", note_, Tr("the agreed position of the company"));

    CLI::App* decline = Mutation(&app_, "decline", Tr("Decline an escalation (manager)"),
                                 "amends decline 12 --reason \"担当者からの謝罪で十分\"",
                                 [this](Session& s) { return Decline(s, target_, reason_); });
    decline->add_option("--reason", reason_, Tr("why"))->required();

    CLI::App* visit = Group(
        "visit", Tr("The apology visit: schedule it, then record it"),
        "amends visit schedule 12 --at \"tomorrow 10:00\" --attendee tanaka --attendee sato\n"
        "amends visit done 12 --outcome \"佐藤課長と訪問し部長に直接謝罪。原因を説明し、"
        "再発防止策を来週提示すると約束\"");
    CLI::App* schedule = Mutation(
        visit, "schedule", Tr("Schedule the apology visit"),
        absl::StrCat(
            "amends visit schedule 12 --at \"tomorrow 10:00\" --attendee tanaka --attendee "
            "suzuki\namends visit schedule 12 --at \"月曜 10:00\" --attendee tanaka   # ",
            Tr("the next Monday")),
        [this](Session& s) { return ScheduleVisit(s, target_, at_, attendees_); });
    schedule->add_option("--at", at_, DueHelp())->required();
    schedule->add_option("--attendee", attendees_, Tr("who goes (repeat the option for each)"))
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    CLI::App* visit_done = Mutation(
        visit, "done",
        Tr("Record how the apology visit went (one not scheduled in amends: with --held-at)"),
        "amends visit done 12 --outcome \"部長に直接謝罪。再発防止策を来週提示する\"\n"
        "amends visit done 12 --held-at \"today 09:30\" --attendee sato --outcome "
        "\"今朝急ぎ訪問し謝罪\"",
        [this](Session& s) { return RecordVisit(s, target_, text_, at_, attendees_); });
    visit_done->add_option("--outcome", text_, Tr("what was said and agreed"))->required();
    CLI::Option* held_at = visit_done->add_option(
        "--held-at", at_,
        absl::Substitute(Tr("for a visit that was not scheduled: when it took place; $0"),
                         TimeHelp()));
    visit_done->add_option("--attendee", attendees_, Tr("with --held-at: who went (repeatable)"))
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false)
        ->needs(held_at);

    const std::string cause_example =
        "amends cause 12 --what \"15時のアポイントを個人の手帳にだけ記入し、当日の確認で見落とした\" "
        "--why-missed \"予定をチームで共有しておらず、上長も誰も気づける仕組みがなかった\" "
        "--category schedule";
    CLI::App* cause = Mutation(
        &app_, "cause",
        Tr("Record the cause: what happened and why nobody noticed in time (replaces the last; "
        "presenting the plan needs one)"),
        cause_example, [this](Session& s) {
          return RecordCause(s, target_, text_, why_missed_, category_);
        });
    cause->footer(absl::StrCat(
        Tr("The client's director will ask why it happened and why nobody caught it: answer both. "
        "When another incident of the same client had a cause of the same category, amends "
        "says so: the same kind of failure again.\n\n"),
        ExampleFooter(cause_example)));
    cause->add_option("--what", text_, Tr("what happened"))->required();
    cause->add_option("--why-missed", why_missed_, Tr("why nobody noticed in time"))->required();
    cause->add_option("--category", category_,
                      Tr("one of the team's cause categories (by default schedule, communication, "
                      "hand-over, capacity, quality, process, other); left out: other"));

    CLI::App* measure = Group(
        "measure",
        Tr("Prevention measures: add them, mark them done, give them to someone else, verify them"),
        "amends measure add 12 --text \"共有スケジュールで予定を管理\" --owner tanaka "
        "--due \"+7d 18:00\"\n"
        "amends measure add 12 --text \"前日夕方に上長とアポイントをダブルチェック\" "
        "--owner sato --due \"+7d 18:00\"\n"
        "amends measure done 12 1\n"
        "amends measure assign 12 2 yamada --note \"佐藤の出張中は山田が担当\"\n"
        "AMENDS_TOKEN=$SUZUKI amends measure verify 12 1 --note \"2週間分の全アポイントが共有"
        "スケジュールにあることを確認\"");
    CLI::App* add = Mutation(
        measure, "add", Tr("Add a prevention measure to the plan"),
        "amends measure add 12 --text \"共有スケジュールで予定を管理しダブルチェック\" "
        "--owner tanaka --due \"fri 18:00\"",
        [this](Session& s) { return AddMeasure(s, target_, text_, user_, at_); });
    add->add_option("--text", text_, Tr("what will be done"))->required();
    add->add_option("--owner", user_, Tr("who does it"))->required();
    add->add_option("--due", at_, DueHelp())->required();
    CLI::App* measure_done =
        Mutation(measure, "done", Tr("Mark a prevention measure done"), "amends measure done 12 1",
                 [this](Session& s) { return CompleteMeasure(s, target_, number_); });
    measure_done->add_option("N", number_, Tr("the measure's number, as `amends show` lists it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    CLI::App* measure_assign = Mutation(
        measure, "assign",
        Tr("Give a measure to another member of the team (the incident's owner, a manager, or the "
        "measure's owner)"),
        "amends measure assign 12 1 yamada --note \"佐藤の出張中は山田が担当\"",
        [this](Session& s) { return AssignMeasure(s, target_, number_, user_, note_); });
    measure_assign->add_option("N", number_, Tr("the measure's number, as `amends show` lists it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    measure_assign->add_option("USER", user_,
                               Tr("the new owner: a member or manager of the team who may read the "
                               "incident (a confidential one: its reporter, owner or a manager)"))
        ->required();
    measure_assign->add_option("--note", note_, Tr("why, or what the new owner should know"));
    AddMeasureVerify(measure);

    CLI::App* plan = Group(
        "plan", Tr("The prevention plan"),
        absl::StrCat("amends show 12           # ", Tr("check the measures first"),
                     "\namends plan present 12   # ",
                     Tr("after explaining them to the client's director")));
    Mutation(plan, "present", Tr("Record that the plan was presented to the client"),
             "amends plan present 12", [this](Session& s) { return PresentPlan(s, target_); });

    AddOffer();

    const std::string update_example =
        "amends update 12 --channel call --note \"山田製作所の山田様へ電話。再発防止策は金曜までに"
        "書面でお送りすると報告\"";
    CLI::App* update = Mutation(
        &app_, "update", Tr("Log an update to the client while the case takes time"),
        update_example,
        [this](Session& s) { return LogClientUpdate(s, target_, channel_, note_); });
    update->footer(absl::StrCat(
        Tr("From the report until the plan is presented, the client is owed an update at a steady "
        "rhythm (the severity's update_every: 2 days for high by default); each one starts the "
        "clock again, and a missed one shows in 'amends inbox'. Keep the promise of when you "
        "will report back.\n\n"),
        ExampleFooter(update_example)));
    AddEnumOption(update, "--channel", &channel_, Tr("how you told the client"))->required();
    update->add_option("--note", note_, Tr("what you told the client"))->required();

    CLI::App* response = Mutation(
        &app_, "response",
        Tr("Harassment (managers): record the company's response to the client"),
        "amends response 12 --decision change-contact --note \"先方部長に窓口の変更を依頼\"",
        [this](Session& s) { return DecideResponse(s, target_, decision_, note_); });
    AddEnumOption(response, "--decision", &decision_, Tr("what the company does"))->required();
    response->add_option("--note", note_, Tr("what was said to the client, and by whom"));

    CLI::App* checklist = Group(
        "checklist", Tr("A hand-over's checklist of what must pass to the successor"),
        "amends checklist show 12\n"
        "amends checklist add 12 --text \"先方経理部の締め日（毎月20日）を共有\"\n"
        "amends checklist done 12 2");
    Command(checklist, "show", Tr("Show the checklist"), "amends checklist show 12",
            [this](Session& s) { return ShowChecklist(s, target_.id); })
        ->add_option("ID", target_.id, Tr("the incident number"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    Mutation(checklist, "add", Tr("Add an item"), "amends checklist add 12 --text \"...\"",
             [this](Session& s) { return AddChecklistItem(s, target_, text_); })
        ->add_option("--text", text_, Tr("what must pass to the successor"))
        ->required();
    Mutation(checklist, "done", Tr("Tick an item: it has passed"), "amends checklist done 12 2",
             [this](Session& s) { return CompleteChecklistItem(s, target_, number_); })
        ->add_option("N", number_, Tr("the item's number, as `amends checklist show` lists it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));

    CLI::App* followup =
        Mutation(&app_, "followup", Tr("Log a follow-up contact with the client"),
                 "amends followup 12 --note \"1週間後に電話。先方の反応は良好\"",
                 [this](Session& s) { return LogFollowUp(s, target_, note_); });
    followup->add_option("--note", note_, Tr("what was said"))->required();

    CLI::App* close =
        Mutation(&app_, "close", Tr("Close an incident: the relationship is restored"),
                 "amends close 12 --reason \"取引継続を確認\"",
                 [this](Session& s) { return Close(s, target_, reason_); });
    close->add_option("--reason", reason_,
                      Tr("required unless in follow-up with every measure done and a follow-up "
                      "logged"));

    CLI::App* reopen = Mutation(&app_, "reopen", Tr("Reopen a closed incident"),
                                "amends reopen 12 --reason \"同様の失念が再発\"",
                                [this](Session& s) { return Reopen(s, target_, reason_); });
    reopen->add_option("--reason", reason_, Tr("why"))->required();

    AddPromise();

    const std::string hold_example =
        "amends hold 12 --reason \"先方の社内確認待ち。月曜に回答予定\" --until \"mon 18:00\"";
    CLI::App* hold = Mutation(
        &app_, "hold", Tr("Pause the stage's clock while you wait for the client"), hold_example,
        [this](Session& s) {
          return PutOnHold(s, target_, reason_,
                           until_option_->count() > 0 ? std::optional(at_) : std::nullopt);
        });
    hold->footer(absl::StrCat(
        Tr("While on hold the stage's deadlines stand still; on resume each restarts with the "
        "time it had left.\n\n"),
        ExampleFooter(hold_example)));
    hold->add_option("--reason", reason_, Tr("what you are waiting for"))->required();
    until_option_ = hold->add_option(
        "--until", at_,
        absl::Substitute(
            Tr("when the clock restarts by itself: $0. Default: when someone runs 'amends "
               "resume'. A hold without an end, or longer than the team allows, needs a manager"),
            TimeHelp()));

    Mutation(&app_, "resume", Tr("Restart the clock of an incident on hold"), "amends resume 12",
             [this](Session& s) { return Resume(s, target_); });

    Mutation(&app_, "ack",
             Tr("Acknowledge the reminders about an incident that were sent to you (with none "
             "left, says so and succeeds)"),
             "amends ack 12", [this](Session& s) { return AcknowledgeReminders(s, target_); });
  }

  // `apologize ID`: the first apology; with --as-manager the manager's own. --note is
  // required for the first apology only, so it is checked here once the command line is
  // parsed.
  void AddApologize() {
    const std::string example =
        "amends apologize 12 --channel call --note \"当日中に山田製作所の山田様へ電話でお詫び\"\n"
        "AMENDS_TOKEN=$TANAKA amends apologize 12 --as-manager --channel visit --note "
        "\"田中課長が部長を訪問し、自らの名前でお詫び\"";
    CLI::App* apologize = Mutation(
        &app_, "apologize",
        Tr("Record the first apology to the client, or with --as-manager the manager's own "
        "apology in their own name"),
        example, nullptr);
    apologize->footer(absl::StrCat(
        Tr("The first apology comes fast, by call or mail, the same day. After approving an "
        "escalation the manager owes the client an apology in their own name where the "
        "severity's policy says so (high and critical by default), in person where it "
        "matters: 'amends show' says by when, and --as-manager records it (a manager).\n\n"),
        ExampleFooter(example)));
    AddEnumOption(apologize, "--channel", &channel_, Tr("how you apologised"))->required();
    CLI::Option* note = apologize->add_option(
        "--note", note_,
        Tr("what was said (required for the first apology; optional with --as-manager)"));
    apologize->add_flag("--as-manager", as_manager_,
                        Tr("the manager's own apology, in their own name (managers)"));
    // Replaces the callback Mutation set: it runs once the options are known.
    apologize->callback([this, note] {
      if (as_manager_) {
        action_ = [this](Session& s) { return ManagerApologize(s, target_, channel_, note_); };
        return;
      }
      if (note->count() == 0) {
        throw CLI::ValidationError(
            Tr("--note is required for the first apology (only the manager's, --as-manager, may "
            "go without)"));
      }
      action_ = [this](Session& s) { return Apologize(s, target_, channel_, note_); };
    });
  }

  // `offer ID --kind KIND --amount YEN --text TEXT` makes an offer; `offer approve|decline|
  // delivered ID N` decides or delivers one. As for `promise`, the first form's ID and options
  // are optional to CLI11 (they must not be asked for with a subcommand) and checked here once
  // the command line is parsed.
  void AddOffer() {
    const std::string example =
        "amends offer 12 --kind discount --amount ¥50,000 --text \"次回ご注文分から5万円お値引き\"\n"
        "AMENDS_TOKEN=$TANAKA amends offer approve 12 1 --note \"課長決裁の範囲内\"\n"
        "amends offer delivered 12 1 --note \"11月分の請求書で値引き済み\"\n"
        "amends offer 12 --kind free-service --amount 300000円 --text \"3か月分の保守を無償で提供\"\n"
        "AMENDS_TOKEN=$BUCHO amends offer decline 12 2 --reason \"値引きで合意済み。上乗せは不要\"   "
        "# 営業部長: " +
        std::string(Tr("the chain's second level"));
    CLI::App* offer = app_.add_subcommand(
        "offer", Tr("Offer the client compensation (a discount, a refund, free work), approved at "
                 "the right level, then delivered"));
    offer->footer(absl::StrCat(
        absl::Substitute(
            Tr("Four forms:\n"
               "  amends offer ID --kind KIND --amount YEN --text TEXT   make an offer (a team "
               "member)\n"
               "  amends offer approve ID N [--note TEXT]                approve offer N\n"
               "  amends offer decline ID N --reason TEXT                decline offer N\n"
               "  amends offer delivered ID N [--note TEXT]              offer N was given to "
               "the client\n\n"
               "An offer is asked of the lowest level of the escalation chain whose limit covers "
               "the amount (the policy's offer_limit_yen: by default up to $0 the team's "
               "managers, up to $1 the chain's second level); above every level's limit, an "
               "admin's. A manager of that level or above, or an admin, approves or declines it; "
               "never the one who made it. 'amends show' says whose approval each offer waits "
               "for.\n\n"),
            "¥100,000", "¥1,000,000"),
        ExampleFooter(example)));
    CLI::Option* id = offer->add_option("ID", target_.id, Tr("the incident number"));
    CLI::Option* kind = AddEnumOption(offer, "--kind", &offer_kind_,
                                      Tr("what is offered (required to make an offer)"));
    CLI::Option* amount =
        offer->add_option("--amount", amount_text_,
                          absl::Substitute(Tr("how much, in yen: 50000, 50,000, $0 or $1 "
                                              "(required to make an offer; 0 for free work of "
                                              "no stated value)"),
                                           "¥50,000", "50000円"))
            ->type_name("YEN")
            ->check(CLI::Validator(
                [this](const std::string& text) -> std::string {
                  absl::StatusOr<int64_t> yen = ParseYenArg("--amount", text);
                  if (!yen.ok()) {
                    return std::string(absl::StripPrefix(yen.status().message(), "--amount: "));
                  }
                  amount_yen_ = *yen;
                  return "";
                },
                ""));
    CLI::Option* text = offer->add_option(
        "--text", text_,
        Tr("what is offered, as the client will hear it (required to make an offer)"));
    offer->add_option("--expected-version", target_.expected_version,
                      Tr("change nothing and exit 5 unless the incident is at this version"))
        ->check(CLI::Validator(CheckPositive, ""));

    auto number = [this](CLI::App* sub) {
      sub->add_option("N", number_, Tr("the offer's number, as `amends show` lists it"))
          ->required()
          ->check(CLI::Validator(CheckPositive, ""));
    };
    CLI::App* approve = Mutation(
        offer, "approve",
        Tr("Approve an offer (a manager of the level it is asked of or above, or an admin; not the "
        "one who made it)"),
        "AMENDS_TOKEN=$TANAKA amends offer approve 12 1 --note \"課長決裁の範囲内\"",
        [this](Session& s) { return ApproveOffer(s, target_, number_, note_); });
    number(approve);
    approve->add_option("--note", note_, Tr("the company's position, kept in the timeline"));
    CLI::App* decline = Mutation(
        offer, "decline", Tr("Decline an offer (who may approve it), with the reason"),
        "AMENDS_TOKEN=$BUCHO amends offer decline 12 2 --reason \"値引きで合意済み。上乗せは不要\"",
        [this](Session& s) { return DeclineOffer(s, target_, number_, reason_); });
    number(decline);
    decline->add_option("--reason", reason_, Tr("why, kept in the timeline"))->required();
    CLI::App* delivered = Mutation(
        offer, "delivered", Tr("Record that an approved offer was given to the client"),
        "amends offer delivered 12 1 --note \"11月分の請求書で5万円値引き済み\"",
        [this](Session& s) { return DeliverOffer(s, target_, number_, note_); });
    number(delivered);
    delivered->add_option("--note", note_, Tr("how it was given, kept in the timeline"));

    // Runs after the subcommands' callbacks (CLI11 calls a subcommand's callback before its
    // parent's).
    offer->callback([this, id, kind, amount, text, approve, decline, delivered] {
      if (approve->parsed() || decline->parsed() || delivered->parsed()) {
        if (id->count() > 0 || kind->count() > 0 || amount->count() > 0 || text->count() > 0) {
          throw CLI::ValidationError(
              "offer", Tr("approve, decline and delivered take ID and N: 'amends offer approve ID "
                       "N'; --kind, --amount and --text only make an offer"));
        }
        return;
      }
      for (const CLI::Option* option : {id, kind, amount, text}) {
        if (option->count() == 0) {
          throw CLI::ValidationError(
              absl::Substitute(Tr("$0 is required to make an offer"), option->get_name()));
        }
      }
      action_ = [this](Session& s) {
        return MakeOffer(s, target_, offer_kind_, amount_yen_, text_);
      };
    });
  }

  // `measure verify ID N`: someone other than the owner checks that a done measure worked.
  void AddMeasureVerify(CLI::App* measure) {
    const std::string example =
        "AMENDS_TOKEN=$SUZUKI amends measure verify 12 1 --note \"2週間分の全アポイントが共有"
        "スケジュールにあることを確認\"\n"
        "AMENDS_TOKEN=$SUZUKI amends measure verify 12 2 --failed --note \"前日のダブルチェックが"
        "3回中1回抜けていた\" --due \"fri 18:00\"";
    CLI::App* verify = Mutation(
        measure, "verify",
        Tr("Check that a done measure worked (not its owner nor who marked it done); --failed "
        "opens it again"),
        example, [this](Session& s) {
          return VerifyMeasure(s, target_, number_, note_, failed_,
                               due_option_->count() > 0 ? std::optional(at_) : std::nullopt);
        });
    verify->footer(absl::StrCat(
        Tr("A measure is only as good as its check: someone other than its owner and the one who "
        "marked it done looks whether it worked. Closing needs the round's measures verified "
        "where the severity's policy says so (medium and above by default). --failed opens "
        "the measure again, due at --due, or when it was due if that is still ahead.\n\n"),
        ExampleFooter(example)));
    verify->add_option("N", number_, Tr("the measure's number, as `amends show` lists it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    CLI::Option* note = verify->add_option(
        "--note", note_, Tr("what you checked; with --failed (required), what did not work"));
    CLI::Option* failed =
        verify->add_flag("--failed", failed_, Tr("the measure did not work: it is open again"))
            ->needs(note);
    due_option_ = verify
                      ->add_option("--due", at_,
                                   absl::Substitute(
                                       Tr("with --failed: when the measure is due again (needed "
                                          "when its due time has passed); $0"),
                                       DueHelp()))
                      ->needs(failed);
  }

  // `edit ID` with what to correct; the options left out stay as they are.
  void AddEdit() {
    const std::string example =
        "amends edit 12 --severity critical --reason \"先方社長も同席しており取引停止を示唆\"\n"
        "AMENDS_TOKEN=$TANAKA amends edit 12 --severity medium --reason \"部長と電話で和解済み\"\n"
        "amends edit 12 --client ＸＹＺ商事 --contact \"購買部 鈴木様\"\n"
        "amends edit 12 --kind complaint --summary \"納品物の品質について部長から苦情\"";
    CLI::App* edit = Mutation(
        &app_, "edit",
        Tr("Correct what was reported: severity, summary, details, client, contact, kind, "
        "confidentiality (the incident's owner or a manager)"),
        example, [this](Session& s) {
          auto given = [](const EditText& t) {
            return t.option->count() > 0 ? std::optional(t.value) : std::nullopt;
          };
          edit_.summary = given(edit_summary_);
          edit_.details = given(edit_details_);
          edit_.client = given(edit_client_);
          edit_.contact = given(edit_contact_);
          return Edit(s, target_, edit_);
        });
    edit->footer(absl::StrCat(
        Tr("Give only what changes: an option given with the value the incident already has is "
        "refused (exit 2), and nothing is changed. The options given change together, as one "
        "correction on the timeline saying old -> new (amends timeline ID).\n\n"
        "--severity: raising it is the owner's right; lowering it needs a manager, since it "
        "gives every deadline more time. Either way it needs --reason. The stage's running "
        "deadlines are recomputed: a raised severity never gives one more time, a lowered one "
        "never less.\n"
        "--client: the incident is linked to that client's incidents as a report is: a "
        "recurrence when the team closed one after presenting its prevention plan (then, as at "
        "report, the policy raises the severity one level unless --severity is given), "
        "related when one is open. An incident that stops being a recurrence keeps its "
        "severity: lowering it is a manager's decision.\n"
        "--kind: only to a kind of the same playbook (missed-appointment, late-deliverable, "
        "delivery-delay, complaint, other); a harassment, conduct or hand-over case is closed "
        "and reported anew.\n"
        "--confidential: there is no way back.\n\n"),
        ExampleFooter(example)));
    AddEnumOption(edit, "--severity", &edit_.severity,
                  Tr("the corrected severity (with --reason; lowering it: managers)"));
    edit->add_option("--reason", edit_.reason,
                     Tr("why (required with --severity), kept in the timeline"));
    edit_summary_.option =
        edit->add_option("--summary", edit_summary_.value, Tr("one line saying what happened"));
    edit_details_.option = edit->add_option("--details", edit_details_.value,
                                            Tr("everything else worth knowing (\"\": none)"));
    edit_client_.option =
        edit->add_option("--client", edit_client_.value, Tr("the client company"));
    edit_contact_.option = edit->add_option("--contact", edit_contact_.value,
                                            Tr("the person at the client (\"\": none)"));
    AddEnumOption(edit, "--kind", &edit_.kind, Tr("what happened, within the same playbook"));
    edit->add_flag("--confidential", edit_.confidential,
                   Tr("only the reporter, the owner and the team's managers see it from now on "
                   "(for good: there is no way back)"));
  }

  // `promise ID --by TIME --text TEXT` makes a promise; `promise done ID N` keeps one. The
  // ID of the first form is optional to CLI11 (it must not be asked for when `done` is
  // given) and checked here once the command line is parsed.
  void AddPromise() {
    CLI::App* promise = app_.add_subcommand(
        "promise", Tr("Promise the client something by a time, or mark a promise kept"));
    promise->footer(absl::StrCat(
        Tr("Two forms:\n"
        "  amends promise ID --by TIME --text TEXT   make a promise (a deadline like any other)\n"
        "  amends promise done ID N                  mark promise N kept\n\n"),
        ExampleFooter("amends promise 12 --by \"today 15:00\" "
                      "--text \"15時までに折り返しお電話する\"\n"
                      "amends promise done 12 1")));
    CLI::Option* id = promise->add_option("ID", target_.id, Tr("the incident number"));
    CLI::Option* by = promise->add_option(
        "--by", at_,
        absl::Substitute(Tr("when it will be done (required to make a promise): $0"),
                         DueHelp()));
    CLI::Option* text = promise->add_option(
        "--text", text_,
        Tr("what you promised, as you told the client (required to make a promise)"));
    promise->add_option("--expected-version", target_.expected_version,
                        Tr("change nothing and exit 5 unless the incident is at this version"))
        ->check(CLI::Validator(CheckPositive, ""));
    CLI::App* done =
        Mutation(promise, "done", Tr("Mark a promise kept"), "amends promise done 12 1",
                 [this](Session& s) { return KeepPromise(s, target_, number_); });
    done->add_option("N", number_, Tr("the promise's number, as `amends show` lists it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    // Runs after `done`'s callback (CLI11 calls a subcommand's callback before its parent's).
    promise->callback([this, id, by, text, done] {
      if (done->parsed()) {
        if (id->count() > 0 || by->count() > 0 || text->count() > 0) {
          throw CLI::ValidationError("promise done",
                                     Tr("takes only ID and N: 'amends promise done ID N'"));
        }
        return;
      }
      for (const CLI::Option* option : {id, by, text}) {
        if (option->count() == 0) {
          throw CLI::ValidationError(
              absl::Substitute(Tr("$0 is required to make a promise"), option->get_name()));
        }
      }
      action_ = [this](Session& s) { return MakePromise(s, target_, at_, text_); };
    });
  }

  // `notifications ID`, `notifications --failed`, `notifications retry N` and
  // `notifications test`. ID and --failed are optional to CLI11 (they must not be asked for
  // with a subcommand) and checked here once the command line is parsed, as for `promise`.
  void AddNotifications() {
    CLI::App* notifications = app_.add_subcommand(
        "notifications", Tr("What amends told people by mail, and how it went"));
    notifications->footer(absl::StrCat(
        Tr("Four forms:\n"
        "  amends notifications ID         an incident's notifications, newest first\n"
        "  amends notifications --failed   the failed ones of the teams you manage\n"
        "  amends notifications retry N    send failed notification N again (manager)\n"
        "  amends notifications test       send yourself a test message now\n\n"
        "STATE is pending (waiting, perhaps for the recipient's working hours), sent, retrying "
        "(an attempt failed; NEXT ATTEMPT says when the next is) or failed (amends gave up: "
        "the mail server refused it, every attempt failed, or there is no address). LAST "
        "ANSWER is the mail server's latest answer, cut to fit; --json prints every attempt "
        "whole.\n\n"),
        ExampleFooter("amends notifications 12\n"
                      "amends notifications --failed\n"
                      "amends notifications retry 7\n"
                      "amends notifications test")));
    CLI::Option* id = notifications->add_option("ID", target_.id, Tr("the incident number"))
                          ->check(CLI::Validator(CheckPositive, ""));
    CLI::Option* failed = notifications->add_flag(
        "--failed", failed_, Tr("the failed notifications of the teams you manage, with incident"));
    id->excludes(failed);
    notifications->add_flag("--json", json_flag_, Tr("the same as --output json"));

    CLI::App* retry = Command(
        notifications, "retry", Tr("Send a failed notification again (manager of its team)"),
        "amends notifications retry 7",
        [this](Session& s) { return RetryNotification(s, notification_id_); });
    retry->add_option("N", notification_id_,
                      Tr("the notification's number, as 'amends notifications --failed' and "
                      "'amends inbox' list it"))
        ->required()
        ->check(CLI::Validator(CheckPositive, ""));
    CLI::App* test = Command(
        notifications, "test", Tr("Send yourself a test message now and print the mail server's "
        "answer"), "amends notifications test",
        [](Session& s) { return SendTestNotification(s); });
    test->footer(absl::StrCat(
        Tr("Prints 'test message sent to ADDRESS: ANSWER'. When the message was not delivered it "
        "prints why on stderr and exits 1 (5 when you have no address: 'amends me --email "
        "ADDRESS').\n\n"),
        ExampleFooter("amends notifications test")));

    // Runs after the subcommands' callbacks (CLI11 calls a subcommand's callback before its
    // parent's).
    notifications->callback([this, id, failed, retry, test] {
      if (retry->parsed() || test->parsed()) {
        if (id->count() > 0 || failed->count() > 0) {
          throw CLI::ValidationError(
              "notifications", Tr("ID and --failed do not go with 'retry' or 'test'"));
        }
        return;
      }
      if (failed->count() > 0) {
        action_ = [](Session& s) { return ListFailedNotifications(s); };
      } else if (id->count() > 0) {
        action_ = [this](Session& s) { return ListNotifications(s, target_.id); };
      } else {
        throw CLI::ValidationError("notifications",
                                   Tr("give an incident ID, --failed, 'retry N' or 'test'"));
      }
    });

    const std::string me_example =
        "amends me\n"
        "amends me --email sato@example.co.jp --lang ja\n"
        "amends me --email \"\"          # " +
        std::string(Tr("no more mail"));
    CLI::App* me = Command(&app_, "me",
                           Tr("Show who you are (also: whoami), or change your mail address and "
                           "language"),
                           me_example, [this](Session& s) {
                             std::optional<std::string> email, lang;
                             if (email_option_->count() > 0) email = email_;
                             if (lang_option_->count() > 0) lang = lang_;
                             if (!email && !lang) return ShowMe(s);
                             return UpdateMe(s, email, lang);
                           });
    me->alias("whoami");
    me->footer(absl::StrCat(
        Tr("Shows your name, team, role, mail address and the language amends writes to you in. "
        "With --email or --lang, changes them first; what you leave out stays as it is.\n\n"),
        ExampleFooter(me_example)));
    me->add_flag("--json", json_flag_, Tr("the same as --output json"));
    email_option_ = me->add_option(
        "--email", email_, Tr("where amends mails you (\"\": nowhere, no mail is sent)"));
    lang_option_ =
        me->add_option("--lang", lang_, Tr("ja or en (\"\": your team's language)"))
            ->check(CLI::Validator(
                [](const std::string& text) -> std::string {
                  absl::Status status = CheckLanguageArg("--lang", text);
                  return status.ok()
                             ? ""
                             : std::string(absl::StripPrefix(status.message(), "--lang: "));
                },
                ""));
  }

  // The forms of time_input.h ParseTimeArg.
  static std::string TimeHelp() {
    return absl::Substitute(
        Tr("a time in the team's time zone: 'YYYY-MM-DD HH:MM' or 'YYYY/MM/DD HH:MM'; '12/20 "
           "10:00' (the next 20 December); 'today 15:00', 'tomorrow 10:00' (also $0), '+3d "
           "10:00' (3 days from today); a weekday, 'mon 10:00' (also monday, $1): the next one "
           "after today, a week ahead when today is that day; or RFC 3339 "
           "(2026-11-28T10:00:00+09:00). Today is the server's date in the team's zone; a time "
           "of day is required"),
        "今日, 明日, 明後日", "月, 月曜, 月曜日");
  }
  // TimeHelp, for the times the server warns about when they fall on a day off
  // (Incident.warnings).
  static std::string DueHelp() {
    return absl::Substitute(Tr("$0. One on a day the team does not work (its calendar) is set "
                               "all the same, with a warning"),
                            TimeHelp());
  }

  // `amends completion bash`: a completion script made from the commands defined above.
  void AddCompletion() {
    CLI::App* completion = Group(
        "completion", Tr("Print a shell completion script"),
        "amends completion bash > ~/.local/share/bash-completion/completions/amends");
    CLI::App* bash = completion->add_subcommand("bash", Tr("Print the bash completion script"));
    bash->footer(ExampleFooter("source <(amends completion bash)"));
    bash->callback([this] { completion_requested_ = true; });
  }

  CLI::App app_{Tr("amends: client-relationship incidents. Apologise fast, tell your manager, "
                "visit, prevent, follow up."),
                "amends"};
  Action action_;
  const bool ask_server_for_language_;

  // Parsed values; only one command runs, so commands share fields.
  std::string server_ = "127.0.0.1:50051";
  ChannelSecurity security_;
  std::string token_;
  std::string token_file_;
  std::string output_ = "table";
  bool wide_ = false;  // --wide
  Target target_;
  ReportArgs report_;
  bool confidential_ = false;
  HandOverArgs handover_;
  // `edit`: a text option, given or not ("" is a value).
  struct EditText {
    CLI::Option* option = nullptr;
    std::string value;
  };
  EditArgs edit_;
  EditText edit_summary_, edit_details_, edit_client_, edit_contact_;
  CLI::Option* confidential_option_ = nullptr;
  ListArgs list_;
  amends::v1::Channel channel_ = amends::v1::CHANNEL_UNSPECIFIED;
  amends::v1::Response decision_ = amends::v1::RESPONSE_UNSPECIFIED;
  std::string text_;
  std::string note_;
  std::string reason_;
  std::string user_;
  std::string at_;
  std::vector<std::string> attendees_;
  CLI::Option* until_option_ = nullptr;
  CLI::Option* email_option_ = nullptr;
  CLI::Option* lang_option_ = nullptr;
  std::string language_;  // the global --lang
  std::string due_within_;  // checked and converted into list_.due_within
  bool json_flag_ = false;  // --json of inbox, notifications and me
  int64_t notification_id_ = 0;
  bool failed_ = false;
  std::string email_;
  std::string lang_;
  int32_t number_ = 0;
  bool watch_requested_ = false;
  bool completion_requested_ = false;
  WatchArgs watch_;
  std::string from_;  // checked and converted into watch_.from
  bool as_manager_ = false;  // apologize --as-manager
  amends::v1::OfferKind offer_kind_ = amends::v1::OFFER_KIND_UNSPECIFIED;
  std::string amount_text_;  // checked and converted into amount_yen_
  int64_t amount_yen_ = 0;
  std::string why_missed_;
  std::string category_;
  CLI::Option* due_option_ = nullptr;  // measure verify --due
};

// The language first, since the help texts are written in it; then the command.
int Main(int argc, char** argv) {
  absl::StatusOr<std::optional<Language>> asked = AskedLanguage(LanguageFlag(argc, argv));
  UseLanguage(asked.ok() && *asked ? **asked : EnvironmentLanguage());
  if (!asked.ok()) return Finish(asked.status());
  CommandLine command_line(/*ask_server_for_language=*/!asked->has_value());
  return command_line.Run(argc, argv);
}

}  // namespace
}  // namespace amends::cli

int main(int argc, char** argv) {
  try {
    return amends::cli::Main(argc, argv);
  } catch (const std::exception& e) {  // a bug; still one line and a code
    std::cerr << "amends: " << amends::cli::Tr("internal error: ") << e.what() << "\n";
    return amends::cli::kExitFailure;
  }
}
