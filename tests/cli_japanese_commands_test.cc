// The CLI's commands in Japanese (issue 20), through the real binary: what the commands write
// themselves (a hand-over, the delivery log of notifications, the lines of `watch` and its
// news on stderr, errors in what was typed, lists and `me`) is in the team's Japanese, with
// columns aligned as the terminal shows wide characters, and no sentence left in English.
#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/admin.h"
#include "tests/cli_fixture.h"
#include "tests/cli_output.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/smtp_server.h"

namespace amends {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using cli::ColumnOf;
using cli::Lines;

void ExpectNoEnglishSentence(const std::string& output) {
  for (const absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    EXPECT_FALSE(cli::HasEnglishPhrase(std::string(line))) << line << "\nin:\n" << output;
  }
}

// --- Against amendsd as a separate process (tests/cli_fixture.h). -------------------------

class CliJapaneseCommandsTest : public CliFixture {
 protected:
  // Reports an incident of the team as `user`; returns what `report` printed.
  std::string Report(const std::string& user, const std::string& client, const std::string& kind,
                     const std::string& summary) {
    return Amends(user, {"--lang", "ja", "report", "--team", "営業一課", "--client", client,
                         "--kind", kind, "--severity", "high", "--summary", summary})
        .out;
  }
};

// DOMAIN.md case 5: yamada changes accounts; the manager first looks at what would pass to
// sato, and nothing moves yet.
TEST_F(CliJapaneseCommandsTest, HandOverDryRunSaysWhatWouldPassToTheSuccessorInJapanese) {
  AddMember("yamada");
  Report("yamada", "ＡＢＣ商事", "late-deliverable", "月次報告書の提出遅れ");
  Report("yamada", "東京物流", "delivery-delay", "納品が2日遅延");
  Amends("yamada", {"promise", "1", "--by", InDays(1), "--text", "明日10時までに報告書を再送"});

  const RunResult r = Amends("tanaka", {"--lang", "ja", "handover", "--from", "yamada", "--to",
                                        "sato", "--note", "山田の担当替えに伴い佐藤が引き継ぎ",
                                        "--dry-run"});
  EXPECT_THAT(r.out, HasSubstr("#1 ＡＢＣ商事: 月次報告書の提出遅れ（報告済み）: "
                               "案件の担当、お約束 1 件\n"));
  EXPECT_THAT(r.out, HasSubstr("#2 東京物流: 納品が2日遅延（報告済み）: 案件の担当\n"));
  EXPECT_THAT(r.out, HasSubstr("ＡＢＣ商事 の引き継ぎ案件を作成予定です（担当 sato、"
                               "チェック項目 "));
  EXPECT_THAT(r.out, HasSubstr("東京物流 の引き継ぎ案件を作成予定です（担当 sato、"));
  EXPECT_THAT(r.out, HasSubstr("yamada から sato へ 2 件の案件を引き継ぐ予定です"
                               "（--dry-run のため変更はしていません）\n"));
  ExpectNoEnglishSentence(r.out);
  // A dry run: both are still yamada's.
  EXPECT_EQ(Lines(Amends("tanaka", {"list", "--owner", "yamada"}).out).size(), 3u);

  // And in English, word for word as before.
  EXPECT_THAT(Amends("tanaka", {"handover", "--from", "yamada", "--to", "sato", "--note",
                                "担当替え", "--dry-run"})
                  .out,
              HasSubstr("would hand over 2 incident(s) from yamada to sato "
                        "(dry run: nothing changed)\n"));
}

// A time that cannot be read is the user's to fix (exit code 2), told in Japanese, with the
// option it came from and the forms that work.
TEST_F(CliJapaneseCommandsTest, AnUnreadableTimeIsAnInputErrorInJapaneseWithExitCodeTwo) {
  Report("sato", "ＡＢＣ商事", "missed-appointment", "15時のサンプル受け渡しの打ち合わせを失念");

  RunResult r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "来週 10:00", "--text",
                                "部長へ折り返しお電話する"},
                       2);
  EXPECT_THAT(r.err, StartsWith("amends: --by: 「来週 10:00」は日時と"
                                "して読み取れません。YYYY-MM-DD HH:MM、"));
  EXPECT_THAT(r.err, HasSubstr("today HH:MM（今日 HH:MM も可）、tomorrow HH:MM（明日 HH:MM も可）"));
  EXPECT_THAT(r.err, HasSubstr("（Asia/Tokyo）"));
  EXPECT_EQ(r.out, "");
  ExpectNoEnglishSentence(r.err);

  r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "明日", "--text", "見積書を再提出"},
             2);
  EXPECT_EQ(r.err, "amends: --by: 「明日」に時刻がありません。"
                   "「明日 10:00」のように時刻も指定してください\n");
  r = Amends("sato", {"--lang", "ja", "promise", "1", "--by", "明日 25:00", "--text",
                      "見積書を再提出"},
             2);
  EXPECT_EQ(r.err, "amends: --by: 「明日 25:00」: 「25:00」は時刻として"
                   "読み取れません。00:00 から 23:59 までの HH:MM 形式で指定してください\n");

  // In English, word for word as before.
  r = Amends("sato", {"promise", "1", "--by", "明日", "--text", "見積書を再提出"}, 2);
  EXPECT_EQ(r.err, "amends: --by: '明日' has no time of day; add one, such as '明日 10:00'\n");
}

