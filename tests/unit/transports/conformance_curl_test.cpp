// The transport conformance suite (transport_conformance.hpp) for CurlTransport, against a
// cpp-httplib server on a free loopback port answering ConformanceAnswer(). libcurl keeps real
// time, so timeouts elapse on their own (200 ms) and Elapse() does nothing.

#include <httplib.h>

#include <memory>
#include <string>
#include <string_view>

#include "curl_loopback.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "transport_conformance.hpp"

namespace restbox::testing {
namespace {

class CurlHarness final {
 public:
  CurlHarness() {
    // Routes rather than a pre-routing handler: cpp-httplib reads the body only for a route.
    auto answer = [this](const httplib::Request& req, httplib::Response& res) {
      received_.Add();
      if (req.path == "/stall") {
        stalled_.Add();
        stall_.Wait();
        res.set_content("late", "text/plain");
        return;
      }
      ServerRequest request{req.method, req.path, {}, req.body};
      for (const auto& [name, value] : req.headers) request.headers.Add(name, value);
      auto reply = ConformanceAnswer(request);
      res.status = reply.status;
      std::string content_type = reply.headers.GetOr("Content-Type", "");
      for (const auto& [name, value] : reply.headers) {
        if (!core::EqualsIgnoreCase(name, "Content-Type")) res.headers.emplace(name, value);
      }
      res.set_content(reply.body, content_type);
    };
    const std::string any = "/.*";
    server_.http().Get(any, answer).Post(any, answer).Put(any, answer).Patch(any, answer);
    server_.http().Delete(any, answer);
    server_.Start();
    transport_ = std::make_unique<transports::CurlTransport>(LoopbackOptions());
  }
  // The transport (and its keep-alive connections) goes before the server, so the server's
  // threads are not left waiting on idle connections.
  ~CurlHarness() {
    stall_.Open();
    transport_.reset();
    server_.Stop();
  }

  core::Transport& transport() { return *transport_; }
  std::string Url(std::string_view path) const { return server_.Url(std::string(path)); }
  int Received() { return received_.count(); }
  bool WaitUntilStalled(int n) { return stalled_.WaitFor(n); }
  void Release() { stall_.Open(); }
  void Elapse(core::Duration) {}

 private:
  LoopbackServer server_;
  std::unique_ptr<transports::CurlTransport> transport_;
  Counter received_;
  Counter stalled_;
  Latch stall_;
};

INSTANTIATE_TYPED_TEST_SUITE_P(Curl, TransportConformance, CurlHarness);

}  // namespace
}  // namespace restbox::testing
