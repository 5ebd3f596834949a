#pragma once
// The native HTTP transport, on libcurl (native builds only).
//
//   auto transport = std::make_shared<restbox::transports::CurlTransport>();
//   options.transport = transport;                // or leave it empty: see DefaultTransport()
//
// How it works: one worker thread owns a curl multi handle and drives every transfer; Send()
// only queues the request and wakes the worker (curl_multi_wakeup), so it never blocks. The
// multi handle keeps one connection cache, so requests to the same host reuse their connection
// (HTTP keep-alive; HTTP/2 multiplexing over TLS when the server offers it); easy handles are
// pooled and reused. Completions run on the worker thread: keep them short, and never block in
// them waiting for another request of the same transport.
//
// Guarantees (core::Transport): the completion runs exactly once, with the HTTP response (any
// status is a value; every response header is kept, in order, duplicates included) or with a
// transport error:
//   kConnection  could not resolve or connect, nothing received, send/receive failure, reset
//   kTimeout     the per-request timeout (Context::timeout, else CurlOptions::default_timeout)
//   kCancelled   Context::cancellation fired (the transfer is removed at once), or the transport
//                was destroyed while the request was pending
//   kProtocol    TLS failure (handshake, certificate), malformed HTTP, a response body larger
//                than CurlOptions::max_response_bytes, any other curl failure
//   kInvalidArgument  a URL curl cannot use (malformed, or not http/https), or a header field
//                containing CR, LF or NUL (never sent)
// The error message is curl's own ("Couldn't connect to server: Failed to connect to ...").
//
// Proxies: libcurl reads the usual environment variables itself (http_proxy, https_proxy,
// all_proxy, no_proxy; lower case for http_proxy) unless CurlOptions::proxy / no_proxy are set.
// Redirects are not followed: a 3xx is a value like any other status.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::transports {

struct CurlOptions {
  // Per-request timeout when the Context sets none. Default 30 s. (Clients built on
  // core::ServiceClient always set Context::timeout from PipelineOptions::timeout.)
  core::Duration default_timeout{30'000};
  // Longest wait for the TCP + TLS connection, within the request timeout. Default 10 s.
  core::Duration connect_timeout{10'000};

  // TLS. Peer and host verification are on by default, against the system CA store.
  // A PEM bundle of CA certificates to trust instead of the system store (CURLOPT_CAINFO).
  // Default "": the system store.
  std::string ca_file;
  // A directory of hashed CA certificates (CURLOPT_CAPATH). Default "": the system store.
  std::string ca_path;
  // Switch certificate and host-name verification off. Only for test servers with self-signed
  // certificates: anyone on the path can then read and change the traffic. Default false.
  bool insecure_skip_verify = false;

  // Proxy URL ("http://proxy:3128", "socks5h://..."). nullopt (the default): libcurl's own rules,
  // i.e. the http_proxy / https_proxy / all_proxy environment variables. "" disables proxies.
  std::optional<std::string> proxy;
  // Hosts that bypass the proxy ("localhost,127.0.0.1,.internal"). nullopt (the default): the
  // no_proxy environment variable.
  std::optional<std::string> no_proxy;

  // Connections kept open for reuse (CURLMOPT_MAXCONNECTS). Default 64.
  long max_cached_connections = 64;
  // Most connections at once to one host (CURLMOPT_MAX_HOST_CONNECTIONS); further requests wait
  // for a free one. Default 0: no limit.
  long max_host_connections = 0;
  // Idle easy handles kept for reuse. Default 16.
  std::size_t max_idle_handles = 16;

  // The largest response body accepted, in bytes as received. A larger one ends the request with
  // kProtocol, "response body larger than the N-byte limit (CurlOptions::max_response_bytes)", as
  // soon as it is known: from Content-Length before any of the body is read, or once that many
  // bytes have arrived (chunked or unannounced bodies); nothing beyond the limit is kept in
  // memory. 0: no limit. Default 64 MiB.
  std::size_t max_response_bytes = 64 * 1024 * 1024;
};

// Counters since construction, for diagnostics and tests.
struct CurlStats {
  std::uint64_t completed = 0;           // completions delivered (any outcome)
  std::uint64_t connections_opened = 0;  // new connections (sum of CURLINFO_NUM_CONNECTS)
};

class CurlTransport final : public core::Transport {
 public:
  explicit CurlTransport(CurlOptions options = {});
  // Completes every pending request with kCancelled, then stops the worker and waits for it
  // (unless called from a completion, on the worker itself: the worker then ends on its own).
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Queues the request and returns at once. Completes inline, without sending, only when the
  // context is already cancelled or the transport is shutting down (kCancelled).
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

  CurlStats Stats() const;

 private:
  struct Engine;
  std::shared_ptr<Engine> engine_;
};

// A process-wide CurlTransport with default options, created on first use. Linking
// restbox::transport_curl also makes it the transport of every client whose options leave
// `transport` empty (see core::SetDefaultTransportFactory), so these are equivalent:
//   options.transport = restbox::transports::DefaultTransport();
//   /* nothing */
std::shared_ptr<core::Transport> DefaultTransport();

}  // namespace restbox::transports
