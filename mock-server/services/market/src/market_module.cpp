// The API marketplace, mocked as the platform itself (API-CONTRACT section 4): registered
// projects and endpoints, consumer keys and balances, the providers' backends (backends.cpp), a
// billing ledger. Every answer is HTTP 200 with a convention body; the code says what happened.
//
// Order of checks for every call (the first that fails answers):
//   1004 key (missing / not Bearer / unknown / disabled) -> 1002 unknown project or slug ->
//   1004 project not Public -> 1002 project or endpoint offline -> 1001 body not a JSON object,
//   GET on an endpoint with a Json Schema, required params missing (platform check: presence
//   only) -> 1005 balance below the price (the cap for dynamic plans) -> the provider's backend:
//   its code (0, 1001, 1002, 1003...) or 1000 when it failed or answered outside the convention.
// Charging (provider kit ComputeCharge): when forceDeduct == true or code == 0, by the plan;
// tiered plans count the consumer's counted calls per endpoint per UTC day.

#include <algorithm>
#include <cctype>
#include <deque>
#include <functional>
#include <map>

#include "backends.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/market/models.hpp"
#include "restbox/market/provider.hpp"
#include "restbox/market/spec.hpp"
#include "restbox/mock/endpoint_table.hpp"
#include "restbox/mock/service_module.hpp"

namespace restbox::mock::market {
namespace api = restbox::market;
using core::Json;

namespace {

constexpr std::size_t kLedgerCapacity = 1000;

struct Project {
  std::string name;
  bool is_public = true;
  bool online = true;
};

struct Endpoint {
  std::string project;
  std::string slug;
  std::string summary;
  std::string backend_url;  // hidden: never in a consumer answer
  std::string backend;      // name of the in-process backend
  api::ParamsSchema params_schema;
  api::ParamsSchema json_schema;  // empty: no Json Schema (GET allowed)
  api::PricingPlan plan;
  bool online = true;
  std::int64_t busy_next = 0;  // the backend answers 1003 to this many more calls (load)
  std::int64_t calls = 0;
  std::int64_t successful_calls = 0;  // counted on the charging rule
  double credits_earned = 0;

  std::string Id() const { return project + "/" + slug; }
  api::ParamsSchema AllParams() const {
    api::ParamsSchema all = params_schema;
    all.insert(all.end(), json_schema.begin(), json_schema.end());
    return all;
  }
};

struct Consumer {
  std::string id;  // shown in settings, ledger and state instead of the key
  std::string key;
  double balance = 0;
  bool enabled = true;
};

struct DayCount {
  core::TimePoint day;
  std::int64_t count = 0;
};

// Keys are demo values for the mock only.
constexpr const char* kConsumerKey = "mkt_live_7f3a9c2e4b1d8a6f0c5e";
constexpr const char* kEmptyKey = "mkt_live_e0e0a1b2c3d4e5f6a7b8";
constexpr const char* kLowKey = "mkt_live_10w5a6b7c8d9e0f1a2b3";
constexpr const char* kDisabledKey = "mkt_live_d15ab1ed9c8b7a6f5e4d";

constexpr double kDemoPrice = 0.001;  // the seed's example price
constexpr double kDemoBalance = 100;

api::ParamsSchema SeedParamsSchema() {
  // The seed's example Params Schema, verbatim.
  return {{"bindId", true, api::ParamType::kString, "", "绑定用户ID", "123"},
          {"productId", true, api::ParamType::kString, "", "产品ID", "123456"}};
}

class Module final : public ServiceModule {
 public:
  const core::ServiceSpec& Spec() const override { return api::Spec(); }

  void Register(Router& router, MockContext& /*context*/) override {
    // Time comes with each request (MockRequest::now); no other shared facility is needed.
    // One function per endpoint, each after the same Before stage.
    RegisterBehind(router, Spec(), Endpoints(),
                   [this](const core::EndpointSpec&, Call& c) { return Before(c); });
  }

