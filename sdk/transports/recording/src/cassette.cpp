#include "restbox/transports/cassette.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "restbox/core/masking.hpp"
#include "restbox/core/schema.hpp"
#include "restbox/core/url.hpp"

#ifndef RESTBOX_VERSION_STRING
#define RESTBOX_VERSION_STRING "0"
#endif

namespace restbox::transports {
namespace {

using core::Json;

// The document around the entries: CassetteFile rewrites the tail after every entry.
constexpr std::string_view kTail = "\n]}}\n";
constexpr std::size_t kMaxCandidates = 3;
// Secret values shorter than this are masked where they are named, but not searched for in the
// rest of the exchange: a short value ("true", "1234") would also hit unrelated text.
constexpr std::size_t kMinEchoedSecret = 8;

std::string HarHead() {
  const Json creator = {{"name", "restbox"}, {"version", RESTBOX_VERSION_STRING}};
  return "{\"log\":{\"version\":\"1.2\",\"creator\":" + core::DumpJson(creator) + ",\"entries\":[";
}

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorKind::kInvalidArgument, std::move(message));
}

core::Error NotHar(std::string_view where, std::string_view what) {
  return Invalid("not a HAR cassette: " + std::string(where) + ": " + std::string(what));
}

// ---- Bodies that are not UTF-8 text are base64 in HAR -----------------------------------------
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(in[k]));
  };
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(n >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned n = byte(i) << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : in) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const char* at = std::strchr(kBase64, c);
    if (c == '\0' || !at || padding) return std::nullopt;  // a character after padding, too
    buffer = (buffer << 6) | static_cast<unsigned>(at - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF): what nlohmann/json
// writes unchanged.
bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned cp = 0;
    if ((c >> 5) == 0x6) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b >> 6) != 0x2) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += n + 1;
  }
  return true;
}

// ---- Redaction ---------------------------------------------------------------------------------
bool LooksLikeJson(std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (body[first] == '{' || body[first] == '[');
}

bool HasSecretMember(const Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if ((core::IsSecretField(it.key()) && !it->is_null()) || HasSecretMember(*it)) return true;
    }
  } else if (j.is_array()) {
    return std::any_of(j.begin(), j.end(), [](const Json& e) { return HasSecretMember(e); });
  }
  return false;
}

