// A real amendsd in process for tests: SQLite file in a fresh directory, gRPC on a loopback
// port chosen by the system, a FakeClock, and the people of DOMAIN.md case 1 with tokens.
#ifndef AMENDS_TESTS_SERVICE_FIXTURE_H_
#define AMENDS_TESTS_SERVICE_FIXTURE_H_

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "amends/v1/amends.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "server/admin.h"
#include "server/amends_server.h"
#include "server/core/clock.h"
#include "storage/sqlite_store.h"
#include "tests/case1.h"
#include "tests/test_rules.h"

namespace amends {

// A fresh, empty directory for one test.
inline std::filesystem::path TestDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "amends" /
                              absl::StrCat(info->test_suite_name(), ".", info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

class ServiceTest : public ::testing::Test {
 protected:
  // Friday 2026-11-27 16:50 in Tokyo: the client has just called about the missed meeting.
  static absl::Time Friday() {
    return absl::FromCivil(absl::CivilMinute(2026, 11, 27, 16, 50),
                           absl::FixedTimeZone(9 * 3600));
  }

  void SetUp() override {
    dir_ = TestDir();
    store_ = *SqliteStore::Open((dir_ / "amends.db").string());
    ASSERT_TRUE(AddTeam(*store_, "tokyo-sales", "Asia/Tokyo").ok());
    ASSERT_TRUE(AddTeam(*store_, "osaka-sales", "Asia/Tokyo").ok());
    for (auto [name, team, role] : {std::tuple{"sato", "tokyo-sales", "member"},
                                    {"yamada", "tokyo-sales", "member"},
                                    {"tanaka", "tokyo-sales", "manager"},
                                    {"suzuki", "tokyo-sales", "manager"},
                                    {"crm-sync", "tokyo-sales", "observer"},
                                    {"kobayashi", "osaka-sales", "member"}}) {
      absl::StatusOr<std::string> token = AddUser(*store_, name, team, role);
      ASSERT_TRUE(token.ok()) << token.status();
      tokens_[name] = *token;
    }
    StartServer({.run_background = false});
  }

  // (Re)starts the server on the same database, as amendsd does after a restart.
  void StartServer(const AmendsServer::Options& options) {
    server_.reset();
    auto server = AmendsServer::Start(*store_, clock_, *policy_, options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::IncidentService::NewStub(channel_);
  }

  void TearDown() override {
    server_.reset();
    store_.reset();
  }

  // A context authenticated as `user` ("" sends no token).
  std::unique_ptr<grpc::ClientContext> As(const std::string& user) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!user.empty()) ctx->AddMetadata("authorization", "Bearer " + tokens_.at(user));
    return ctx;
  }

  v1::Incident Report(const std::string& user, const v1::ReportIncidentRequest& r) {
    v1::Incident out;
    grpc::Status s = stub_->ReportIncident(As(user).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // `user` records the first apology to the client of incident `id`, by phone.
  void Apologize(const std::string& user, int64_t id) {
    v1::RecordFirstApologyRequest request;
    request.set_id(id);
    request.set_channel(v1::CHANNEL_CALL);
    request.set_note("当日中に電話で謝罪");
    v1::Incident incident;
    const grpc::Status s = stub_->RecordFirstApology(As(user).get(), request, &incident);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::filesystem::path dir_;
  const Policy* policy_ = &DefaultPolicy();  // must outlive the server
  FakeClock clock_{Friday()};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<AmendsServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IncidentService::Stub> stub_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace amends

#endif  // AMENDS_TESTS_SERVICE_FIXTURE_H_
