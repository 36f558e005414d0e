// DOMAIN.md case 1 for tests: the 15:00 meeting with ＡＢＣ商事 that the rep forgot, as its
// report reads. No test framework needed, so the fuzz targets use it too.
#ifndef AMENDS_TESTS_CASE1_H_
#define AMENDS_TESTS_CASE1_H_

#include "amends/v1/amends.pb.h"

namespace amends {

inline v1::ReportIncidentRequest MissedAppointment() {
  v1::ReportIncidentRequest r;
  r.set_team("tokyo-sales");
  r.mutable_client()->set_name("ＡＢＣ商事");
  r.mutable_client()->set_contact("総務部 山田様");
  r.set_kind(v1::KIND_MISSED_APPOINTMENT);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_summary("15時のサンプル受け渡しの打ち合わせを失念");
  r.set_details("17時前に先方から電話。部長が立腹しており「誠意を見せてほしい」とのこと。");
  return r;
}

}  // namespace amends

#endif  // AMENDS_TESTS_CASE1_H_
