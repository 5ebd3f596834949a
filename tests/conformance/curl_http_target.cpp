// The sweep's "curl_http" target: every row again, through CurlTransport to a restbox-mock process
// on a free loopback port, administered over HTTP. The process runs for the whole test program
// (a gtest Environment starts it before the first test and stops it after the last).

#include <gtest/gtest.h>

#include "http_admin.hpp"
#include "mock_process.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "sweep.hpp"
#include "sweep_targets.hpp"

namespace restbox::conformance {
namespace {

using contract::HttpAdmin;  // mock-server/contract/http_admin.hpp

// The port is reserved when the target is made (test listing needs the base URL); the
// process is only started by the Environment, so listing the tests starts nothing. Its clock
// stands still at the start the in-process target's manual clock has
// (contract::SweepInProcessTarget), so both targets compute rate windows and Retry-After at the
// same instant.
MockProcess& Server() {
  static MockProcess process(RESTBOX_MOCK_BINARY, {"--manual-clock"});
  return process;
}

contract::Target CurlHttpTarget() {
  transports::CurlOptions options;
  options.no_proxy = "127.0.0.1";  // a proxy from the environment must not intercept loopback
  contract::Target target;
  target.name = "curl_http";
  target.transport = std::make_shared<transports::CurlTransport>(options);
  target.base_url = Server().base_url();
  target.admin = std::make_shared<HttpAdmin>(target.transport, target.base_url);
  return target;
}

class MockServerEnvironment final : public testing::Environment {
 public:
  void SetUp() override {
    std::string problem = Server().Start();
    ASSERT_EQ(problem, "") << "cannot run the curl_http target";
  }
  void TearDown() override { Server().Stop(); }
};
const auto* const kEnvironment = testing::AddGlobalTestEnvironment(new MockServerEnvironment);

}  // namespace
}  // namespace restbox::conformance

namespace restbox::contract {

// conformance_sweep_tests' targets (tests/contract/sweep_targets.hpp): every row runs in-process
// and again over HTTP.
const std::vector<Target>& SweepTargets() {
  static const std::vector<Target> targets{SweepInProcessTarget(), conformance::CurlHttpTarget()};
  return targets;
}

}  // namespace restbox::contract
