#include "client/labels.h"

#include "client/enum_names.h"
#include "client/i18n.h"

namespace amends::cli {

// Each msgid is the value's command-line spelling, so that English needs no catalog; a value
// this build does not know keeps its spelling (CliName: its number).

std::string Label(amends::v1::State state) {
  switch (state) {
    case amends::v1::STATE_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::STATE_REPORTED: return Tr("reported");
    case amends::v1::STATE_ESCALATED: return Tr("escalated");
    case amends::v1::STATE_APOLOGY_VISIT: return Tr("apology-visit");
    case amends::v1::STATE_PREVENTION_PLAN: return Tr("prevention-plan");
    case amends::v1::STATE_FOLLOW_UP: return Tr("follow-up");
    case amends::v1::STATE_CLOSED: return Tr("closed");
    case amends::v1::State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::State_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(state);
}

std::string Label(amends::v1::Kind kind) {
  switch (kind) {
    case amends::v1::KIND_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::KIND_MISSED_APPOINTMENT: return Tr("missed-appointment");
    case amends::v1::KIND_LATE_DELIVERABLE: return Tr("late-deliverable");
    case amends::v1::KIND_DELIVERY_DELAY: return Tr("delivery-delay");
    case amends::v1::KIND_COMPLAINT: return Tr("complaint");
    case amends::v1::KIND_HARASSMENT: return Tr("harassment");
    case amends::v1::KIND_HAND_OVER: return Tr("hand-over");
    case amends::v1::KIND_CONDUCT: return Tr("conduct");
    case amends::v1::KIND_OTHER: return Tr("other");
    case amends::v1::Kind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Kind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(kind);
}

std::string Label(amends::v1::Severity severity) {
  switch (severity) {
    case amends::v1::SEVERITY_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::SEVERITY_LOW: return Tr("low");
    case amends::v1::SEVERITY_MEDIUM: return Tr("medium");
    case amends::v1::SEVERITY_HIGH: return Tr("high");
    case amends::v1::SEVERITY_CRITICAL: return Tr("critical");
    case amends::v1::Severity_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Severity_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(severity);
}

// What happened: an event in the timeline and in `watch`. Where the spelling is also a state's
// or a confirmation's, which say something else in Japanese, it is asked for in the context
// "event".
std::string Label(amends::v1::EventType type) {
  switch (type) {
    case amends::v1::EVENT_TYPE_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::EVENT_TYPE_REPORTED: return TrIn("event", "reported");
    case amends::v1::EVENT_TYPE_NOTE_ADDED: return Tr("note-added");
    case amends::v1::EVENT_TYPE_ASSIGNED: return Tr("assigned");
    case amends::v1::EVENT_TYPE_FIRST_APOLOGY_RECORDED: return Tr("first-apology-recorded");
    case amends::v1::EVENT_TYPE_ESCALATED: return TrIn("event", "escalated");
    case amends::v1::EVENT_TYPE_ESCALATION_APPROVED: return Tr("escalation-approved");
    case amends::v1::EVENT_TYPE_ESCALATION_DECLINED: return Tr("escalation-declined");
    case amends::v1::EVENT_TYPE_VISIT_SCHEDULED: return Tr("visit-scheduled");
    case amends::v1::EVENT_TYPE_VISIT_RECORDED: return Tr("visit-recorded");
    case amends::v1::EVENT_TYPE_MEASURE_ADDED: return Tr("measure-added");
    case amends::v1::EVENT_TYPE_MEASURE_COMPLETED: return Tr("measure-completed");
    case amends::v1::EVENT_TYPE_PLAN_PRESENTED: return Tr("plan-presented");
    case amends::v1::EVENT_TYPE_FOLLOW_UP_LOGGED: return Tr("follow-up-logged");
    case amends::v1::EVENT_TYPE_CLOSED: return TrIn("event", "closed");
    case amends::v1::EVENT_TYPE_REOPENED: return TrIn("event", "reopened");
    case amends::v1::EVENT_TYPE_REMINDER: return Tr("reminder");
    case amends::v1::EVENT_TYPE_DEADLINE_BREACHED: return Tr("deadline-breached");
    case amends::v1::EVENT_TYPE_PROMISE_MADE: return Tr("promise-made");
    case amends::v1::EVENT_TYPE_PROMISE_KEPT: return Tr("promise-kept");
    case amends::v1::EVENT_TYPE_HELD: return TrIn("event", "held");
    case amends::v1::EVENT_TYPE_RESUMED: return TrIn("event", "resumed");
    case amends::v1::EVENT_TYPE_REMINDERS_ACKNOWLEDGED: return Tr("reminders-acknowledged");
    case amends::v1::EVENT_TYPE_RESPONSE_DECIDED: return Tr("response-decided");
    case amends::v1::EVENT_TYPE_CHECKLIST_ITEM_ADDED: return Tr("checklist-item-added");
    case amends::v1::EVENT_TYPE_CHECKLIST_ITEM_DONE: return Tr("checklist-item-done");
    case amends::v1::EVENT_TYPE_HANDED_OVER: return Tr("handed-over");
    case amends::v1::EVENT_TYPE_CORRECTED: return Tr("corrected");
    case amends::v1::EVENT_TYPE_MEASURE_ASSIGNED: return Tr("measure-assigned");
    case amends::v1::EVENT_TYPE_EXPECTATION_RECORDED: return Tr("expectation-recorded");
    case amends::v1::EVENT_TYPE_CAUSE_RECORDED: return Tr("cause-recorded");
    case amends::v1::EVENT_TYPE_MANAGER_APOLOGY_RECORDED: return Tr("manager-apology-recorded");
    case amends::v1::EVENT_TYPE_OFFER_MADE: return Tr("offer-made");
    case amends::v1::EVENT_TYPE_OFFER_APPROVED: return Tr("offer-approved");
    case amends::v1::EVENT_TYPE_OFFER_DECLINED: return Tr("offer-declined");
    case amends::v1::EVENT_TYPE_OFFER_DELIVERED: return Tr("offer-delivered");
    case amends::v1::EVENT_TYPE_CLIENT_UPDATE_LOGGED: return Tr("client-update-logged");
    case amends::v1::EVENT_TYPE_MEASURE_VERIFIED: return Tr("measure-verified");
    case amends::v1::EVENT_TYPE_MEASURE_VERIFICATION_FAILED:
      return Tr("measure-verification-failed");
    case amends::v1::EventType_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::EventType_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(type);
}

std::string Label(amends::v1::Channel channel) {
  switch (channel) {
    case amends::v1::CHANNEL_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::CHANNEL_CALL: return Tr("call");
    case amends::v1::CHANNEL_MAIL: return Tr("mail");
    case amends::v1::CHANNEL_VISIT: return Tr("visit");
    case amends::v1::Channel_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Channel_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(channel);
}

std::string Label(amends::v1::Response response) {
  switch (response) {
    case amends::v1::RESPONSE_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::RESPONSE_WARN_CLIENT: return Tr("warn-client");
    case amends::v1::RESPONSE_CHANGE_CONTACT: return Tr("change-contact");
    case amends::v1::RESPONSE_END_BUSINESS: return Tr("end-business");
    case amends::v1::Response_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Response_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(response);
}

std::string Label(amends::v1::OfferKind kind) {
  switch (kind) {
    case amends::v1::OFFER_KIND_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::OFFER_KIND_DISCOUNT: return Tr("discount");
    case amends::v1::OFFER_KIND_REFUND: return Tr("refund");
    case amends::v1::OFFER_KIND_FREE_SERVICE: return Tr("free-service");
    case amends::v1::OFFER_KIND_OTHER: return Tr("other");
    case amends::v1::OfferKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::OfferKind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(kind);
}

std::string Label(amends::v1::Offer::State state) {
  switch (state) {
    case amends::v1::Offer::STATE_UNSPECIFIED: return Tr("unspecified");
    case amends::v1::Offer::STATE_ASKED: return Tr("asked");
    case amends::v1::Offer::STATE_APPROVED: return Tr("approved");
    case amends::v1::Offer::STATE_DECLINED: return Tr("declined");
    case amends::v1::Offer::STATE_DELIVERED: return Tr("delivered");
    case amends::v1::Offer_State_Offer_State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Offer_State_Offer_State_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(state);
}

// A notification is about a change: "reported" and "closed" say what happened (a new
// report, 新規報告), not the state (報告済み).
std::string Label(amends::v1::Notification::Reason reason) {
  using amends::v1::Notification;
  switch (reason) {
    case Notification::REASON_UNSPECIFIED: return Tr("unspecified");
    case Notification::REASON_REPORTED: return TrIn("notification", "reported");
    case Notification::REASON_APPROVAL_ASKED: return Tr("approval-asked");
    case Notification::REASON_APPROVED: return Tr("approved");
    case Notification::REASON_DECLINED: return Tr("declined");
    case Notification::REASON_HANDED_OVER: return Tr("handed-over");
    case Notification::REASON_VISIT_SCHEDULED: return Tr("visit-scheduled");
    case Notification::REASON_REMINDER: return Tr("reminder");
    case Notification::REASON_BREACH: return Tr("breach");
    case Notification::REASON_TEST: return Tr("test");
    case Notification::REASON_CLOSED: return TrIn("notification", "closed");
    case Notification::REASON_DIGEST: return Tr("digest");
    case Notification::REASON_OFFER_DECIDED: return Tr("offer-decided");
    case Notification::REASON_MEASURE_REOPENED: return Tr("measure-reopened");
    case amends::v1::Notification_Reason_Notification_Reason_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Notification_Reason_Notification_Reason_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(reason);
}

std::string Label(amends::v1::Notification::State state) {
  using amends::v1::Notification;
  switch (state) {
    case Notification::STATE_UNSPECIFIED: return Tr("unspecified");
    case Notification::STATE_PENDING: return Tr("pending");
    case Notification::STATE_SENT: return Tr("sent");
    case Notification::STATE_RETRYING: return Tr("retrying");
    case Notification::STATE_FAILED: return Tr("failed");
    case amends::v1::Notification_State_Notification_State_INT_MIN_SENTINEL_DO_NOT_USE_:
    case amends::v1::Notification_State_Notification_State_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return CliName(state);
}

}  // namespace amends::cli
