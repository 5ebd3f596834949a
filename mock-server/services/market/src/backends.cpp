#include "backends.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>

#include "restbox/market/provider.hpp"

namespace restbox::mock::market {
namespace {

namespace api = restbox::market;
using core::Json;

// A deterministic number from text (FNV-1a), so results depend only on the params.
std::uint64_t Hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// The provider's answer with the HTTP status it chose (the platform ignores it) and members the
// convention does not know (the platform drops them).
BackendReply Reply(int status, const api::BackendResponse& response) {
  Json body = response;
  body["otherField1"] = "value1";
  body["traceId"] = "trace-" + std::to_string(Hash(core::DumpJson(body)) % 1000000);
  return {status, core::DumpJson(body)};
}

// A provider validates its params too (seed: "供应商也应该对参数进行校验"): full type checks and
// defaults, with the kit.
std::optional<BackendReply> ValidateOrRefuse(const BackendCall& call, api::ParamsCheck& checked) {
  auto source =
      call.method == core::Method::kGet ? api::ParamsSource::kQuery : api::ParamsSource::kJson;
  checked = api::CheckParams(*call.schema, call.params, {.source = source});
  if (checked.ok()) return std::nullopt;
  return Reply(400, api::Failure(api::Code::kParams, api::ParamsErrorMessage(checked.errors)));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// demo-shop/product-info: the seed's example schema (bindId, productId).
BackendReply Products(const BackendCall& call) {
  api::ParamsCheck p;
  if (auto refused = ValidateOrRefuse(call, p)) return *refused;
  std::string bind_id = core::JsonValueOr<std::string>(p.params, "bindId", "");
  std::string product_id = core::JsonValueOr<std::string>(p.params, "productId", "");
  if (product_id == kBrokenProductId) {
    return {
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>upstream crashed</body></html>"};
  }
  if (product_id == kFailingProductId) {
    return Reply(500, api::Failure(api::Code::kInternal, "product database unavailable"));
  }
  if (product_id == kMalformedProductId) {
    // A backend that does not follow the convention: the code is text.
    return {200, R"({"code":"0","result":{"productId":")" + product_id + R"("}})"};
  }
  if (product_id == kBusyProductId) {
    return Reply(503, api::Failure(api::Code::kBusy, "inventory service is busy, retry later"));
  }
  if (product_id == kNotFoundProductId) {
    return Reply(404,
                 api::Failure(api::Code::kNotFound, "product " + product_id + " does not exist"));
  }
  if (!AllDigits(product_id)) {
    return Reply(400, api::Failure(api::Code::kParams, "productId must be numeric"));
  }
  std::uint64_t h = Hash(product_id);
  Json result = {{"bindId", bind_id},
                 {"productId", product_id},
                 {"name", "Product " + product_id},
                 {"price", static_cast<double>(h % 100000) / 100.0},
                 {"stock", static_cast<std::int64_t>(h % 500)}};
  return Reply(200, api::Success(result));
}

// demo-shop/weather-forecast (dynamic plan): 0.01 per forecast day, 0.005 for a failed lookup
// that still cost the provider (forceDeduct), nothing for a cached answer.
BackendReply Weather(const BackendCall& call) {
  api::ParamsCheck p;
  if (auto refused = ValidateOrRefuse(call, p)) return *refused;
  static const std::map<std::string, int> kCities = {
      {"Beijing", 12}, {"Shanghai", 17}, {"Shenzhen", 23}, {"Tokyo", 15}, {"Paris", 11}};
  std::string city = core::JsonValueOr<std::string>(p.params, "city", "");
  std::int64_t days = core::JsonValueOr<std::int64_t>(p.params, "days", 1);
  if (days < 1 || days > 60) {
    return Reply(400, api::Failure(api::Code::kParams, "days must be between 1 and 60"));
  }
  auto it = kCities.find(city);
  if (it == kCities.end()) {
    // The lookup ran on the provider's paid upstream: charged although it failed.
    auto r = api::Failure(api::Code::kNotFound, "unknown city: " + city, /*force_deduct=*/true);
    r.credits_deduct = 0.005;
    return Reply(404, r);
  }
  Json forecast = Json::array();
  for (std::int64_t d = 0; d < days; ++d) {
    forecast.push_back(
        {{"day", d + 1},
         {"celsius", it->second + static_cast<int>((Hash(city) >> (d % 32)) % 7) - 3}});
  }
  bool cached = core::JsonValueOr<bool>(p.params, "cached", false);
  // A cached answer costs the provider nothing: no creditsDeduct, so no charge.
  std::optional<double> price;
  if (!cached) price = 0.01 * static_cast<double>(days);
  return Reply(200, api::Success({{"city", city}, {"forecast", forecast}}, price));
}

// demo-shop/geo-lookup (tiered plan).
BackendReply Geo(const BackendCall& call) {
  api::ParamsCheck p;
  if (auto refused = ValidateOrRefuse(call, p)) return *refused;
  std::string ip = core::JsonValueOr<std::string>(p.params, "ip", "");
  int dots = 0;
  for (char c : ip) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      dots = -100;
  }
  if (dots != 3)
    return Reply(200, api::Failure(api::Code::kParams, "ip must be a dotted IPv4 address"));
  static constexpr std::array<const char*, 5> kCountries = {"CN", "US", "JP", "DE", "FR"};
  return Reply(200,
               api::Success({{"ip", ip}, {"country", kCountries[Hash(ip) % kCountries.size()]}}));
}

// internal-tools/audit-log (a project that is not Public).
BackendReply Audit(const BackendCall& call) {
  api::ParamsCheck p;
  if (auto refused = ValidateOrRefuse(call, p)) return *refused;
  std::int64_t limit = core::JsonValueOr<std::int64_t>(p.params, "limit", 10);
  Json entries = Json::array();
  for (std::int64_t i = 0; i < std::min<std::int64_t>(limit, 3); ++i)
    entries.push_back({{"id", i + 1}, {"action", i % 2 ? "login" : "export"}});
  return Reply(200, api::Success({{"entries", entries}}));
}

}  // namespace

const Backend* FindBackend(std::string_view name) {
  static const std::map<std::string, Backend, std::less<>> kBackends = {
      {"products", Products}, {"weather", Weather}, {"geo", Geo}, {"audit", Audit}};
  auto it = kBackends.find(name);
  return it == kBackends.end() ? nullptr : &it->second;
}

}  // namespace restbox::mock::market
