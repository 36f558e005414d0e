#include "server/undecodable_request.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace amends {
namespace {

using grpc::experimental::InterceptionHookPoints;

class UndecodableRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UndecodableRequestInterceptor(const char* method) : method_(method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC gives no message to the interceptors of a request it could not decode.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      undecodable_ = true;
    }
    if (undecodable_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("request: not a valid request of ", method_,
                       " (malformed bytes, or a text field that is not UTF-8)")));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  bool undecodable_ = false;  // gRPC runs one call's hooks one at a time
};

}  // namespace

grpc::experimental::Interceptor* UndecodableRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new UndecodableRequestInterceptor(info->method());
}

}  // namespace amends
