// The incidents the benchmarks write, as DOMAIN.md's people would report them: the
// client-facing cases that run the whole lifecycle (harassment, conduct and hand-overs follow
// playbooks of their own), and the stems of the client names ("ＡＢＣ商事 12"). Shared by
// prefill.cc and team_history.cc. Constants only; thread-safe.
#ifndef AMENDS_BENCH_SUPPORT_DOMAIN_CASES_H_
#define AMENDS_BENCH_SUPPORT_DOMAIN_CASES_H_

#include "amends/v1/amends.pb.h"

namespace amends::bench {

struct Case {
  v1::Kind kind;
  const char* summary;
  const char* details;
};

// DOMAIN.md's client-facing cases, as people there would write them: the ones that run the
// whole lifecycle (harassment, conduct and hand-overs follow playbooks of their own).
inline constexpr Case kCases[] = {
    {v1::KIND_MISSED_APPOINTMENT, "15時のサンプル受け渡しの打ち合わせを失念",
     "17時前に先方から電話。部長が立腹、「誠意を見せてほしい」とのこと。"},
    {v1::KIND_LATE_DELIVERABLE, "会議前に必要だった報告書を納品できず、経過報告もしなかった",
     "長年のお取引先。普段は穏やかな担当者から厳しい文面の苦情メール。金曜夕方の受信。"},
    {v1::KIND_DELIVERY_DELAY, "製品の出荷が3日遅れ、先方の生産計画に影響",
     "原因は出荷前検査の滞留。損害分の補償を提案予定。"},
    {v1::KIND_COMPLAINT, "請求金額の誤りについて強い口調のクレーム",
     "最後までお話を伺い、15時までに折り返すとお約束した。"},
    {v1::KIND_COMPLAINT, "問い合わせへの回答が遅いとの苦情",
     "電話で30分。最後まで伺い、15時までに折り返すとお約束した。"},
    {v1::KIND_OTHER, "担当交代時に未完了の約束が引き継がれていなかった",
     "前任者が約束した見積り再提出の期限を過ぎていた。先方は同じ説明を繰り返すことに不満。"},
    {v1::KIND_LATE_DELIVERABLE, "見積書の提出が約束の期日より2日遅れた",
     "先方の社内稟議に間に合わず、購買部長から指摘。"},
    {v1::KIND_OTHER, "見積書の記載漏れで再提出",
     "オプション費用の記載漏れ。先方購買部から指摘。"},
};

inline constexpr const char* kClientStems[] = {"ＡＢＣ商事", "山田製作所", "東京物流",  "さくら食品",
                                        "北斗システム", "青葉建設",  "みなと銀行", "富士精機"};

}  // namespace amends::bench

#endif  // AMENDS_BENCH_SUPPORT_DOMAIN_CASES_H_
