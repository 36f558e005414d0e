// The CLI end to end against a running amendsd: DOMAIN.md case 1, the forgotten 15:00 meeting
// with ＡＢＣ商事, from the report to the close, in Japanese, through the real binaries.
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/utf8_text.h"
#include "gtest/gtest.h"
#include "tests/cli_fixture.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/test_certificates.h"

namespace amends {
namespace {

class CliTest : public CliFixture {};

// The server restarts while a change is under way (UNAVAILABLE): the CLI sends the same
// request, request id and all, once more, so the server can apply it once. A fake server
// (tests/flaky_grpc_server.py) fails each call the first time; amendsd cannot be made to.
TEST(CliRetry, AChangeThatFailsUnavailableIsSentOnceMoreWithTheSameRequestId) {
  const std::string out = (TestDir() / "requests").string();
  ChildProcess server({"/usr/bin/python3", AMENDS_SOURCE_DIR "/tests/flaky_grpc_server.py",
                       "--out", out});
  std::string ready;
  ASSERT_TRUE(server.started() && server.ReadLineWithin(&ready, std::chrono::seconds(20)));
  absl::string_view port = ready;
  ASSERT_TRUE(absl::ConsumePrefix(&port, "READY ")) << ready;
  const RunResult r = RunCommand({AMENDS_PATH, "note", "1", "17時に折り返し"},
                                 {{"AMENDS_SERVER", absl::StrCat("127.0.0.1:", port)},
                                  {"AMENDS_TOKEN", "t"}});
  server.Signal(SIGTERM);
  server.Wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> sent =
      absl::StrSplit(ReadWholeFile(out), '\n', absl::SkipEmpty());
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(sent[0], "/amends.v1.IncidentService/AddNote ")) << sent[0];
  EXPECT_EQ(sent[0], sent[1]);
  // Field 15, a string of 32 characters: 7a 20, then the id's hex digits as ASCII.
  EXPECT_TRUE(absl::StrContains(sent[0], "7a20")) << sent[0];
}

// Every change sent carries a request id of its own (so that a retry is applied once): the
// server keeps one per change.
TEST_F(CliTest, EveryChangeCarriesARequestIdOfItsOwn) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                  "missed-appointment", "--severity", "high", "--summary",
                  "15時の打ち合わせを失念"});
  Amends("sato", {"note", "1", "先方部長は『誠意を見せてほしい』とのこと"});
  Amends("sato", {"note", "1", "17時に折り返し"});
  Amends("sato", {"escalate", "1", "--reason", "部長が立腹"});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(DISTINCT request_id), count(*) FROM requests "
                                   "WHERE caller = 'sato'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 3);
  EXPECT_EQ(sqlite3_column_int(stmt, 1), 3);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// DOMAIN.md: harassment is not the team's failure toward the client. Nobody apologises to the
// harasser; the managers take it on at once and decide the company's response.
TEST_F(CliTest, HarassmentNeverAsksForAnApologyAndGoesStraightToTheManagers) {
  AddMember("suzuki", "manager");
  RunResult r = Amends("sato", {"report", "--team", "営業一課", "--client", "ミドリ精機株式会社",
                                "--kind", "harassment", "--severity", "medium", "--summary",
                                "先方課長から担当者への威圧的な言動が続いている"});
  EXPECT_EQ(r.out, "#1 reported → state escalated (version 1)\n");
  r = Amends("sato", {"show", "1"});
  EXPECT_FALSE(absl::StrContains(r.out, "apolog")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "visit")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "confidential       yes")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "take the harassment case on (approve)")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "managers of 営業一課")) << r.out;
  r = Amends("sato", {"apologize", "1", "--channel", "call", "--note", "お詫び"}, 5);
  EXPECT_EQ(r.err, "amends: incident 1 is a harassment case: no apologize (nobody apologises "
                   "to a harasser)\n");
  // Both managers have it waiting in their inbox already.
  for (const char* manager : {"tanaka", "suzuki"}) {
    r = Amends(manager, {"inbox"});
    EXPECT_TRUE(absl::StrContains(r.out, "approve  take the harassment case on")) << r.out;
  }

  Amends("tanaka", {"approve", "1"});
  r = Amends("tanaka", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "state              prevention-plan")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "response           not decided yet")) << r.out;
  Amends("tanaka", {"measure", "add", "1", "--text", "訪問は必ず上長と二人で行う", "--owner",
                    "sato", "--due", InDays(3)});
  r = Amends("tanaka", {"plan", "present", "1"}, 5);
  EXPECT_EQ(r.err, "amends: the company's response to the client is not decided: response "
                   "first\n");
  Amends("sato", {"response", "1", "--decision", "warn-client"}, 4);  // a manager's decision
  r = Amends("tanaka", {"response", "1", "--decision", "change-contact", "--note",
                        "先方部長に窓口の変更を依頼"});
  EXPECT_EQ(r.out, "#1 response decided: change-contact → state prevention-plan (version 4)\n");
  Amends("tanaka", {"plan", "present", "1"});
  r = Amends("tanaka", {"timeline", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "change the contact: 先方部長に窓口の変更を依頼")) << r.out;
}

