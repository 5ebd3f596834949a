#pragma once
// restbox-mock's HTTP/1.1 front (native, Linux): serves one MockServer on a TCP port with
// keep-alive, CORS for local pages, fault outcomes (latency waited out on the connection loop's
// timer, drop = close without an answer), one log line per request, and hard limits that keep a
// bad client from hurting anyone else. It is ours from the socket up: an epoll event loop reads
// every connection and parses it with an incremental HTTP/1.1 reader, and worker threads only
// get complete requests (src/connection_loop.hpp, src/request_reader.hpp), so idle, slow or
// silent connections hold no thread and delay no one.
//
// Answers the front gives itself (everything else comes from the MockServer), as
// {"restbox_error": "..."} and Connection: close:
//   400 malformed request line, header line (not "name: value", a control character in a value,
//       an obsolete folded line, a line ending in a bare LF or a bare CR) or framing: a bad
//       Content-Length, Content-Length headers that differ, Content-Length together with
//       Transfer-Encoding, more than one Transfer-Encoding header, one whose last coding is not
//       chunked (or applies chunked twice), Transfer-Encoding in HTTP/1.0, a malformed chunk;
//       more than one Host header, or HTTP/1.1 without Host
//   401 /__restbox/ without the admin token, when one is set (HttpFrontOptions::admin_token)
//   403 a Host that is not allowed (DNS rebinding), or a foreign Origin on an admin route or on
//       any API request but GET, HEAD and OPTIONS (see trust.hpp)
//   408 a request not received within read_timeout of silence / request_timeout in total
//   413 a body over max_body_bytes (services answer their own, smaller limits themselves)
//   414 a request line over 8 KiB          431 request line + headers over max_header_bytes
//                                              or one header line over 8 KiB
//   415 an admin write (POST, PUT, PATCH, DELETE under /__restbox/) with a body or a
//       Content-Type that is not application/json
//   501 a method the mock does not know (CONNECT, TRACE), or a transfer coding before chunked
// Every refusal above is decided on the request head before any body is read, and closes the
// connection, so nothing the client sent after it is taken for a request.
// CORS: pages from allowed origins (TrustPolicy::OriginAllowed: http(s)://localhost,
// 127.0.0.0/8 and [::1] on any port, the front's own pages, --allow-origin) may call every route
// (preflight answered 204) and read the answers; other origins get no CORS headers.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/mock/mock_server.hpp"
#include "restbox/mock/trust.hpp"

