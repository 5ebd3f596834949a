#pragma once
// restbox-mock --proxy, --record and --replay (native only): the two PassThroughs of the mock
// engine (mock_server.hpp), built on the SDK's transports and restbox-check's answer checks.
//
//   Proxy     forwards the requests of the services it names to their real servers (libcurl,
//             through the SDK's CurlTransport), checks every exchange against the contract
//             (check::CheckExchange: the same checks as restbox-check), and with a CassetteFile
//             records each exchange (HAR 1.2, secrets redacted at capture) as it completes.
//   Replayer  answers every request from a cassette (the SDK's CassetteMatcher, as the
//             ReplayTransport does), offline.
//
// What a client gets from them (mock-server/README.md, "Record and replay"):
//   - the upstream's answer (status, headers but hop-by-hop ones, body), or the recorded one;
//   - 502 {"restbox_error": "restbox-mock could not reach the inventory upstream http://...:
//     <reason>", "upstream": URL, "kind": "connection"} when the upstream cannot be reached (504,
//     kind "timeout", when it does not answer in time); a recording of such a failure replays as
//     the same answer;
//   - on a replay miss, 501 with X-Restbox-Error: 1 and the JSON of transports::ReplayMiss:
//     {"restbox_error": "no recording matches ...", "error": "no_recording", "request",
//     "recordings", "candidates": [{"index", "method", "url", "differences"}]}.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"
#include "restbox/mock/mock_server.hpp"
#include "restbox/transports/cassette.hpp"

namespace restbox::mock {

// One --proxy ID=URL: the service's requests go to URL + their path (URL is what the SDK's
// ClientOptions::base_url would be: "https://api.example.com", no trailing path needed).
struct Upstream {
  std::string service;
  std::string base_url;
};

// Parses "ID=URL". Nullopt with `error` set when it is not that: no '=', an empty id, a URL that
// is not http(s)://host[:port][/path] (no query, no fragment, no user information).
std::optional<Upstream> ParseUpstream(std::string_view text, std::string& error);

struct ProxyOptions {
  // Where each service's requests go. A service appears at most once.
  std::vector<Upstream> upstreams;
  // Sends the forwarded requests. Default: a CurlTransport (proxy environment variables apply,
  // except to loopback upstreams).
  std::shared_ptr<core::Transport> transport;
  // --record: every forwarded exchange is appended to it, redacted, as it completes. Default
  // null: nothing is recorded.
  std::shared_ptr<transports::CassetteFile> record;
  // Longest wait for an upstream's answer (then 504). Default 30 s.
  core::Duration timeout{30'000};
  // Receives one line for each exchange that differs from the contract:
  // "<time> problems inventory templates.get GET /apiV1/templates/tpl_x 200: $.data.id: expected
  // string, got number; ...". Called from the threads that call Answer. Null (default): none.
  std::function<void(const std::string& line)> log;
};

class Proxy final : public PassThrough {
 public:
  explicit Proxy(ProxyOptions options);

  // Forwards the requests of the services it has an upstream for (the others: nullopt, the mock
  // answers them), waits for the answer (blocks the calling thread), checks the exchange (HEAD
  // excepted: it has no body to check) and answers with what the upstream said.
  std::optional<PassThroughAnswer> Answer(const core::HttpRequest& request,
                                          const std::string& service,
                                          const std::string& endpoint) override;
  // The services given an upstream.
  bool Handles(const std::string& service) const override { return upstreams_.contains(service); }

  // The request as sent upstream: `base_url` + the request's path and query; Host, hop-by-hop
  // headers (Connection and the headers it names, Keep-Alive, Proxy-*, TE, Trailer,
  // Transfer-Encoding, Upgrade), Content-Length, Expect and Accept-Encoding (the upstream then
  // answers uncompressed, so the answer can be checked and recorded) left out; Via added.
  static core::HttpRequest Forwarded(const core::HttpRequest& request, const std::string& base_url);

 private:
  ProxyOptions options_;
  std::map<std::string, std::string> upstreams_;
};

// The answer for a request whose upstream failed (502, or 504 for a timeout), as described above.
core::HttpResponse UpstreamFailure(const core::Error& error, const std::string& service,
                                   const std::string& upstream_url);

class Replayer final : public PassThrough {
 public:
  // `source` names the cassette in the journal ("cassette <source> #<entry index>").
  Replayer(transports::Cassette cassette, std::string source);

  // Every request that is not for the admin API: the recording, or the 501 of a miss.
  std::optional<PassThroughAnswer> Answer(const core::HttpRequest& request,
                                          const std::string& service,
                                          const std::string& endpoint) override;
  bool Handles(const std::string& /*service*/) const override { return true; }

 private:
  std::shared_ptr<transports::CassetteMatcher> matcher_;
  std::string source_;
};

}  // namespace restbox::mock