// DOMAIN.md case 6: a manager records a rep's conduct; the rep never learns of the record.
TEST_F(CliTest, ConductCaseIsInvisibleToThePersonItIsAboutInEveryView) {
  AddMember("yamada");
  AddMember("suzuki", "manager");
  Amends("yamada", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "complaint", "--severity", "low", "--summary", "回答が遅いとのご指摘"});
  RunResult r = Amends(
      "tanaka", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind", "conduct",
                 "--severity", "high", "--subject", "yamada", "--summary",
                 "担当者と先方担当者との間の利益相反の懸念", "--details", "本人には伝えない"});
  EXPECT_EQ(r.out, "#2 reported → state escalated (version 1)\n"
                   "related, open: ＡＢＣ商事 also has #1\n");
  Amends("suzuki", {"approve", "2"});
  Amends("tanaka", {"measure", "add", "2", "--text", "ＡＢＣ商事の窓口を一時的に上長へ",
                    "--owner", "tanaka", "--due", InDays(3)});

  // yamada: not in any list, not by number, not in the client's history or the inbox.
  for (const std::vector<std::string>& view :
       std::vector<std::vector<std::string>>{{"list"},
                                             {"list", "--client", "ＡＢＣ商事"},
                                             {"list", "--owner", "tanaka"},
                                             {"inbox"},
                                             {"list", "--output", "json"}}) {
    r = Amends("yamada", view);
    EXPECT_FALSE(absl::StrContains(r.out, "利益相反")) << absl::StrJoin(view, " ") << r.out;
    EXPECT_FALSE(absl::StrContains(r.out, "#2")) << absl::StrJoin(view, " ") << r.out;
  }
  for (const std::vector<std::string>& view :
       std::vector<std::vector<std::string>>{{"show", "2"},
                                             {"timeline", "2"},
                                             {"notifications", "2"},
                                             {"note", "2", "確認"}}) {
    r = Amends("yamada", view, 3);
    EXPECT_EQ(r.err, "amends: incident 2 not found\n") << absl::StrJoin(view, " ");
  }
  // A new case with the same client does not link to it either.
  r = Amends("yamada", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                        "missed-appointment", "--severity", "low", "--summary", "10時の電話を失念"});
  EXPECT_EQ(r.out, "#3 reported → state reported (version 1)\n"
                   "related, open: ＡＢＣ商事 also has #1\n");
  // Nor can it be given to them.
  r = Amends("tanaka", {"assign", "2", "yamada", "--note", "担当替え"}, 5);
  EXPECT_EQ(r.err, "amends: USER: incident 2 is about yamada: they may not work on it\n");
  // The managers see it.
  EXPECT_TRUE(absl::StrContains(Amends("suzuki", {"list"}).out, "利益相反"));
}

TEST_F(CliTest, MeasureOfAConfidentialCaseCannotGoToAMemberWhoCannotReadIt) {
  AddMember("yamada");
  // Harassment by a client's manager: confidential, seen by sato (reporter) and tanaka only.
  Amends("sato", {"report", "--team", "営業一課", "--client", "ミドリ精機株式会社", "--kind",
                  "harassment", "--severity", "high", "--summary",
                  "先方課長から担当者への威圧的な言動が続いている"});
  Amends("tanaka", {"approve", "1"});  // the managers take it on: response and measures

  RunResult r = Amends("tanaka", {"measure", "add", "1", "--text", "訪問は必ず二人で行う",
                                  "--owner", "yamada", "--due", InDays(7)},
                       5);
  EXPECT_EQ(r.err, "amends: --owner: yamada cannot read incident 1 (confidential: only its "
                   "reporter, its owner and the managers of 営業一課 do)\n");
  EXPECT_FALSE(absl::StrContains(Amends("tanaka", {"show", "1"}).out, "訪問は必ず二人で行う"));
  Amends("tanaka", {"measure", "add", "1", "--text", "訪問は必ず二人で行う", "--owner", "sato",
                    "--due", InDays(7)});
}

