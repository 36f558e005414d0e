// The command line of the sincerity commands (expect, cause, apologize --as-manager, offer,
// update, measure verify), through the real `amends`: what it refuses before any call (exit 2,
// one line naming the option) and what it accepts. No server listens at the address these
// tests give, so a command line amends accepts gets as far as connecting: exit 6.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/process.h"

namespace amends {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 6;
constexpr const char* kNowhere = "127.0.0.1:1";  // nothing listens on port 1

// `amends ARGS` against kNowhere; expects exit code `want`.
RunResult Amends(std::vector<std::string> args, int want) {
  args.insert(args.begin(), AMENDS_PATH);
  RunResult r = RunCommand(args, {{"AMENDS_SERVER", kNowhere}, {"AMENDS_TOKEN", "t0k3n"}});
  EXPECT_EQ(r.exit_code, want) << absl::StrJoin(args, " ") << "\n" << r.out << r.err;
  return r;
}

// The command line was accepted: amends went on to connect.
void Accepted(const std::vector<std::string>& args) {
  const RunResult r = Amends(args, kExitUnreachable);
  EXPECT_EQ(r.err, absl::StrCat("amends: cannot reach server at ", kNowhere, "\n"))
      << absl::StrJoin(args, " ");
}

// The command line was refused before any call, with this one line.
void Refused(const std::vector<std::string>& args, const std::string& message) {
  const RunResult r = Amends(args, kExitUsage);
  EXPECT_EQ(r.err, absl::StrCat("amends: ", message, " (see --help)\n"))
      << absl::StrJoin(args, " ");
  EXPECT_EQ(r.out, "");
}

TEST(OfferArgs, AnAmountMayBeWrittenWithCommasAYenSignOrEn) {
  for (const char* amount : {"50000", "50,000", "¥50,000", "50000円", "50,000円", "￥50000"}) {
    Accepted({"offer", "12", "--kind", "discount", "--amount", amount, "--text",
              "次回ご注文分から5万円お値引き"});
  }
  Accepted({"offer", "12", "--kind", "free-service", "--amount", "0", "--text", "菓子折り"});
}

TEST(OfferArgs, AnyOtherAmountIsRefusedNamingAmountAndTheForms) {
  for (const char* amount : {"5万", "5万円", "50.000", "5,0000", "¥50,000円", "50000yen", "-5000"}) {
    Refused({"offer", "12", "--kind", "discount", "--amount", amount, "--text", "値引き"},
            absl::StrCat("--amount: '", amount,
                         "' is not an amount of yen (write whole yen: 50000, 50,000, ¥50,000 "
                         "or 50000円)"));
  }
  const RunResult r = Amends({"offer", "12", "--kind", "refund", "--amount", "2,000,000,000",
                              "--text", "全額返金"},
                             kExitUsage);
  EXPECT_THAT(r.err, StartsWith("amends: --amount: 2,000,000,000 is more than ¥1,000,000,000"));
}

TEST(OfferArgs, AnUnknownKindIsRefusedNamingKindAndListingTheKinds) {
  Refused({"offer", "12", "--kind", "coupon", "--amount", "50000", "--text", "クーポン"},
          "--kind: unknown value 'coupon' (allowed: discount, refund, free-service, other)");
}

TEST(OfferArgs, MakingAnOfferNeedsTheIncidentKindAmountAndText) {
  Refused({"offer", "--kind", "discount", "--amount", "50000", "--text", "値引き"},
          "ID is required to make an offer");
  Refused({"offer", "12", "--amount", "50000", "--text", "値引き"},
          "--kind is required to make an offer");
  Refused({"offer", "12", "--kind", "discount", "--text", "値引き"},
          "--amount is required to make an offer");
  Refused({"offer", "12", "--kind", "discount", "--amount", "50000"},
          "--text is required to make an offer");
}

TEST(OfferArgs, ApproveDeclineAndDeliveredTakeTheIncidentAndTheOffersNumber) {
  Accepted({"offer", "approve", "12", "1"});
  Accepted({"offer", "approve", "12", "1", "--note", "課長決裁の範囲内"});
  Accepted({"offer", "decline", "12", "2", "--reason", "値引きで合意済み"});
  Accepted({"offer", "delivered", "12", "1", "--note", "11月分の請求書で値引き済み"});
  Accepted({"offer", "delivered", "12", "1", "--expected-version", "7"});
  Refused({"offer", "decline", "12", "2"}, "--reason is required");
  Refused({"offer", "approve", "12"}, "N is required");
  Refused({"offer", "approve", "12", "0"}, "N: must be 1 or more");
  Refused({"offer", "approve", "12", "1", "--kind", "discount"},
          "offer: approve, decline and delivered take ID and N: 'amends offer approve ID N'; "
          "--kind, --amount and --text only make an offer");
}

TEST(MeasureVerifyArgs, FailedNeedsANoteAndDueNeedsFailed) {
  Accepted({"measure", "verify", "12", "1"});
  Accepted({"measure", "verify", "12", "1", "--note", "2週間分の登録を確認"});
  Accepted({"measure", "verify", "12", "2", "--failed", "--note", "3回中1回抜けていた"});
  Accepted({"measure", "verify", "12", "2", "--failed", "--note", "3回中1回抜けていた", "--due",
            "fri 18:00"});
  Refused({"measure", "verify", "12", "2", "--failed"}, "--failed requires --note");
  Refused({"measure", "verify", "12", "2", "--note", "確認", "--due", "fri 18:00"},
          "--due requires --failed");
}

TEST(ApologizeArgs, TheFirstApologyNeedsANoteTheManagersOwnDoesNot) {
  Refused({"apologize", "12", "--channel", "call"},
          "--note is required for the first apology (only the manager's, --as-manager, may go "
          "without)");
  Accepted({"apologize", "12", "--channel", "call", "--note", "当日中に電話でお詫び"});
  Accepted({"apologize", "12", "--as-manager", "--channel", "visit"});
  Accepted({"apologize", "12", "--as-manager", "--channel", "visit", "--note", "部長に直接お詫び"});
  Refused({"apologize", "12", "--as-manager", "--channel", "fax"},
          "--channel: unknown value 'fax' (allowed: call, mail, visit)");
}

TEST(SincerityArgs, ExpectCauseAndUpdateNeedTheirText) {
  Refused({"expect", "12"}, "--text is required");
  Accepted({"expect", "12", "--text", "再発防止策を書面で示してほしい"});
  Refused({"cause", "12", "--what", "手帳にだけ記入"}, "--why-missed is required");
  Refused({"cause", "12", "--why-missed", "共有していない"}, "--what is required");
  Accepted({"cause", "12", "--what", "手帳にだけ記入", "--why-missed", "共有していない"});
  Accepted({"cause", "12", "--what", "手帳にだけ記入", "--why-missed", "共有していない",
            "--category", "schedule"});
  Refused({"update", "12", "--channel", "call"}, "--note is required");
  Refused({"update", "12", "--note", "途中経過を報告"}, "--channel is required");
  Accepted({"update", "12", "--channel", "mail", "--note", "途中経過を報告"});
}

TEST(SincerityArgs, EveryNewCommandExplainsItselfWithAJapaneseExample) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"expect"},
                                             {"cause"},
                                             {"apologize"},
                                             {"offer"},
                                             {"offer", "approve"},
                                             {"offer", "decline"},
                                             {"offer", "delivered"},
                                             {"update"},
                                             {"measure", "verify"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    const RunResult r = Amends(args, 0);
    EXPECT_THAT(r.out, HasSubstr("Example:\n  ")) << absl::StrJoin(command, " ");
    EXPECT_THAT(r.out, HasSubstr(absl::StrCat("amends ", absl::StrJoin(command, " "), " ")))
        << r.out;
  }
  EXPECT_THAT(Amends({"offer", "--help"}, 0).out, HasSubstr("--amount ¥50,000"));
  EXPECT_THAT(Amends({"apologize", "--help"}, 0).out, HasSubstr("--as-manager"));
}

TEST(SincerityArgs, BashCompletionKnowsTheNewCommandsAndTheirOptions) {
  const std::string script = Amends({"completion", "bash"}, 0).out;
  for (const char* line :
       {"\"offer\") words=\"approve decline delivered ", "\"offer approve\") words=\"",
        "\"measure\") words=\"add done assign verify ", "\"measure verify\") words=\""}) {
    EXPECT_THAT(script, HasSubstr(line)) << script;
  }
  EXPECT_THAT(script, HasSubstr("--amount"));
  EXPECT_THAT(script, HasSubstr("--as-manager"));
  EXPECT_THAT(script, HasSubstr("--why-missed"));
  EXPECT_THAT(script, HasSubstr("--failed"));
}

}  // namespace
}  // namespace amends
