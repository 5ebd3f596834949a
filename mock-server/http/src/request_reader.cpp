#include "request_reader.hpp"

#include <algorithm>

namespace restbox::mock {
namespace {

// A chunk-size line: up to 16 hexadecimal digits and the extensions after them.
constexpr std::size_t kChunkLineLimit = 4096;
constexpr std::size_t kMaxChunkDigits = 16;

// ASCII case-insensitive (header names); the reader depends on nothing but the standard library.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

bool IsTokenChar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return IsTokenChar(static_cast<unsigned char>(c));
  });
}

// field-vchar, SP and HTAB (RFC 9110 5.5): no control character but the tab.
bool IsFieldValueChar(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

// A request-target byte: visible ASCII or a byte above it (clients that send UTF-8 paths
// unencoded). No space (it ends the target) and no control character.
bool IsTargetChar(unsigned char c) {
  return c > 0x20 && c != 0x7f;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// The elements of a comma-separated list, trimmed and lower-cased; empty elements kept.
std::vector<std::string> ListElements(std::string_view value) {
  std::vector<std::string> out;
  for (;;) {
    std::size_t comma = value.find(',');
    out.push_back(Lower(Trim(value.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

// Shown inside an error message: at most `max` bytes, control characters as '?'.
std::string Shown(std::string_view s, std::size_t max = 64) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 0 && c < 0x20) || c == 0x7f ? '?' : c;
  return out + (s.size() > max ? "..." : "");
}

}  // namespace

std::size_t RequestHead::Count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), [&](const auto& h) {
    return EqualsIgnoreCase(h.first, name);
  }));
}

const std::string* RequestHead::Find(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return &v;
  }
  return nullptr;
}

std::string_view RequestHead::Get(std::string_view name) const {
  const std::string* v = Find(name);
  return v ? std::string_view(*v) : std::string_view();
}

RequestReader::RequestReader(RequestReaderLimits limits) : limits_(limits) {}

void RequestReader::Fail(int status, std::string message) {
  state_ = State::kFailed;
  error_ = ReadError{status, std::move(message)};
}

void RequestReader::FailTooLong() {
  const std::string line = std::to_string(limits_.max_line_bytes);
  const std::string head = std::to_string(limits_.max_header_bytes);
  switch (step_) {
    case Step::kStartLine:
      if (head_bytes_ > limits_.max_header_bytes)
        return Fail(431, "request head larger than " + head + " bytes");
      return Fail(414, "request line longer than " + line + " bytes");
    case Step::kHeaderLine:
      return Fail(431, "request headers larger than " + head + " bytes, or one header line over " +
                           line + " bytes");
    case Step::kChunkSize:
      return Fail(400, "chunk-size line longer than " + std::to_string(kChunkLineLimit) + " bytes");
    case Step::kChunkDataEnd:
      return Fail(400, "a chunk is longer than its chunk-size (no CRLF after its data)");
    case Step::kTrailerLine:
      return Fail(431, "trailer fields larger than " + head + " bytes, or one trailer line over " +
                           line + " bytes");
    case Step::kBodyLength:
    case Step::kChunkData:
      break;
  }
  Fail(400, "malformed request");
}

std::size_t RequestReader::TakeLine(std::string_view data, std::size_t limit, bool& complete) {
  complete = false;
  std::size_t used = 0;
  // One byte: the CR or LF of a line ending. Counted against the head's size like the rest.
  auto count_byte = [&] {
    ++used;
    if (++head_bytes_ > limits_.max_header_bytes) FailTooLong();
    return state_ != State::kFailed;
  };
  if (line_cr_) {
    if (data.empty()) return 0;
    if (data[0] != '\n') {
      Fail(400, "the request has a CR that is not followed by LF (RFC 9112)");
      return 0;
    }
    line_cr_ = false;
    complete = count_byte();
    return used;
  }
  std::size_t stop = 0;
  while (stop < data.size() && data[stop] != '\r' && data[stop] != '\n') ++stop;
  // The line's content may hold limit - 2 bytes (its CRLF makes up the limit); the whole head
  // max_header_bytes. Whichever a byte passes first is the error, wherever the data was cut.
  const std::size_t line_room = limit - 2 > line_.size() ? limit - 2 - line_.size() : 0;
  const std::size_t head_room =
      limits_.max_header_bytes > head_bytes_ ? limits_.max_header_bytes - head_bytes_ : 0;
  if (stop > std::min(line_room, head_room)) {
    if (head_room < line_room) head_bytes_ = limits_.max_header_bytes + 1;
    FailTooLong();
    return 0;
  }
  line_.append(data.data(), stop);
  head_bytes_ += stop;
  used = stop;
  if (stop == data.size()) return used;
  if (data[stop] == '\n') {
    Fail(400, "a line of the request ends in a bare LF; HTTP/1.1 lines end in CRLF (RFC 9112)");
    return used;
  }
  if (!count_byte()) return used;  // the CR
  if (stop + 1 == data.size()) {
    line_cr_ = true;
    return used;
  }
  if (data[stop + 1] != '\n') {
    Fail(400, "the request has a CR that is not followed by LF (RFC 9112)");
    return used;
  }
  complete = count_byte();
  return used;
}

