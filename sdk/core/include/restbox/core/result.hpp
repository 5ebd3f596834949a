#pragma once
// Result<T>: a value or an Error, plus what the caller may want to know about the exchange
// (status, headers, request id, each attempt, what the service's own envelope said). Errors are
// values: check ok() (or `if (result)`) before reading the value.
//
// Reading the wrong side throws instead of asserting, on purpose:
//   value(), operator*, operator-> on an error  -> BadResultAccess, carrying the Error
//   error() on a success                        -> std::logic_error
// An exception is catchable and testable, the Error travels with it, and in a short main() that
// forgot the check the program still ends with the error spelled out (std::terminate prints
// what(): "restbox: value() of a failed Result: not_found (HTTP 404...)") instead of an assert
// in a debug build and a bare std::bad_variant_access in a release build. Future::Then turns a
// BadResultAccess thrown by a continuation back into the chained future's Error, so
// `Then([](auto r) { return r->id; })` simply passes an error along.

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"

namespace restbox::core {

// One try of a call, as the retry policy saw it. The console's timeline shows these.
struct Attempt {
  int number = 1;
  TimePoint started;
  Duration elapsed{0};
  int status = 0;  // 0 when the transport failed
  std::optional<ErrorKind> transport_error;
  std::string note;  // e.g. "retry in 2000 ms (Retry-After)"
  Duration delay_before_next{0};
  // The answer's Retry-After as the retry policy read it (core::ParseRetryAfter: seconds or an
  // HTTP date, counted from when the answer arrived); Error::retry_after comes from here.
  std::optional<std::chrono::seconds> retry_after;
};

struct ResponseMeta {
  int status = 0;                 // HTTP status of the final answer; 0 when none was received
  Headers headers;                // headers of the final answer
  std::string request_id;         // X-Request-Id of the final answer
  std::vector<Attempt> attempts;  // every try, in order; empty when nothing was sent
  // What the service's own body said about the answer, the same way for every client (success
  // or error; "" when the service said nothing: no answer, nothing sent, or no such member):
  // - service_code: the service's code as text. wncms: the envelope's code ("200", "422");
  //   market: `code` ("0" on success, "1000".."1005"); inventory and findhelper: error.code of
  //   a failure ("NOT_FOUND"), "" on success (their success bodies carry none); chikage: ""
  //   (it has no codes). On an error it equals Error::code.
  // - service_message: wncms: the envelope's message ("post #3 created", "Skipped. Duplicated
  //   tag found"); market: `msg`; chikage: a write's "message" ("Request queued"); on an error
  //   the Error's message.
  std::string service_code;
  std::string service_message;

  // True when nothing is known about an exchange (a value made up without a response).
  bool empty() const {
    return status == 0 && headers.empty() && request_id.empty() && attempts.empty() &&
           service_code.empty() && service_message.empty();
  }
};

// Thrown by Result<T>::value() (and operator*, operator->) on an error. error() is the Error the
// Result held; what() is ToString(error()) after "restbox: value() of a failed Result: ".
class BadResultAccess final : public std::exception {
 public:
  explicit BadResultAccess(Error error)
      : error_(std::move(error)),
        what_("restbox: value() of a failed Result: " + ToString(error_)) {}
  const Error& error() const noexcept { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Error error_;
  std::string what_;
};

template <typename T>
class [[nodiscard]] Result final {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit by design
  Result(T value, ResponseMeta meta) : data_(std::move(value)), meta_(std::move(meta)) {}
  Result(Error error, ResponseMeta meta) : data_(std::move(error)), meta_(std::move(meta)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The value; throws BadResultAccess (with the Error) when this is an error.
  T& value() & {
    Check();
    return std::get<0>(data_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(data_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  // The value, or `fallback` when this is an error. Never throws.
  T value_or(T fallback) const& { return ok() ? std::get<0>(data_) : std::move(fallback); }
  T value_or(T fallback) && { return ok() ? std::get<0>(std::move(data_)) : std::move(fallback); }

  // The error; throws std::logic_error when this is a success.
  const Error& error() const& {
    CheckError();
    return std::get<1>(data_);
  }
  Error& error() & {
    CheckError();
    return std::get<1>(data_);
  }

  const ResponseMeta& meta() const { return meta_; }
  ResponseMeta& meta() { return meta_; }
  int status() const { return meta_.status; }

 private:
  void Check() const {
    if (!ok()) throw BadResultAccess(std::get<1>(data_));
  }
  void CheckError() const {
    if (ok()) throw std::logic_error("restbox: error() of a successful Result (check ok() first)");
  }

  std::variant<T, Error> data_;
  ResponseMeta meta_;
};

// For calls that return nothing but success.
struct Empty {
  bool operator==(const Empty&) const = default;
};

}  // namespace restbox::core