namespace restbox::mock {

// Two per core, at least 4.
std::size_t DefaultWorkerThreads();

struct HttpFrontOptions {
  // Address to bind: "127.0.0.1" (default, this machine only), "0.0.0.0", "::1"...
  std::string host = "127.0.0.1";
  // TCP port; 0 = any free port (read it back with HttpFront::port()).
  int port = 8080;
  // Worker threads: requests handled at once. Connections hold none (the event loop reads them
  // all), nor do answers waiting for a latency fault, so a worker only computes an answer and
  // the default is DefaultWorkerThreads() (more threads than cores only add context switches:
  // 64 workers on 2 cores served ~34k GET/s where 4 served ~60-70k). A request forwarded by
  // --proxy holds its worker while the real server answers: give such fronts more.
  std::size_t threads = DefaultWorkerThreads();
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
  // request id. Called from worker threads (never from the event loop), before the answer is
  // sent. Null (default): no log.
  std::function<void(const std::string& line)> log;
  // Called after every request that may have changed state (any method but GET, HEAD, OPTIONS),
  // e.g. to save the state file. Called from worker threads. Null (default): nothing.
  std::function<void()> on_write;
  // A folder served as static files (restbox-mock --static DIR: the wasm console beside the
  // APIs): GET and HEAD of paths that are neither a service route (nor a path a service owns) nor
  // under /__restbox/ are answered from it, see static_files.hpp. "" (default): no static files.
  std::string static_dir;
  // Host names answered besides localhost (*.localhost), loopback addresses and `host` itself
  // (--allow-host; "*" = any name, which turns DNS-rebinding protection off). Default: none.
  std::vector<std::string> allow_hosts;
  // Page origins that may make requests with side effects and read answers, besides loopback
  // pages and the front's own (--allow-origin: "http://devbox.lan:5173", "null"). Default: none.
  std::vector<std::string> allow_origins;
  // The token every /__restbox/ request must carry, as "Authorization: Bearer TOKEN" or
  // "X-Restbox-Admin-Token: TOKEN" (else 401). "" (default): none. Bind() refuses to listen on
  // an address that is not loopback (AdminTokenRequired) without one.
  std::string admin_token;
};

class HttpFront final {
 public:
  HttpFront(std::shared_ptr<MockServer> server, HttpFrontOptions options = {});
  // Stops and joins (see Stop()).
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Binds the address and port (backlog 1024, SO_REUSEADDR only), after raising the process's
  // limit of open files to its hard limit (every connection is one). Returns a message when it
  // cannot (port in use...).
  std::optional<std::string> Bind();
  // The bound port (after Bind), or 0.
  int port() const;
  // "http://127.0.0.1:8080" (IPv6 hosts in brackets), after Bind.
  std::string url() const;
  // Serves until Stop(). Bind() first. Blocks the calling thread.
  void Serve();
  // Bind() and Serve() on a background thread; returns once the port accepts connections.
  std::optional<std::string> Start();
  // Stops accepting, closes idle connections and those still sending a request, answers the
  // requests already received (those waiting for a latency fault at once), then Serve() returns.
  // Safe from any thread (not from a signal handler) and idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// True for the pages every front admits (CORS headers, side effects) whatever its options:
// http:// and https:// origins on localhost, *.localhost, 127.0.0.0/8 and [::1], with or
// without a port.
bool IsLocalOrigin(std::string_view origin);

struct HttpWebhookOptions {
  // The whole of one delivery: resolving the host, connecting, TLS, sending and receiving the
  // answer's status and headers. A receiver slower than this counts as a failure (status 0), and
  // Shutdown() never waits longer. Default 5 s.
  core::Duration timeout{5000};
  // Deliveries in flight at once. Default 2.
  std::size_t workers = 2;
  // Deliveries waiting beyond this fail at once with status 0 (the service retries later).
  std::size_t max_queue = 1000;
  // Where deliveries may go: loopback addresses (checked on the resolved addresses) plus
  // `policy.allow` (--webhook-allow HOST[:PORT]). See trust.hpp, CheckWebhookUrl.
  WebhookPolicy policy;
  // Bytes of the receiver's answer read at most (status line and headers; the body is never
  // read): a larger answer counts as a failure. Default 64 KiB.
  std::size_t max_response_bytes = 64 * 1024;
};

// A WebhookSender that POSTs to real http:// and https:// URLs with cpp-httplib's client on worker
// threads, only to destinations its policy accepts (Refusal(): the services answer a refused
// callback with a 400 before anything is queued). Each delivery resolves the host once, checks
// every address, and connects only to the checked addresses. `done` gets the receiver's status,
// or 0 for no connection, a timeout, a refused or unresolvable destination, an oversized answer
// or a delivery cancelled by Shutdown(). Install it in MockOptions::webhooks, and call
// Shutdown() before the MockServer is destroyed (the callbacks reach into the server).
class HttpWebhookSender final : public WebhookSender {
 public:
  explicit HttpWebhookSender(HttpWebhookOptions options = {});
  ~HttpWebhookSender() override;
  HttpWebhookSender(const HttpWebhookSender&) = delete;
  HttpWebhookSender& operator=(const HttpWebhookSender&) = delete;

  void Post(WebhookRequest request, std::function<void(int status)> done) override;
  // Why `url` is refused (not loopback and not allowed, does not resolve, not http(s)), or
  // nullopt. Resolves the host (bounded by the timeout).
  std::optional<std::string> Refusal(const std::string& url) override;
  // Lets deliveries in progress finish (each bounded by the timeout), answers 0 to queued ones,
  // joins the workers. Later Posts answer 0 at once. Idempotent.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace restbox::mock
