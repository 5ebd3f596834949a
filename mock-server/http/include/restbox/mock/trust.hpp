#pragma once
// restbox-mock's trust boundary (native only): which requests the HTTP front accepts, from where,
// and where its webhooks may go. It runs on developers' machines, where every web page they open
// can reach 127.0.0.1, so (mock-server/README.md, "Security"):
//   - Host: only localhost (and *.localhost), loopback addresses, the bound address and names
//     given with --allow-host are answered; any other name is a DNS-rebinding page (403).
//   - Origin: a page from another origin may read nothing and change nothing (403 for every
//     admin route and for every API request but GET, HEAD and OPTIONS).
//   - Admin token: required for /__restbox/ when the front listens beyond loopback.
//   - Webhooks: loopback destinations only, checked on the resolved addresses, unless
//     --webhook-allow names the destination.
// Everything here is a pure function of its arguments (or of an injected resolver), so the rules
// are unit-tested without sockets.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "restbox/core/clock.hpp"

namespace restbox::mock {

// ---- addresses and names -----------------------------------------------------------------------

// True for an IP literal in 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104 (IPv4-mapped), without
// brackets. Only canonical literals count (inet_pton: "127.1" and "0x7f.0.0.1" are not addresses).
// 0.0.0.0 and :: are not loopback.
bool IsLoopbackAddress(std::string_view ip);
// IsLoopbackAddress, or the names that always mean this machine: "localhost" and any name under
// ".localhost" (RFC 6761; browsers resolve them to loopback themselves), case-insensitive, with or
// without a trailing dot.
bool IsLoopbackName(std::string_view host);
// Whether a front listening on `bind_host` must protect its admin API with a token: true for
// every address but loopback ones and "localhost" (0.0.0.0, ::, a LAN address, any other name).
bool AdminTokenRequired(std::string_view bind_host);
// A fresh random admin token: 32 hexadecimal digits from the system's random device.
std::string GenerateAdminToken();

// host[:port] as in a Host header or an origin: host lower-case, IPv6 without its brackets,
// a trailing dot removed; port 0 when none is given.
struct Authority {
  std::string host;
  int port = 0;
};
// Nullopt when `text` is not a plain authority (empty host, characters no host name has, an
// IPv6 address without brackets, a bad port).
std::optional<Authority> ParseAuthority(std::string_view text);

// ---- Host and Origin -----------------------------------------------------------------------

struct TrustOptions {
  // The address the front is bound to ("127.0.0.1", "0.0.0.0", "::1"...) and its port.
  std::string bind_host = "127.0.0.1";
  int port = 0;
  // --allow-host: more names the Host header may carry ("*" = any; turns the check off).
  std::vector<std::string> allow_hosts;
  // --allow-origin: more page origins ("http://devbox.lan:5173"; "null" for file:// pages).
  std::vector<std::string> allow_origins;
};

class TrustPolicy final {
 public:
  explicit TrustPolicy(TrustOptions options = {});

  // A Host header value ("localhost:8080", "[::1]:3000") the front answers: a loopback name
  // (IsLoopbackName), the bound address, or an --allow-host name, on any port.
  bool HostAllowed(std::string_view host_header) const;
  // An Origin header value whose page may call the front with side effects and read its answers
  // (CORS): http(s) from a loopback name on any port, the page's own origin (http://<Host of this
  // request>, the front's own pages: --static), the bound address on its port, or an
  // --allow-origin origin. "null" only when allowed explicitly.
  bool OriginAllowed(std::string_view origin, std::string_view host_header) const;

  const TrustOptions& options() const { return options_; }
  // True for what --allow-origin takes: "null", or http(s)://host[:port] (an optional final "/").
  static bool ValidOrigin(std::string_view origin);

 private:
  struct Origin {
    std::string scheme;
    Authority authority;
  };
  static std::optional<Origin> ParseOrigin(std::string_view text);
  static int EffectivePort(const Origin& o);

  TrustOptions options_;
  std::string bind_host_;  // normalised like Authority::host
  bool any_host_ = false;
  std::vector<std::string> allow_hosts_;  // normalised
  std::vector<Origin> allow_origins_;
  bool allow_null_origin_ = false;
};

// ---- log lines -------------------------------------------------------------------------------

// `text` with every control character (bytes 0x00-0x1f and 0x7f) and the backslash written as
// \xNN, so a request target or header can neither break a log line nor forge one.
std::string EscapeForLog(std::string_view text);

// ---- webhook destinations --------------------------------------------------------------------

// One --webhook-allow entry: HOST or HOST:PORT ("hooks.example.test", "[::1]:9000"); port 0 =
// any port.
struct WebhookAllow {
  std::string host;  // normalised like Authority::host
  int port = 0;
};
// Nullopt when `text` is not HOST[:PORT].
std::optional<WebhookAllow> ParseWebhookAllow(std::string_view text);

// Resolves a host name (or IP literal) to numeric addresses within `timeout`; nullopt when it
// does not resolve (or not in time). The default is ResolveHost.
using HostResolver = std::function<std::optional<std::vector<std::string>>(const std::string& host,
                                                                           core::Duration timeout)>;
// getaddrinfo (TCP, IPv4 and IPv6), on a helper thread so that a slow resolver cannot hold the
// caller past `timeout`.
std::optional<std::vector<std::string>> ResolveHost(const std::string& host,
                                                    core::Duration timeout);

struct WebhookPolicy {
  std::vector<WebhookAllow> allow;
  // Null: ResolveHost.
  HostResolver resolver;
  // How long a name may take to resolve (then it counts as not resolving). Default 5 s.
  core::Duration resolve_timeout{5000};
};

// Where one delivery connects: the checked addresses of the URL's host, in the resolver's order.
struct WebhookDestination {
  std::string scheme;  // "http" or "https"
  std::string host;    // as in the URL (IPv6 without brackets): Host header and TLS name
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path?query
  std::vector<std::string> addresses;
};

// Checks a callback URL against `policy`: an http(s) URL whose host resolves, and only to
// loopback addresses unless an allow entry names the host (and port). The host is resolved once
// here; a delivery connects to the returned addresses, never to a second resolution of the name
// (which a rebinding DNS server could answer differently). The refusal says why, names the host
// and how to allow it.
std::variant<WebhookDestination, std::string> CheckWebhookUrl(std::string_view url,
                                                              const WebhookPolicy& policy);

}  // namespace restbox::mock