  void Reset(std::uint64_t) override {
    projects_.clear();
    endpoints_.clear();
    consumers_.clear();
    ledger_.clear();
    day_counts_.clear();
    next_ledger_seq_ = 1;

    projects_["demo-shop"] = {"demo-shop", true, true};
    projects_["internal-tools"] = {"internal-tools", false, true};

    AddEndpoint({.project = "demo-shop",
                 .slug = "product-info",
                 .summary = "Product details for a bound user",
                 .backend_url = "https://backend.demo-shop.internal/v1/products/info",
                 .backend = "products",
                 .params_schema = SeedParamsSchema(),
                 .plan = {.kind = api::PlanKind::kPerCall, .price = kDemoPrice}});
    AddEndpoint({.project = "demo-shop",
                 .slug = "product-legacy",
                 .summary = "The old product API (taken offline by its provider)",
                 .backend_url = "https://backend.demo-shop.internal/v0/product",
                 .backend = "products",
                 .params_schema = SeedParamsSchema(),
                 .plan = {.kind = api::PlanKind::kPerCall, .price = kDemoPrice},
                 .online = false});
    AddEndpoint(
        {.project = "demo-shop",
         .slug = "weather-forecast",
         .summary = "Forecast per city; priced by the provider per call (dynamic plan)",
         .backend_url = "https://backend.demo-shop.internal/v1/weather",
         .backend = "weather",
         .json_schema = {{"city", true, api::ParamType::kString, "", "city name", "Shanghai"},
                         {"days", false, api::ParamType::kInt, "1", "forecast days (1-60)", 3},
                         {"cached", false, api::ParamType::kBoolean, false,
                          "accept a cached forecast (free)", false}},
         .plan = {.kind = api::PlanKind::kDynamic}});
    AddEndpoint(
        {.project = "demo-shop",
         .slug = "geo-lookup",
         .summary = "Country of an IPv4 address; tiered: 3 calls at 0.01, 2 at 0.005, then "
                    "free for the day (a flat daily fee of 0.04)",
         .backend_url = "https://backend.demo-shop.internal/v1/geo",
         .backend = "geo",
         .params_schema = {{"ip", true, api::ParamType::kString, "", "IPv4 address", "8.8.8.8"}},
         .plan = {.kind = api::PlanKind::kTiered,
                  .tiers = {{3, 0.01}, {5, 0.005}, {std::nullopt, 0}}}});
    AddEndpoint({.project = "internal-tools",
                 .slug = "audit-log",
                 .summary = "Audit entries (the project is not Public)",
                 .backend_url = "https://tools.internal/audit",
                 .backend = "audit",
                 .params_schema = {{"limit", false, api::ParamType::kInt, "10", "entries", 5}},
                 .plan = {.kind = api::PlanKind::kPerCall, .price = 0.002}});

    AddConsumer({"demo", kConsumerKey, kDemoBalance, true});
    AddConsumer({"empty", kEmptyKey, 0, true});
    AddConsumer({"low", kLowKey, 0.0005, true});
    AddConsumer({"disabled", kDisabledKey, kDemoBalance, false});
  }

  Json Fixtures() const override {
    const Endpoint& demo = endpoints_.at("demo-shop/product-info");
    return {{"project", "demo-shop"},
            {"slug", "product-info"},
            {"consumer_key", kConsumerKey},
            {"empty_balance_key", kEmptyKey},
            {"params", {{"bindId", "123"}, {"productId", "123456"}}},
            {"not_found_product_id", kNotFoundProductId},
            {"busy_product_id", kBusyProductId},
            // Extra roles.
            {"broken_product_id", kBrokenProductId},
            {"failing_product_id", kFailingProductId},
            {"malformed_product_id", kMalformedProductId},
            {"low_balance_key", kLowKey},
            {"disabled_key", kDisabledKey},
            {"consumer_id", "demo"},
            {"consumer_balance", kDemoBalance},
            {"price", kDemoPrice},
            {"params_schema", demo.params_schema},
            {"private_project", "internal-tools"},
            {"private_slug", "audit-log"},
            {"offline_slug", "product-legacy"},
            {"dynamic_slug", "weather-forecast"},
            {"dynamic_params", {{"city", "Shanghai"}, {"days", 3}}},
            {"dynamic_cap", api::kDynamicCap},
            {"tiered_slug", "geo-lookup"},
            {"tiered_params", {{"ip", "8.8.8.8"}}},
            {"tiered_plan", endpoints_.at("demo-shop/geo-lookup").plan}};
  }

  // ---- settings --------------------------------------------------------------------------------

