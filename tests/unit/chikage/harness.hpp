#pragma once
// The chikage client wired to the in-process mock on one ManualClock (clock and scheduler for the
// client, the mock and the transport), so queues, polling, quotas and webhook retries are driven
// by advancing time in the test. No retries unless a test asks for them.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "restbox/chikage/client.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::chikage::testing {

class ChikageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock::MockOptions options;
    options.clock = clock_;
    server_ = mock::MakeMockServer(options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    transport_ = std::make_shared<transports::InProcessTransport>(
        server_, transports::InProcessOptions{.scheduler = clock_});
    fix_ = server_->Fixtures()["chikage"];
  }

  std::string Fix(const char* name) const { return fix_[name].get<std::string>(); }
  std::string TestKey() const { return Fix("test_key"); }
  std::string LiveKey() const { return Fix("live_key"); }

  ClientOptions Options(const std::string& key) const {
    ClientOptions o;
    o.transport = transport_;
    o.clock = clock_;
    o.scheduler = clock_;
    o.base_url = "http://mock";
    o.api_key = key;
    o.retry.max_attempts = 1;
    o.retry.jitter = 0.0;
    o.random = [] { return 0.5; };
    return o;
  }
  Client MakeClient(const std::string& key) const { return Client(Options(key)); }

  // The result of a future that must already be complete (in-process answers are inline unless
  // the test delays them on the clock).
  template <typename T>
  static core::Result<T> Done(core::Future<T> future) {
    auto r = future.TryGet();
    EXPECT_TRUE(r.has_value()) << "the call has not completed";
    if (!r) return core::MakeError(core::ErrorKind::kTimeout, "not completed");
    return std::move(*r);
  }

  // Requests of one endpoint in the mock's journal.
  std::size_t Journaled(std::string_view endpoint) const {
    std::size_t n = 0;
    for (const auto& e : server_->Journal()) n += e.service == "chikage" && e.endpoint == endpoint;
    return n;
  }

  static core::Json Order(std::string id = "ORD-2024-001") {
    return {{"order_id", std::move(id)},
            {"amount", 45000},
            {"items", {"Item A", "Item B"}},
            {"paid", true}};
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<mock::MockServer> server_;
  std::shared_ptr<transports::InProcessTransport> transport_;
  core::Json fix_;
};

}  // namespace restbox::chikage::testing
