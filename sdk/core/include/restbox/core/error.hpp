#pragma once
// The typed error every SDK call can return (DESIGN rule 3). One struct, so callers can switch on
// `kind` and still read the service's own code, the HTTP status and the raw body.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace restbox::core {

enum class ErrorKind {
  // Transport failures: no HTTP status was received.
  kConnection,  // could not connect, connection reset or dropped
  kTimeout,     // the per-request timeout or the call deadline passed
  kCancelled,   // the caller cancelled
  kProtocol,    // malformed HTTP, TLS failure, or any other transport-level failure
  // The service answered with a documented (or undocumented) error.
  kBadRequest,            // 400 (and service validation codes carried on 400)
  kUnauthorized,          // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kUnprocessable,         // 422
  kRateLimited,           // 429 from the server
  kServerError,           // 5xx
  kHttpOther,             // any other non-success status
  kService,               // an error code carried inside a success status (market `code` 1000-1005)
  // Raised by the SDK itself, before or after the wire.
  kDecode,             // the body could not be decoded into the expected model
  kClientValidation,   // the request would certainly fail; it was not sent
  kClientRateLimited,  // the client-side limiter refused to send (quota of the local windows)
  kInvalidArgument,    // an argument the SDK cannot use at all (bad base URL...)
  kContinuation,       // a continuation attached with Future::Then threw (see future.hpp)
  // A ReplayTransport has no recording for the request (restbox/transports/replay_transport.hpp):
  // nothing was sent anywhere. Final (never retried); the message names the request and the
  // nearest recordings, raw_body holds the same as JSON.
  kNoRecording,
};

std::string_view ToString(ErrorKind kind);
// The kind ToString gives `name` for ("not_found" -> kNotFound), or nullopt.
std::optional<ErrorKind> ParseErrorKind(std::string_view name);
// The kind an HTTP error status maps to (400 -> kBadRequest, 503 -> kServerError...).
ErrorKind ErrorKindFromStatus(int status);
bool IsTransportError(ErrorKind kind);

struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorKind kind = ErrorKind::kProtocol;
  int http_status = 0;  // 0 when no response was received
  std::string code;     // the service's own code: "NOT_FOUND", "1003", "422"... or ""
  std::string message;  // human readable; secrets are masked
  std::vector<FieldError> details;
  std::optional<std::chrono::seconds> retry_after;
  std::string request_id;
  std::string raw_body;  // the response body as received (may be empty)
  // Tries the client handed to the transport for this call (its ResponseMeta::attempts.size()),
  // filled in by the client; 0 when nothing was sent, and on errors built outside a client.
  int attempts = 0;
  // True only when the client refused the call itself and sent nothing: client validation, the
  // client-side rate limiter, a base URL it cannot use, no transport. The server never saw the
  // call; the message starts with "not sent: ". Default false.
  bool not_sent = false;

  // "404 NOT_FOUND: Template not found" style one-liner, for logs and UIs.
  std::string Describe() const;
};

// Every fact of `error` on one line, for logs and for a short main() that just prints what went
// wrong: kind, HTTP status, service code, message, first field detail (and how many more),
// request id, retry-after. Members that are empty are left out; line breaks in the message become
// spaces. Example (one line):
//   unprocessable (HTTP 422, code "422"): Validation failed; title: The title field is required.
//   (+1 more field); request id 9f2c; retry after 30 s
std::string ToString(const Error& error);
// Writes ToString(error) (no newline) / ToString(kind). Declared here so that any header of the
// SDK makes `std::cerr << result.error()` work; defined in its own object file, so programs that
// never print an Error (the browser build) link no iostreams.
std::ostream& operator<<(std::ostream& out, const Error& error);
std::ostream& operator<<(std::ostream& out, ErrorKind kind);

Error MakeError(ErrorKind kind, std::string message);

// A client-side refusal: `error` (what the server would have answered, with its kind, code and
// field details) marked as never sent: not_sent = true, attempts = 0, and a message that starts
// with "not sent: ", then the server's message and, unless that already names every field, the
// field problems: "not sent: Validation failed; 2 invalid fields: title: The title field is
// required.; content: The content field is required.".
Error NotSent(Error error);

}  // namespace restbox::core