  Json Settings() const override {
    Json s = Json::object();
    for (const auto& [name, p] : projects_) {
      s["project." + name + ".public"] = p.is_public;
      s["project." + name + ".online"] = p.online;
    }
    for (const auto& [id, e] : endpoints_) {
      s["endpoint." + id + ".online"] = e.online;
      s["endpoint." + id + ".busy_next"] = e.busy_next;
    }
    for (const auto& [id, c] : consumers_) {
      s["consumer." + id + ".balance"] = c.balance;
      s["consumer." + id + ".enabled"] = c.enabled;
    }
    return s;
  }

  std::optional<std::string> ApplySettings(const Json& patch) override {
    if (auto err = CheckSettings(patch)) return err;
    CommitSettings(patch);
    return std::nullopt;
  }

  // ---- state -----------------------------------------------------------------------------------

  Json SaveState() const override {
    Json projects = Json::array();
    for (const auto& [name, p] : projects_)
      projects.push_back({{"name", name}, {"public", p.is_public}, {"online", p.online}});
    Json endpoints = Json::array();
    for (const auto& [id, e] : endpoints_) {
      endpoints.push_back({{"project", e.project},
                           {"slug", e.slug},
                           {"summary", e.summary},
                           {"backend_url", e.backend_url},
                           {"params_schema", e.params_schema},
                           {"json_schema", e.json_schema},
                           {"plan", e.plan},
                           {"online", e.online},
                           {"busy_next", e.busy_next},
                           {"calls", e.calls},
                           {"successful_calls", e.successful_calls},
                           {"credits_earned", e.credits_earned}});
    }
    Json consumers = Json::array();
    for (const auto& [id, c] : consumers_) {
      consumers.push_back({{"id", id},
                           {"key", core::MaskSecret(c.key)},
                           {"balance", c.balance},
                           {"enabled", c.enabled}});
    }
    Json counts = Json::array();
    for (const auto& [key, d] : day_counts_) {
      auto bar = key.find('|');
      counts.push_back({{"consumer", key.substr(0, bar)},
                        {"endpoint", key.substr(bar + 1)},
                        {"day", core::FormatIso8601(d.day).substr(0, 10)},
                        {"count", d.count}});
    }
    return {{"projects", projects},
            {"endpoints", endpoints},
            {"consumers", consumers},
            {"ledger", Json(ledger_)},
            {"next_ledger_seq", next_ledger_seq_},
            {"daily_counts", counts},
            {"settings", Settings()}};
  }

  std::optional<std::string> LoadState(const Json& state) override {
    if (!state.is_object()) return "state must be an object";
    // Everything is checked before anything changes.
    Json settings = Json::object();
    if (auto s = state.find("settings"); s != state.end()) {
      if (auto err = CheckSettings(*s)) return err;
      settings = *s;
    }
    struct Stats {
      std::int64_t calls, successful;
      double earned;
    };
    std::map<std::string, Stats> stats;
    if (auto e = state.find("endpoints"); e != state.end()) {
      if (!e->is_array()) return "endpoints must be an array";
      for (const auto& x : *e) {
        std::string id = core::JsonValueOr<std::string>(x, "project", "") + "/" +
                         core::JsonValueOr<std::string>(x, "slug", "");
        if (!endpoints_.contains(id)) return "unknown endpoint '" + id + "'";
        stats[id] = {core::JsonValueOr<std::int64_t>(x, "calls", 0),
                     core::JsonValueOr<std::int64_t>(x, "successful_calls", 0),
                     core::JsonValueOr<double>(x, "credits_earned", 0)};
      }
    }
    std::deque<Json> ledger;
    if (auto l = state.find("ledger"); l != state.end()) {
      if (!l->is_array()) return "ledger must be an array";
      for (const auto& entry : *l) {
        if (!entry.is_object()) return "ledger entries must be objects";
        ledger.push_back(entry);
      }
    }
    std::map<std::string, DayCount> counts;
    if (auto c = state.find("daily_counts"); c != state.end()) {
      if (!c->is_array()) return "daily_counts must be an array";
      for (const auto& x : *c) {
        auto day = core::ParseIso8601(core::JsonValueOr<std::string>(x, "day", ""));
        std::string consumer = core::JsonValueOr<std::string>(x, "consumer", "");
        std::string endpoint = core::JsonValueOr<std::string>(x, "endpoint", "");
        if (!day || !consumers_.contains(consumer) || !endpoints_.contains(endpoint))
          return "daily_counts entries need a known consumer, a known endpoint and a day";
        counts[consumer + "|" + endpoint] = {*day, core::JsonValueOr<std::int64_t>(x, "count", 0)};
      }
    }
    CommitSettings(settings);
    for (const auto& [id, s] : stats) {
      Endpoint& e = endpoints_.at(id);
      e.calls = s.calls;
      e.successful_calls = s.successful;
      e.credits_earned = s.earned;
    }
    ledger_ = std::move(ledger);
    day_counts_ = std::move(counts);
    next_ledger_seq_ = std::max<std::uint64_t>(
        core::JsonValueOr<std::uint64_t>(state, "next_ledger_seq", 1), ledger_.size() + 1);
    return std::nullopt;
  }

