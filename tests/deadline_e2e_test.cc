// DOMAIN.md case 2 end to end, the failure amends exists to prevent: on a Friday evening a
// young team leader answers a long-standing client's sharp complaint with an apology mail and
// tells nobody. The real `amends` CLI talks to an in-process server whose clock is fake; the
// test moves the clock over the weekend and runs the scheduler, as the server's thread would.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/clocked_cli_fixture.h"
#include "tests/process.h"
#include "tests/service_fixture.h"

namespace amends {
namespace {

class DeadlineE2eTest : public ClockedCliTest {
 protected:
  // The lines of `text` that contain `needle`.
  static std::vector<std::string> Lines(const std::string& text, absl::string_view needle) {
    std::vector<std::string> out;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (absl::StrContains(line, needle)) out.emplace_back(line);
    }
    return out;
  }
};

TEST_F(DeadlineE2eTest, FridayEveningComplaintIsEscalatedOnMondayMorningWithoutAnyoneActing) {
  At(27, 17, 30);  // Friday 17:30: half an hour of the working week left
  RunResult r = Amends("yamada", {"report", "--team", "tokyo-sales", "--client", "ミドリ精機株式会社", "--kind",
                                  "late-deliverable", "--severity", "high", "--summary",
                                  "会議前に必要な報告書を未提出、先方から強い抗議"});
  EXPECT_EQ(r.out, "#1 reported → state reported (version 1)\n");
  Amends("yamada", {"apologize", "1", "--channel", "mail", "--note", "お詫びのメールのみ送信"});

  // Two working hours to escalate: the 30 minutes left on Friday, then 90 on Monday. The
  // weekend does not swallow the deadline, and does not count against it either.
  r = Amends("yamada", {"show", "1"});
  ASSERT_EQ(Lines(r.out, "escalate to a manager").size(), 1u) << r.out;
  EXPECT_TRUE(absl::StrContains(Lines(r.out, "escalate to a manager")[0],
                                "2026-11-30 (Mon) 10:30"))
      << r.out;

  // Nothing fires over the weekend: half of the time is gone only at Monday 09:30.
  EXPECT_EQ(At(28, 12, 0), 0);
  EXPECT_EQ(At(29, 23, 59), 0);
  EXPECT_EQ(At(30, 9, 45), 1);
  r = Amends("yamada", {"timeline", "1"});
  ASSERT_EQ(Lines(r.out, "reminder to yamada").size(), 1u) << r.out;
  EXPECT_TRUE(absl::StrContains(Lines(r.out, "reminder to yamada")[0],
                                "escalate to a manager, due 2026-11-30 10:30 JST"))
      << r.out;
  r = Amends("yamada", {"inbox"});
  EXPECT_EQ(Lines(r.out, "reminder").size(), 1u) << r.out;
  // The escalation, and the update the client is owed within two working days.
  EXPECT_EQ(Lines(r.out, "deadline").size(), 2u) << r.out;
  EXPECT_EQ(Lines(r.out, "an update to the client").size(), 1u) << r.out;
  Amends("yamada", {"ack", "1"});
  r = Amends("yamada", {"inbox"});
  EXPECT_TRUE(Lines(r.out, "reminder").empty()) << r.out;

  // 10:31: the deadline passed. amends records the breach, then escalates by itself.
  // The 30-minutes-before reminder (10:00), then the breach and its action.
  EXPECT_EQ(At(30, 10, 31), 3);
  r = Amends("yamada", {"timeline", "1"});
  EXPECT_EQ(Lines(r.out, "reminder to yamada").size(), 2u) << r.out;
  ASSERT_EQ(Lines(r.out, "deadline-breached").size(), 1u) << r.out;
  ASSERT_EQ(Lines(r.out, "escalated").size(), 1u) << r.out;
  EXPECT_TRUE(absl::StrContains(Lines(r.out, "escalated")[0], "amends")) << r.out;
  r = Amends("yamada", {"show", "1"});
  EXPECT_TRUE(absl::StrContains(r.out, "escalated")) << r.out;

  // The managers are now asked to approve, due two working hours later.
  r = Amends("tanaka", {"inbox"});
  ASSERT_EQ(Lines(r.out, "approve").size(), 1u) << r.out;
  EXPECT_TRUE(absl::StrContains(Lines(r.out, "approve")[0], "2026-11-30 (Mon) 12:31")) << r.out;
  EXPECT_TRUE(absl::StrContains(Lines(r.out, "approve")[0], "ミドリ精機株式会社")) << r.out;
  r = Amends("yamada", {"inbox"});
  EXPECT_TRUE(Lines(r.out, "approve").empty()) << r.out;

  r = Amends("tanaka", {"approve", "1", "--note", "本日午後、私から先方部長へ電話し訪問を打診"});
  EXPECT_EQ(r.out, "#1 escalation approved → state apology-visit (version 8)\n");
  r = Amends("tanaka", {"inbox"});
  EXPECT_TRUE(Lines(r.out, "approve").empty()) << r.out;
}

TEST_F(DeadlineE2eTest, PromiseToCallBackRemindsItsOwnerAndIsKept) {
  At(30, 13, 0);  // Monday 13:00: case 4, "I will call you back by 15:00"
  Amends("sato", {"report", "--team", "tokyo-sales", "--client", "ＡＢＣ商事", "--kind", "complaint", "--severity",
                  "high", "--summary", "請求書の誤りについて強いご指摘"});
  RunResult r = Amends("sato", {"promise", "1", "--by", "2026-11-30 15:00", "--text",
                                "15時までに折り返し電話"});
  EXPECT_EQ(r.out, "#1 promise 1 made → state reported (version 2)\n");
  Amends("sato", {"apologize", "1", "--channel", "call", "--note", "電話でお詫び"});
  r = Amends("sato", {"list", "--due-within", "3h"});
  EXPECT_EQ(Lines(r.out, "ＡＢＣ商事").size(), 1u) << r.out;

  At(30, 14, 35);  // 30 minutes before: the owner is reminded
  r = Amends("sato", {"timeline", "1"});
  EXPECT_EQ(Lines(r.out, "reminder to sato: promise 1: 15時までに折り返し電話").size(), 2u)
      << r.out;  // half-way (14:00) and 30 minutes before (14:30)
  Amends("sato", {"promise", "done", "1", "1"});
  r = Amends("sato", {"show", "1"});
  EXPECT_TRUE(Lines(r.out, "promise 1:").empty()) << r.out;  // no longer a deadline
  At(30, 15, 30);
  r = Amends("sato", {"list", "--overdue"});
  EXPECT_TRUE(Lines(r.out, "ＡＢＣ商事").empty()) << r.out;
}

}  // namespace
}  // namespace amends