void CollectJsonSecrets(const Json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (core::IsSecretField(it.key()) && it->is_string()) {
        out.push_back(it->get<std::string>());
      } else if (core::IsSecretField(it.key()) && it->is_number()) {
        out.push_back(core::DumpJson(*it));
      } else {
        CollectJsonSecrets(*it, out);
      }
    }
  } else if (j.is_array()) {
    for (const auto& e : j) CollectJsonSecrets(e, out);
  }
}

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// The secret values a request carries where the masking rules name them, longest first.
std::vector<std::string> SecretsOf(const core::HttpRequest& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.headers) {
    if (!core::IsSecretHeader(name)) continue;
    out.push_back(value);
    // "Bearer <key>": the credential alone may be echoed elsewhere.
    if (auto space = value.find(' '); space != std::string::npos)
      out.push_back(Trim(std::string_view(value).substr(space + 1)));
    if (core::EqualsIgnoreCase(name, "Cookie")) {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto semi = rest.find(';');
        const std::string_view pair = rest.substr(0, semi);
        if (auto eq = pair.find('='); eq != std::string_view::npos)
          out.push_back(Trim(pair.substr(eq + 1)));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      }
    }
  }
  if (auto parts = core::ParseUrl(r.url)) {
    for (const auto& [name, value] : core::ParseQuery(parts->query)) {
      if (core::IsSecretField(name)) out.push_back(value);
    }
  }
  if (!r.body.empty()) {
    std::optional<Json> json;
    if (LooksLikeJson(r.body)) {
      if (auto parsed = core::ParseJson(r.body); parsed.ok()) json = std::move(*parsed);
    }
    if (json) {
      CollectJsonSecrets(*json, out);
    } else {
      for (const auto& [name, value] : core::ParseQuery(r.body)) {
        if (core::IsSecretField(Trim(name))) out.push_back(value);
      }
    }
  }
  std::erase_if(out, [](const std::string& s) { return s.size() < kMinEchoedSecret; });
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string RedactUrl(const std::string& url, const std::vector<std::string>& secrets) {
  const auto q = url.find('?');
  std::string out = core::RedactKnownSecrets(url.substr(0, q), secrets);
  if (q == std::string::npos) return out;
  out += '?';
  std::string_view rest = std::string_view(url).substr(q + 1);
  bool first = true;
  while (true) {
    const auto amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const auto eq = piece.find('=');
    const std::string name = core::PercentDecode(piece.substr(0, eq), true);
    if (eq != std::string_view::npos && core::IsSecretField(name)) {
      out += piece.substr(0, eq);
      out += '=';
      out += core::EncodeQueryComponent(
          core::MaskSecret(core::PercentDecode(piece.substr(eq + 1), true)));
    } else {
      out += core::RedactKnownSecrets(std::string(piece), secrets);
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

core::Headers RedactHeaders(const core::Headers& headers, const std::vector<std::string>& secrets) {
  core::Headers out;
  for (const auto& [name, value] : headers) {
    out.Add(name, core::IsSecretHeader(name) ? core::MaskHeaderValue(name, value)
                                             : core::RedactKnownSecrets(value, secrets));
  }
  return out;
}

std::string RedactBody(const std::string& body, const std::vector<std::string>& secrets) {
  if (body.empty()) return body;
  std::string out;
  if (LooksLikeJson(body)) {
    if (auto parsed = core::ParseJson(body); parsed.ok()) {
      // Unchanged bytes when nothing is secret: the recording shows what was sent.
      out = HasSecretMember(*parsed) ? core::MaskBody(body) : body;
    }
  }
  if (out.empty()) out = core::MaskBody(body);
  return secrets.empty() ? out : core::RedactKnownSecrets(std::move(out), secrets);
}

core::HttpRequest Redact(const core::HttpRequest& request,
                         const std::vector<std::string>& secrets) {
  core::HttpRequest out;
  out.method = request.method;
  out.url = RedactUrl(request.url, secrets);
  out.headers = RedactHeaders(request.headers, secrets);
  out.body = RedactBody(request.body, secrets);
  return out;
}

// ---- HAR ---------------------------------------------------------------------------------------
Json HeadersJson(const core::Headers& headers) {
  Json out = Json::array();
  for (const auto& [name, value] : headers) out.push_back({{"name", name}, {"value", value}});
  return out;
}

Json QueryJson(const std::string& url) {
  Json out = Json::array();
  if (auto parts = core::ParseUrl(url)) {
    for (const auto& [name, value] : core::ParseQuery(parts->query))
      out.push_back({{"name", name}, {"value", value}});
  }
  return out;
}

// `text`, or its base64 with `encoding_member` set, when it is not UTF-8.
void PutText(Json& object, const std::string& body, const char* encoding_member) {
  if (IsUtf8(body)) {
    object["text"] = body;
  } else {
    object["text"] = Base64Encode(body);
    object[encoding_member] = "base64";
  }
}

// Reads the members of one HAR object, naming the first problem with its path.
class Reader {
 public:
  Reader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const Json* Find(const char* name) const {
    auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string Where(const char* name) const { return where_ + "." + name; }

  std::optional<core::Error> String(const char* name, std::string& out, bool required) const {
    const Json* v = Find(name);
    if (!v) {
      if (required) return NotHar(Where(name), "absent (HAR 1.2 requires it)");
      return std::nullopt;
    }
    if (!v->is_string())
      return NotHar(Where(name), "expected a string, got " + core::JsonTypeName(*v));
    out = v->get<std::string>();
    return std::nullopt;
  }
  std::optional<core::Error> Object(const char* name, const Json*& out, bool required) const {
    out = Find(name);
    if (!out) {
      if (required) return NotHar(Where(name), "absent (HAR 1.2 requires it)");
      return std::nullopt;
    }
    if (!out->is_object())
      return NotHar(Where(name), "expected an object, got " + core::JsonTypeName(*out));
    return std::nullopt;
  }
  std::optional<core::Error> Headers(core::Headers& out) const {
    const Json* v = Find("headers");
    if (!v) return std::nullopt;
    if (!v->is_array())
      return NotHar(Where("headers"), "expected an array, got " + core::JsonTypeName(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Json& h = (*v)[i];
      if (!h.is_object() || !h.contains("name") || !h["name"].is_string() || !h.contains("value") ||
          !h["value"].is_string())
        return NotHar(Where("headers") + "[" + std::to_string(i) + "]",
                      "expected {\"name\": string, \"value\": string}");
      out.Add(h["name"].get<std::string>(), h["value"].get<std::string>());
    }
    return std::nullopt;
  }
  // A body: "text" (base64 when `encoding_member` says so), or HAR's form "params".
  std::optional<core::Error> Body(const char* encoding_member, std::string& out) const {
    std::string text;
    if (auto e = String("text", text, false)) return e;
    std::string encoding;
    if (auto e = String(encoding_member, encoding, false)) return e;
    if (encoding.empty() && std::string_view(encoding_member) == "_encoding") {
      if (auto e = String("encoding", encoding, false)) return e;  // HAR 1.3's postData.encoding
    }
    if (encoding == "base64") {
      auto decoded = Base64Decode(text);
      if (!decoded) return NotHar(Where("text"), "not valid base64 (its encoding says base64)");
      out = std::move(*decoded);
    } else if (!encoding.empty()) {
      return NotHar(Where(encoding_member),
                    "expected \"base64\" or nothing, got \"" + encoding + "\"");
    } else {
      out = std::move(text);
    }
    if (const Json* params = Find("params"); out.empty() && params && params->is_array()) {
      for (const auto& p : *params) {
        if (!p.is_object() || !p.contains("name") || !p["name"].is_string()) continue;
        if (!out.empty()) out += '&';
        out += core::EncodeQueryComponent(p["name"].get<std::string>()) + "=" +
               core::EncodeQueryComponent(JsonStringOr(p, "value"));
      }
    }
    return std::nullopt;
  }

 private:
  static std::string JsonStringOr(const Json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  const Json& object_;
  std::string where_;
};

std::string Clip(std::string text, std::size_t max = 60) {
  if (text.size() > max) {
    text.resize(max);
    text += "...";
  }
  return text;
}

std::string Show(const Json& j) {
  return Clip(core::DumpJson(j));
}

// ---- Matching ----------------------------------------------------------------------------------
constexpr std::string_view kAnyValue = "****";

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Decoded pairs with secret values replaced by kAnyValue (they match anything), sorted.
Pairs Multiset(std::string_view encoded) {
  Pairs pairs = core::ParseQuery(encoded);
  for (auto& [name, value] : pairs) {
    if (core::IsSecretField(name)) value = kAnyValue;
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

std::string ShowPairs(const Pairs& pairs) {
  if (pairs.empty()) return "(none)";
  std::string out;
  for (const auto& [name, value] : pairs) out += (out.empty() ? "" : "&") + name + "=" + value;
  return Clip(out, 120);
}

struct Normalized {
  std::string method;
  std::string url;
  std::string path;  // percent-decoded
  Pairs query;
  std::optional<Json> json;
  std::optional<Pairs> form;
  std::string bytes;
};

Normalized Normalize(const core::HttpRequest& r) {
  Normalized n;
  n.method = std::string(core::ToString(r.method));
  n.url = r.url;
  if (auto parts = core::ParseUrl(r.url)) {
    n.path = core::PercentDecode(parts->path);
    n.query = Multiset(parts->query);
  } else {
    n.path = r.url;
  }
  if (LooksLikeJson(r.body)) {
    if (auto parsed = core::ParseJson(r.body); parsed.ok()) n.json = std::move(*parsed);
  }
  const auto type = r.headers.GetOr("Content-Type", "");
  if (!n.json && type.find("application/x-www-form-urlencoded") != std::string::npos)
    n.form = Multiset(r.body);
  n.bytes = r.body;
  return n;
}

// True when `a` (the request) and `b` (the recording) are the same JSON, values of secret-named
// members aside (present in both is enough); else false with the first difference in `diff`.
bool SameJson(const Json& a, const Json& b, const std::string& path, std::string& diff) {
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) {
        diff = path + "." + it.key() + ": " + Show(*it) + ", absent in the recording";
        return false;
      }
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (!a.contains(it.key())) {
        diff = path + "." + it.key() + ": absent, recorded " + Show(*it);
        return false;
      }
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      const Json& other = b.at(it.key());
      if (core::IsSecretField(it.key()) && !it->is_null() && !other.is_null()) continue;
      if (!SameJson(*it, other, path + "." + it.key(), diff)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) {
      diff =
          path + ": " + std::to_string(a.size()) + " items, recorded " + std::to_string(b.size());
      return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameJson(a[i], b[i], path + "[" + std::to_string(i) + "]", diff)) return false;
    }
    return true;
  }
  if (a == b) return true;
  diff = path + ": " + Show(a) + ", recorded " + Show(b);
  return false;
}

// "" when the bodies match, else what differs.
std::string BodyDifference(const Normalized& a, const Normalized& b) {
  if (a.json && b.json) {
    std::string diff;
    return SameJson(*a.json, *b.json, "$", diff) ? std::string() : "body " + diff;
  }
  if (a.form && b.form) {
    return *a.form == *b.form
               ? std::string()
               : "body (form) " + ShowPairs(*a.form) + ", recorded " + ShowPairs(*b.form);
  }
  if (a.bytes == b.bytes) return {};
  if (a.bytes.empty()) return "body absent, recorded " + std::to_string(b.bytes.size()) + " bytes";
  if (b.bytes.empty()) return "body of " + std::to_string(a.bytes.size()) + " bytes, none recorded";
  return "body differs (" + std::to_string(a.bytes.size()) + " bytes, recorded " +
         std::to_string(b.bytes.size()) + ")";
}

bool Same(const Normalized& a, const Normalized& b) {
  return a.method == b.method && a.path == b.path && a.query == b.query &&
         BodyDifference(a, b).empty();
}

std::size_t CommonSegments(std::string_view a, std::string_view b) {
  std::size_t count = 0;
  while (!a.empty() && !b.empty()) {
    const auto sa = a.find('/', 1), sb = b.find('/', 1);
    if (a.substr(0, sa) != b.substr(0, sb)) break;
    ++count;
    a = sa == std::string_view::npos ? std::string_view() : a.substr(sa);
    b = sb == std::string_view::npos ? std::string_view() : b.substr(sb);
  }
  return count;
}

// How close a recording is to the request (higher is closer) and what differs.
ReplayCandidate Compare(const Normalized& request, const Normalized& recorded, std::size_t index,
                        int& score) {
  ReplayCandidate c{index, recorded.method, recorded.url, {}};
  score = 0;
  if (request.path == recorded.path) {
    score += 100;
  } else {
    score += 10 * static_cast<int>(CommonSegments(request.path, recorded.path));
    c.differences.push_back("path " + request.path + ", recorded " + recorded.path);
  }
  if (request.method == recorded.method) {
    score += 20;
  } else {
    c.differences.push_back("method " + request.method + ", recorded " + recorded.method);
  }
  if (request.query == recorded.query) {
    score += 5;
  } else {
    c.differences.push_back("query " + ShowPairs(request.query) + ", recorded " +
                            ShowPairs(recorded.query));
  }
  if (auto body = BodyDifference(request, recorded); body.empty()) {
    score += 3;
  } else {
    c.differences.push_back(std::move(body));
  }
  return c;
}

std::optional<core::Error> Write(std::FILE* file, const std::string& path, long offset,
                                 std::string_view text) {
  if (std::fseek(file, offset, SEEK_SET) != 0 ||
      std::fwrite(text.data(), 1, text.size(), file) != text.size() || std::fflush(file) != 0)
    return Invalid("cannot write " + path + ": " + std::strerror(errno));
  return std::nullopt;
}

}  // namespace

core::HttpRequest RedactRequest(const core::HttpRequest& request) {
  return Redact(request, SecretsOf(request));
}

CassetteEntry Capture(const core::HttpRequest& request,
                      const core::Result<core::HttpResponse>& outcome, core::TimePoint started,
                      core::Duration elapsed) {
  const std::vector<std::string> secrets = SecretsOf(request);
  CassetteEntry entry;
  entry.started = started;
  entry.elapsed = elapsed;
  entry.request = Redact(request, secrets);
  if (outcome.ok()) {
    core::HttpResponse response;
    response.status = outcome->status;
    response.headers = RedactHeaders(outcome->headers, secrets);
    response.body =
        secrets.empty() ? outcome->body : core::RedactKnownSecrets(outcome->body, secrets);
    entry.response = std::move(response);
  } else {
    entry.error.kind = outcome.error().kind;
    entry.error.message = core::RedactKnownSecrets(outcome.error().message, secrets);
  }
  return entry;
}

core::Json ToHarEntry(const CassetteEntry& e) {
  const double ms = static_cast<double>(e.elapsed.count());
  const core::HttpRequest& rq = e.request;
  Json request = {{"method", std::string(core::ToString(rq.method))},
                  {"url", rq.url},
                  {"httpVersion", "HTTP/1.1"},
                  {"cookies", Json::array()},
                  {"headers", HeadersJson(rq.headers)},
                  {"queryString", QueryJson(rq.url)},
                  {"headersSize", -1},
                  {"bodySize", rq.body.size()}};
  if (!rq.body.empty()) {
    Json post = {{"mimeType", rq.headers.GetOr("Content-Type", "")}};
    PutText(post, rq.body, "_encoding");
    request["postData"] = std::move(post);
  }
  Json response;
  if (e.response) {
    const core::HttpResponse& r = *e.response;
    Json content = {{"size", r.body.size()}, {"mimeType", r.headers.GetOr("Content-Type", "")}};
    if (!r.body.empty()) PutText(content, r.body, "encoding");
    response = {{"status", r.status},
                {"statusText", std::string(core::ReasonPhrase(r.status))},
                {"httpVersion", "HTTP/1.1"},
                {"cookies", Json::array()},
                {"headers", HeadersJson(r.headers)},
                {"content", std::move(content)},
                {"redirectURL", r.headers.GetOr("Location", "")},
                {"headersSize", -1},
                {"bodySize", r.body.size()}};
  } else {
    response = {{"status", 0},
                {"statusText", ""},
                {"httpVersion", ""},
                {"cookies", Json::array()},
                {"headers", Json::array()},
                {"content", {{"size", 0}, {"mimeType", ""}}},
                {"redirectURL", ""},
                {"headersSize", -1},
                {"bodySize", -1}};
  }
  Json entry = {{"startedDateTime", core::FormatIso8601(e.started)},
                {"time", ms},
                {"request", std::move(request)},
                {"response", std::move(response)},
                {"cache", Json::object()},
                {"timings", {{"send", 0}, {"wait", ms}, {"receive", 0}}}};
  if (!e.response) {
    entry["_error"] = {{"kind", std::string(core::ToString(e.error.kind))},
                       {"message", e.error.message}};
  }
  return entry;
}

core::Result<CassetteEntry> FromHarEntry(const core::Json& json, std::string_view where) {
  if (!json.is_object())
    return NotHar(where, "expected an object (a HAR entry), got " + core::JsonTypeName(json));
  Reader entry(json, std::string(where));
  CassetteEntry e;
  std::string started;
  if (auto error = entry.String("startedDateTime", started, false)) return *error;
  if (!started.empty()) {
    auto t = core::ParseIso8601(started);
    if (!t) {
      return NotHar(entry.Where("startedDateTime"),
                    "expected an ISO 8601 date and time, got \"" + Clip(started) + "\"");
    }
    e.started = *t;
  }
  if (const Json* time = entry.Find("time"); time && time->is_number()) {
    const double ms = time->get<double>();
    if (std::isfinite(ms) && ms > 0 && ms < 1e15)
      e.elapsed = core::Duration(static_cast<std::int64_t>(std::llround(ms)));
  }

  const Json* request_json = nullptr;
  if (auto error = entry.Object("request", request_json, true)) return *error;
  Reader request(*request_json, entry.Where("request"));
  std::string method;
  if (auto error = request.String("method", method, true)) return *error;
  auto parsed_method = core::ParseMethod(method);
  if (!parsed_method) {
    return NotHar(
        request.Where("method"),
        "expected GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS, got \"" + Clip(method) + "\"");
  }
  e.request.method = *parsed_method;
  if (auto error = request.String("url", e.request.url, true)) return *error;
  if (!core::ParseUrl(e.request.url)) {
    return NotHar(request.Where("url"), "expected an absolute URL (http://host/path), got \"" +
                                            Clip(e.request.url) + "\"");
  }
  if (auto error = request.Headers(e.request.headers)) return *error;
  const Json* post = nullptr;
  if (auto error = request.Object("postData", post, false)) return *error;
  if (post) {
    if (auto error = Reader(*post, request.Where("postData")).Body("_encoding", e.request.body))
      return *error;
  }

  const Json* response_json = nullptr;
  if (auto error = entry.Object("response", response_json, true)) return *error;
  Reader response(*response_json, entry.Where("response"));
  const Json* status = response.Find("status");
  if (!status || !status->is_number_integer() || status->get<std::int64_t>() < 0 ||
      status->get<std::int64_t>() > 999) {
    return NotHar(response.Where("status"),
                  status ? "expected an HTTP status (an integer), got " + Show(*status)
                         : "absent (HAR 1.2 requires it)");
  }
  const int code = static_cast<int>(status->get<std::int64_t>());
  const Json* error_json = nullptr;
  if (auto error = entry.Object("_error", error_json, false)) return *error;
  if (code == 0) {
    // No answer: the transport error restbox wrote, or (another tool's aborted request) a
    // connection error.
    e.error =
        core::MakeError(core::ErrorKind::kConnection, "recorded without an answer (HAR status 0)");
    if (error_json) {
      Reader error(*error_json, entry.Where("_error"));
      std::string kind;
      if (auto problem = error.String("kind", kind, false)) return *problem;
      if (auto k = core::ParseErrorKind(kind)) e.error.kind = *k;
      if (auto problem = error.String("message", e.error.message, false)) return *problem;
    }
    return e;
  }
  core::HttpResponse r;
  r.status = code;
  if (auto error = response.Headers(r.headers)) return *error;
  const Json* content = nullptr;
  if (auto error = response.Object("content", content, true)) return *error;
  if (auto error = Reader(*content, response.Where("content")).Body("encoding", r.body))
    return *error;
  e.response = std::move(r);
  return e;
}

core::Result<Cassette> Cassette::FromHar(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // the spec allows a BOM
  auto parsed = core::ParseJson(text);
  if (!parsed) return Invalid("not a HAR cassette: not JSON (" + parsed.error().message + ")");
  const Json& doc = *parsed;
  if (!doc.is_object() || !doc.contains("log") || !doc["log"].is_object())
    return NotHar("$.log", "absent or not an object (a HAR document is {\"log\": {...}})");
  const Json& log = doc["log"];
  if (auto v = log.find("version"); v != log.end()) {
    if (!v->is_string() || !(v->get<std::string>() == "1.2" || v->get<std::string>() == "1.1" ||
                             v->get<std::string>().empty()))
      return NotHar("$.log.version", "expected \"1.2\", got " + Show(*v));
  }
  auto entries = log.find("entries");
  if (entries == log.end() || !entries->is_array())
    return NotHar("$.log.entries", "absent or not an array (HAR 1.2 requires it)");
  Cassette cassette;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    auto entry = FromHarEntry((*entries)[i], "$.log.entries[" + std::to_string(i) + "]");
    if (!entry) return entry.error();
    cassette.Add(std::move(*entry));
  }
  return cassette;
}

core::Result<Cassette> Cassette::Load(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return Invalid("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  const int error = std::ferror(file) ? errno : 0;
  std::fclose(file);
  if (error) return Invalid("cannot read " + path + ": " + std::strerror(error));
  auto cassette = FromHar(text);
  if (!cassette) return Invalid(path + ": " + cassette.error().message);
  return cassette;
}

std::string Cassette::ToHar() const {
  std::string out = HarHead();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    out += i ? ",\n" : "\n";
    out += core::DumpJson(ToHarEntry(entries_[i]));
  }
  out += kTail;
  return out;
}

core::Result<core::Empty> Cassette::Save(const std::string& path) const {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return Invalid("cannot write " + path + ": " + std::strerror(errno));
  auto failed = Write(file, path, 0, ToHar());
  if (std::fclose(file) != 0 && !failed)
    failed = Invalid("cannot write " + path + ": " + std::strerror(errno));
  if (failed) return *failed;
  return core::Empty{};
}

// ---- CassetteFile ------------------------------------------------------------------------------
CassetteFile::CassetteFile(std::string path, std::FILE* file, long offset)
    : path_(std::move(path)), file_(file), offset_(offset) {}

CassetteFile::~CassetteFile() {
  if (file_) std::fclose(file_);
}

core::Result<std::shared_ptr<CassetteFile>> CassetteFile::Create(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return Invalid("cannot write " + path + ": " + std::strerror(errno));
  const std::string head = HarHead();
  if (auto failed = Write(file, path, 0, head + std::string(kTail))) {
    std::fclose(file);
    return *failed;
  }
  return std::shared_ptr<CassetteFile>(
      new CassetteFile(path, file, static_cast<long>(head.size())));
}

core::Result<core::Empty> CassetteFile::Append(const CassetteEntry& entry) {
  std::string text = core::DumpJson(ToHarEntry(entry));
  std::lock_guard lock(mutex_);
  text.insert(0, entries_ ? ",\n" : "\n");
  if (auto failed = Write(file_, path_, offset_, text + std::string(kTail))) return *failed;
  offset_ += static_cast<long>(text.size());
  ++entries_;
  return core::Empty{};
}

std::size_t CassetteFile::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

// ---- Misses and the matcher --------------------------------------------------------------------
std::string ReplayMiss::Message() const {
  std::string out = "no recording matches " + method + " " + url;
  if (recordings == 0) return out + ": the cassette is empty";
  out += " (" + std::to_string(recordings) + (recordings == 1 ? " recording)" : " recordings)");
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    out += i ? "; " : "; nearest: ";
    out += "#" + std::to_string(c.index) + " " + c.method + " " + c.url;
    if (!c.differences.empty()) {
      out += " (";
      for (std::size_t k = 0; k < c.differences.size(); ++k)
        out += (k ? "; " : "") + c.differences[k];
      out += ")";
    }
  }
  return out;
}

core::Json ReplayMiss::ToJson() const {
  Json list = Json::array();
  for (const auto& c : candidates) {
    list.push_back(
        {{"index", c.index}, {"method", c.method}, {"url", c.url}, {"differences", c.differences}});
  }
  return {{"restbox_error", Message()},
          {"error", "no_recording"},
          {"request", {{"method", method}, {"url", url}}},
          {"recordings", recordings},
          {"candidates", std::move(list)}};
}

// The recordings in the form requests are compared in, computed once.
struct CassetteMatcher::Index {
  std::vector<Normalized> entries;
};

CassetteMatcher::CassetteMatcher(Cassette cassette)
    : cassette_(std::move(cassette)),
      index_(std::make_unique<Index>()),
      served_(cassette_.size(), false) {
  for (const auto& e : cassette_.entries()) index_->entries.push_back(Normalize(e.request));
}

CassetteMatcher::~CassetteMatcher() = default;

std::variant<CassetteMatcher::Match, ReplayMiss> CassetteMatcher::Find(
    const core::HttpRequest& request) {
  const core::HttpRequest redacted = RedactRequest(request);
  const Normalized wanted = Normalize(redacted);
  const auto& entries = cassette_.entries();
  std::lock_guard lock(mutex_);
  std::optional<std::size_t> first_unused;
  std::optional<std::size_t> last;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!Same(wanted, index_->entries[i])) continue;
    if (!served_[i] && !first_unused) first_unused = i;
    last = i;
  }
  if (first_unused) {
    served_[*first_unused] = true;
    return Match{*first_unused, &entries[*first_unused], false};
  }
  if (last) return Match{*last, &entries[*last], true};

  ReplayMiss miss;
  miss.method = wanted.method;
  miss.url = redacted.url;
  miss.recordings = entries.size();
  std::vector<std::pair<int, ReplayCandidate>> ranked;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    int score = 0;
    ReplayCandidate c = Compare(wanted, index_->entries[i], i, score);
    if (score > 0) ranked.emplace_back(score, std::move(c));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < ranked.size() && i < kMaxCandidates; ++i)
    miss.candidates.push_back(std::move(ranked[i].second));
  return miss;
}

std::vector<std::size_t> CassetteMatcher::Unused() const {
  std::lock_guard lock(mutex_);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < served_.size(); ++i) {
    if (!served_[i]) out.push_back(i);
  }
  return out;
}

}  // namespace restbox::transports
