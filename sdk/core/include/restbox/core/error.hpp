#pragma once
// The typed error every SDK call can return (DESIGN rule 3). One struct, so callers can switch on
// `kind` and still read the service's own code, the HTTP status and the raw body.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace restbox::core {

enum class ErrorKind {
  // Transport failures: no HTTP status was received.
  kConnection,   // could not connect, connection reset or dropped
  kTimeout,      // the per-request timeout or the call deadline passed
  kCancelled,    // the caller cancelled
  kProtocol,     // malformed HTTP, TLS failure, or any other transport-level failure
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
};

std::string_view ToString(ErrorKind kind);
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
  int http_status = 0;          // 0 when no response was received
  std::string code;             // the service's own code: "NOT_FOUND", "1003", "422"... or ""
  std::string message;          // human readable; secrets are masked
  std::vector<FieldError> details;
  std::optional<std::chrono::seconds> retry_after;
  std::string request_id;
  std::string raw_body;         // the response body as received (may be empty)

  // "404 NOT_FOUND: Template not found" style one-liner, for logs and UIs.
  std::string Describe() const;
};

Error MakeError(ErrorKind kind, std::string message);

}  // namespace restbox::core
