#pragma once
// Result<T>: a value or an Error, plus what the caller may want to know about the exchange
// (status, headers, request id, each attempt). Errors are values; nothing here throws except
// value() on an error, which is a programming mistake (check ok() first).

#include <cassert>
#include <optional>
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
  int status = 0;                          // 0 when the transport failed
  std::optional<ErrorKind> transport_error;
  std::string note;                        // e.g. "retry in 2000 ms (Retry-After)"
  Duration delay_before_next{0};
};

struct ResponseMeta {
  int status = 0;
  Headers headers;
  std::string request_id;
  std::vector<Attempt> attempts;
};

template <typename T>
class [[nodiscard]] Result final {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}      // NOLINT: implicit by design
  Result(T value, ResponseMeta meta) : data_(std::move(value)), meta_(std::move(meta)) {}
  Result(Error error, ResponseMeta meta) : data_(std::move(error)), meta_(std::move(meta)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(data_); }
  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(data_); }
  Error& error() & { assert(!ok()); return std::get<1>(data_); }

  const ResponseMeta& meta() const { return meta_; }
  ResponseMeta& meta() { return meta_; }
  int status() const { return meta_.status; }

 private:
  std::variant<T, Error> data_;
  ResponseMeta meta_;
};

// For calls that return nothing but success.
struct Empty {
  bool operator==(const Empty&) const = default;
};

}  // namespace restbox::core
