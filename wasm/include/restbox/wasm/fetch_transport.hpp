#pragma once
// The browser transport: each request goes out through the JavaScript fetch() API, asynchronously
// on the main thread (no ASYNCIFY, no threads). Works in browsers and in node 20 (whose global
// fetch() follows the same API; there is no CORS in node).
//
//   auto transport = std::make_shared<restbox::wasm::FetchTransport>();
//   options.transport = transport;   // any client's core::ClientOptions
//
// Outcomes (core::Transport contract):
// - any HTTP status is a response value, with every response header fetch() exposes (in a browser,
//   cross-origin answers expose only CORS-safelisted headers and those the server lists in
//   Access-Control-Expose-Headers: X-Request-Id and Retry-After stay invisible unless exposed);
// - no answer within Context::timeout -> kTimeout (the request is aborted);
// - Context::cancellation cancelled -> kCancelled at once (the request is aborted);
// - network failure -> kConnection, explained: unreachable server, mixed content, a CORS answer
//   without Access-Control-Allow-Origin for the page's origin, or a refused preflight (which
//   method/headers the server must allow); see FetchOptions::diagnose_failures;
// - no fetch() in the environment, or a header value fetch() refuses -> kInvalidArgument.
// Request headers that browsers forbid or set themselves (Host, Content-Length, Cookie, Origin,
// User-Agent, Proxy-*, Sec-*...) are not sent.
//
// Link requirement: the target must be linked with wasm/js/fetch_library.js (--js-library); the
// restbox::transport_fetch CMake target adds it to whatever links it.

#include <memory>
#include <string>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::wasm {

struct FetchOptions {
  // Timers for the per-request timeout. Default: core::DefaultScheduler() (browser timers).
  std::shared_ptr<core::Scheduler> scheduler;
  // The JavaScript function that sends: 0 (the default) = globalThis.fetch; n > 0 = the function
  // stored at Module.restboxFetchFunctions[n] (the JS API registers its `fetch` option there, e.g.
  // a wrapper that adds headers, or a fake for tests).
  int fetch_function = 0;
  // fetch()'s credentials mode: "omit", "same-origin" (the default) or "include" (send cookies
  // to other origins too).
  std::string credentials = "same-origin";
  // After a network failure, explain it by probing the URL with up to two GET requests: one in
  // mode "no-cors" (fails only when the server is unreachable), then a plain CORS GET without
  // custom headers (succeeds only when the server allows the page's origin, so the preflight was
  // refused). Default true. Off: the message is fetch()'s own ("Failed to fetch").
  bool diagnose_failures = true;
};

class FetchTransport final : public core::Transport {
 public:
  explicit FetchTransport(FetchOptions options = {});
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

 private:
  FetchOptions options_;
};

}  // namespace restbox::wasm
