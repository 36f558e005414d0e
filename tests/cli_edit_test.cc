// Corrections through the real binaries: `amends edit` and `amends measure assign` against a
// running amendsd, with DOMAIN.md's team (営業一課: sato and yamada, members; tanaka, manager)
// and clients (ＡＢＣ商事, ＸＹＺ商事). Each correction is one timeline event saying what changed.
#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "amends/v1/amends.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "server/core/time_proto.h"
#include "tests/cli_fixture.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

class CliEditTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    AddMember("yamada");
  }

  // The incident as `amends show ID --output json` prints it.
  v1::Incident Show(const std::string& id) {
    RunResult r = Amends("tanaka", {"show", id, "--output", "json"});
    v1::Incident incident;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &incident).ok()) << r.out;
    return incident;
  }

  static absl::Time DueOf(const v1::Incident& incident, absl::string_view key) {
    for (const v1::Deadline& d : incident.deadlines()) {
      if (d.key() == key) return FromProto(d.due());
    }
    ADD_FAILURE() << "no deadline " << key;
    return absl::InfinitePast();
  }

  // The timeline's rows of event `type`.
  std::vector<std::string> TimelineRows(const std::string& id, absl::string_view type) {
    std::vector<std::string> rows;
    for (absl::string_view line : absl::StrSplit(Amends("tanaka", {"timeline", id}).out, '\n')) {
      if (absl::StrContains(line, absl::StrCat("  ", type, "  "))) rows.emplace_back(line);
    }
    return rows;
  }


  // sato's missed appointment with `client`, as incident #N.
  void ReportMissedAppointment(const std::string& client, const std::string& severity) {
    Amends("sato", {"report", "--team", "営業一課", "--client", client, "--contact", "山田様",
                    "--kind", "missed-appointment", "--severity", severity, "--summary",
                    "15時の打ち合わせを失念"});
  }
};

TEST_F(CliEditTest, EachCorrectionIsOneTimelineEventSayingWhatChanged) {
  ReportMissedAppointment("ＡＢＣ商事", "high");
  RunResult r = Amends("sato", {"edit", "1", "--summary", "15時のサンプル受け渡しの打ち合わせを失念",
                                "--details", "17時前に先方から電話。部長が立腹", "--contact",
                                "総務部 山田様"});
  EXPECT_EQ(r.out, "#1 corrected: summary; details; contact 山田様 -> 総務部 山田様 → state "
                   "reported (version 2)\n");
  r = Amends("sato", {"edit", "1", "--kind", "complaint"});
  EXPECT_EQ(r.out, "#1 corrected: kind missed-appointment -> complaint → state reported "
                   "(version 3)\n");
  r = Amends("sato", {"edit", "1", "--severity", "critical", "--reason", "先方社長も同席していた"});
  EXPECT_EQ(r.out, "#1 corrected: severity high -> critical → state reported (version 4)\n");

  const std::vector<std::string> rows = TimelineRows("1", "corrected");
  ASSERT_EQ(rows.size(), 3u) << absl::StrJoin(rows, "\n");
  EXPECT_TRUE(absl::StrContains(rows[0], "sato"));
  EXPECT_TRUE(absl::StrContains(
      rows[0], "summary \"15時の打ち合わせを失念\" -> \"15時のサンプル受け渡しの打ち合わせを失念\"; "
               "details changed; contact 山田様 -> 総務部 山田様"))
      << rows[0];
  EXPECT_TRUE(absl::StrContains(rows[1], "kind missed-appointment -> complaint")) << rows[1];
  EXPECT_TRUE(absl::StrContains(rows[2], "severity high -> critical; reason: 先方社長も同席していた"))
      << rows[2];

  const v1::Incident shown = Show("1");
  EXPECT_EQ(shown.summary(), "15時のサンプル受け渡しの打ち合わせを失念");
  EXPECT_EQ(shown.client().contact(), "総務部 山田様");
  EXPECT_EQ(shown.kind(), v1::KIND_COMPLAINT);
  EXPECT_EQ(shown.severity(), v1::SEVERITY_CRITICAL);

  // What is asked must be a change, and there must be something asked; nothing moves.
  r = Amends("sato", {"edit", "1", "--kind", "complaint", "--summary", "別の要約"}, 2);
  EXPECT_EQ(r.err, "amends: --kind: incident 1 is already complaint\n");
  r = Amends("sato", {"edit", "1"}, 2);
  EXPECT_EQ(r.err, "amends: edit: give what to correct: --severity (with --reason), --summary, "
                   "--details, --client, --contact, --kind or --confidential\n");
  r = Amends("sato", {"edit", "1", "--kind", "harassment"}, 5);
  EXPECT_EQ(r.err, "amends: --kind: incident 1 is a client-facing case and harassment would "
                   "make it a harassment case, which follows another playbook: close it with a "
                   "reason and report it anew\n");
  EXPECT_EQ(Show("1").version(), 4);
  // Only the owner and the managers correct.
  Amends("yamada", {"edit", "1", "--summary", "別の要約"}, 4);
}

