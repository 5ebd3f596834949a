#pragma once
// restbox-mock's HTTP/1.1 front (native only): serves one MockServer on a TCP port with
// keep-alive, CORS for local pages, fault outcomes (latency on the worker thread, drop = close
// without an answer), one log line per request, and hard limits that keep a bad client from
// hurting anyone else. cpp-httplib (Debian's compiled 0.11.4) parses HTTP; the connection loop,
// the socket stream and the limits are ours because the library's own leave gaps (a body without
// length read until EOF, no total deadline, unbounded chunked bodies, headers and body written
// as two packets).
//
// Answers the front gives itself (everything else comes from the MockServer), as
// {"restbox_error": "..."} and Connection: close:
//   400 malformed request line or framing (bad Content-Length, both Content-Length and chunked)
//   408 a request not received within read_timeout of silence / request_timeout in total
//   413 a body over max_body_bytes (services answer their own, smaller limits themselves)
//   414 a request line over 8 KiB          431 request line + headers over max_header_bytes
//                                              or one header line over 8 KiB
//   501 a method the mock does not know (CONNECT, TRACE)
// CORS: pages served from http://localhost:*, http://127.0.0.1:* and http://[::1]:* may call
// every route (preflight answered 204); other origins get no CORS headers.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "restbox/core/clock.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {

struct HttpFrontOptions {
  // Address to bind: "127.0.0.1" (default, this machine only), "0.0.0.0", "::1"...
  std::string host = "127.0.0.1";
  // TCP port; 0 = any free port (read it back with HttpFront::port()).
  int port = 8080;
  // Worker threads. A keep-alive connection holds one while it is open, so this is also the
  // number of connections served at once (more wait in the accept queue).
  std::size_t threads = 64;
  // Bodies above this get 413 from the front without being read. Default 8 MiB: far above every
  // service's own limit (chikage answers its own 413 above 100 KiB).
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  // Request line plus headers. Default 64 KiB.
  std::size_t max_header_bytes = 64 * 1024;
  // Longest silence while a request is being received (then 408). Default 5 s.
  core::Duration read_timeout{5000};
  // Longest time to receive one whole request (line, headers, body), against slow-drip clients.
  // Default 30 s.
  core::Duration request_timeout{30000};
  // Idle keep-alive connections are closed after this long. Default 5 s.
  core::Duration keep_alive_timeout{5000};
  // Requests served on one connection before it is closed. Default: practically unlimited.
  std::size_t keep_alive_max_requests = 1000000;
  // Receives one line per request: time, method, target (secrets masked), status, duration and
  // request id. Called from worker threads. Null (default): no log.
  std::function<void(const std::string& line)> log;
  // Called after every request that may have changed state (any method but GET, HEAD, OPTIONS),
  // e.g. to save the state file. Called from worker threads. Null (default): nothing.
  std::function<void()> on_write;
  // A folder served as static files (restbox-mock --static DIR: the wasm console beside the
  // APIs): GET and HEAD of paths that are neither a service route (nor a path a service owns) nor
  // under /__restbox/ are answered from it, see static_files.hpp. "" (default): no static files.
  std::string static_dir;
};

class HttpFront final {
 public:
  HttpFront(std::shared_ptr<MockServer> server, HttpFrontOptions options = {});
  // Stops and joins (see Stop()).
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Binds the address and port. Returns a message when it cannot (port in use...).
  std::optional<std::string> Bind();
  // The bound port (after Bind), or 0.
  int port() const;
  // "http://127.0.0.1:8080" (IPv6 hosts in brackets), after Bind.
  std::string url() const;
  // Serves until Stop(). Bind() first. Blocks the calling thread.
  void Serve();
  // Bind() and Serve() on a background thread; returns once the port accepts connections.
  std::optional<std::string> Start();
  // Stops accepting, wakes latency waits, closes idle keep-alive connections and waits for the
  // requests in progress. Safe from any thread (not from a signal handler) and idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for the origins that get CORS headers: http://localhost, http://127.0.0.1 and
// http://[::1], with or without a port.
bool IsLocalOrigin(std::string_view origin);

struct HttpWebhookOptions {
  // Connect, write and read timeout of one delivery; a receiver slower than this counts as a
  // failure (status 0). Default 5 s.
  core::Duration timeout{5000};
  // Deliveries in flight at once. Default 2.
  std::size_t workers = 2;
  // Deliveries waiting beyond this fail at once with status 0 (the service retries later).
  std::size_t max_queue = 1000;
};

// A WebhookSender that POSTs to real http:// and https:// URLs with cpp-httplib's client on worker
// threads. `done` gets the receiver's status, or 0 for no connection, a timeout, a URL it cannot
// reach or a delivery cancelled by Shutdown(). Install it in MockOptions::webhooks, and call
// Shutdown() before the MockServer is destroyed (the callbacks reach into the server).
class HttpWebhookSender final : public WebhookSender {
 public:
  explicit HttpWebhookSender(HttpWebhookOptions options = {});
  ~HttpWebhookSender() override;
  HttpWebhookSender(const HttpWebhookSender&) = delete;
  HttpWebhookSender& operator=(const HttpWebhookSender&) = delete;

  void Post(WebhookRequest request, std::function<void(int status)> done) override;
  // Lets deliveries in progress finish (bounded by the timeout), answers 0 to queued ones, joins
  // the workers. Later Posts answer 0 at once. Idempotent.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace restbox::mock
