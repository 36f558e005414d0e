// Transport security through the real binaries: amendsd serving TLS and mutual TLS from
// certificates made by `openssl` at test time, the CLI connecting with --ca/--cert/--key (and
// their environment defaults), a renewed certificate picked up without a restart, and
// plaintext refused beyond loopback.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/core/loopback.h"
#include "server/transport_security.h"
#include "tests/process.h"
#include "tests/service_fixture.h"
#include "tests/test_certificates.h"

namespace amends {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_ = MakeTestCertificates();
    ASSERT_EQ(certs_.error, "");
    db_ = (TestDir() / "amends.db").string();
    ASSERT_EQ(Admin({"team", "add", "営業一課", "--tz", "Asia/Tokyo"}).exit_code, 0);
    RunResult r = Admin({"user", "add", "sato", "--team", "営業一課", "--role", "member"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    token_ = std::string(absl::StripAsciiWhitespace(r.out));
  }

  RunResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {AMENDSD_PATH, "admin", "--db", db_});
    return RunCommand(args);
  }

  // Starts amendsd on a free loopback port with `flags`; its stdout's first lines in *said.
  void Serve(std::vector<std::string> flags, std::string* said = nullptr) {
    std::vector<std::string> argv = {AMENDSD_PATH, "--db", db_, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    server_ = std::make_unique<ChildProcess>(argv);
    ASSERT_TRUE(StartServer(*server_, &address_, said)) << "amendsd did not start";
  }

  // `amends ARGS list` with the token and server in the environment, plus `env`.
  RunResult List(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), AMENDS_PATH);
    args.push_back("list");
    env["AMENDS_SERVER"] = address_;
    env["AMENDS_TOKEN"] = token_;
    return RunCommand(args, env);
  }

  TestCertificates certs_;
  std::string db_, token_, address_;
  std::unique_ptr<ChildProcess> server_;
};

TEST_F(TlsTest, CliReachesATlsServerWithTheCaAndNotWithoutTls) {
  std::string said;
  Serve({"--tls-cert", certs_.cert_file, "--tls-key", certs_.key_file}, &said);
  EXPECT_TRUE(absl::StrContains(said, "amendsd: TLS\n")) << said;

  RunResult r = List({"--ca", certs_.ca_file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(List({"--tls", "--ca", certs_.ca_file}).exit_code, 0);
  r = List({}, {{"AMENDS_CA", certs_.ca_file}});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = List({});  // plaintext to a TLS port
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // TLS, but the system's roots do not know the test CA.
  EXPECT_NE(List({}, {{"AMENDS_TLS", "1"}}).exit_code, 0);
}

TEST_F(TlsTest, MutualTlsServesOnlyClientsWithACertificateFromTheClientCa) {
  std::string said;
  Serve({"--tls-cert", certs_.cert_file, "--tls-key", certs_.key_file, "--client-ca",
         certs_.ca_file},
        &said);
  EXPECT_TRUE(absl::StrContains(said, "client certificates required")) << said;
  EXPECT_NE(List({"--ca", certs_.ca_file}).exit_code, 0);
  RunResult r = List({"--ca", certs_.ca_file, "--cert", certs_.client_cert_file, "--key",
                      certs_.client_key_file});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  // A client certificate from another CA is refused too.
  TestCertificates stranger = MakeTestCertificates();
  ASSERT_EQ(stranger.error, "");
  EXPECT_NE(List({"--ca", certs_.ca_file, "--cert", stranger.client_cert_file, "--key",
                  stranger.client_key_file})
                .exit_code,
            0);
}

TEST_F(TlsTest, RenewedCertificateIsServedWithoutARestart) {
  Serve({"--tls-cert", certs_.cert_file, "--tls-key", certs_.key_file});
  TestCertificates renewed = MakeTestCertificates();  // signed by a new CA
  ASSERT_EQ(renewed.error, "");
  EXPECT_NE(List({"--ca", renewed.ca_file}).exit_code, 0);

  // Replace both files, as certbot or an operator would.
  std::filesystem::copy_file(renewed.key_file, certs_.key_file,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(renewed.cert_file, certs_.cert_file,
                             std::filesystem::copy_options::overwrite_existing);
  // The server re-reads the files every kCertificateRefresh; poll for the new one.
  const absl::Time give_up = absl::Now() + 3 * kCertificateRefresh + absl::Seconds(5);
  bool served = false;
  while (!served && absl::Now() < give_up) {
    served = List({"--ca", renewed.ca_file}).exit_code == 0;
  }
  EXPECT_TRUE(served) << "the renewed certificate was not served within "
                      << 3 * kCertificateRefresh;
  EXPECT_NE(List({"--ca", certs_.ca_file}).exit_code, 0) << "the old certificate is still served";
}

TEST_F(TlsTest, PlaintextBeyondLoopbackIsRefusedUnlessInsecureIsGiven) {
  const std::string fresh = (TestDir() / "fresh" / "amends.db").string();
  RunResult r = RunCommand({AMENDSD_PATH, "--db", fresh, "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--listen 0.0.0.0:0")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.err, "--tls-cert")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(fresh)) << "a refused start created the database";

  ChildProcess insecure({AMENDSD_PATH, "--db", db_, "--listen", "0.0.0.0:0", "--insecure"});
  std::string address;
  ASSERT_TRUE(StartServer(insecure, &address));
  insecure.Signal(SIGTERM);
  RunResult ended = insecure.Wait();
  EXPECT_EQ(ended.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(ended.err, "WARNING: --insecure")) << ended.err;
}

TEST_F(TlsTest, MistakesInTheTlsFlagsNameTheFlag) {
  RunResult r = RunCommand({AMENDSD_PATH, "--db", db_, "--tls-cert", certs_.cert_file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--tls-key")) << r.err;
  r = RunCommand(
      {AMENDSD_PATH, "--db", db_, "--tls-cert", certs_.key_file, "--tls-key", certs_.key_file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--tls-cert")) << r.err;
  r = RunCommand({AMENDS_PATH, "--server", "127.0.0.1:1", "--token", token_, "--cert",
                  certs_.client_cert_file, "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--key")) << r.err;
}

TEST(IsLoopbackListen, OnlyLoopbackAddressesAreLoopback) {
  EXPECT_TRUE(IsLoopbackListen("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackListen("127.8.9.10:1"));
  EXPECT_TRUE(IsLoopbackListen("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackListen("localhost:0"));
  EXPECT_FALSE(IsLoopbackListen("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackListen("[::]:50051"));
  EXPECT_FALSE(IsLoopbackListen("192.168.1.5:50051"));
  EXPECT_FALSE(IsLoopbackListen("amends.example.com:443"));
  EXPECT_FALSE(IsLoopbackListen("localhost.example.com:443"));
}

}  // namespace
}  // namespace amends