TEST_F(CliEditTest, MemberLoweringSeverityIsDenied) {
  ReportMissedAppointment("ＡＢＣ商事", "high");
  RunResult r = Amends("sato", {"edit", "1", "--severity", "medium", "--reason",
                                "部長と電話で話して和解できた"},
                       4);
  EXPECT_EQ(r.err, "amends: lowering the severity (high -> medium) needs role manager, since it "
                   "gives every deadline more time; you are member\n");
  const v1::Incident shown = Show("1");
  EXPECT_EQ(shown.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(shown.version(), 1);
}

TEST_F(CliEditTest, ManagerLowersSeverityWithAReasonAndTheDeadlineMovesLater) {
  ReportMissedAppointment("ＡＢＣ商事", "high");
  const absl::Time was = DueOf(Show("1"), "escalate");
  RunResult r = Amends("tanaka", {"edit", "1", "--severity", "low"}, 2);
  EXPECT_EQ(r.err, "amends: --reason: required with severity: say why it changes\n");

  r = Amends("tanaka", {"edit", "1", "--severity", "low", "--reason", "担当者の電話で先方は納得"});
  EXPECT_EQ(r.out, "#1 corrected: severity high -> low → state reported (version 2)\n");
  const absl::Time now = DueOf(Show("1"), "escalate");
  EXPECT_GT(now, was);  // 2 working hours became a working day
  const std::vector<std::string> rows = TimelineRows("1", "corrected");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(absl::StrContains(rows[0], "tanaka")) << rows[0];
  EXPECT_TRUE(absl::StrContains(rows[0], "severity high -> low; reason: 担当者の電話で先方は納得"))
      << rows[0];
}

TEST_F(CliEditTest, ClientChangeMakesTheIncidentARecurrenceOfTheClientsEarlierOne) {
  // ＸＹＺ商事's earlier case: its plan was presented, and it was closed.
  ReportMissedAppointment("ＸＹＺ商事", "medium");
  Amends("sato", {"escalate", "1", "--reason", "先方部長がお怒り"});
  Amends("tanaka", {"approve", "1"});
  Amends("tanaka", {"visit", "done", "1", "--held-at", InDays(-1), "--attendee", "sato",
                    "--outcome", "部長に直接謝罪"});
  Amends("tanaka", {"measure", "add", "1", "--text", "共有スケジュールで予定を管理", "--owner",
                    "sato", "--due", InDays(7)});
  Amends("sato", {"cause", "1", "--what", "予定を個人の手帳だけで管理していた", "--why-missed",
                  "共有カレンダーになく、前日の確認もなかった", "--category", "schedule"});
  Amends("tanaka", {"plan", "present", "1"});
  Amends("tanaka", {"close", "1", "--reason", "先方と関係修復を確認"});

  // A second one, filed under the wrong client.
  ReportMissedAppointment("ＡＢＣ商事", "medium");
  EXPECT_FALSE(Show("2").recurrence());
  RunResult r = Amends("sato", {"edit", "2", "--client", "ＸＹＺ商事"});
  EXPECT_EQ(r.out, "#2 corrected: severity medium -> high by the policy on recurrences; client "
                   "ＡＢＣ商事 -> ＸＹＺ商事, a recurrence of #1 (the last prevention plan did not "
                   "hold) → state reported (version 2)\n");
  const v1::Incident shown = Show("2");
  EXPECT_TRUE(shown.recurrence());
  ASSERT_EQ(shown.earlier_incidents_size(), 1);
  EXPECT_EQ(shown.earlier_incidents(0).id(), 1);
  EXPECT_EQ(shown.severity(), v1::SEVERITY_HIGH);
  const std::vector<std::string> rows = TimelineRows("2", "corrected");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(absl::StrContains(rows[0], "severity medium -> high (recurrence); client ＡＢＣ商事 "
                                         "-> ＸＹＺ商事 (a recurrence of #1)"))
      << rows[0];
  EXPECT_TRUE(absl::StrContains(Amends("sato", {"list", "--client", "xyz商事"}).out,
                                "15時の打ち合わせを失念"));

  // Back to ＡＢＣ商事: no longer a recurrence; the severity stays until a manager lowers it.
  r = Amends("sato", {"edit", "2", "--client", "ＡＢＣ商事"});
  EXPECT_EQ(r.out, "#2 corrected: client ＸＹＺ商事 -> ＡＢＣ商事, no longer a recurrence: "
                   "severity stays high (a manager may lower it with --severity and --reason) "
                   "→ state reported (version 3)\n");
}

TEST_F(CliEditTest, ConfidentialHidesTheCaseFromColleaguesForGood) {
  ReportMissedAppointment("ＡＢＣ商事", "medium");
  RunResult r = Amends("sato", {"edit", "1", "--confidential", "--reason",
                                "先方担当者の個人的な事情を含むため"});
  EXPECT_EQ(r.out, "#1 corrected: made confidential → state reported (version 2)\n");
  Amends("yamada", {"show", "1"}, 3);
  r = Amends("tanaka", {"edit", "1", "--confidential"}, 2);
  EXPECT_EQ(r.err, "amends: --confidential: incident 1 already is\n");
  Amends("tanaka", {"edit", "1", "--no-confidential"}, 2);  // there is no way back
}

TEST_F(CliEditTest, MeasureAssignGivesAMeasureToAnotherMember) {
  ReportMissedAppointment("ＡＢＣ商事", "high");
  Amends("sato", {"escalate", "1", "--reason", "先方部長がお怒り"});
  Amends("tanaka", {"approve", "1"});
  Amends("tanaka", {"visit", "done", "1", "--held-at", InDays(-1), "--attendee", "sato",
                    "--outcome", "部長に直接謝罪"});
  Amends("tanaka", {"measure", "add", "1", "--text", "前日にアポイントをダブルチェック",
                    "--owner", "sato", "--due", InDays(7)});

  RunResult r = Amends("sato", {"measure", "assign", "1", "1", "yamada", "--note",
                                "佐藤の出張中は山田が担当"});
  EXPECT_EQ(r.out, "#1 measure 1 assigned to yamada → state prevention-plan (version 6)\n");
  EXPECT_EQ(Show("1").measures(0).owner(), "yamada");
  const std::vector<std::string> rows = TimelineRows("1", "measure-assigned");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(absl::StrContains(
      rows[0], "1. 前日にアポイントをダブルチェック (sato -> yamada): 佐藤の出張中は山田が担当"))
      << rows[0];
  EXPECT_TRUE(absl::StrContains(Amends("yamada", {"inbox"}).out, "measure 1: 前日に"));

  // Errors name what the user typed.
  r = Amends("sato", {"measure", "assign", "1", "1", "kimura"}, 2);
  EXPECT_EQ(r.err, "amends: USER: unknown user kimura\n");
  r = Amends("sato", {"measure", "assign", "1", "3", "tanaka"}, 2);
  EXPECT_EQ(r.err, "amends: N: incident 1 has measures 1 to 1, not 3\n");
  r = Amends("yamada", {"measure", "assign", "1", "1", "yamada"}, 2);
  EXPECT_EQ(r.err, "amends: USER: yamada already owns measure 1\n");
  // The measure's owner may pass it on, too.
  Amends("yamada", {"measure", "assign", "1", "1", "tanaka"});
}

// `amends watch` names the new events and filters on them like any other.
TEST_F(CliEditTest, WatchShowsCorrectionsAndFiltersOnThem) {
  ReportMissedAppointment("ＡＢＣ商事", "high");
  Amends("sato", {"note", "1", "先方部長は月曜午前なら在席"});
  Amends("sato", {"edit", "1", "--contact", "総務部 山田様"});
  ChildProcess watch({AMENDS_PATH, "watch", "--from", "oldest", "--type", "corrected", "--type",
                      "measure-assigned"},
                     {{"AMENDS_SERVER", address_}, {"AMENDS_TOKEN", tokens_["tanaka"]},
                      {"COLUMNS", ""}});
  std::vector<std::string> lines;
  std::string line;
  while (lines.size() < 2 && watch.ReadLineWithin(&line, std::chrono::seconds(30))) {
    lines.push_back(line);
  }
  watch.Signal(SIGINT);
  RunResult r = watch.Wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(lines.size(), 2u) << r.err;  // the header, then the one correction
  EXPECT_TRUE(absl::StrContains(lines[1], "corrected")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "contact 山田様 -> 総務部 山田様")) << lines[1];
  EXPECT_FALSE(absl::StrContains(r.out, "note-added")) << r.out;
}

}  // namespace
}  // namespace amends
