// The transport conformance suite (transport_conformance.hpp) for InProcessTransport, against a
// RequestHandler answering ConformanceAnswer() inline (as the mock does) and holding "/stall"
// requests until released; timeouts run on a ManualClock.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/transports/in_process_transport.hpp"
#include "transport_conformance.hpp"

namespace restbox::testing {
namespace {

class ConformanceHandler final : public core::RequestHandler {
 public:
  void Handle(core::HttpRequest request, core::TransportCompletion completion) override {
    received.Add();
    ServerRequest seen{std::string(core::ToString(request.method)), PathOf(request.url),
                       std::move(request.headers), std::move(request.body)};
    if (seen.path == "/stall") {
      {
        std::lock_guard lock(mutex_);
        held_.push_back(std::move(completion));
      }
      stalled.Add();
      return;
    }
    completion(ConformanceAnswer(seen));
  }
  void Release() {
    std::vector<core::TransportCompletion> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& completion : held) {
      core::HttpResponse late;
      late.status = 200;
      late.body = "late";
      completion(std::move(late));
    }
  }

  Counter received;
  Counter stalled;

 private:
  std::mutex mutex_;
  std::vector<core::TransportCompletion> held_;
};

class InProcessHarness final {
 public:
  core::Transport& transport() { return transport_; }
  // An absolute URL, as clients send it; the handler reads its path.
  std::string Url(std::string_view path) const {
    return "http://in-process.test" + std::string(path);
  }
  int Received() { return handler_->received.count(); }
  bool WaitUntilStalled(int n) { return handler_->stalled.WaitFor(n); }
  void Release() { handler_->Release(); }
  void Elapse(core::Duration d) { clock_->Advance(d); }

 private:
  std::shared_ptr<ConformanceHandler> handler_ = std::make_shared<ConformanceHandler>();
  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  transports::InProcessTransport transport_{handler_, {.scheduler = clock_}};
};

INSTANTIATE_TYPED_TEST_SUITE_P(InProcess, TransportConformance, InProcessHarness);

}  // namespace
}  // namespace restbox::testing
