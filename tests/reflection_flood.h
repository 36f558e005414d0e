// ReflectionFlood: idle server-reflection streams, as anyone who can connect may open them
// without a token: `streams` streams spread over `connections` connections, each opened and
// never written to. It uses gRPC's asynchronous API on one completion queue, so the flood takes
// no thread per stream on this side. The server answers some of them at once (refused, for
// want of a thread); the others stay open until the flood is destroyed, which cancels them.
// For the flood test and benchmark (issue 19). Not thread-safe: one thread uses it.
#ifndef AMENDS_TESTS_REFLECTION_FLOOD_H_
#define AMENDS_TESTS_REFLECTION_FLOOD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"

namespace amends {

class ReflectionFlood {
 public:
  ReflectionFlood(const std::string& address, int streams, int connections) {
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
    for (int c = 0; c < connections; ++c) {
      grpc::ChannelArguments args;
      args.SetInt("amends.flood.connection", c);  // a channel, and connection, of its own
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      stubs.push_back(std::make_unique<grpc::GenericStub>(
          grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
    }
    streams_ = std::make_unique<Stream[]>(streams);
    for (int i = 0; i < streams; ++i) {
      Stream& s = streams_[i];
      s.call = stubs[i % connections]->PrepareCall(
          &s.ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq_);
      s.call->StartCall(Tag(i, kStarted));
      ++pending_;
    }
  }

  ReflectionFlood(const ReflectionFlood&) = delete;
  ReflectionFlood& operator=(const ReflectionFlood&) = delete;

  // Cancels every stream and waits until each has ended.
  ~ReflectionFlood() {
    for (int i = 0; i < pending_ + finished_; ++i) streams_[i].ctx.TryCancel();
    while (pending_ > 0) Next();
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  // Waits until the server has ended one of the streams, and returns how it ended.
  grpc::Status NextEnded() {
    while (ended_.empty()) Next();
    grpc::Status status = ended_.back();
    ended_.pop_back();
    return status;
  }

 private:
  enum Step : intptr_t { kStarted, kRead, kFinished, kSteps };
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call;
    grpc::ByteBuffer read;
    grpc::Status status;
  };
  static void* Tag(int stream, Step step) {
    return reinterpret_cast<void*>(static_cast<intptr_t>(stream) * kSteps + step);
  }

  // Takes one event: a started stream waits for the server's first message (there is none,
  // since it asks nothing); a stream the server ends is finished, and its status kept.
  void Next() {
    void* tag;
    bool ok;
    if (!cq_.Next(&tag, &ok)) return;
    const intptr_t n = reinterpret_cast<intptr_t>(tag);
    Stream& s = streams_[n / kSteps];
    switch (static_cast<Step>(n % kSteps)) {
      case kStarted:
      case kRead:
        if (ok) {
          s.call->Read(&s.read, Tag(n / kSteps, kRead));
        } else {
          s.call->Finish(&s.status, Tag(n / kSteps, kFinished));
        }
        return;
      case kFinished:
        --pending_;
        ++finished_;
        ended_.push_back(s.status);
        return;
      case kSteps:
        return;
    }
  }

  grpc::CompletionQueue cq_;
  std::unique_ptr<Stream[]> streams_;
  int pending_ = 0;                  // streams not yet finished
  int finished_ = 0;
  std::vector<grpc::Status> ended_;  // not yet returned by NextEnded
};

}  // namespace amends

#endif  // AMENDS_TESTS_REFLECTION_FLOOD_H_
