#pragma once
// The mock's admin API (/__restbox/..., see the admin API definition in the README) spoken over
// HTTP through any core::Transport, for the contract sweep's HTTP targets (the conformance suite's
// curl_http target, the console's contract runner against a restbox-mock environment).
// Each call is a Task (co_await it, or RunToCompletion() where blocking is fine): it works in the
// browser with the fetch transport too.

#include <memory>
#include <optional>
#include <string>

#include "restbox/core/transport.hpp"
#include "sweep.hpp"

namespace restbox::contract {

class HttpAdmin final : public MockAdmin {
 public:
  // `base_url` is the server's root ("http://127.0.0.1:8080"). Each admin call waits at most
  // `timeout` for its answer.
  HttpAdmin(std::shared_ptr<core::Transport> transport, std::string base_url,
            core::Duration timeout = core::Duration(10'000));

  // MockAdmin. Transport failures and undocumented answers throw std::runtime_error (the sweep
  // cannot go on without its admin side); AddFault throws std::invalid_argument on a 400, as the
  // in-process admin does.
  Task<bool> Reset() override;           // POST /__restbox/reset
  Task<core::Json> Fixtures() override;  // GET /__restbox/fixtures
  Task<std::optional<std::string>> ApplySettings(std::string service,
                                                 core::Json patch) override;  // 400/404 -> message
  Task<bool> AdvanceClock(core::Duration by) override;  // POST /__restbox/clock/advance {"ms"}
  Task<bool> AddFault(core::Json rule) override;        // POST /__restbox/faults

  Task<core::Json> Health();  // GET /__restbox/health

 private:
  Task<core::HttpResponse> Call(core::Method method, std::string path,
                                std::optional<core::Json> body);
  // The answer's JSON, or a throw naming the call when the status is not `expected`.
  core::Json Expect(const core::HttpResponse& response, int expected, const std::string& what);

  std::shared_ptr<core::Transport> transport_;
  std::string base_url_;
  core::Duration timeout_;
};

}  // namespace restbox::contract
