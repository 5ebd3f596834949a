#pragma once
// restbox-mock's connections (Linux): one epoll event loop accepts every connection, reads it
// and parses it with the RequestReader; a pool of worker threads gets complete requests only.
// A connection costs no thread while it is idle, slow or silent, so a thousand of them delay
// nobody else's request. The front (http_front.cpp) plugs in as a ConnectionHandler: it screens
// each request head on the loop and answers each request on a worker; everything about
// connections (timeouts, keep-alive, pipelining, 100-continue, writing, closing) is here.
//
// Writing: the worker that produced an answer sends it at once with one non-blocking sendmsg
// (status line, headers and body together: one write per response, no delayed-ACK stall).
// Whatever the socket does not take then (a large answer to a slow reader) is handed to the loop,
// which sends the rest as EPOLLOUT says there is room. So neither a worker nor the loop ever
// blocks on a client that reads slowly; a client that reads nothing for write_timeout is closed.
// Answers with a latency fault wait on the loop's timer, not on a worker.
//
// Timeouts, per connection: before the first byte of a request, keep_alive_timeout (the first
// request of a connection: the shorter of it and read_timeout), then a silent close; while a
// request is being received, read_timeout of silence or request_timeout in total, then 408;
// while an answer is being written, write_timeout without progress, then a close.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "request_reader.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"

namespace restbox::mock {

using SteadyTime = std::chrono::steady_clock::time_point;

struct ConnectionLimits {
  RequestReaderLimits reader;
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::size_t keep_alive_max_requests = 1000000;
  std::chrono::milliseconds write_timeout{5000};
  // Worker threads (at least 1).
  std::size_t workers = 64;
};

// One request as the loop hands it to a worker.
struct Incoming {
  // The head as read. When `failure` came before the request line was complete, method and
  // target are empty.
  RequestHead head;
  std::string body;
  // The loop refuses the request (malformed, over a limit, too slow): the answer must say this.
  std::optional<ReadError> failure;
  // ConnectionHandler::Screen refused the request: the answer is this.
  std::optional<core::HttpResponse> screened;
  SteadyTime start;  // when its first byte arrived
};

// The answer to one Incoming.
struct Answer {
  core::HttpResponse response;
  bool drop = false;        // close the connection without sending anything
  core::Duration delay{0};  // send (or drop) this much later
};

class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // On the loop thread, once a head is read and its framing is valid, before its body is read:
  // an answer that refuses the request (its body is then never read and the connection closes),
  // or nullopt. Every connection waits while it runs: it must be quick and never block.
  virtual std::optional<core::HttpResponse> Screen(const RequestHead& head) = 0;
  // On a worker thread: the answer to a request, or to a refusal (`failure` or `screened` set).
  virtual Answer Respond(Incoming& incoming) = 0;
};

// Whether the connection stays open after an answer, as the writer says it.
struct ResponseFraming {
  bool head_request = false;  // HEAD: headers only (Content-Length of the GET when given)
  bool close = false;         // Connection: close
  bool http10 = false;        // HTTP/1.0 client kept alive: Connection: keep-alive
  std::chrono::seconds keep_alive_timeout{5};
  std::size_t keep_alive_max = 1000000;
};

// The status line and headers of `response`, framed by us: its own Content-Length,
// Transfer-Encoding, Connection and Keep-Alive are replaced, header lines that are not a token
// name and a value without CR, LF or NUL are left out. `body_bytes` gets how many body bytes
// follow (none for HEAD, 1xx, 204 and 304).
std::string ResponseHead(const core::HttpResponse& response, const ResponseFraming& framing,
                         std::size_t& body_bytes);

class ConnectionLoop final {
 public:
  ConnectionLoop(ConnectionHandler& handler, ConnectionLimits limits);
  // Stops, and closes every socket. Run() must have returned.
  ~ConnectionLoop();
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  // Listens on host:port (port 0: any free one) with SO_REUSEADDR (never SO_REUSEPORT, which
  // would let a second server share the port) and a backlog of 1024. Raises the process's limit
  // of open files to its hard limit first (RaiseFileLimit). Returns why it cannot, or nullopt.
  std::optional<std::string> Listen(const std::string& host, int port);
  int port() const;
  // Serves on the calling thread until Stop(); starts the workers and joins them before it
  // returns. Returns at once when Stop() came first.
  void Run();
  // Stops accepting; closes idle connections and those still sending a request; answers the
  // requests already received (answers waiting for a latency fault go out at once), each with
  // Connection: close; then Run() returns. Any thread (not a signal handler); idempotent.
  void Stop();
  // True once Stop() was called.
  bool stopping() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Raises the soft RLIMIT_NOFILE to the hard limit (every connection is a descriptor) and returns
// the soft limit in force afterwards.
std::size_t RaiseFileLimit();

}  // namespace restbox::mock
