#include "restbox/core/url.hpp"

#include <cctype>
#include <charconv>

namespace restbox::core {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsSegmentSafe(unsigned char c) {
  // RFC 3986 pchar minus '%': unreserved / sub-delims / ':' / '@'.
  if (IsUnreserved(c)) return true;
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return true;
    default:
      return false;
  }
}

constexpr char kHex[] = "0123456789ABCDEF";

template <typename Pred>
std::string Encode(std::string_view value, Pred safe) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (safe(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string EncodePathSegment(std::string_view value) {
  // '.' and '..' as whole segments would be collapsed by servers and proxies: encode them.
  if (value == ".") return "%2E";
  if (value == "..") return "%2E%2E";
  return Encode(value, IsSegmentSafe);
}

std::string EncodeQueryComponent(std::string_view value) {
  return Encode(value, IsUnreserved);
}

std::string PercentDecode(std::string_view value, bool plus_as_space) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '%' && i + 2 < value.size()) {
      int hi = HexValue(value[i + 1]);
      int lo = HexValue(value[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

QueryParams ParseQuery(std::string_view query) {
  QueryParams out;
  std::size_t pos = 0;
  while (pos <= query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(PercentDecode(pair, true), "");
      } else {
        out.emplace_back(PercentDecode(pair.substr(0, eq), true),
                         PercentDecode(pair.substr(eq + 1), true));
      }
    }
    pos = amp + 1;
  }
  return out;
}

std::optional<UrlParts> ParseUrl(std::string_view url) {
  UrlParts parts;
  std::string_view rest = url;
  std::size_t scheme_end = rest.find("://");
  // A "://" after a '/', '?' or '#' is inside an origin-relative URL ("/r?to=http://x").
  if (scheme_end != std::string_view::npos && rest.find_first_of("/?#") < scheme_end)
    scheme_end = std::string_view::npos;
  if (scheme_end != std::string_view::npos) {
    parts.scheme = std::string(rest.substr(0, scheme_end));
    // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); "://h" has no scheme at all.
    if (parts.scheme.empty() || !std::isalpha(static_cast<unsigned char>(parts.scheme[0])))
      return std::nullopt;
    for (char c : parts.scheme) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
        return std::nullopt;
    }
    rest.remove_prefix(scheme_end + 3);
    std::size_t auth_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, auth_end);
    rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos)
      authority.remove_prefix(at + 1);
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
      std::size_t close = authority.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      host = authority.substr(1, close - 1);
      std::string_view after = authority.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return std::nullopt;
        port = after.substr(1);
      }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (host.empty()) return std::nullopt;
    parts.host = std::string(host);
    if (!port.empty()) {
      int p = 0;
      auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
      if (ec != std::errc() || ptr != port.data() + port.size() || p <= 0 || p > 65535)
        return std::nullopt;
      parts.port = p;
    }
  } else if (rest.empty() || rest.front() != '/') {
    return std::nullopt;
  }
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::size_t q = rest.find('?');
  parts.path = std::string(rest.substr(0, q));
  if (parts.path.empty()) parts.path = "/";
  if (q != std::string_view::npos) parts.query = std::string(rest.substr(q + 1));
  return parts;
}

UrlBuilder::UrlBuilder(std::string_view base) : base_(base) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

std::vector<std::string> PlaceholderNames(std::string_view path_template) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while ((pos = path_template.find('{', pos)) != std::string_view::npos) {
    std::size_t end = path_template.find('}', pos);
    if (end == std::string_view::npos) break;
    names.emplace_back(path_template.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return names;
}

UrlBuilder& UrlBuilder::Path(std::string_view tmpl,
                             const std::vector<std::pair<std::string, std::string>>& params) {
  std::size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c == '{') {
      std::size_t close = tmpl.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = tmpl.substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [k, v] : params) {
          if (k == name) {
            path_ += EncodePathSegment(v);
            found = true;
            break;
          }
        }
        if (!found) path_.append(tmpl.substr(i, close - i + 1));
        i = close + 1;
        continue;
      }
    }
    path_.push_back(c);
    ++i;
  }
  return *this;
}

UrlBuilder& UrlBuilder::Query(std::string_view name, std::string_view value) {
  query_.emplace_back(std::string(name), std::string(value));
  return *this;
}

UrlBuilder& UrlBuilder::QueryIf(std::string_view name, const std::optional<std::string>& value) {
  if (value) Query(name, *value);
  return *this;
}

std::string UrlBuilder::Build() const {
  std::string out = base_ + path_;
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : query_) {
    out.push_back(sep);
    out += EncodeQueryComponent(k);
    out.push_back('=');
    out += EncodeQueryComponent(v);
    sep = '&';
  }
  return out;
}

}  // namespace restbox::core
