#pragma once
// An in-process mock on a ManualClock and typed clients talking to it, for the findhelper unit
// tests. Everything completes synchronously in-process, so results are taken with TryGet (works
// natively and in wasm alike) and time only moves when a test advances the clock.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "restbox/core/clock.hpp"
#include "restbox/findhelper/client.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::findhelper::test_support {

template <typename T>
core::Result<T> Wait(core::Future<T> f) {
  auto r = f.TryGet();
  if (!r) return core::MakeError(core::ErrorKind::kTimeout, "not completed synchronously");
  return std::move(*r);
}

struct HarnessOptions {
  core::TimePoint start = core::ManualClock::DefaultStart();  // 2026-01-01T00:00:00Z
  bool limits_enabled = true;
};

struct Harness {
  explicit Harness(HarnessOptions options = {})
      : clock(std::make_shared<core::ManualClock>(options.start)) {
    mock::MockOptions o;
    o.clock = clock;
    o.limits_enabled = options.limits_enabled;
    server = mock::MakeMockServer(o);
    transport = std::make_shared<transports::InProcessTransport>(
        server, transports::InProcessOptions{clock});
    fix = server->Fixtures()["findhelper"];
  }

  std::string Fix(std::string_view role) const {
    return fix.at(std::string(role)).get<std::string>();
  }
  std::int64_t Id(std::string_view role) const {
    return fix.at(std::string(role)).get<std::int64_t>();
  }

  ClientOptions Options(std::string_view key_role, std::string_view secret_role) const {
    ClientOptions o;
    o.transport = transport;
    o.base_url = "http://mock";
    o.clock = clock;
    o.scheduler = clock;
    o.retry.max_attempts = 1;
    o.client_validation = false;  // the server is under test unless a test says otherwise
    o.api_key = Fix(key_role);
    o.api_secret = Fix(secret_role);
    return o;
  }
  Client MakeClient(std::string_view key_role, std::string_view secret_role) const {
    return Client(Options(key_role, secret_role));
  }
  Client Main() const { return MakeClient("api_key", "api_secret"); }
  Client Partner() const { return MakeClient("second_account_key", "second_account_secret"); }

  core::Headers Credentials() const {
    return {{"X-API-Key", Fix("api_key")}, {"X-API-Secret", Fix("api_secret")}};
  }
  // A request exactly as given (no client in between): for bytes a typed client never sends.
  core::HttpResponse Raw(core::Method method, const std::string& target, core::Headers headers,
                         std::string body = {}) const {
    core::HttpRequest request{method, "http://mock" + target, std::move(headers), std::move(body)};
    return server->Process(std::move(request)).response;
  }
  // The error code of a raw answer's body ("" when it has none).
  static std::string CodeOf(const core::HttpResponse& r) { return ParseError(r).code; }

  std::shared_ptr<core::ManualClock> clock;
  std::shared_ptr<mock::MockServer> server;
  std::shared_ptr<core::Transport> transport;
  core::Json fix;
};

}  // namespace restbox::findhelper::test_support