TEST_F(CliTest, DeactivatedUserCanNoLongerActOrBeGivenWorkAndHistoryKeepsTheirName) {
  AddMember("yamada");
  AddMember("kato");
  Amends("yamada", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "late-deliverable", "--severity", "medium", "--summary", "月次報告書の提出遅れ"});
  Amends("sato", {"report", "--team", "営業一課", "--client", "XYZ Trading", "--kind",
                  "missed-appointment", "--severity", "low", "--summary", "10時の電話を失念"});

  // yamada leaves the company.
  RunResult gone = Admin({"user", "deactivate", "yamada"});
  EXPECT_EQ(gone.exit_code, 0) << gone.err;
  EXPECT_EQ(gone.err,
            "user yamada deactivated: token revoked; given no more incidents, measures or "
            "promises, and told nothing\n"
            "yamada still owns 1 open incident(s), to hand over with `amends handover --from "
            "yamada --to SUCCESSOR --note ...`: #1\n");
  Amends("yamada", {"list"}, 4);  // at once, on the running server

  RunResult r = Amends("tanaka", {"assign", "2", "yamada", "--note", "引き継ぎ"}, 5);
  EXPECT_EQ(r.err, "amends: USER: yamada is deactivated and cannot be given incidents, "
                   "measures or promises\n");
  r = Amends("tanaka", {"promise", "1", "--by", InDays(1), "--text", "明日までに再提出"}, 5);
  EXPECT_EQ(r.err, "amends: --owner: yamada is deactivated and cannot be given incidents, measures "
                   "or promises: hand incident 1 over first (amends assign)\n");
  // A revoked token is refused likewise, with the way back.
  ASSERT_EQ(Admin({"token", "revoke", "kato"}).exit_code, 0);
  r = Amends("tanaka", {"assign", "2", "kato", "--note", "引き継ぎ"}, 5);
  EXPECT_EQ(r.err, "amends: USER: kato's token is revoked, so they could not act on it "
                   "(amendsd admin token rotate kato issues a new one)\n");

  // The case goes on with sato; what yamada did stays theirs in the timeline.
  Amends("tanaka", {"assign", "1", "sato", "--note", "山田退職のため佐藤が引き継ぎ"});
  Amends("tanaka", {"promise", "1", "--by", InDays(1), "--text", "明日までに再提出"});
  r = Amends("sato", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "yamada")) << r.out;

  EXPECT_TRUE(absl::StrContains(Admin({"user", "list"}).out, "  deactivated\n"));
  RunResult rotate = Admin({"token", "rotate", "yamada"});
  EXPECT_EQ(rotate.exit_code, 1);
  EXPECT_EQ(rotate.err, "amendsd: yamada is deactivated: a deactivated user gets no token\n");
}

TEST_F(CliTest, ClientNameWithAZeroWidthSpaceIsTheSameClient) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ACME", "--kind",
                  "delivery-delay", "--severity", "medium", "--summary", "納品が2日遅延"});
  Amends("sato", {"report", "--team", "営業一課", "--client", "ACME\u200B", "--kind",
                  "complaint", "--severity", "medium", "--summary", "請求書の誤り"});
  RunResult r = Amends("sato", {"list", "--client", "acme", "--output", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  r = Amends("sato", {"list", "--client", "\u200BACME", "--output", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
}

TEST_F(CliTest, SecondIncidentWhileTheFirstIsOpenIsRelatedAndOneAfterAPresentedPlanRecurs) {
  const std::vector<std::string> report = {"report", "--team", "営業一課", "--client", "ＡＢＣ商事",
                                           "--kind", "late-deliverable", "--severity", "low",
                                           "--summary"};
  auto report_as_sato = [&](const std::string& summary) {
    std::vector<std::string> args = report;
    args.push_back(summary);
    return Amends("sato", args);
  };
  report_as_sato("月次報告書の提出遅れ");
  RunResult r = report_as_sato("見積書の送付遅れ");
  EXPECT_EQ(r.out, "#2 reported → state reported (version 1)\n"
                   "related, open: ＡＢＣ商事 also has #1\n");
  EXPECT_TRUE(absl::StrContains(Amends("sato", {"show", "2"}).out, "#1 月次報告書の提出遅れ (reported)"));

  // #1 through its plan, presented to the client, and closed; the visit was not scheduled in
  // amends, so it is recorded with the time it took place.
  Amends("sato", {"apologize", "1", "--channel", "mail", "--note", "お詫びのメール"});
  Amends("sato", {"escalate", "1", "--reason", "先方部長が立腹"});
  Amends("tanaka", {"approve", "1"});
  r = Amends("sato", {"visit", "done", "1", "--outcome", "部長に謝罪"}, 5);
  EXPECT_TRUE(absl::StrContains(r.err, "the visit was not scheduled")) << r.err;
  const std::string earlier = absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() - absl::Hours(1),
                                               absl::FixedTimeZone(9 * 3600));
  Amends("sato", {"visit", "done", "1", "--held-at", earlier, "--attendee", "tanaka",
                  "--outcome", "部長に謝罪"});
  Amends("sato", {"measure", "add", "1", "--text", "提出期限を共有カレンダーに登録", "--owner",
                  "sato", "--due", InDays(7)});
  Amends("sato", {"cause", "1", "--what", "予定を個人の手帳だけで管理していた", "--why-missed",
                  "共有カレンダーになく、前日の確認もなかった", "--category", "schedule"});
  Amends("sato", {"plan", "present", "1"});
  Amends("tanaka", {"close", "1", "--reason", "先方了承"});

  r = report_as_sato("議事録の送付遅れ");
  EXPECT_EQ(r.out, "#3 reported → state reported (version 1)\n"
                   "recurrence: ＡＢＣ商事 had earlier incidents: #1 — the last prevention plan "
                   "did not hold; severity raised from low to medium\n"
                   "related, open: ＡＢＣ商事 also has #2\n");
}

TEST_F(CliTest, ShowListsTheLatestNotesNotOnlyTheTimeline) {
  Amends("sato", {"report", "--client", "ＡＢＣ商事", "--kind", "complaint", "--severity", "low",
                  "--summary", "担当者の対応に不満"});
  RunResult r = Amends("sato", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "\nNotes: none\n")) << r.out;
  for (int n = 1; n <= 7; ++n) {
    Amends(n % 2 ? "sato" : "tanaka",
           {"note", "1", absl::StrCat("メモ", n, ": 先方部長は来週月曜午前なら可")});
  }
  r = Amends("sato", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "\nNotes (amends note 1 TEXT):\n")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "メモ2:")) << r.out;  // the newest five only
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka: メモ6: 先方部長は来週月曜午前なら可\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "sato: メモ7:")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "  (2 earlier: amends timeline 1)\n")) << r.out;
}

