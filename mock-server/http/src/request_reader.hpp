#pragma once
// restbox-mock's HTTP/1.1 request reader: an incremental parser with no socket in it. Bytes go in
// (in pieces of any size, one byte at a time included: the result never depends on how the
// stream was cut), requests or one error come out. The connection loop (connection_loop.hpp)
// feeds it what it reads; the unit tests and the fuzz target (tests/fuzz/http_request_fuzz.cpp)
// feed it bytes directly.
//
// What it accepts (RFC 9112), and what it answers otherwise (the error's status):
//   request line   METHOD SP request-target SP HTTP/1.1 (or HTTP/1.0), one space each, method a
//                  token, target printable (no control character, no space): else 400; a line
//                  over max_line_bytes: 414. Empty lines before it are skipped (RFC 9112 2.2).
//   header lines   name ":" OWS value OWS, name a token with nothing between it and the colon,
//                  value without control characters (HTAB allowed): else 400; a line over
//                  max_line_bytes, or the whole head over max_header_bytes: 431.
//   line endings   CRLF only. A bare LF or a bare CR anywhere in the head, the chunk framing or
//                  the trailers is a 400, never guessed at (another parser reading the same bytes
//                  differently is how requests get smuggled). A line starting with a space or tab
//                  (obsolete folding) is a 400.
//   framing        Transfer-Encoding: at most one header (else 400), in HTTP/1.1 only (else
//                  400), its codings ending with chunked exactly once (else 400); a coding before
//                  chunked ("gzip, chunked") is known framing but unsupported: 501.
//                  Content-Length: digits only; repeated headers must agree (else 400).
//                  Both Transfer-Encoding and Content-Length: 400 (RFC 9112 6.3 lets a server
//                  either refuse or let chunked win; refusing leaves no doubt about where the next
//                  request starts). Neither: no body (whatever the method).
//   body           Content-Length over max_body_bytes: 413 at once (the body is not read); a
//                  chunked body is counted as it is decoded (413 when it passes the limit). Chunk
//                  sizes are hexadecimal (at most 16 digits), chunk extensions are skipped,
//                  trailer fields are checked like headers and dropped.
// Every error ends the stream: nothing after it is read, so the caller answers and closes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restbox::mock {

struct RequestReaderLimits {
  // Longest request line (414 above) and longest header or trailer line (431 above), CRLF
  // included. Default 8 KiB.
  std::size_t max_line_bytes = 8 * 1024;
  // Request line plus header lines (and, separately, the trailer lines of a chunked body).
  // Default 64 KiB (431 above).
  std::size_t max_header_bytes = 64 * 1024;
  // Most header fields in one head (431 above): each costs memory beyond its bytes. Default 200.
  std::size_t max_header_fields = 200;
  // Largest body, decoded (413 above). Default 8 MiB.
  std::size_t max_body_bytes = 8 * 1024 * 1024;
};

// A request line and its headers, as read.
struct RequestHead {
  std::string method;     // as sent (case matters: "get" is not GET)
  std::string target;     // as sent, still percent-encoded
  int minor_version = 1;  // HTTP/1.<minor_version>: 0 or 1
  // Every header line in order, names as sent, values without surrounding spaces and tabs.
  std::vector<std::pair<std::string, std::string>> headers;

  // Derived from the headers once they are all read:
  bool chunked = false;              // Transfer-Encoding: chunked
  std::uint64_t content_length = 0;  // the body's length when not chunked (0: no body)
  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
  bool keep_alive = true;
  bool expect_continue = false;  // "Expect: 100-continue"

  // True when a body follows the head.
  bool has_body() const { return chunked || content_length > 0; }
  // How many header lines have this name (case-insensitive).
  std::size_t Count(std::string_view name) const;
  // The value of the first header with this name, or nullptr.
  const std::string* Find(std::string_view name) const;
  // The value of the first header with this name, or "".
  std::string_view Get(std::string_view name) const;
};

struct ReadError {
  int status = 400;     // 400, 413, 414, 431 or 501
  std::string message;  // for the client, in words (names the rule and the limit)
};

class RequestReader final {
 public:
  enum class State {
    kIdle,      // between requests: nothing of the next one read yet
    kHead,      // the request line and headers are being read
    kHeadDone,  // head() is complete and its framing valid; ReadBody() goes on with the body
    kBody,      // the body is being read
    kDone,      // a whole request: head() and body(); Next() starts the next one
    kFailed,    // error() says why; the stream cannot go on
  };

  explicit RequestReader(RequestReaderLimits limits = {});

  // Reads from `data` up to the end of the current step and returns how many bytes it used: it
  // stops at kHeadDone, kDone and kFailed (the bytes after belong to the body, to the next
  // request, or to nothing). Feeding in any other state uses nothing.
  std::size_t Feed(std::string_view data);
  // kHeadDone -> kBody, or straight to kDone when the request has no body.
  void ReadBody();
  // kDone -> kIdle: head and body cleared for the next request.
  void Next();

  State state() const { return state_; }
  // True once any byte of the current request has been read (kHead and after).
  bool started() const { return state_ != State::kIdle; }
  RequestHead& head() { return head_; }
  const RequestHead& head() const { return head_; }
  std::string& body() { return body_; }
  const ReadError& error() const { return error_; }
  const RequestReaderLimits& limits() const { return limits_; }

 private:
  enum class Step {
    kStartLine,     // request line (after optional empty lines)
    kHeaderLine,    // a header line or the empty line ending the head
    kBodyLength,    // Content-Length bytes
    kChunkSize,     // chunk-size [chunk-ext] CRLF
    kChunkData,     // chunk bytes
    kChunkDataEnd,  // the CRLF after a chunk
    kTrailerLine,   // a trailer line or the empty line ending the body
  };

  // Collects one CRLF-terminated line into line_. Returns the bytes used; `complete` is set when
  // the line (without its CRLF) is in line_. Fails on a bare CR or LF, or a line over `limit`.
  std::size_t TakeLine(std::string_view data, std::size_t limit, bool& complete);
  void OnStartLine();
  void OnHeaderLine();
  void OnHeadEnd();
  void OnChunkSizeLine();
  void OnTrailerLine();
  // Checks "name: value" and returns the parts (value trimmed); false after Fail().
  bool SplitField(std::string_view line, std::string_view what, std::string_view& name,
                  std::string_view& value);
  void Fail(int status, std::string message);
  // The status and message for a line over its limit in the current step.
  void FailTooLong();

  RequestReaderLimits limits_;
  State state_ = State::kIdle;
  Step step_ = Step::kStartLine;
  RequestHead head_;
  std::string body_;
  ReadError error_;
  std::string line_;             // the line being collected (CR/LF excluded)
  bool line_cr_ = false;         // line_ ended in a CR that still waits for its LF
  std::size_t head_bytes_ = 0;   // bytes of the head (or of the trailers) so far
  std::uint64_t remaining_ = 0;  // bytes left of the body (Content-Length) or of the chunk
};

}  // namespace restbox::mock
