// The runner of restbox-check: the contract sweep's rows and cases (mock-server/contract) against
// a target, every answer checked by CheckAnswer (answer.cpp).
#include "restbox/check/check.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <regex>
#include <set>
#include <utility>

#include "http_admin.hpp"
#include "restbox/check/pacer.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"
#ifdef RESTBOX_CHECK_HAS_CURL
#include "restbox/transports/curl_transport.hpp"
#endif
#include "restbox/transports/in_process_transport.hpp"
#include "sweep.hpp"

namespace restbox::check {
namespace {

using core::Json;

// ---- capture
// -------------------------------------------------------------------------------------

struct ExchangeLog {
  std::mutex mutex;
  std::vector<Exchange> exchanges;
  std::vector<Exchange> Take() {
    std::lock_guard lock(mutex);
    return std::exchange(exchanges, {});
  }
};

// Records every exchange of the row under way (the check reads the last one: the request under
// test; the reports show them all).
class RecordingTransport final : public core::Transport {
 public:
  RecordingTransport(std::shared_ptr<core::Transport> inner, std::shared_ptr<ExchangeLog> log,
                     std::shared_ptr<core::Clock> clock)
      : inner_(std::move(inner)), log_(std::move(log)), clock_(std::move(clock)) {}
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion done) override {
    Exchange x;
    x.at = clock_->Now();
    x.request = request;
    auto log = log_;
    inner_->Send(std::move(request), context,
                 [log, x, done](core::Result<core::HttpResponse> r) mutable {
                   if (r.ok())
                     x.response = *r;
                   else
                     x.error = r.error().Describe();
                   {
                     std::lock_guard lock(log->mutex);
                     log->exchanges.push_back(x);
                   }
                   done(std::move(r));
                 });
  }

 private:
  std::shared_ptr<core::Transport> inner_;
  std::shared_ptr<ExchangeLog> log_;
  std::shared_ptr<core::Clock> clock_;
};

// ---- the admin side of a server that is not restbox-mock ----------------------------------------

struct AdminUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// No reset (the server keeps its state), the fixtures of --fixtures plus the ids chained from
// creates, and no admin API: a row that needs one is skipped.
class FixturesOnlyAdmin final : public contract::MockAdmin {
 public:
  explicit FixturesOnlyAdmin(std::shared_ptr<Json> fixtures) : fixtures_(std::move(fixtures)) {}
  contract::Task<bool> Reset() override { co_return true; }
  contract::Task<Json> Fixtures() override { co_return *fixtures_; }
  contract::Task<std::optional<std::string>> ApplySettings(std::string, Json) override {
    throw AdminUnavailable("needs restbox-mock's admin API (settings)");
  }
  contract::Task<bool> AdvanceClock(core::Duration) override {
    throw AdminUnavailable("needs restbox-mock's admin API (clock)");
  }
  contract::Task<bool> AddFault(Json) override {
    throw AdminUnavailable(
        "needs restbox-mock's admin API (a fault rule: a real server's 5xx cannot be caused)");
  }

