#pragma once
// The providers' backends behind the mocked platform: deterministic in-process functions standing
// in for the hidden backend URLs. They speak the convention through the provider kit, ignore
// nothing the platform would not, and sometimes misbehave on purpose (non-JSON, odd HTTP statuses)
// so that every platform code has a realistic trigger.

#include <functional>
#include <string>
#include <string_view>

#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/market/models.hpp"

namespace restbox::mock::market {

// Product ids with a fixed behaviour in the "products" backend (fixture roles).
inline constexpr std::string_view kNotFoundProductId = "404404";  // code 1002
inline constexpr std::string_view kBusyProductId = "503503";      // code 1003
inline constexpr std::string_view kBrokenProductId = "500500";    // HTTP 502 with an HTML page
inline constexpr std::string_view kFailingProductId = "500501";   // the provider answers code 1000
inline constexpr std::string_view kMalformedProductId =
    "500502";  // JSON with "code":"0" (a string)

struct BackendCall {
  core::Method method = core::Method::kGet;
  core::Json params = core::Json::object();     // query and body params, as the consumer sent them
  const restbox::market::ParamsSchema* schema;  // Params Schema + Json Schema of the endpoint
};

// What came back over the (imaginary) wire: any status, any bytes.
struct BackendReply {
  int status = 200;
  std::string body;
};

using Backend = std::function<BackendReply(const BackendCall&)>;

// The backend registered under `name` ("products", "weather", "geo", "audit"), or nullptr.
const Backend* FindBackend(std::string_view name);

}  // namespace restbox::mock::market