TEST_F(CliTest, VersionIsPrintedAndAnUnknownCommandIsNamed) {
  RunResult r = RunCommand({AMENDS_PATH, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(absl::StartsWith(r.out, "amends 0.")) << r.out;
  r = RunCommand({AMENDSD_PATH, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(absl::StartsWith(r.out, "amendsd 0.")) << r.out;

  r = Amends("sato", {"lst"}, 2);
  EXPECT_EQ(r.err, "amends: unknown command 'lst' (see --help for the commands)\n");
  r = Amends("sato", {"--output", "json", "shwo", "1"}, 2);
  EXPECT_EQ(r.err, "amends: unknown command 'shwo' (see --help for the commands)\n");
}

TEST_F(CliTest, ServerErrorsNameTheFlagTheUserTyped) {
  Amends("sato", {"report", "--client", "ＡＢＣ商事", "--kind", "missed-appointment",
                  "--severity", "high", "--summary", "15時の打ち合わせを失念"});
  Amends("sato", {"escalate", "1", "--reason", "先方部長が立腹"});
  Amends("tanaka", {"approve", "1"});
  const std::string yesterday = absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() - absl::Hours(24),
                                                 absl::FixedTimeZone(9 * 3600));
  RunResult r = Amends("sato", {"visit", "schedule", "1", "--at", yesterday}, 2);
  EXPECT_TRUE(absl::StartsWith(r.err, "amends: --at: ")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "is in the past")) << r.err;
  r = Amends("tanaka", {"assign", "1", "sato", "--note", "引き継ぎ"}, 2);
  EXPECT_TRUE(absl::StartsWith(r.err, "amends: USER: sato already owns incident 1")) << r.err;
}

TEST_F(CliTest, ReportGoesToTheCallersTeamAndWhoamiSaysWhoTheCallerIs) {
  RunResult r = Amends("sato", {"report", "--client", "ＡＢＣ商事", "--kind", "complaint",
                                "--severity", "low", "--summary", "担当者の対応に不満"});
  EXPECT_EQ(r.out, "#1 reported → state reported (version 1)\n");
  EXPECT_TRUE(absl::StrContains(Amends("sato", {"show", "1"}).out, "営業一課")) << r.out;
  r = Amends("tanaka", {"whoami"});
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "営業一課")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "manager")) << r.out;
}

TEST_F(CliTest, AcknowledgingWithNothingLeftSucceedsAndSaysSo) {
  Amends("sato", {"report", "--client", "ＡＢＣ商事", "--kind", "complaint", "--severity", "low",
                  "--summary", "担当者の対応に不満"});
  RunResult r = Amends("sato", {"ack", "1"});
  EXPECT_EQ(r.out, "#1 nothing to acknowledge: incident 1 has no reminders for you\n");
  r = Amends("sato", {"ack", "1", "--output", "json"});
  EXPECT_TRUE(absl::StrContains(r.out, "\"id\":\"1\"")) << r.out;
  Amends("sato", {"ack", "99"}, 3);  // a wrong number is still an error
}

TEST_F(CliTest, BashCompletionCompletesCommandsSubcommandsAndOptions) {
  RunResult r = RunCommand({AMENDS_PATH, "completion", "bash"});  // needs no server
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string script = (TestDir() / "amends.bash").string();
  std::ofstream(script) << r.out;
  auto complete = [&](const std::string& words, int cword) {
    RunResult c = RunCommand(
        {"/bin/bash", "-c",
         absl::StrCat("source ", script, "; COMP_WORDS=(", words, "); COMP_CWORD=", cword,
                      "; _amends; echo \"${COMPREPLY[*]}\"")});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    return std::string(absl::StripTrailingAsciiWhitespace(c.out));
  };
  EXPECT_EQ(complete("amends vis", 1), "visit");
  const std::string visit = complete("amends visit ''", 2);
  EXPECT_TRUE(absl::StartsWith(visit, "schedule done --help ")) << visit;
  EXPECT_TRUE(absl::StrContains(visit, " --server ")) << visit;
  const std::vector<std::string> words = absl::StrSplit(visit, ' ');
  EXPECT_EQ(std::set<std::string>(words.begin(), words.end()).size(), words.size())
      << "each word once: " << visit;
  EXPECT_EQ(complete("amends --output json list --st", 4), "--state");
  EXPECT_EQ(complete("amends visit schedule 1 --att", 4), "--attendee");
}

