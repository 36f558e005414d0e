#include "bench/support/common.h"

#include <errno.h>

#include <cstdio>
#include <cstdlib>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace amends::bench {

void Die(absl::string_view what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, std::string(what).c_str());
  std::exit(1);
}

std::shared_ptr<grpc::Channel> OwnChannel(const std::string& address, int n,
                                          grpc::ChannelArguments args) {
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("amends.bench.connection", n);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace amends::bench