 private:
  std::shared_ptr<Json> fixtures_;
};

// ---- rows
// ------------------------------------------------------------------------------------------

// Ids a create returns, used by the later rows of the run in place of the fixture's: a server
// that starts empty can be checked, and the run shares, revokes and deletes what it created (so a
// second run on the same server finds the fixtures' resources as the first one did).
struct ChainRule {
  const char* service;
  const char* endpoint;
  const char* pointer;  // JSON pointer into the success body
  const char* role;     // the fixture it provides
};
constexpr ChainRule kChain[] = {
    {"chikage", "create", "/id", "test_record_id"},
    {"inventory", "templates.create", "/data/token", "template_token"},
    {"inventory", "templates.share", "/data/shareToken", "share_token"},
    {"findhelper", "jobs.create", "/data/id", "job_id"},
    {"wncms", "posts.store", "/data/id", "post_id"},
    {"wncms", "tags.store", "/data/id", "tag_id"},
    {"wncms", "menus.store", "/data/id", "menu_id"},
};

// Writes a service applies asynchronously: chikage queues every write (API-CONTRACT section 1: a
// GET of a record whose create is still queued answers 404), so a row that uses a record this run
// created asks again until the record shows, instead of failing a server that is merely slow.
struct SettleRule {
  const char* service;
  const char* role;  // the chained fixture the row uses
};
constexpr SettleRule kSettle[] = {{"chikage", "test_record_id"}};
constexpr core::Duration kSettleStep{500};
constexpr core::Duration kSettleFor{10'000};

int LastStatus(const std::vector<Exchange>& exchanges) {
  return exchanges.empty() || !exchanges.back().response ? 0 : exchanges.back().response->status;
}

// Producers of chained ids first (in chain order), consumers that end a resource (delete, revoke)
// last, the rest in table order: create -> get -> replace -> delete.
int Rank(const contract::Row& row) {
  for (std::size_t i = 0; i < std::size(kChain); ++i) {
    if (row.service == kChain[i].service && row.endpoint == kChain[i].endpoint)
      return static_cast<int>(i);
  }
  if (row.endpoint.find("delete") != std::string::npos ||
      row.endpoint.find("revoke") != std::string::npos)
    return 1000;
  return 100;
}

bool IsWrite(const core::EndpointSpec& ep) {
  switch (ep.method) {
    case core::Method::kGet:
    case core::Method::kHead:
    case core::Method::kOptions:
      return false;
    case core::Method::kPost:
      return !ep.idempotent;
    default:
      return true;
  }
}

std::string MissingFixture(const std::string& service, const std::string& what) {
  auto at = what.find("key '");
  if (at == std::string::npos) return service;
  auto end = what.find('\'', at + 5);
  std::string key = what.substr(at + 5, end - at - 5);
  return key == service ? service : service + "." + key;
}

}  // namespace

std::string_view ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kSkip:
      return "skip";
  }
  return "skip";
}

std::string RowResult::Id() const {
  std::string id = service + "/" + endpoint + "/" + std::to_string(status);
  if (!code.empty()) id += "/" + code;
  return id + "/" + mode;
}

// A row of the plan: a contract row (realistic or forced) or a provider row (--market-provider).
struct PlannedRow {
  contract::Row row;
  bool forced = false;
  int provider = -1;  // index into kProviderRows, -1 = a contract row
};

namespace {

struct ProviderRow {
  const char* code;
  const char* product_role;  // productId from this fixture role ("" = the params as given,
                             // nullptr = productId left out)
  const char* trigger;
};
// The seed: "本平台会检查必传参数是否缺失 ... 因此供应商也应该对参数进行校验" (the platform
// checks required params are present, so providers should validate them too): a provider
// answers a missing required param with 1001 (参数错误).
constexpr ProviderRow kProviderRows[] = {
    {"0", "", "the fixture params"},
    {"1001", nullptr, "params without productId (a required param)"},
    {"1002", "not_found_product_id", "params with productId = not_found_product_id"},
    {"1003", "busy_product_id", "params with productId = busy_product_id"},
};

std::string CellOf(const RowResult& r) {
  std::string cell = r.service + " " + r.endpoint + " " + std::to_string(r.status);
  if (!r.code.empty()) cell += " " + r.code;
  return cell;
}

}  // namespace

struct Session::Impl {
  CheckOptions options;
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<core::Scheduler> scheduler;
  std::shared_ptr<core::Transport> network;
  std::shared_ptr<ExchangeLog> log = std::make_shared<ExchangeLog>();
  std::shared_ptr<Pacer> pacer;
  std::map<std::string, contract::Target> targets;  // service -> target
  std::shared_ptr<Json> fixtures = std::make_shared<Json>(Json::object());
  Json given = Json::object();  // what --fixtures gave
  bool realistic_only = false;
  std::string target_name;
  std::vector<contract::Case> cases = contract::AllCases();
  // --market-provider: the provider endpoint's target.
  std::optional<contract::Target> provider;
  // "service/role" of the fixtures a create of this run replaced (Chain).
  std::set<std::string> chained;
  // --compare-mock: the in-process mock and its recorder.
  std::optional<contract::Target> reference;
  std::shared_ptr<ExchangeLog> reference_log = std::make_shared<ExchangeLog>();

  // The run's rows in order, and what each is.
  std::vector<RowResult> rows;
  std::vector<PlannedRow> plan;
  std::optional<std::regex> only;
  std::shared_ptr<contract::HttpAdmin> mock_admin;  // kMockUrl