TEST_F(CliTest, RepsDepartureIsHandedOverInOneCommandAllOrNothing) {
  AddMember("yamada");
  AddMember("kato");
  Amends("yamada", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "late-deliverable", "--severity", "medium", "--summary", "月次報告書の提出遅れ"});
  Amends("yamada", {"report", "--team", "営業一課", "--client", "XYZ Trading", "--kind",
                    "delivery-delay", "--severity", "low", "--summary", "納品が2日遅延"});
  Amends("yamada", {"promise", "1", "--by", InDays(1), "--text", "明日中に再提出する"});
  auto owned_by = [&](const std::string& user) {
    RunResult r = Amends("tanaka", {"list", "--owner", user, "--output", "json"});
    return std::count(r.out.begin(), r.out.end(), '\n');
  };
  const std::vector<std::string> handover = {"handover", "--from", "yamada", "--note",
                                             "山田退職のため引き継ぎ。先方部長は月曜午前を希望"};
  auto to = [&](const std::string& successor, std::vector<std::string> more = {}) {
    std::vector<std::string> args = handover;
    args.insert(args.end(), {"--to", successor});
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };

  Amends("sato", to("sato"), 4);  // a manager's call
  ASSERT_EQ(Admin({"user", "deactivate", "kato"}).exit_code, 0);
  RunResult r = Amends("tanaka", to("kato"), 5);
  EXPECT_TRUE(absl::StrContains(r.err, "nothing was changed; refused for 2 of 2 incident(s): "
                                       "#2: to: kato is deactivated"))
      << r.err;
  EXPECT_EQ(owned_by("yamada"), 2);

  r = Amends("tanaka", to("sato", {"--dry-run"}));
  EXPECT_EQ(r.out,
            "#2 XYZ Trading: 納品が2日遅延 (reported): the incident\n"
            "#1 ＡＢＣ商事: 月次報告書の提出遅れ (reported): the incident, 1 promise(s)\n"
            "would start a hand-over for XYZ Trading, owned by sato: checklist of 3 item(s)\n"
            "would start a hand-over for ＡＢＣ商事, owned by sato: checklist of 4 item(s)\n"
            "would hand over 2 incident(s) from yamada to sato (dry run: nothing changed)\n");
  EXPECT_EQ(owned_by("yamada"), 2);

  r = Amends("tanaka", to("sato"));
  EXPECT_EQ(r.out,
            "#2 XYZ Trading: 納品が2日遅延 (reported): the incident\n"
            "#1 ＡＢＣ商事: 月次報告書の提出遅れ (reported): the incident, 1 promise(s)\n"
            "hand-over #3 for XYZ Trading, owned by sato: checklist of 3 item(s) "
            "(amends checklist show 3)\n"
            "hand-over #4 for ＡＢＣ商事, owned by sato: checklist of 4 item(s) "
            "(amends checklist show 4)\n"
            "handed over 2 incident(s) from yamada to sato\n");
  EXPECT_EQ(owned_by("yamada"), 0);
  EXPECT_EQ(owned_by("sato"), 4);  // the two incidents and a hand-over of each client
  EXPECT_TRUE(absl::StrContains(Amends("sato", {"show", "1"}).out, "先方部長は月曜午前を希望"));
  r = Amends("tanaka", to("sato"), 5);
  EXPECT_EQ(r.err, "amends: yamada holds no open incident, measure or promise: nothing to hand "
                   "over\n");

  // The successor's checklist for ＡＢＣ商事: the incident, the promise, then what every
  // hand-over passes on; the introduction visit comes next, then one follow-up.
  r = Amends("sato", {"checklist", "show", "4"});
  EXPECT_EQ(r.out,
            "Checklist (amends checklist done 4 N):\n"
            "  1. [open] #1 ＡＢＣ商事: 月次報告書の提出遅れ (now yours)\n"
            "  2. [open] #1 promise 1: 明日中に再提出する\n"
            "  3. [open] key contacts introduced to the successor\n"
            "  4. [open] what the client is sensitive about told to the successor\n");
  r = Amends("sato", {"show", "4"});
  EXPECT_TRUE(absl::StrContains(r.out, "state              apology-visit")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "introduction of the successor")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "first apology")) << r.out;
  EXPECT_FALSE(absl::StrContains(r.out, "recurrence: yes")) << r.out;
  Amends("sato", {"checklist", "done", "4", "2"});
  EXPECT_TRUE(absl::StrContains(Amends("sato", {"checklist", "show", "4"}).out,
                                "  2. [done] #1 promise 1: 明日中に再提出する (sato)\n"));
  r = Amends("sato", {"apologize", "4", "--channel", "call", "--note", "お詫び"}, 5);
  EXPECT_EQ(r.err, "amends: incident 4 is a hand-over: no apologize (a hand-over is not a "
                   "failure)\n");

  // One client's only: its incident and its hand-over go together.
  r = Amends("tanaka", {"handover", "--from", "sato", "--to", "yamada", "--client", "abc商事",
                        "--note", "担当替え"});
  EXPECT_TRUE(absl::StartsWith(r.out, "#4 ＡＢＣ商事: Hand-over from yamada to sato")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "\n#1 ＡＢＣ商事")) << r.out;
  EXPECT_EQ(owned_by("yamada"), 3);
}