// What `list` and `report` add to their tables and confirmations, and `me`, in Japanese.
TEST_F(CliJapaneseCommandsTest, ListsReportsAndMeSpeakJapanese) {
  EXPECT_EQ(Amends("sato", {"--lang", "ja", "list"}).out,
            "対応中の案件はありません（完了した案件も表示するには --all）\n");
  EXPECT_EQ(Amends("sato", {"--lang", "ja", "client", "ＡＢＣ商事"}).out,
            "ＡＢＣ商事 の案件はありません\n");

  Report("sato", "ＡＢＣ商事", "missed-appointment", "15時のサンプル受け渡しの打ち合わせを失念");
  const std::string second =
      Report("sato", "ＡＢＣ商事", "complaint", "先方部長より電話で強いお叱り");
  EXPECT_EQ(second,
            "#2 報告しました → 状態 報告済み（第1版）\n"
            "関連する対応中の案件: ＡＢＣ商事 には #1 もあります\n");

  const RunResult more = Amends("sato", {"--lang", "ja", "list", "--limit", "1"});
  EXPECT_THAT(more.out,
              HasSubstr("... ほかに 1 件あります。すべて表示するには --limit 2 を指定してください\n"));
  ExpectNoEnglishSentence(more.out);

  // `me`: each value where the others start, as the terminal shows the labels.
  const std::vector<std::string> me = Lines(Amends("sato", {"--lang", "ja", "me"}).out);
  ASSERT_EQ(me.size(), 5u);
  EXPECT_THAT(me[0], StartsWith("氏名"));
  EXPECT_THAT(me[2], HasSubstr("メンバー"));
  EXPECT_THAT(me[3], HasSubstr("-（メールは送信されません）"));
  EXPECT_THAT(me[4], StartsWith("言語"));
  EXPECT_EQ(ColumnOf(me[0], "sato"), ColumnOf(me[1], "営業一課"));
  EXPECT_EQ(ColumnOf(me[0], "sato"), ColumnOf(me[2], "メンバー"));
  EXPECT_EQ(ColumnOf(me[0], "sato"), ColumnOf(me[3], "-（"));
}

// --- Against amendsd's code in this process (tests/service_fixture.h): its fake clock, and
// notifications, which CliFixture's amendsd has no --notify for. --------------------------

constexpr std::chrono::milliseconds kWait = std::chrono::seconds(30);

