#include "server/honest_errors.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace amends {
namespace {

using grpc::experimental::InterceptionHookPoints;

// `message` cut to at most kMaxErrorMessageBytes at a UTF-8 boundary, "..." marking the cut.
std::string Capped(const std::string& message) {
  if (message.size() <= kMaxErrorMessageBytes) return message;
  size_t end = kMaxErrorMessageBytes - 3;
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  return message.substr(0, end) + "...";
}

class HonestErrorsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit HonestErrorsInterceptor(const char* method) : method_(method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC gives no message to the interceptors of a request it could not decode.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      undecodable_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // The synchronous API answers such a call INTERNAL, the callback API UNIMPLEMENTED.
      if (undecodable_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                           status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("request: not a valid request of ", method_,
                         " (malformed bytes, or a text field that is not UTF-8)")));
      } else if (status.error_message().size() > kMaxErrorMessageBytes) {
        methods->ModifySendStatus(grpc::Status(status.error_code(),
                                               Capped(status.error_message()),
                                               status.error_details()));
      }
    }
    methods->Proceed();
  }

 private:
  const char* const method_;  // gRPC's, alive as long as the server
  bool undecodable_ = false;
};

}  // namespace

grpc::experimental::Interceptor* HonestErrorsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new HonestErrorsInterceptor(info->method());
}

}  // namespace amends
