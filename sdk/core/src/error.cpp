#include "restbox/core/error.hpp"

namespace restbox::core {

std::string_view ToString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnection: return "connection";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kProtocol: return "protocol";
    case ErrorKind::kBadRequest: return "bad_request";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kMethodNotAllowed: return "method_not_allowed";
    case ErrorKind::kPayloadTooLarge: return "payload_too_large";
    case ErrorKind::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorKind::kUnprocessable: return "unprocessable";
    case ErrorKind::kRateLimited: return "rate_limited";
    case ErrorKind::kServerError: return "server_error";
    case ErrorKind::kHttpOther: return "http_other";
    case ErrorKind::kService: return "service";
    case ErrorKind::kDecode: return "decode";
    case ErrorKind::kClientValidation: return "client_validation";
    case ErrorKind::kClientRateLimited: return "client_rate_limited";
    case ErrorKind::kInvalidArgument: return "invalid_argument";
  }
  return "unknown";
}

ErrorKind ErrorKindFromStatus(int status) {
  switch (status) {
    case 400: return ErrorKind::kBadRequest;
    case 401: return ErrorKind::kUnauthorized;
    case 403: return ErrorKind::kForbidden;
    case 404: return ErrorKind::kNotFound;
    case 405: return ErrorKind::kMethodNotAllowed;
    case 413: return ErrorKind::kPayloadTooLarge;
    case 415: return ErrorKind::kUnsupportedMediaType;
    case 422: return ErrorKind::kUnprocessable;
    case 429: return ErrorKind::kRateLimited;
    default: break;
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

Error MakeError(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

}  // namespace restbox::core