  // ---- errors, routes, time --------------------------------------------------------------------

  core::HttpResponse ErrorResponse(int status, const std::string& code,
                                   const std::string& message) const override {
    // Every answer of the platform is a convention body; forced HTTP statuses keep their status
    // and carry the code closest in meaning.
    std::int64_t c = 0;
    if (!code.empty() &&
        std::all_of(code.begin(), code.end(),
                    [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }) &&
        code.size() <= 4) {
      c = std::stoll(code);
    }
    if (!api::IsDocumentedCode(c) || c == 0) c = CodeForStatus(status);
    return JsonResponse(status, Json(api::CallResult{c, nullptr, message, std::nullopt}));
  }

  bool OwnsPath(std::string_view path) const override {
    return path == "/market" || path.starts_with(api::kRoutePrefix);
  }

  void Tick(core::TimePoint now) override {
    // Day counters of past days are no longer needed by the tiered plans.
    core::TimePoint today = core::WindowStart(core::WindowUnit::kDay, now);
    std::erase_if(day_counts_, [&](const auto& kv) { return kv.second.day < today; });
  }

 private:
  static std::int64_t CodeForStatus(int status) {
    switch (status) {
      case 400:
      case 413:
      case 415:
      case 422:
        return api::ToInt(api::Code::kParams);
      case 401:
      case 403:
        return api::ToInt(api::Code::kPermission);
      case 402:
        return api::ToInt(api::Code::kBalance);
      case 404:
      case 405:
      case 410:
        return api::ToInt(api::Code::kNotFound);
      case 429:
        return api::ToInt(api::Code::kBusy);
      default:
        return api::ToInt(api::Code::kInternal);
    }
  }

  void AddEndpoint(Endpoint e) { endpoints_[e.Id()] = std::move(e); }
  void AddConsumer(Consumer c) { consumers_[c.id] = std::move(c); }

  // Splits "<prefix><middle><suffix>" and returns the middle.
  static std::optional<std::string> Middle(const std::string& name, std::string_view prefix,
                                           std::string_view suffix) {
    if (name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) &&
        name.ends_with(suffix))
      return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    return std::nullopt;
  }

  // Kinds of settings and where they live; nullopt for an unknown name.
  enum class Kind { kBool, kCount, kCredits };
  struct Target {
    Kind kind;
    bool* flag = nullptr;
    std::int64_t* count = nullptr;
    double* credits = nullptr;
  };
  std::optional<Target> FindSetting(const std::string& name) {
    auto in = [&](auto& map, const std::optional<std::string>& key) {
      return key && map.contains(*key) ? &map.at(*key) : nullptr;
    };
    if (auto* p = in(projects_, Middle(name, "project.", ".public")))
      return Target{Kind::kBool, &p->is_public};
    if (auto* p = in(projects_, Middle(name, "project.", ".online")))
      return Target{Kind::kBool, &p->online};
    if (auto* e = in(endpoints_, Middle(name, "endpoint.", ".online")))
      return Target{Kind::kBool, &e->online};
    if (auto* e = in(endpoints_, Middle(name, "endpoint.", ".busy_next")))
      return Target{Kind::kCount, nullptr, &e->busy_next};
    if (auto* c = in(consumers_, Middle(name, "consumer.", ".enabled")))
      return Target{Kind::kBool, &c->enabled};
    if (auto* c = in(consumers_, Middle(name, "consumer.", ".balance")))
      return Target{Kind::kCredits, nullptr, nullptr, &c->balance};
    return std::nullopt;
  }