class CliJapaneseServiceTest : public ServiceTest {
 protected:
  std::map<std::string, std::string> Env(const std::string& user) {
    std::map<std::string, std::string> env = {
        {"AMENDS_SERVER", absl::StrCat("127.0.0.1:", server_->port())},
        {"AMENDS_TOKEN", tokens_.at(user)},
        {"COLUMNS", ""}};
    for (const char* name : {"AMENDS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
      env[name] = "";
    }
    return env;
  }

  // `amends --lang ja ARGS` as `user`; expects exit code `want`.
  RunResult Japanese(const std::string& user, std::vector<std::string> args, int want = 0) {
    args.insert(args.begin(), {AMENDS_PATH, "--lang", "ja"});
    RunResult r = RunCommand(args, Env(user));
    EXPECT_EQ(r.exit_code, want) << r.out << r.err;
    return r;
  }
};

// DOMAIN.md case 1 is reported as HIGH: the managers are told at once. tanaka's mail server
// does not answer (amends retries); suzuki has no address (amends gives up). The answers
// are the server's own words, in English.
TEST_F(CliJapaneseServiceTest, TheDeliveryLogOfNotificationsIsInJapaneseAndAligned) {
  User tanaka = *store_->GetUser("tanaka");
  tanaka.email = "tanaka@example.co.jp";
  ASSERT_TRUE(store_->SetUserContact(tanaka).ok());
  v1::NotifyConfig notify;
  notify.mutable_smtp()->set_server(absl::StrCat("127.0.0.1:", UnusedPort()));
  notify.mutable_smtp()->set_from("amends@example.com");
  notify.mutable_retry()->set_attempts(3);
  notify.mutable_retry()->set_first_wait("5m");
  StartServer({.run_background = false, .notify = notify});
  const v1::Incident incident = Report("sato", MissedAppointment());
  server_->dispatcher()->RunDue();

  const std::string out = Japanese("sato", {"notifications", absl::StrCat(incident.id())}).out;
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 3u) << out;
  const std::string& header = lines[0];
  for (const char* name : {"番号", "作成", "宛先", "理由", "経路", "状態", "試行", "最新の応答",
                           "次回の送信"}) {
    EXPECT_THAT(header, HasSubstr(name)) << out;
  }
  const std::string& retrying = lines[1].find("tanaka") != std::string::npos ? lines[1] : lines[2];
  const std::string& failed = lines[1].find("suzuki") != std::string::npos ? lines[1] : lines[2];
  EXPECT_EQ(ColumnOf(retrying, "tanaka"), ColumnOf(header, "宛先"));
  EXPECT_EQ(ColumnOf(retrying, "新規報告"), ColumnOf(header, "理由"));
  EXPECT_EQ(ColumnOf(retrying, "再送待ち"), ColumnOf(header, "状態"));
  // The next attempt 5 minutes on, give or take the retry's 25% jitter.
  EXPECT_THAT(retrying, ContainsRegex("2026/11/27\\(金\\) 16:5[0-9] \\(?[3-6]分後"));
  EXPECT_EQ(cli::DisplayWidth(retrying.substr(0, retrying.rfind("2026/11/27(金)"))),
            ColumnOf(header, "次回の送信"));
  EXPECT_EQ(ColumnOf(failed, "suzuki"), ColumnOf(header, "宛先"));
  EXPECT_EQ(ColumnOf(failed, "送信失敗"), ColumnOf(header, "状態"));
  EXPECT_THAT(failed, HasSubstr("suzuki has no mail address"));
  EXPECT_EQ(ColumnOf(failed, "suzuki has"), ColumnOf(header, "最新の応答"));
  // Up to the answers, nothing in English.
  ExpectNoEnglishSentence(header);
  ExpectNoEnglishSentence(retrying.substr(0, retrying.find("再送待ち")));
  ExpectNoEnglishSentence(failed.substr(0, failed.find("送信失敗")));
}

// `amends watch` in Japanese: its news on stderr, its header, and each change's event, state
// and time in the team's words, under their headers.
TEST_F(CliJapaneseServiceTest, WatchLinesAndItsNewsAreInJapanese) {
  ChildProcess watcher({AMENDS_PATH, "--lang", "ja", "watch"}, Env("tanaka"));
  ASSERT_TRUE(watcher.started());
  std::string news;
  ASSERT_TRUE(watcher.ReadErrLineWithin(&news, kWait));
  EXPECT_EQ(news, "amends: #0 より後の変更を監視しています（Ctrl-C で終了）");
  std::string header;
  ASSERT_TRUE(watcher.ReadLineWithin(&header, kWait));
  EXPECT_THAT(header, StartsWith("通番    日時"));

  const v1::Incident incident = Report("sato", MissedAppointment());
  Apologize("sato", incident.id());
  std::string reported, apologized;
  ASSERT_TRUE(watcher.ReadLineWithin(&reported, kWait));
  ASSERT_TRUE(watcher.ReadLineWithin(&apologized, kWait));
  for (const std::string& line : {reported, apologized}) {
    EXPECT_EQ(ColumnOf(line, "2026/11/27(金) 16:50"), ColumnOf(header, "日時")) << line;
    EXPECT_EQ(ColumnOf(line, "sato"), ColumnOf(header, "実施者")) << line;
    EXPECT_EQ(ColumnOf(line, "報告済み"), ColumnOf(header, "状態")) << line;
    EXPECT_EQ(ColumnOf(line, "ＡＢＣ商事"), ColumnOf(header, "顧客")) << line;
    EXPECT_THAT(line, Not(ContainsRegex("reported|first-apology-recorded"))) << line;
  }
  EXPECT_THAT(reported, StartsWith("#1 "));
  EXPECT_THAT(reported, HasSubstr("15時のサンプル受け渡しの打ち合わせを失念"));
  EXPECT_THAT(apologized, StartsWith("#2 "));
  EXPECT_THAT(apologized, HasSubstr("当日中に電話で謝罪"));
  ExpectNoEnglishSentence(absl::StrCat(news, "\n", header, "\n", reported, "\n", apologized));

  watcher.Signal(SIGINT);
  const RunResult r = watcher.Wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

// A bad --from is told in Japanese too, with the option it names.
TEST_F(CliJapaneseServiceTest, ABadWatchStartIsAnInputErrorInJapanese) {
  const RunResult r = Japanese("sato", {"watch", "--from", "先週"}, 2);
  EXPECT_THAT(r.err, HasSubstr("--from"));
  EXPECT_THAT(r.err, HasSubstr("通番（1 以上。その次の変更から表示）、oldest または now を指定して"
                               "ください（指定値: 「先週」）"));
  ExpectNoEnglishSentence(r.err);
}

}  // namespace
}  // namespace amends