  explicit Impl(CheckOptions o) : options(std::move(o)) {
    if (!options.only.empty()) {
      try {
        only.emplace(options.only, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        throw ConfigError("--only \"" + options.only + "\" is not a valid regular expression (" +
                          e.what() + ")");
      }
    }
    if (options.budget < 0) throw ConfigError("--budget must be a positive number of requests");
    clock = options.clock ? options.clock
                          : std::static_pointer_cast<core::Clock>(core::SystemClock::Instance());
    scheduler = options.scheduler;
    if (!scheduler) scheduler = std::dynamic_pointer_cast<core::Scheduler>(clock);
    if (!scheduler) scheduler = core::DefaultScheduler();
    pacer = std::make_shared<Pacer>(clock, scheduler, options.budget);
    network = options.transport;
    if (!network && options.kind != CheckOptions::Kind::kInProcess) {
#ifdef RESTBOX_CHECK_HAS_CURL
      transports::CurlOptions curl;
      curl.no_proxy = "127.0.0.1,localhost,::1";
      network = std::make_shared<transports::CurlTransport>(curl);
#else
      throw ConfigError(
          "this build has no default network transport: give CheckOptions::transport");
#endif
    }
    Setup();
    Plan();
  }

  // The rows in the order they run: realistic, then forced; against named servers the producers
  // of chained ids first and what ends a resource last (Rank), services not named left out.
  void Plan() {
    std::vector<contract::Row> all = contract::AllRows();
    if (realistic_only) {
      std::stable_sort(all.begin(), all.end(), [](const contract::Row& a, const contract::Row& b) {
        if (a.service != b.service) return false;
        return Rank(a) < Rank(b);
      });
    }
    for (bool forced : {false, true}) {
      for (const auto& row : all) {
        // As in the sweep: a success is reached realistically; forcing is for the error rows.
        if (forced && row.success) continue;
        RowResult r = Identity(row, forced);
        if (only && !std::regex_search(r.Id(), *only)) continue;
        if (realistic_only && !targets.count(row.service)) continue;
        rows.push_back(std::move(r));
        plan.push_back({row, forced, -1});
      }
    }
    if (!provider) return;
    for (std::size_t i = 0; i < std::size(kProviderRows); ++i) {
      const ProviderRow& pr = kProviderRows[i];
      RowResult r;
      r.service = "market";
      r.endpoint = "provider";
      r.status = 200;
      r.code = pr.code == std::string("0") ? "" : pr.code;
      r.mode = "realistic";
      r.trigger = std::string("POST to the provider endpoint: ") + pr.trigger;
      if (only && !std::regex_search(r.Id(), *only)) continue;
      rows.push_back(std::move(r));
      plan.push_back({{}, false, static_cast<int>(i)});
    }
  }

  RowResult Identity(const contract::Row& row, bool forced) const {
    RowResult r;
    r.service = row.service;
    r.endpoint = row.endpoint;
    r.status = row.status;
    r.code = row.code;
    r.mode = forced ? "forced" : "realistic";
    if (const contract::Case* c = contract::FindCase(cases, row, forced))
      r.trigger =
          forced ? "Prefer: code=" + (row.code.empty() ? std::to_string(row.status) : row.code) +
                       " on: " + c->trigger
                 : c->trigger;
    return r;
  }

  static void CheckUrl(const std::string& what, const std::string& url) {
    auto parsed = core::ParseUrl(url);
    if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https") || parsed->host.empty())
      throw ConfigError(what + " \"" + url + "\" is not an absolute http:// or https:// URL");
  }

  void Setup() {
    if (options.fixtures) {
      if (!options.fixtures->is_object())
        throw ConfigError(
            "--fixtures: the file must hold a JSON object (the shape of GET /__restbox/fixtures)");
      given = *options.fixtures;
    }
    auto recording = [&](std::shared_ptr<core::Transport> t) {
      return std::make_shared<RecordingTransport>(std::move(t), log, clock);
    };
    std::vector<std::string> all;
    for (const auto* spec : services::AllSpecs()) all.push_back(spec->id);
    switch (options.kind) {
      case CheckOptions::Kind::kInProcess: {
        auto server = options.server ? options.server : mock::MakeMockServer();
        contract::Target t = contract::InProcessTarget(server, "in_process");
        t.transport = recording(t.transport);
        for (const auto& id : all) targets[id] = t;
        target_name = "in_process";
        break;
      }
      case CheckOptions::Kind::kMockUrl: {
        CheckUrl("--mock-url", options.mock_url);
        std::string root = options.mock_url;
        while (!root.empty() && root.back() == '/') root.pop_back();
        auto admin = std::make_shared<contract::HttpAdmin>(network, root);
        mock_admin = admin;  // Connect() asks it for its health
        contract::Target t{"mock_url", recording(network), root, admin};
        for (const auto& id : all) targets[id] = t;
        target_name = root;
        break;
      }
      case CheckOptions::Kind::kServices: {
        if (options.services.empty() && options.market_provider.empty())
          throw ConfigError("no --service ID=BASE_URL (or --market-provider URL) given");
        if (!(options.limit_scale > 0) || options.limit_scale > 1e6)
          throw ConfigError("--limit-scale must be a positive number");
        realistic_only = true;
        *fixtures = given;
        for (const auto& s : options.services) {
          if (!services::FindSpec(s.id)) {
            std::string known;
            for (const auto& id : all) known += (known.empty() ? "" : ", ") + id;
            throw ConfigError("--service " + s.id + "=...: unknown service (known: " + known + ")");
          }
          if (targets.count(s.id)) throw ConfigError("--service " + s.id + " given twice");
          CheckUrl("--service " + s.id, s.base_url);
          pacer->SetLimits(s.id, ScaledLimits(DocumentedLimits(s.id), options.limit_scale));
          // Recorded inside the pacer: an exchange's time is when it was really sent.
          auto paced = std::make_shared<PacedTransport>(recording(network), pacer, s.id);
          targets[s.id] = contract::Target{s.id, paced, s.base_url,
                                           std::make_shared<FixturesOnlyAdmin>(fixtures)};
          target_name += (target_name.empty() ? "" : " ") + s.id + "=" + s.base_url;
        }
        if (!options.market_provider.empty()) {
          CheckUrl("--market-provider", options.market_provider);
          // The platform documents no limit on a provider's backend: paced like market itself.
          auto paced = std::make_shared<PacedTransport>(recording(network), pacer, "market");
          provider = contract::Target{"market_provider", paced, options.market_provider, nullptr};
          target_name += (target_name.empty() ? "" : " ") + std::string("market-provider=") +
                         options.market_provider;
        }
        break;
      }
    }
    if (options.compare_mock) {
      if (options.kind == CheckOptions::Kind::kInProcess)
        throw ConfigError(
            "--compare-mock compares a target with the in-process mock: give --service or "
            "--mock-url");
      contract::Target t = contract::InProcessTarget(mock::MakeMockServer(), "in_process");
      t.transport = std::make_shared<RecordingTransport>(t.transport, reference_log, clock);
      reference = t;
    }
  }

  // What the client said about the last case run (why nothing was sent, when nothing was).
  std::string last_error;

  // Runs one case and returns its exchanges (throws what the case throws).
  contract::Task<std::vector<Exchange>> RunOne(const contract::Target& target,
                                               const contract::Row& row, const contract::Case& c,
                                               bool forced, std::shared_ptr<ExchangeLog> from) {
    from->Take();
    try {
      auto outcome = co_await contract::RunCase(target, row, c, forced);
      last_error = outcome.ok ? "" : outcome.error.message;
    } catch (...) {
      from->Take();
      throw;
    }
    co_return from->Take();
  }

  contract::Task<RowResult> RunRow(const contract::Row& row, bool forced) {
    RowResult r = Identity(row, forced);
    const contract::Case* c = contract::FindCase(cases, row, forced);
    auto target = targets.find(row.service);
    const auto* ep = services::FindSpec(row.service)->Find(row.endpoint);
    auto skip = [&](std::string why) {
      r.outcome = Outcome::kSkip;
      r.reason = std::move(why);
      return r;
    };
    if (target == targets.end()) co_return skip("no --service " + row.service + "=URL given");
    if (!c)
      co_return skip("no case reaches this row" +
                     std::string(forced ? " forced" : " realistically"));
    if (realistic_only) {
      if (forced)
        co_return skip("forced rows (Prefer: code=...) need restbox-mock; not sent to this server");
      if (row.status == 429 && !options.include_limits)
        co_return skip("rate-limit and quota rows run only with --include-limits");
      if (IsWrite(*ep) && !options.allow_writes)
        co_return skip("writes run only with --allow-writes");
    }
    if (pacer->budget_exhausted())
      co_return skip("the request budget (--budget " + std::to_string(options.budget) +
                     ") is used up");

    auto started = std::chrono::steady_clock::now();
    pacer->SetUnpaced(row.status == 429);
    try {
      r.exchanges = co_await RunOne(target->second, row, *c, forced, log);
      if (Settling(row) && LastStatus(r.exchanges) == 404) {
        auto deadline = clock->Now() + kSettleFor;
        int asked = 1;
        while (LastStatus(r.exchanges) == 404 && clock->Now() < deadline &&
               !pacer->budget_exhausted()) {
          co_await contract::Delay{scheduler, kSettleStep};
          auto more = co_await RunOne(target->second, row, *c, forced, log);
          r.exchanges.insert(r.exchanges.end(), more.begin(), more.end());
          ++asked;
        }
        r.reason = "the record was created by this run and its write is queued: asked " +
                   std::to_string(asked) + " times while it answered 404";
      }
    } catch (const AdminUnavailable& e) {
      pacer->SetUnpaced(false);
      co_return skip(e.what());
    } catch (const Json::out_of_range& e) {
      pacer->SetUnpaced(false);
      co_return skip("missing fixture " + MissingFixture(row.service, e.what()));
    } catch (const Json::exception& e) {
      pacer->SetUnpaced(false);
      co_return skip("a fixture of " + row.service + " has the wrong type (" + e.what() + ")");
    } catch (const std::exception& e) {
      pacer->SetUnpaced(false);
      r.outcome = Outcome::kFail;
      r.reason = std::string("the row could not run: ") + e.what();
      co_return r;
    }
    pacer->SetUnpaced(false);
    r.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();

    if (r.exchanges.empty()) {
      if (pacer->cancelled()) co_return skip("the run was stopped before this row's request left");
      if (pacer->budget_exhausted())
        co_return skip("the request budget (--budget " + std::to_string(options.budget) +
                       ") is used up");
      r.outcome = Outcome::kFail;
      r.reason = "no request was sent" + (last_error.empty() ? "" : ": " + last_error);
      co_return r;
    }
    const Exchange& last = r.exchanges.back();
    if (!last.response) {
      if (pacer->budget_exhausted())
        co_return skip("the request budget (--budget " + std::to_string(options.budget) +
                       ") is used up");
      r.outcome = Outcome::kFail;
      r.problems.push_back({"$", "an HTTP answer", last.error});
      co_return r;
    }
    std::vector<std::string> notes;
    r.problems = CheckAnswer(row.service, row.endpoint, row.status, row.code, row.success,
                             *last.response, notes, &last.request);
    r.outcome = r.problems.empty() ? Outcome::kPass : Outcome::kFail;
    for (const auto& n : notes) r.reason += (r.reason.empty() ? "" : "; ") + n;
    if (r.outcome == Outcome::kPass && row.success) Chain(row, *last.response);
    if (reference && !forced) co_await Compare(row, *c, r);
    co_return r;
  }

  void Chain(const contract::Row& row, const core::HttpResponse& response) {
    if (!realistic_only) return;
    for (const auto& rule : kChain) {
      if (row.service != rule.service || row.endpoint != rule.endpoint) continue;
      auto body = core::ParseJson(response.body);
      if (!body.ok()) continue;
      Json::json_pointer ptr(rule.pointer);
      if (!body->contains(ptr)) continue;
      (*fixtures)[rule.service][rule.role] = body->at(ptr);
      chained.insert(std::string(rule.service) + "/" + rule.role);
    }
  }

  // A success row on a resource this run created, of a service that applies writes later.
  bool Settling(const contract::Row& row) const {
    if (!realistic_only || !row.success) return false;
    for (const auto& rule : kSettle) {
      if (row.service == rule.service && Rank(row) >= 100 &&
          chained.count(std::string(rule.service) + "/" + rule.role))
        return true;
    }
    return false;
  }

  // ---- --compare-mock ----
  static void Shape(const Json& v, const std::string& path,
                    std::map<std::string, std::string>& out) {
    out[path] = v.is_number() ? "number" : std::string(v.type_name());
    if (v.is_object()) {
      for (const auto& [k, sub] : v.items()) Shape(sub, path + "." + k, out);
    } else if (v.is_array() && !v.empty()) {
      Shape(v.front(), path + "[0]", out);
    }
  }

  static std::string ServiceCode(const std::string& service, const std::string& endpoint,
                                 const core::HttpResponse& resp) {
    const auto* entry = services::FindService(service);
    auto r = entry->interpret(*entry->spec->Find(endpoint), resp);
    if (r.ok()) return "success";
    return r.error().code.empty() ? std::string(core::ToString(r.error().kind)) : r.error().code;
  }

  contract::Task<bool> Compare(const contract::Row& row, const contract::Case& c, RowResult& r) {
    std::vector<Exchange> mine;
    std::string failed;
    try {
      mine = co_await RunOne(*reference, row, c, false, reference_log);
    } catch (const std::exception& e) {
      failed = e.what();
    }
    if (!failed.empty()) {
      r.reason += std::string(r.reason.empty() ? "" : "; ") +
                  "--compare-mock: the row did not run on the in-process mock: " + failed;
      co_return false;
    }
    Drift(row, mine, r);
    co_return true;
  }

  void Drift(const contract::Row& row, const std::vector<Exchange>& mine, RowResult& r) {
    if (mine.empty() || !mine.back().response || !r.exchanges.back().response) return;
    r.compared = true;
    const auto& m = *mine.back().response;
    const auto& t = *r.exchanges.back().response;
    if (m.status != t.status)
      r.drift.push_back({"status", "mock " + std::to_string(m.status), std::to_string(t.status)});
    std::string mc = ServiceCode(row.service, row.endpoint, m),
                tc = ServiceCode(row.service, row.endpoint, t);
    if (mc != tc) r.drift.push_back({"code", "mock " + mc, tc});
    auto mb = core::ParseJson(m.body), tb = core::ParseJson(t.body);
    if (!mb.ok() || !tb.ok()) {
      if (mb.ok() != tb.ok())
        r.drift.push_back(
            {"$", mb.ok() ? "mock JSON" : "mock not JSON", tb.ok() ? "JSON" : "not JSON"});
      return;
    }
    std::map<std::string, std::string> ms, ts;
    Shape(*mb, "$", ms);
    Shape(*tb, "$", ts);
    // A member one side lacks is one difference, not one per member below it.
    auto under = [](const std::string& path, const std::string& parent) {
      return !parent.empty() && path.size() > parent.size() &&
             path.compare(0, parent.size(), parent) == 0 &&
             (path[parent.size()] == '.' || path[parent.size()] == '[');
    };
    std::string absent;
    for (const auto& [path, type] : ms) {
      if (under(path, absent)) continue;
      auto it = ts.find(path);
      if (it == ts.end()) {
        r.drift.push_back({path, "mock " + type, "absent"});
        absent = path;
      } else if (it->second != type && type != "null" && it->second != "null") {
        r.drift.push_back({path, "mock " + type, it->second});
      }
    }
    absent.clear();
    for (const auto& [path, type] : ts) {
      if (under(path, absent)) continue;
      if (!ms.count(path)) {
        r.drift.push_back({path, "mock absent", type});
        absent = path;
      }
    }
  }

  // A provider row (--market-provider): the provider convention.
  contract::Task<RowResult> RunProviderRow(std::size_t index, const ProviderRow& pr) {
    RowResult r = rows[index];
    const auto& target = *provider;
    const Json& fix = *fixtures;
    auto missing = [&](const std::string& role) {
      return !fix.contains("market") || !fix["market"].contains(role);
    };
    if (missing("params")) {
      r.reason = "missing fixture market.params";
      co_return r;
    }
    if (pr.product_role && *pr.product_role && missing(pr.product_role)) {
      r.reason = std::string("missing fixture market.") + pr.product_role;
      co_return r;
    }
    if (pacer->budget_exhausted()) {
      r.reason = "the request budget (--budget " + std::to_string(options.budget) + ") is used up";
      co_return r;
    }
    Json params = fix["market"]["params"];
    if (!pr.product_role)
      params.erase("productId");
    else if (*pr.product_role)
      params["productId"] = fix["market"][pr.product_role];
    core::HttpRequest req;
    req.method = core::Method::kPost;
    req.url = target.base_url;
    req.headers.Set("Content-Type", "application/json");
    req.headers.Set("Accept", "application/json");
    req.body = core::DumpJson(params);
    core::Context ctx;
    ctx.timeout = core::Duration(10'000);
    core::Promise<core::HttpResponse> promise;
    auto future = promise.GetFuture();
    log->Take();
    target.transport->Send(
        req, ctx, [promise](core::Result<core::HttpResponse> res) { promise.Set(std::move(res)); });
    core::Result<core::HttpResponse> res = co_await std::move(future);
    r.exchanges = log->Take();
    if (!res.ok()) {
      r.outcome = Outcome::kFail;
      r.problems.push_back({"$", "an HTTP answer", res.error().Describe()});
    } else {
      std::vector<std::string> notes;
      r.problems = CheckProviderAnswer(*res, pr.code, notes);
      r.outcome = r.problems.empty() ? Outcome::kPass : Outcome::kFail;
      for (const auto& n : notes) r.reason += (r.reason.empty() ? "" : "; ") + n;
    }
    co_return r;
  }
};

Session::Session(CheckOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Session::~Session() = default;

contract::Task<bool> Session::Connect() {
  if (!impl_->mock_admin) co_return true;
  std::string failed;
  try {
    (void)co_await impl_->mock_admin->Health();
  } catch (const std::exception& e) {
    failed = e.what();
  }
  if (!failed.empty())
    throw ConfigError("--mock-url " + impl_->target_name +
                      " does not answer restbox-mock's admin API: " + failed);
  co_return true;
}

const std::vector<RowResult>& Session::rows() const {
  return impl_->rows;
}

std::int64_t Session::requests_sent() const {
  return impl_->pacer->sent();
}

void Session::Cancel() {
  impl_->pacer->Cancel("the run was stopped");
}

contract::Task<RowResult> Session::RunRow(std::size_t index) {
  const PlannedRow& p = impl_->plan.at(index);
  if (p.provider >= 0)
    co_return co_await impl_->RunProviderRow(index,
                                             kProviderRows[static_cast<std::size_t>(p.provider)]);
  co_return co_await impl_->RunRow(p.row, p.forced);
}

Summary Session::Summarize(const std::vector<RowResult>& results, double elapsed_ms) const {
  Summary s;
  s.target = impl_->target_name;
  std::map<std::string, bool> cells;  // cell -> exercised
  for (const auto& r : impl_->rows) cells.emplace(CellOf(r), false);
  for (const auto& r : results) {
    ++s.rows;
    if (r.outcome == Outcome::kPass)
      ++s.passed;
    else if (r.outcome == Outcome::kFail)
      ++s.failed;
    else {
      ++s.skip_reasons[r.reason];
      ++s.skipped;
    }
    if (r.outcome != Outcome::kSkip) cells[CellOf(r)] = true;
    if (!r.drift.empty()) ++s.drifted;
    s.requests += static_cast<std::int64_t>(r.exchanges.size());
  }
  if (impl_->realistic_only) s.requests = impl_->pacer->sent();
  s.cells = static_cast<int>(cells.size());
  for (const auto& [cell, hit] : cells) {
    if (hit)
      ++s.covered;
    else
      s.uncovered.push_back(cell);
  }
  s.coverage_percent = s.cells == 0 ? 100.0 : 100.0 * s.covered / s.cells;
  // From the times the exchanges were really sent, per API.
  std::map<std::string, std::vector<core::TimePoint>> times;
  for (const auto& r : results)
    for (const auto& x : r.exchanges) times[r.service].push_back(x.at);
  for (auto& [service, list] : times) {
    std::sort(list.begin(), list.end());
    std::int64_t most = 0;
    std::size_t lo = 0;
    for (std::size_t hi = 0; hi < list.size(); ++hi) {
      while (list[hi] - list[lo] >= std::chrono::minutes(1)) ++lo;
      most = std::max<std::int64_t>(most, static_cast<std::int64_t>(hi - lo + 1));
    }
    s.max_requests_per_minute_by_service[service] = most;
    s.max_requests_per_minute = std::max(s.max_requests_per_minute, most);
  }
  s.elapsed_ms = elapsed_ms;
  return s;
}

Report Run(const CheckOptions& options) {
  Session session(options);
  (void)contract::RunToCompletion(session.Connect());
  auto started = std::chrono::steady_clock::now();
  Report report;
  for (std::size_t i = 0; i < session.rows().size(); ++i) {
    RowResult r = contract::RunToCompletion(session.RunRow(i));
    if (options.on_row) options.on_row(r);
    report.rows.push_back(std::move(r));
  }
  report.summary = session.Summarize(report.rows, std::chrono::duration<double, std::milli>(
                                                      std::chrono::steady_clock::now() - started)
                                                      .count());
  return report;
}

}  // namespace restbox::check
