#include "restbox/mock/trust.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "restbox/core/http.hpp"
#include "restbox/core/url.hpp"

namespace restbox::mock {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool ParsePort(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value > 65535) return false;
  port = value;
  return true;
}

// The canonical text of an IP literal ("0:0::1" -> "::1"), or "" when `text` is none.
std::string CanonicalIp(std::string_view text) {
  std::string s(text);
  char out[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  in6_addr v6{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1 && ::inet_ntop(AF_INET, &v4, out, sizeof(out)))
    return out;
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1 && ::inet_ntop(AF_INET6, &v6, out, sizeof(out)))
    return out;
  return {};
}

// A host as compared everywhere here: an IP literal in canonical form, a name in lower case
// without a trailing dot; brackets around IPv6 removed.
std::string NormaliseHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (std::string ip = CanonicalIp(host); !ip.empty()) return ip;
  std::string name = Lower(host);
  if (name.size() > 1 && name.back() == '.') name.pop_back();
  return name;
}

}  // namespace

bool IsLoopbackAddress(std::string_view ip) {
  std::string s(ip);
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

bool IsLoopbackName(std::string_view host) {
  std::string name = NormaliseHost(host);
  if (IsLoopbackAddress(name)) return true;
  constexpr std::string_view kLocal = "localhost";
  return name == kLocal || (name.size() > kLocal.size() + 1 && name.ends_with(".localhost"));
}

bool AdminTokenRequired(std::string_view bind_host) {
  return !IsLoopbackName(bind_host);
}

std::string GenerateAdminToken() {
  std::random_device device;  // /dev/urandom with libstdc++
  std::string token;
  char digit[3];
  for (int i = 0; i < 16; ++i) {
    std::snprintf(digit, sizeof(digit), "%02x", static_cast<unsigned>(device() & 0xff));
    token += digit;
  }
  return token;
}

std::optional<Authority> ParseAuthority(std::string_view text) {
  Authority out;
  std::string_view host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    in6_addr v6{};
    if (::inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1) return std::nullopt;
    rest = text.substr(close + 1);
  } else {
    std::size_t colon = text.find(':');
    host = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar)) return std::nullopt;
  }
  if (!rest.empty()) {
    if (rest.front() != ':') return std::nullopt;
    rest.remove_prefix(1);
    // "host:" (an empty port) is allowed by RFC 3986 and means the default port.
    if (!rest.empty() && !ParsePort(rest, out.port)) return std::nullopt;
  }
  out.host = NormaliseHost(host);
  if (out.host.empty() || out.host == ".") return std::nullopt;
  return out;
}

// ---- TrustPolicy ---------------------------------------------------------------------------

TrustPolicy::TrustPolicy(TrustOptions options) : options_(std::move(options)) {
  bind_host_ = NormaliseHost(options_.bind_host);
  for (const auto& h : options_.allow_hosts) {
    if (h == "*") {
      any_host_ = true;
    } else if (auto a = ParseAuthority(h)) {
      allow_hosts_.push_back(a->host);  // a port given with the name is ignored: any port
    }
  }
  for (const auto& o : options_.allow_origins) {
    if (Lower(o) == "null") {
      allow_null_origin_ = true;
    } else if (auto parsed = ParseOrigin(o)) {
      allow_origins_.push_back(std::move(*parsed));
    }
  }
}

std::optional<TrustPolicy::Origin> TrustPolicy::ParseOrigin(std::string_view text) {
  std::string lower = Lower(text);
  std::string_view rest = lower;
  Origin out;
  if (rest.starts_with("http://")) {
    out.scheme = "http";
  } else if (rest.starts_with("https://")) {
    out.scheme = "https";
  } else {
    return std::nullopt;
  }
  rest.remove_prefix(out.scheme.size() + 3);
  if (rest.ends_with("/")) rest.remove_suffix(1);  // "http://h:1/" as a user may write it
  auto authority = ParseAuthority(rest);
  if (!authority) return std::nullopt;
  out.authority = std::move(*authority);
  return out;
}

int TrustPolicy::EffectivePort(const Origin& o) {
  if (o.authority.port != 0) return o.authority.port;
  return o.scheme == "https" ? 443 : 80;
}

bool TrustPolicy::ValidOrigin(std::string_view origin) {
  return Lower(origin) == "null" || ParseOrigin(origin).has_value();
}

bool TrustPolicy::HostAllowed(std::string_view host_header) const {
  auto authority = ParseAuthority(host_header);
  if (!authority) return false;
  if (any_host_) return true;
  if (IsLoopbackName(authority->host) || authority->host == bind_host_) return true;
  return std::find(allow_hosts_.begin(), allow_hosts_.end(), authority->host) != allow_hosts_.end();
}

