#pragma once
// An in-process mock on a ManualClock plus typed inventory clients talking to it. The in-process
// transport answers inline, so every future is ready when the call returns (also in wasm).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "restbox/core/clock.hpp"
#include "restbox/inventory/client.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::inventory::testing {

template <typename T>
core::Result<T> Ready(core::Future<T> future) {
  auto result = future.TryGet();
  if (!result)
    return core::MakeError(core::ErrorKind::kTimeout, "the call did not complete inline");
  return std::move(*result);
}

struct Harness {
  std::shared_ptr<core::ManualClock> clock = std::make_shared<core::ManualClock>();
  std::shared_ptr<mock::MockServer> server;
  std::shared_ptr<core::Transport> transport;
  core::Json fix;

  Harness() {
    mock::MockOptions options;
    options.clock = clock;
    server = mock::MakeMockServer(options);
    transports::InProcessOptions transport_options;
    transport_options.scheduler = clock;
    transport = std::make_shared<transports::InProcessTransport>(server, transport_options);
    fix = server->Fixtures().at("inventory");
  }

  std::string Fix(const char* role) const { return fix.at(role).get<std::string>(); }

  // A client with `key`; no retries (a 429 must come back as a 429), deterministic request ids.
  Client MakeClient(const std::string& key, bool client_validation = true) const {
    ClientOptions o;
    o.transport = transport;
    o.base_url = "http://mock";
    o.clock = clock;
    o.scheduler = clock;
    o.retry.max_attempts = 1;
    o.client_validation = client_validation;
    o.request_id_generator = [] { return std::string("unit"); };
    o.api_key = key;
    return Client(o);
  }
  Client Main(bool client_validation = true) const {
    return MakeClient(Fix("api_key"), client_validation);
  }

  std::size_t Requests() const { return server->Journal().size(); }
};

// "字" repeated: n code points, 3n bytes.
inline std::string Chinese(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += "字";
  return s;
}

}  // namespace restbox::inventory::testing