// docs/DESIGN.md: the first apology stays owed across stages until recorded. A rep who
// escalated first (the client was too angry to take the call) still records it afterwards,
// and its deadline goes away rather than breaching until the close.
TEST_F(CliTest, FirstApologyRecordedAfterEscalationClearsItsDeadline) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                  "missed-appointment", "--severity", "high", "--summary",
                  "15時の打ち合わせを失念"});
  Amends("sato", {"escalate", "1", "--reason", "先方部長がお怒りで電話に出てもらえない"});
  Amends("tanaka", {"approve", "1"});
  RunResult r = Amends("sato", {"show", "1", "--output", "json"});
  ASSERT_TRUE(absl::StrContains(r.out, "\"key\":\"first-apology\"")) << r.out;

  r = Amends("sato", {"apologize", "1", "--channel", "visit", "--note", "部長に直接お詫び"});
  EXPECT_EQ(r.out, "#1 first apology recorded → state apology-visit (version 4)\n");
  r = Amends("sato", {"show", "1", "--output", "json"});
  EXPECT_FALSE(absl::StrContains(r.out, "\"key\":\"first-apology\"")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "部長に直接お詫び")) << r.out;
  r = Amends("sato", {"apologize", "1", "--channel", "call", "--note", "再度"}, 5);
  EXPECT_EQ(r.err, "amends: the first apology for incident 1 is already recorded\n");
}

TEST_F(CliTest, MissedAppointmentFromReportToCloseInJapanese) {
  RunResult r = Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事",
                                "--contact", "総務部 山田様", "--kind", "missed-appointment",
                                "--severity", "high", "--summary",
                                "15時のサンプル受け渡しの打ち合わせを失念", "--details",
                                "17時前に先方から電話。部長が立腹、「誠意を見せてほしい」とのこと。"});
  EXPECT_EQ(r.out, "#1 reported → state reported (version 1)\n");
  Amends("sato", {"apologize", "1", "--channel", "call", "--note", "当日中に電話で謝罪"});
  Amends("sato", {"escalate", "1", "--reason", "先方部長がお怒り。上長同行での訪問が必要"});

  r = Amends("sato", {"approve", "1"}, 4);
  EXPECT_EQ(r.err, "amends: approve needs role manager; you are member\n");
  r = Amends("tanaka", {"approve", "1", "--note", "明日午前に同行します"});
  EXPECT_EQ(r.out, "#1 escalation approved → state apology-visit (version 4)\n");

  Amends("sato", {"visit", "schedule", "1", "--at", InDays(1), "--attendee", "sato",
                  "--attendee", "tanaka"});
  Amends("tanaka", {"visit", "done", "1", "--outcome", "部長に直接謝罪。原因と再発防止策を説明"});
  Amends("sato", {"measure", "add", "1", "--text", "共有スケジュールで全アポイントを管理",
                  "--owner", "sato", "--due", InDays(7)});
  Amends("tanaka", {"measure", "add", "1", "--text", "前日にアポイントをダブルチェック",
                    "--owner", "tanaka", "--due", InDays(7)});
  // The plan needs the cause, and why nobody noticed in time.
  r = Amends("sato", {"plan", "present", "1"}, 5);
  EXPECT_EQ(r.err, "amends: a prevention plan needs the cause: what happened and why nobody "
                   "noticed in time (cause first)\n");
  Amends("sato", {"cause", "1", "--what", "予定を個人の手帳だけで管理していた", "--why-missed",
                  "共有カレンダーになく、前日の確認もなかった", "--category", "schedule"});
  Amends("sato", {"plan", "present", "1"});

  // Too early for the owner to close: measures are open and nobody has followed up yet.
  r = Amends("sato", {"close", "1"}, 4);
  Amends("sato", {"measure", "done", "1", "1"});
  Amends("tanaka", {"measure", "done", "1", "2"});
  Amends("sato", {"followup", "1", "--note", "1週間後に電話。先方部長も了承、関係は良好"});
  // HIGH: each measure is checked by someone other than its owner before the owner closes.
  r = Amends("sato", {"close", "1"}, 4);
  EXPECT_TRUE(absl::StrContains(r.err, "measures not verified by someone other than their "
                                       "owner: 1, 2"))
      << r.err;
  Amends("tanaka", {"measure", "verify", "1", "1", "--note", "2週間、全アポが共有カレンダーにある"});
  Amends("sato", {"measure", "verify", "1", "2"});
  r = Amends("sato", {"close", "1"});
  EXPECT_EQ(r.out, "#1 closed → state closed (version 16)\n");  // cause and two checks too

  r = Amends("sato", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "15時のサンプル受け渡しの打ち合わせを失念"));
  EXPECT_TRUE(absl::StrContains(r.out, "closed"));
  EXPECT_TRUE(absl::StrContains(r.out, "共有スケジュールで全アポイントを管理"));
  EXPECT_TRUE(absl::StrContains(r.out, "1週間後に電話"));

  r = Amends("sato", {"show", "1", "--output", "json"});
  EXPECT_TRUE(absl::StrContains(r.out, "\"state\":\"STATE_CLOSED\"")) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);

  r = Amends("sato", {"timeline", "1", "--output", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 16);  // one event per change
}