std::size_t RequestReader::Feed(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size()) {
    if (state_ == State::kIdle) {
      state_ = State::kHead;
      step_ = Step::kStartLine;
      head_bytes_ = 0;
    } else if (state_ != State::kHead && state_ != State::kBody) {
      break;
    }
    std::string_view rest = data.substr(used);
    switch (step_) {
      case Step::kStartLine:
      case Step::kHeaderLine:
      case Step::kChunkSize:
      case Step::kChunkDataEnd:
      case Step::kTrailerLine: {
        std::size_t limit = step_ == Step::kChunkSize      ? kChunkLineLimit
                            : step_ == Step::kChunkDataEnd ? 2
                                                           : limits_.max_line_bytes;
        bool complete = false;
        used += TakeLine(rest, limit, complete);
        if (state_ == State::kFailed || !complete) break;
        switch (step_) {
          case Step::kStartLine:
            OnStartLine();
            break;
          case Step::kHeaderLine:
            OnHeaderLine();
            break;
          case Step::kChunkSize:
            OnChunkSizeLine();
            break;
          case Step::kChunkDataEnd:
            step_ = Step::kChunkSize;
            head_bytes_ = 0;
            break;
          case Step::kTrailerLine:
            OnTrailerLine();
            break;
          default:
            break;
        }
        line_.clear();
        break;
      }
      case Step::kBodyLength:
      case Step::kChunkData: {
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        body_.append(rest.data(), n);
        used += n;
        remaining_ -= n;
        if (remaining_ == 0) {
          if (step_ == Step::kBodyLength) {
            state_ = State::kDone;
          } else {
            step_ = Step::kChunkDataEnd;
            head_bytes_ = 0;
          }
        }
        break;
      }
    }
    if (state_ == State::kFailed) break;
  }
  return used;
}

void RequestReader::OnStartLine() {
  if (line_.empty()) return;  // RFC 9112 2.2: empty lines before the request line are skipped
  const std::string_view line = line_;
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return Fail(400, "malformed request line (expected: METHOD target HTTP/1.1)");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  // Kept even when refused below: the access log shows what came (escaped).
  head_.method = method;
  head_.target = target;
  if (!IsToken(method))
    return Fail(400, "malformed request line: the method is not a token (RFC 9110 9.1)");
  if (target.empty()) return Fail(400, "malformed request line (expected: METHOD target HTTP/1.1)");
  if (!std::all_of(target.begin(), target.end(),
                   [](char c) { return IsTargetChar(static_cast<unsigned char>(c)); })) {
    return Fail(400, "the request target contains a control character (RFC 9112 3.2)");
  }
  if (version == "HTTP/1.1") {
    head_.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    head_.minor_version = 0;
  } else {
    return Fail(400, "unsupported HTTP version \"" + Shown(version, 16) +
                         "\" (restbox-mock speaks HTTP/1.1 and HTTP/1.0)");
  }
  step_ = Step::kHeaderLine;
}

bool RequestReader::SplitField(std::string_view line, std::string_view what, std::string_view& name,
                               std::string_view& value) {
  if (line.front() == ' ' || line.front() == '\t') {
    Fail(400, "obsolete line folding (a " + std::string(what) +
                  " line starting with a space or tab) is not accepted (RFC 9112)");
    return false;
  }
  const std::size_t colon = line.find(':');
  name = line.substr(0, colon);
  if (colon == std::string_view::npos || !IsToken(name)) {
    Fail(400, "malformed " + std::string(what) +
                  " line: \"name: value\" with a token name and "
                  "nothing between the name and the colon (RFC 9112 5)");
    return false;
  }
  value = Trim(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(),
                   [](char c) { return IsFieldValueChar(static_cast<unsigned char>(c)); })) {
    Fail(400, "the value of " + std::string(what) + " " + Shown(name) +
                  " contains a control character (RFC 9110 5.5)");
    return false;
  }
  return true;
}

void RequestReader::OnHeaderLine() {
  if (line_.empty()) return OnHeadEnd();
  std::string_view name, value;
  if (!SplitField(line_, "header", name, value)) return;
  if (head_.headers.size() >= limits_.max_header_fields)
    return Fail(431, "more than " + std::to_string(limits_.max_header_fields) + " header fields");
  head_.headers.emplace_back(std::string(name), std::string(value));
}