  std::optional<std::string> CheckSettings(const Json& patch) {
    if (!patch.is_object()) return "settings must be a JSON object";
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      auto target = FindSetting(it.key());
      if (!target) return "unknown setting '" + it.key() + "'";
      switch (target->kind) {
        case Kind::kBool:
          if (!it->is_boolean()) return it.key() + " must be true or false";
          break;
        case Kind::kCount:
          if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return it.key() + " must be a non-negative integer";
          break;
        case Kind::kCredits:
          if (!it->is_number() || !(it->get<double>() >= 0) || it->get<double>() > 1e12)
            return it.key() + " must be a number of credits >= 0";
          break;
      }
    }
    return std::nullopt;
  }

  // Applies a patch that CheckSettings accepted.
  void CommitSettings(const Json& patch) {
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      auto target = FindSetting(it.key());
      switch (target->kind) {
        case Kind::kBool:
          *target->flag = it->get<bool>();
          break;
        case Kind::kCount:
          *target->count = it->get<std::int64_t>();
          break;
        case Kind::kCredits:
          *target->credits = api::RoundCredits(it->get<double>());
          break;
      }
    }
  }

  static core::HttpResponse Answer(const api::CallResult& r) { return JsonResponse(200, Json(r)); }
  static core::HttpResponse Fail(api::Code code, std::string msg, Json result = nullptr) {
    return Answer(
        api::CallResult{api::ToInt(code), std::move(result), std::move(msg), std::nullopt});
  }

  std::int64_t& CountedToday(const std::string& consumer, const Endpoint& e, core::TimePoint now) {
    DayCount& d = day_counts_[consumer + "|" + e.Id()];
    core::TimePoint today = core::WindowStart(core::WindowUnit::kDay, now);
    if (d.day != today) d = {today, 0};
    return d.count;
  }

  // A call on its way to its endpoint's function.
  struct Call {
    MockRequest& r;
    Consumer* consumer = nullptr;
    Endpoint* endpoint = nullptr;
  };
  using EndpointFn = std::function<core::HttpResponse(Call&)>;

  // What every call gets before its endpoint's function: the consumer key (1004) and the
  // provider's endpoint, public and online (1002, 1004). The answer when the call stops here.
  std::optional<core::HttpResponse> Before(Call& call) {
    const MockRequest& r = call.r;
    // 1004: the consumer key.
    auto auth = r.http.headers.Get("Authorization");
    if (!auth || !auth->starts_with("Bearer ") || auth->size() == 7)
      return Fail(api::Code::kPermission,
                  "Missing or malformed Authorization: expected 'Bearer <consumer key>'");
    std::string key = auth->substr(7);
    auto consumer = std::find_if(consumers_.begin(), consumers_.end(),
                                 [&](const auto& kv) { return kv.second.key == key; });
    if (consumer == consumers_.end()) return Fail(api::Code::kPermission, "Invalid consumer key");
    Consumer& c = consumer->second;
    if (!c.enabled) return Fail(api::Code::kPermission, "Consumer key is disabled");

    // 1002 / 1004: the endpoint and its project.
    const std::string project_name = r.Param("project");
    const std::string slug = r.Param("slug");
    auto project = projects_.find(project_name);
    auto endpoint = endpoints_.find(project_name + "/" + slug);
    if (project == projects_.end() || endpoint == endpoints_.end())
      return Fail(api::Code::kNotFound, "Endpoint not found: " + project_name + "/" + slug);
    if (!project->second.is_public)
      return Fail(api::Code::kPermission, "Project " + project_name + " is not public");
    if (!project->second.online)
      return Fail(api::Code::kNotFound, "Project " + project_name + " is offline");
    Endpoint& e = endpoint->second;
    if (!e.online) return Fail(api::Code::kNotFound, "Endpoint " + e.Id() + " is offline");
    call.consumer = &c;
    call.endpoint = &e;
    return std::nullopt;
  }

  // The function of each endpoint: the params from the query, and for POST from the JSON body
  // (1001), then the call itself.
  EndpointTable<EndpointFn> Endpoints() {
    EndpointTable<EndpointFn> t;
    t.Add(api::kCall, [this](Call& c) {
      Json params = api::QueryToJson(c.r.query);
      std::string_view body = c.r.http.body;
      bool blank = std::all_of(body.begin(), body.end(), [](char ch) {
        return std::isspace(static_cast<unsigned char>(ch));
      });
      if (!blank) {
        auto parsed = core::RequestJson(c.r.http);  // in process: the client's value
        if (!parsed.ok() || !parsed->is_object())
          return Fail(api::Code::kParams, "The request body must be a JSON object of params");
        for (auto it = parsed->begin(); it != parsed->end(); ++it) params[it.key()] = *it;
      }
      return Invoke(c, core::Method::kPost, params);
    });
    t.Add(api::kCallGet, [this](Call& c) {
      const Endpoint& e = *c.endpoint;
      if (!e.json_schema.empty()) {
        return Fail(api::Code::kParams,
                    "Endpoint " + e.Id() + " has a Json Schema: call it with POST and a JSON body");
      }
      return Invoke(c, core::Method::kGet, api::QueryToJson(c.r.query));
    });
    return t;
  }

  // A call whose params were read: the required ones present (1001), the balance (1005), then the
  // provider's backend, the charge and the ledger.
  core::HttpResponse Invoke(Call& call, core::Method method, const Json& params) {
    const MockRequest& r = call.r;
    Consumer& c = *call.consumer;
    Endpoint& e = *call.endpoint;
    // 1001: params (the platform only checks that required ones are there).
    const api::ParamsSchema schema = e.AllParams();
    auto missing =
        api::CheckParams(schema, params, {.check_types = false, .apply_defaults = false});
    if (!missing.ok())
      return Fail(api::Code::kParams, api::ParamsErrorMessage(missing.errors),
                  api::ParamsErrorResult(missing.errors));

    // 1005: the balance must cover the call.
    std::int64_t& counted = CountedToday(c.id, e, r.now);
    double needed = api::RequiredBalance(e.plan, counted);
    if (c.balance < needed) {
      return Fail(api::Code::kBalance, "Balance insufficient: the call needs " +
                                           FormatCredits(needed) + " credits, the balance is " +
                                           FormatCredits(c.balance));
    }

    // The provider's backend.
    ++e.calls;
    BackendReply reply;
    if (e.busy_next > 0) {
      --e.busy_next;
      reply = {503, core::DumpJson(
                        Json(api::Failure(api::Code::kBusy, "provider overloaded, retry later")))};
    } else if (const Backend* backend = FindBackend(e.backend)) {
      reply = (*backend)({method, params, &schema});
    } else {
      reply = {502, ""};
    }
    auto check = api::CheckBackendBody(reply.body, &e.plan);
    api::BackendResponse response;
    if (check.ok()) {
      response = *check.response;
    } else {
      // The backend's own words stay internal: they may name the hidden URL.
      response =
          api::Failure(api::Code::kInternal, "The provider's service failed to answer properly");
    }
    api::Charge charge = check.ok() ? api::ComputeCharge(e.plan, response, counted) : api::Charge{};
    if (!check.ok()) charge.reason = "not charged: backend answer outside the convention";
    if (charge.counted) {
      ++counted;
      ++e.successful_calls;
    }
    c.balance = api::RoundCredits(c.balance - charge.credits);
    e.credits_earned = api::RoundCredits(e.credits_earned + charge.credits);
    Record(c, e, reply, response, charge, r.now);
    return Answer(api::ConsumerView(response, charge));
  }

  static std::string FormatCredits(double v) {
    Json j = api::RoundCredits(v);
    return core::DumpJson(j);
  }

  void Record(const Consumer& c, const Endpoint& e, const BackendReply& reply,
              const api::BackendResponse& response, const api::Charge& charge,
              core::TimePoint now) {
    Json entry = {{"seq", next_ledger_seq_++},
                  {"time", core::FormatIso8601(now)},
                  {"consumer", c.id},
                  {"endpoint", e.Id()},
                  {"plan", api::ToString(e.plan.kind)},
                  {"backend_status", reply.status},
                  {"code", response.code},
                  {"counted", charge.counted},
                  {"charged", charge.credits},
                  {"balance_after", c.balance},
                  {"reason", charge.reason}};
    if (response.force_deduct) entry["forceDeduct"] = *response.force_deduct;
    if (response.credits_deduct) entry["creditsDeduct"] = *response.credits_deduct;
    ledger_.push_back(std::move(entry));
    while (ledger_.size() > kLedgerCapacity) ledger_.pop_front();
  }

  std::map<std::string, Project> projects_;
  std::map<std::string, Endpoint> endpoints_;  // by "project/slug"
  std::map<std::string, Consumer> consumers_;  // by consumer id
  std::deque<Json> ledger_;
  std::uint64_t next_ledger_seq_ = 1;
  std::map<std::string, DayCount> day_counts_;  // by "consumer|project/slug"
};

}  // namespace

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

}  // namespace restbox::mock::market