TEST_F(CliTest, ListShowsOpenIncidentsUnlessAllAndSaysHowManyMoreTheLimitHides) {
  const std::vector<std::string> summaries = {"15時の打ち合わせを失念", "月次報告書の提出遅れ",
                                              "納品が二日遅延", "担当者の対応に不満"};
  for (const std::string& summary : summaries) {
    Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                    "complaint", "--severity", "low", "--summary", summary});
  }
  Amends("tanaka", {"close", "1", "--reason", "先方の勘違いと判明"});
  Amends("sato", {"escalate", "2", "--reason", "部長から正式な抗議"});

  // The ID column of a table, less its header and any line after it.
  auto ids = [](const std::string& out) {
    std::vector<std::string> found;
    for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
      const absl::string_view first = line.substr(0, line.find(' '));
      if (!first.empty() && absl::ascii_isdigit(first[0])) found.emplace_back(first);
    }
    return found;
  };
  RunResult r = Amends("sato", {"list"});
  EXPECT_EQ(ids(r.out), (std::vector<std::string>{"4", "3", "2"})) << r.out;
  r = Amends("sato", {"list", "--all"});
  EXPECT_EQ(ids(r.out), (std::vector<std::string>{"4", "3", "2", "1"})) << r.out;
  r = Amends("sato", {"list", "--state", "escalated", "--state", "closed"});
  EXPECT_EQ(ids(r.out), (std::vector<std::string>{"2", "1"})) << r.out;

  r = Amends("sato", {"list", "--all", "--limit", "1"});
  EXPECT_EQ(ids(r.out), (std::vector<std::string>{"4"})) << r.out;
  EXPECT_TRUE(absl::EndsWith(r.out, "... and 3 more: --limit 4 shows them all\n")) << r.out;
  r = Amends("sato", {"list", "--limit", "3"});
  EXPECT_FALSE(absl::StrContains(r.out, "more")) << r.out;
  // In JSON, stdout holds only the objects.
  r = Amends("sato", {"list", "--limit", "2", "--output", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_EQ(r.err, "... and 1 more: --limit 3 shows them all\n");

  r = Amends("sato", {"list", "--state", "closed", "--all"}, 2);
  r = Amends("sato", {"list", "--state", "follow-up"});
  EXPECT_EQ(r.out, "no incidents\n");
  r = Amends("tanaka", {"close", "2", "--reason", "取り下げ"});
  r = Amends("tanaka", {"close", "3", "--reason", "取り下げ"});
  r = Amends("tanaka", {"close", "4", "--reason", "取り下げ"});
  r = Amends("sato", {"list"});
  EXPECT_EQ(r.out, "no open incidents (--all lists closed ones too)\n");
}

TEST_F(CliTest, ListColumnsStayAlignedWithJapaneseText) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                  "complaint", "--severity", "medium", "--summary", "担当者の対応に不満"});
  Amends("sato", {"report", "--team", "営業一課", "--client", "XYZ Trading", "--kind",
                  "delivery-delay", "--severity", "low", "--summary", "Shipment two days late"});
  RunResult r = Amends("sato", {"list"});
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  auto column_of = [](const std::string& line, const std::string& cell) {
    return cli::DisplayWidth(line.substr(0, line.find(cell)));
  };
  EXPECT_EQ(column_of(lines[0], "OWNER"), column_of(lines[1], "sato"));
  EXPECT_EQ(column_of(lines[1], "sato"), column_of(lines[2], "sato"));
  EXPECT_EQ(column_of(lines[0], "SUMMARY"), column_of(lines[1], "Shipment"));
  EXPECT_EQ(column_of(lines[1], "Shipment"), column_of(lines[2], "担当者"));
}

TEST_F(CliTest, EscapeSequencesAndBidiControlsInTextNeverReachTheTerminal) {
  // A window title, a cleared screen, the clipboard (OSC 52), a right-to-left override, a C1
  // control, and a forged line.
  const std::string hostile =
      "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07\u202e\xc2\x9b"
      "31m\nclosed by tanaka";
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind", "complaint",
                  "--severity", "medium", "--summary", "納期遅れ" + hostile, "--details", hostile});
  Amends("sato", {"note", "1", hostile});
  Amends("sato", {"escalate", "1", "--reason", hostile});
  auto safe = [](const std::string& out) {
    return out.find('\x1b') == std::string::npos && out.find('\x07') == std::string::npos &&
           out.find("\u202e") == std::string::npos && out.find("\xc2\x9b") == std::string::npos &&
           out.find("\nclosed by tanaka") == std::string::npos;
  };
  for (const std::vector<std::string>& view :
       std::vector<std::vector<std::string>>{{"show", "1"}, {"timeline", "1"}, {"list"},
                                             {"inbox"}, {"client", "ＡＢＣ商事"}}) {
    const RunResult r = Amends("tanaka", view);
    EXPECT_TRUE(safe(r.out)) << absl::StrJoin(view, " ") << ":\n" << r.out;
  }
  RunResult shown = Amends("tanaka", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(shown.out, "␛]0;pwned␇")) << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "<U+202E>")) << shown.out;
  EXPECT_TRUE(absl::StrContains(shown.out, "<U+009B>")) << shown.out;

  // JSON stays exact: the text as it was typed, escaped by JSON.
  RunResult json = Amends("tanaka", {"show", "1", "--output", "json"});
  EXPECT_TRUE(absl::StrContains(json.out, "\\u001b]0;pwned\\u0007")) << json.out;

  // An error that quotes what was typed is made safe too.
  RunResult error = Amends("tanaka", {"list", "--state", "\x1b[2Jclosed"}, 2);
  EXPECT_TRUE(safe(error.err)) << error.err;
  EXPECT_TRUE(absl::StrContains(error.err, "␛[2Jclosed")) << error.err;
}