void RequestReader::OnHeadEnd() {
  // RFC 9112 6.1 and 6.3: the body's length must be certain, or the next request would start
  // somewhere the client did not mean (request smuggling).
  std::size_t te_headers = 0, lengths = 0;
  std::string_view te;
  bool length_ok = true, lengths_agree = true, close = false, keep = false;
  std::uint64_t length = 0;
  for (const auto& [name, value] : head_.headers) {
    if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      te = value;
      ++te_headers;
    } else if (EqualsIgnoreCase(name, "Content-Length")) {
      const bool digits =
          !value.empty() && value.size() <= 19 &&
          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      std::uint64_t v = 0;
      if (digits) {
        for (char c : value) v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (!digits) length_ok = false;
      if (lengths > 0 && v != length) lengths_agree = false;
      length = v;
      ++lengths;
    } else if (EqualsIgnoreCase(name, "Connection")) {
      for (const std::string& option : ListElements(value)) {
        close = close || option == "close";
        keep = keep || option == "keep-alive";
      }
    } else if (EqualsIgnoreCase(name, "Expect")) {
      // RFC 9110 10.1.1: an HTTP/1.0 client's expectation is ignored (it knows no 100).
      if (EqualsIgnoreCase(value, "100-continue") && head_.minor_version == 1)
        head_.expect_continue = true;
    }
  }
  // HTTP/1.0 closes after each answer unless the client asked to keep the connection.
  head_.keep_alive = !close && (head_.minor_version == 1 || keep);
  if (te_headers > 1) return Fail(400, "more than one Transfer-Encoding header");
  if (te_headers == 1) {
    if (head_.minor_version == 0)
      return Fail(400, "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1)");
    std::vector<std::string> codings = ListElements(te);
    const auto chunked = std::count(codings.begin(), codings.end(), "chunked");
    const bool empty =
        std::any_of(codings.begin(), codings.end(), [](const std::string& c) { return c.empty(); });
    if (empty || codings.back() != "chunked" || chunked != 1) {
      return Fail(400, "Transfer-Encoding '" + Shown(te) +
                           "' does not end with chunked exactly once, so the body length is "
                           "unknown");
    }
    if (codings.size() > 1)
      return Fail(501, "Transfer-Encoding '" + Shown(te) + "' is not supported (only chunked)");
    head_.chunked = true;
  }
  if (!length_ok) return Fail(400, "invalid Content-Length (digits only)");
  if (!lengths_agree) return Fail(400, "Content-Length headers that differ");
  if (head_.chunked && lengths > 0) return Fail(400, "both Content-Length and Transfer-Encoding");
  if (length > limits_.max_body_bytes) {
    return Fail(413, "request body of " + std::to_string(length) + " bytes is larger than the " +
                         std::to_string(limits_.max_body_bytes) + "-byte limit");
  }
  head_.content_length = head_.chunked ? 0 : length;
  state_ = State::kHeadDone;
}

void RequestReader::ReadBody() {
  if (state_ != State::kHeadDone) return;
  if (head_.chunked) {
    state_ = State::kBody;
    step_ = Step::kChunkSize;
    head_bytes_ = 0;
  } else if (head_.content_length > 0) {
    state_ = State::kBody;
    step_ = Step::kBodyLength;
    remaining_ = head_.content_length;
    // Grown as the bytes come: an announced length costs nothing until it is sent.
    body_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, 64 * 1024)));
  } else {
    state_ = State::kDone;
  }
}

void RequestReader::OnChunkSizeLine() {
  const std::string_view line = line_;
  std::size_t digits = 0;
  std::uint64_t size = 0;
  while (digits < line.size()) {
    char c = line[digits];
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0) break;
    if (++digits > kMaxChunkDigits) return Fail(400, "chunk size of more than 16 hex digits");
    size = size * 16 + static_cast<std::uint64_t>(v);
  }
  // chunk-size [ BWS ";" chunk-ext ]: the extensions are skipped, but must be field text.
  std::string_view ext = line.substr(digits);
  while (!ext.empty() && (ext.front() == ' ' || ext.front() == '\t')) ext.remove_prefix(1);
  const bool ext_ok =
      digits == line.size() ||
      (!ext.empty() && ext.front() == ';' && std::all_of(ext.begin(), ext.end(), [](char c) {
        return IsFieldValueChar(static_cast<unsigned char>(c));
      }));
  if (digits == 0 || !ext_ok) {
    return Fail(400, "malformed chunk-size line \"" + Shown(line, 32) + "\"");
  }
  if (size > limits_.max_body_bytes - body_.size()) {
    return Fail(413, "chunked request body larger than the " +
                         std::to_string(limits_.max_body_bytes) + "-byte limit");
  }
  if (size == 0) {
    step_ = Step::kTrailerLine;
    head_bytes_ = 0;
    return;
  }
  step_ = Step::kChunkData;
  remaining_ = size;
}

void RequestReader::OnTrailerLine() {
  if (line_.empty()) {
    state_ = State::kDone;
    return;
  }
  std::string_view name, value;
  SplitField(line_, "trailer", name, value);  // checked, then dropped (RFC 9110 6.5.1)
}

void RequestReader::Next() {
  if (state_ != State::kDone) return;
  state_ = State::kIdle;
  step_ = Step::kStartLine;
  head_ = RequestHead{};
  // A large body's buffer is not kept for the next request of an idle connection.
  if (body_.capacity() > 64 * 1024)
    body_ = std::string();
  else
    body_.clear();
  line_.clear();
  line_cr_ = false;
  head_bytes_ = 0;
  remaining_ = 0;
}

}  // namespace restbox::mock
