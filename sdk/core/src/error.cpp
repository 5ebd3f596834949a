#include "restbox/core/error.hpp"

#include <algorithm>

namespace restbox::core {

std::string_view ToString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnection:
      return "connection";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kCancelled:
      return "cancelled";
    case ErrorKind::kProtocol:
      return "protocol";
    case ErrorKind::kBadRequest:
      return "bad_request";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kForbidden:
      return "forbidden";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorKind::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorKind::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorKind::kUnprocessable:
      return "unprocessable";
    case ErrorKind::kRateLimited:
      return "rate_limited";
    case ErrorKind::kServerError:
      return "server_error";
    case ErrorKind::kHttpOther:
      return "http_other";
    case ErrorKind::kService:
      return "service";
    case ErrorKind::kDecode:
      return "decode";
    case ErrorKind::kClientValidation:
      return "client_validation";
    case ErrorKind::kClientRateLimited:
      return "client_rate_limited";
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kContinuation:
      return "continuation";
    case ErrorKind::kNoRecording:
      return "no_recording";
  }
  return "unknown";
}

std::optional<ErrorKind> ParseErrorKind(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(ErrorKind::kNoRecording); ++i) {
    if (ToString(static_cast<ErrorKind>(i)) == name) return static_cast<ErrorKind>(i);
  }
  return std::nullopt;
}

ErrorKind ErrorKindFromStatus(int status) {
  switch (status) {
    case 400:
      return ErrorKind::kBadRequest;
    case 401:
      return ErrorKind::kUnauthorized;
    case 403:
      return ErrorKind::kForbidden;
    case 404:
      return ErrorKind::kNotFound;
    case 405:
      return ErrorKind::kMethodNotAllowed;
    case 413:
      return ErrorKind::kPayloadTooLarge;
    case 415:
      return ErrorKind::kUnsupportedMediaType;
    case 422:
      return ErrorKind::kUnprocessable;
    case 429:
      return ErrorKind::kRateLimited;
    default:
      break;
  }
  if (status >= 500 && status <= 599) return ErrorKind::kServerError;
  return ErrorKind::kHttpOther;
}

bool IsTransportError(ErrorKind kind) {
  return kind == ErrorKind::kConnection || kind == ErrorKind::kTimeout ||
         kind == ErrorKind::kCancelled || kind == ErrorKind::kProtocol;
}

std::string Error::Describe() const {
  std::string out;
  if (http_status != 0) out += std::to_string(http_status) + " ";
  out += code.empty() ? std::string(ToString(kind)) : code;
  if (!message.empty()) out += ": " + message;
  for (const auto& d : details) out += " [" + d.field + ": " + d.message + "]";
  return out;
}

namespace {

// Line breaks would split a log line; a server's HTML error page can carry many.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

std::string FieldText(const FieldError& d) {
  return d.field + ": " + d.message;
}

}  // namespace

std::string ToString(const Error& error) {
  std::string out(ToString(error.kind));
  std::string facts;
  if (error.http_status != 0) facts = "HTTP " + std::to_string(error.http_status);
  if (!error.code.empty()) facts += (facts.empty() ? "" : ", ") + ("code \"" + error.code + "\"");
  if (!facts.empty()) out += " (" + facts + ")";
  if (!error.message.empty()) out += ": " + OneLine(error.message);
  if (!error.details.empty()) {
    out += "; " + OneLine(FieldText(error.details.front()));
    if (error.details.size() > 1) {
      std::size_t more = error.details.size() - 1;
      out += " (+" + std::to_string(more) + (more == 1 ? " more field)" : " more fields)");
    }
  }
  if (!error.request_id.empty()) out += "; request id " + error.request_id;
  if (error.retry_after) {
    out += "; retry after " + std::to_string(error.retry_after->count()) + " s";
  }
  return out;
}

Error MakeError(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

Error NotSent(Error error) {
  error.not_sent = true;
  error.attempts = 0;
  bool named = std::all_of(error.details.begin(), error.details.end(), [&](const FieldError& d) {
    return error.message.find(d.field) != std::string::npos;
  });
  std::string message = "not sent: " + error.message;
  if (!named) {
    std::size_t n = error.details.size();
    message += "; " + std::to_string(n) + (n == 1 ? " invalid field: " : " invalid fields: ");
    for (std::size_t i = 0; i < n; ++i) {
      message += (i == 0 ? "" : "; ") + FieldText(error.details[i]);
    }
  }
  error.message = std::move(message);
  return error;
}

}  // namespace restbox::core