TEST_F(CliTest, TokenComesFromAFileGivenByFlagOrEnvironment) {
  const std::string file = (TestDir() / "token").string();
  ASSERT_TRUE(WriteWholeFile(file, tokens_["tanaka"] + "\n"));
  RunResult r = RunCommand({AMENDS_PATH, "--server", address_, "--token-file", file, "me"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka")) << r.out;
  r = RunCommand({AMENDS_PATH, "me"}, {{"AMENDS_SERVER", address_}, {"AMENDS_TOKEN_FILE", file}});
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka")) << r.out << r.err;

  const std::string empty = (TestDir() / "empty").string();
  ASSERT_TRUE(WriteWholeFile(empty, ""));
  r = RunCommand({AMENDS_PATH, "--server", address_, "--token-file", empty, "me"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "amends: --token-file: " + empty + " is empty\n");
}

TEST_F(CliTest, ConfigFileGivesDefaultsAndIsRefusedWhenOthersMayReadIt) {
  const std::filesystem::path home = TestDir() / "xdg";
  std::filesystem::create_directories(home / "amends");
  const std::string token_file = (home / "amends" / "token").string();
  ASSERT_TRUE(WriteWholeFile(token_file, tokens_["sato"] + "\n"));
  const std::string config = (home / "amends" / "config").string();
  ASSERT_TRUE(WriteWholeFile(config, absl::StrCat("# amends, for sato\nserver = \"", address_,
                                                  "\"\ntoken-file = \"", token_file, "\"\n")));
  ASSERT_EQ(chmod(config.c_str(), 0600), 0);
  const std::map<std::string, std::string> env = {{"XDG_CONFIG_HOME", home.string()}};

  RunResult r = RunCommand({AMENDS_PATH, "me"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "sato")) << r.out;
  // The environment and the options come first.
  r = RunCommand({AMENDS_PATH, "--token", tokens_["tanaka"], "me"}, env);
  EXPECT_TRUE(absl::StrContains(r.out, "tanaka")) << r.out << r.err;
  std::map<std::string, std::string> elsewhere = env;
  elsewhere["AMENDS_SERVER"] = "127.0.0.1:1";
  EXPECT_EQ(RunCommand({AMENDS_PATH, "me"}, elsewhere).exit_code, 6);

  ASSERT_EQ(chmod(config.c_str(), 0644), 0);
  r = RunCommand({AMENDS_PATH, "me"}, env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, absl::StrCat("amends: config ", config, ": other users may read or change it "
                                "(mode 0644); it names your token: chmod 600 ", config, "\n"));
  ASSERT_EQ(chmod(config.c_str(), 0600), 0);
  ASSERT_TRUE(WriteWholeFile(config, absl::StrCat("token = \"", tokens_["sato"], "\"\n")));
  r = RunCommand({AMENDS_PATH, "me"}, env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, absl::StrCat("amends: config ", config, ": token: keep the token in a file of "
                                "its own and name it with token-file\n"));
}

TEST_F(CliTest, FailuresPrintOneLineAndExitWithTheirCode) {
  Amends("sato", {"report", "--team", "営業一課", "--client", "ＡＢＣ商事", "--kind",
                  "late-deliverable", "--severity", "high", "--summary", "報告書の提出遅れ"});
  RunResult r = Amends("sato", {"show", "99"}, 3);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  r = Amends("sato", {"report", "--client", "x", "--kind", "typo", "--severity", "high",
                      "--summary", "x"},
             2);
  EXPECT_TRUE(absl::StrContains(r.err, "--kind")) << r.err;
  r = Amends("sato", {"note", "1", "x", "--expected-version", "7"}, 5);
  EXPECT_TRUE(absl::StrContains(r.err, "version")) << r.err;
  r = Amends("sato", {"approve", "1"}, 4);
  tokens_["sato"] = "amd_wrong";
  Amends("sato", {"show", "1"}, 4);
  r = Amends("sato", {"note", "1", "\xff\xfe"}, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "UTF-8")) << r.err;

  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait().exit_code, 0);
  r = Amends("tanaka", {"show", "1"}, 6);
  EXPECT_TRUE(absl::StrContains(r.err, "cannot reach server")) << r.err;
}

}  // namespace
}  // namespace amends