bool TrustPolicy::OriginAllowed(std::string_view origin, std::string_view host_header) const {
  if (Lower(origin) == "null") return allow_null_origin_;
  auto o = ParseOrigin(origin);
  if (!o) return false;
  if (IsLoopbackName(o->authority.host)) return true;
  const int port = EffectivePort(*o);
  // The page's own origin: a page the front served (--static) calls it back at the Host it
  // was loaded from, which HostAllowed has admitted.
  if (o->scheme == "http" && HostAllowed(host_header)) {
    if (auto host = ParseAuthority(host_header);
        host && host->host == o->authority.host && (host->port != 0 ? host->port : 80) == port)
      return true;
  }
  if (o->scheme == "http" && o->authority.host == bind_host_ && port == options_.port) return true;
  return std::any_of(allow_origins_.begin(), allow_origins_.end(), [&](const Origin& a) {
    return a.scheme == o->scheme && a.authority.host == o->authority.host &&
           EffectivePort(a) == port;
  });
}

// ---- log lines -------------------------------------------------------------------------------

std::string EscapeForLog(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out;
}

// ---- webhook destinations --------------------------------------------------------------------

std::optional<WebhookAllow> ParseWebhookAllow(std::string_view text) {
  auto authority = ParseAuthority(text);
  if (!authority) return std::nullopt;
  return WebhookAllow{authority->host, authority->port};
}

std::optional<std::vector<std::string>> ResolveHost(const std::string& host,
                                                    core::Duration timeout) {
  if (std::string ip = CanonicalIp(host); !ip.empty()) return std::vector<std::string>{ip};
  // getaddrinfo cannot be given a deadline: it runs on its own thread, which the caller leaves
  // behind (it finishes on its own) when the answer is late.
  struct Lookup {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::optional<std::vector<std::string>> result;
  };
  auto lookup = std::make_shared<Lookup>();
  try {
    std::thread([lookup, host] {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo* list = nullptr;
      std::optional<std::vector<std::string>> result;
      if (::getaddrinfo(host.c_str(), nullptr, &hints, &list) == 0) {
        std::vector<std::string> addresses;
        for (addrinfo* a = list; a; a = a->ai_next) {
          char text[INET6_ADDRSTRLEN] = {};
          const void* where = nullptr;
          if (a->ai_family == AF_INET)
            where = &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr;
          if (a->ai_family == AF_INET6)
            where = &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr;
          if (!where || !::inet_ntop(a->ai_family, where, text, sizeof(text))) continue;
          if (std::find(addresses.begin(), addresses.end(), text) == addresses.end())
            addresses.emplace_back(text);
        }
        ::freeaddrinfo(list);
        if (!addresses.empty()) result = std::move(addresses);
      }
      std::lock_guard lock(lookup->mutex);
      lookup->result = std::move(result);
      lookup->done = true;
      lookup->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    return std::nullopt;  // no thread to resolve on: treated as not resolving
  }
  std::unique_lock lock(lookup->mutex);
  if (!lookup->done_cv.wait_for(lock, timeout, [&] { return lookup->done; })) return std::nullopt;
  return lookup->result;
}

std::variant<WebhookDestination, std::string> CheckWebhookUrl(std::string_view url,
                                                              const WebhookPolicy& policy) {
  auto parts = core::ParseUrl(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty())
    return std::string("must be an absolute http:// or https:// URL with a host");
  // "http://127.0.0.1@elsewhere/": whatever a parser makes of user info, a callback has none.
  std::string_view after_scheme = url.substr(parts->scheme.size() + 3);
  if (after_scheme.substr(0, after_scheme.find_first_of("/?#")).find('@') != std::string_view::npos)
    return std::string("must not carry user information (user@host)");
  WebhookDestination d;
  d.scheme = parts->scheme;
  d.host = parts->host;
  d.port = parts->port != 0 ? parts->port : (d.scheme == "https" ? 443 : 80);
  d.target = parts->path + (parts->query.empty() ? "" : "?" + parts->query);
  const std::string host = NormaliseHost(parts->host);
  const std::string shown =
      parts->host.find(':') != std::string::npos ? "[" + parts->host + "]" : parts->host;
  const bool allowed = std::any_of(
      policy.allow.begin(), policy.allow.end(),
      [&](const WebhookAllow& a) { return a.host == host && (a.port == 0 || a.port == d.port); });
  // An address literal is its own resolution; only names go to the resolver.
  std::optional<std::vector<std::string>> resolved;
  if (std::string ip = CanonicalIp(parts->host); !ip.empty())
    resolved = std::vector<std::string>{ip};
  else if (policy.resolver)
    resolved = policy.resolver(parts->host, policy.resolve_timeout);
  else
    resolved = ResolveHost(parts->host, policy.resolve_timeout);
  if (!resolved || resolved->empty())
    return shown +
           " does not resolve (restbox-mock resolves a callback's host before it accepts the "
           "callback)";
  if (!allowed) {
    for (const auto& address : *resolved) {
      if (!IsLoopbackAddress(address)) {
        return "restbox-mock delivers webhooks only to this machine (loopback: 127.0.0.0/8, ::1), "
               "and " +
               shown +
               (CanonicalIp(parts->host).empty() ? " resolves to " + address
                                                 : std::string(" is not loopback")) +
               "; to deliver there, start restbox-mock with --webhook-allow " + shown + ":" +
               std::to_string(d.port);
      }
    }
  }
  d.addresses = std::move(*resolved);
  return d;
}

}  // namespace restbox::mock
