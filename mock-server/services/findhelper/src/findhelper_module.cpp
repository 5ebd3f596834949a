// The findhelper (找幫手) jobs API, mocked (API-CONTRACT section 5).
//
// Order of checks for every request (the first that fails answers):
//   401 credentials (missing, unknown, secret mismatch, expired key) -> 429 the key's minute/day
//   windows (every authenticated request counts) -> endpoint rules:
//     list:   400 filters/paging
//     get:    404 unknown or non-integer id -> 403 another account's draft
//     create: 403 key without the jobs:write scope -> 400 JSON / fields
// Visibility: an account sees every job that is not a draft, plus its own drafts.
// Response size: a page never holds more jobs than fit in max_response_bytes at the worst-case
// size of a job (every field at its limit, every character JSON-escaped to 6 bytes); the page
// size actually used is reported in pagination.pageSize. A body that would still exceed the cap
// is never sent (500 instead), so no answer is ever larger than 10 MB.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <variant>

#include "restbox/core/validation.hpp"
#include "restbox/findhelper/models.hpp"
#include "restbox/findhelper/spec.hpp"
#include "restbox/mock/endpoint_table.hpp"
#include "restbox/mock/service_module.hpp"

namespace restbox::mock::findhelper {
namespace api = restbox::findhelper;
using core::Json;

namespace {

struct ApiKey {
  std::string id;  // what the limiter counts against: never the key itself (it is a secret)
  std::string key;
  std::string secret;
  std::string account;
  bool can_write = true;  // the jobs:write scope
  std::optional<core::TimePoint> expires_at;
};

struct StoredJob {
  api::Job job;
  std::string account;
};

// Demo keys: mock-only values, never real credentials.
constexpr const char* kApiKey = "fh_key_demo_3f9a1c7e52b8";
constexpr const char* kApiSecret = "fh_secret_demo_8b2e6d4f1a9c7305";
constexpr const char* kReadOnlyKey = "fh_key_readonly_6c1d9e3a7f20";
constexpr const char* kReadOnlySecret = "fh_secret_readonly_2a7f5c9e1d3b8046";
constexpr const char* kPartnerKey = "fh_key_partner_9e4b2a6c8d15";
constexpr const char* kPartnerSecret = "fh_secret_partner_5d1c8f3a9b7e2064";
constexpr const char* kExpiredKey = "fh_key_expired_1b7e3c9a5f42";
constexpr const char* kExpiredSecret = "fh_secret_expired_7f3a1e9c5b2d8640";
constexpr const char* kExpiredAt = "2024-12-31T00:00:00Z";  // past on any real clock too

constexpr const char* kDemoAccount = "acct_demo";
constexpr const char* kPartnerAccount = "acct_partner";

constexpr std::int64_t kSeedJobId = 123;       // the seed's example job
constexpr std::int64_t kOwnDraftJobId = 106;   // acct_demo's draft
constexpr std::int64_t kForbiddenJobId = 205;  // acct_partner's draft: 403 for acct_demo
constexpr std::int64_t kNotFoundJobId = 999999;
constexpr std::int64_t kFirstNewJobId = 1001;

struct DemoJob {
  std::int64_t id;
  const char* account;
  const char* title;
  const char* job_type;
  const char* city;
  const char* address;  // nullptr: not set
  double amount;        // < 0: not set
  const char* status;
};

// In id order; createdAt follows that order, six hours apart from 2025-12-01T08:00:00Z.
constexpr DemoJob kDemoJobs[] = {
    {101, kDemoAccount, "水電維修", "repair", "台北市", "台北市大安區復興南路一段390號", 1500,
     "published"},
    {102, kDemoAccount, "搬家幫手", "moving", "新北市", "新北市板橋區文化路一段188號", 8000,
     "published"},
    {103, kDemoAccount, "陪同就醫", "caregiving", "台中市", "台中市西區民權路312號", 1200,
     "in_progress"},
    {104, kDemoAccount, "國中數學家教", "tutoring", "高雄市", nullptr, 800, "completed"},
    {105, kDemoAccount, "代購跑腿", "errand", "台北市", nullptr, 300, "closed"},
    {106, kDemoAccount, "辦公室清潔", "cleaning", "桃園市", "桃園市中壢區中正路100號", 2500,
     "draft"},
    {123, kDemoAccount, "居家清潔", "general", "台北市", "台北市信義區信義路五段7號", 3000,
     "published"},
    {201, kPartnerAccount, "庭院除草", "general", "台南市", "台南市東區大學路1號", 1800,
     "published"},
    {202, kPartnerAccount, "冷氣清洗", "cleaning", "台北市", "台北市中山區南京東路二段50號", 2200,
     "published"},
    {203, kPartnerAccount, "鋼琴搬運", "moving", "台北市", "台北市松山區八德路四段20號", 12000,
     "in_progress"},
    {204, kPartnerAccount, "英文家教", "tutoring", "新竹市", nullptr, 900, "closed"},
    {205, kPartnerAccount, "年終大掃除", "cleaning", "台北市", "台北市內湖區成功路四段10號", 5000,
     "draft"},
    {206, kPartnerAccount, "寵物照顧", "general", "高雄市", nullptr, -1, "draft"},
    {207, kPartnerAccount, "排隊代購", "errand", "台中市", nullptr, -1, "published"},
};

std::string RateKey(const ApiKey& key) {
  return "findhelper:" + key.id;
}

// A query value the shared validator has already accepted as an integer in range.
int QueryInt(const MockRequest& r, std::string_view name, int fallback) {
  auto text = r.QueryValue(name);
  if (!text) return fallback;
  return static_cast<int>(std::strtod(text->c_str(), nullptr));
}

// Path ids are integers; anything else names no job (404, not 400: see the endpoint table).
std::optional<std::int64_t> ParseJobId(const std::string& text) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// The largest body a job can serialise to within the field limits: every string at its length
// limit in characters that JSON escapes to 6 bytes each ("\u0001"), the longest enum values, and
// the longest numbers.
std::size_t WorstCaseJobBytes() {
  static const std::size_t bytes = [] {
    auto longest = [](const std::vector<std::string>& values) {
      std::string out;
      for (const auto& v : values) out = v.size() > out.size() ? v : out;
      return out;
    };
    api::Job job;
    job.id = std::numeric_limits<std::int64_t>::max();
    job.title = std::string(api::kMaxTitleLength, '\x01');
    job.job_type = longest(api::JobTypes());
    job.city = std::string(api::kMaxCityLength, '\x01');
    job.address = std::string(api::kMaxAddressLength, '\x01');
    job.estimated_amount = 1.2345678901234567e-300;
    job.status = longest(api::JobStatuses());
    job.created_at = "+99999-12-31T23:59:59.999Z";
    return core::DumpJson(Json(job)).size();
  }();
  return bytes;
}

// The list body around its jobs, with the largest numbers pagination can hold.
std::size_t EnvelopeBytes() {
  static const std::size_t bytes = [] {
    api::JobPage page;
    page.pagination = {api::kMaxPage, api::kMaxPageSize, std::numeric_limits<std::int64_t>::max(),
                       std::numeric_limits<int>::max()};
    return core::DumpJson(Json(page)).size();
  }();
  return bytes;
}

// A cap must leave room for one job in the largest envelope (so every answer can be produced).
std::size_t MinResponseBytes() {
  return EnvelopeBytes() + WorstCaseJobBytes();
}

class Module final : public ServiceModule {
 public:
  const core::ServiceSpec& Spec() const override { return api::Spec(); }

  void Register(Router& router, MockContext& context) override {
    context_ = &context;
    // One function per endpoint, each after the same Before stage; every answer after it carries
    // the key's X-RateLimit-* headers.
    Endpoints().Register(router, Spec(),
                         [this](const core::EndpointSpec& ep, const EndpointFn& fn) {
                           return [this, &ep, fn](MockRequest& r) {
                             Call c{ep, r};
                             if (auto refused = Before(c)) return *refused;
                             core::HttpResponse response = fn(c);
                             for (const auto& [name, value] : c.rate_headers)
                               response.headers.Set(name, value);
                             return response;
                           };
                         });
  }

  void Reset(std::uint64_t /*seed*/) override {
    // The demo data is fixed: the seed changes nothing, so every reset restores the same ids.
    accounts_ = {{kDemoAccount, "示範帳號"}, {kPartnerAccount, "合作夥伴帳號"}};
    keys_.clear();
    AddKey({"key_demo", kApiKey, kApiSecret, kDemoAccount, true, std::nullopt});
    AddKey({"key_readonly", kReadOnlyKey, kReadOnlySecret, kDemoAccount, false, std::nullopt});
    AddKey({"key_partner", kPartnerKey, kPartnerSecret, kPartnerAccount, true, std::nullopt});
    AddKey({"key_expired", kExpiredKey, kExpiredSecret, kDemoAccount, true,
            core::ParseIso8601(kExpiredAt)});
    jobs_.clear();
    const core::TimePoint base = *core::ParseIso8601("2025-12-01T08:00:00Z");
    int index = 0;
    for (const DemoJob& d : kDemoJobs) {
      api::Job job;
      job.id = d.id;
      job.title = d.title;
      job.job_type = d.job_type;
      job.city = d.city;
      if (d.address) job.address = d.address;
      if (d.amount >= 0) job.estimated_amount = d.amount;
      job.status = d.status;
      job.created_at = core::FormatIso8601(base + std::chrono::hours(6 * index++));
      const std::int64_t id = job.id;
      jobs_[id] = {std::move(job), d.account};
    }
    next_id_ = kFirstNewJobId;
    per_minute_ = api::kRequestsPerMinute;
    per_day_ = api::kRequestsPerDay;
    max_response_bytes_ = api::kMaxResponseBytes;
  }

  Json Fixtures() const override {
    Json cities = Json::array();
    for (const auto& [id, s] : jobs_) {
      if (std::find(cities.begin(), cities.end(), s.job.city) == cities.end())
        cities.push_back(s.job.city);
    }
    return {{"api_key", kApiKey},
            {"api_secret", kApiSecret},
            {"expired_key", kExpiredKey},
            {"expired_secret", kExpiredSecret},
            {"expired_at", kExpiredAt},
            {"forbidden_job_id", kForbiddenJobId},
            {"read_only_key", kReadOnlyKey},
            {"read_only_secret", kReadOnlySecret},
            {"second_account_key", kPartnerKey},
            {"second_account_secret", kPartnerSecret},
            {"account_id", kDemoAccount},
            {"second_account_id", kPartnerAccount},
            {"accounts", accounts_},
            {"job_id", kSeedJobId},
            {"own_draft_job_id", kOwnDraftJobId},
            {"not_found_job_id", kNotFoundJobId},
            {"cities", cities},
            {"job_types", api::JobTypes()},
            {"statuses", api::JobStatuses()},
            {"default_page_size", api::kDefaultPageSize},
            {"max_page_size", api::kMaxPageSize},
            {"requests_per_minute", per_minute_},
            {"requests_per_day", per_day_},
            {"max_response_bytes", max_response_bytes_},
            {"min_response_bytes", MinResponseBytes()}};
  }

  Json Settings() const override {
    return {{"requests_per_minute", per_minute_},
            {"requests_per_day", per_day_},
            {"max_response_bytes", max_response_bytes_}};
  }

  std::optional<std::string> ApplySettings(const Json& patch) override {
    if (auto error = CheckSettings(patch)) return error;
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const auto value = it->get<std::int64_t>();
      if (it.key() == "requests_per_minute")
        per_minute_ = value;
      else if (it.key() == "requests_per_day")
        per_day_ = value;
      else
        max_response_bytes_ = static_cast<std::size_t>(value);
    }
    PutMeta();
    return std::nullopt;
  }

  Json SaveState() const override {
    Json jobs = Json::array();
    for (const auto& [id, s] : jobs_) jobs.push_back(JobJson(s));
    return {{"jobs", std::move(jobs)}, {"next_id", next_id_}, {"settings", Settings()}};
  }

  std::optional<std::string> LoadState(const Json& state) override {
    if (!state.is_object()) return "state must be an object";
    // Everything is checked before anything changes.
    std::map<std::int64_t, StoredJob> loaded;
    std::int64_t next_id = kFirstNewJobId;
    if (auto it = state.find("jobs"); it != state.end()) {
      if (!it->is_array()) return "jobs must be an array";
      const core::EndpointSpec& create = *Spec().Find(api::kCreateJob);
      for (const Json& j : *it) {
        auto job = core::ConvertJson<api::Job>(j);
        if (!job.ok()) return "invalid job: " + job.error().message;
        // Re-formatted, so a loaded createdAt is as long as one the mock writes (size bound).
        auto created = core::ParseIso8601(job->created_at);
        if (!created) return "job " + std::to_string(job->id) + " has a bad createdAt";
        job->created_at = core::FormatIso8601(*created);
        if (!core::ValidateRequest(create, &j, {}).empty())
          return "job " + std::to_string(job->id) + " breaks the field limits";
        const auto& statuses = api::JobStatuses();
        if (job->id <= 0 ||
            std::find(statuses.begin(), statuses.end(), job->status) == statuses.end())
          return "job " + std::to_string(job->id) + " has a bad id or status";
        std::string account = core::JsonValueOr<std::string>(j, "account", "");
        if (!accounts_.count(account))
          return "job " + std::to_string(job->id) + " has an unknown account";
        if (!loaded.emplace(job->id, StoredJob{*job, account}).second)
          return "duplicate job id " + std::to_string(job->id);
        next_id = std::max(next_id, job->id + 1);
      }
    }
    next_id = std::max(next_id, core::JsonValueOr<std::int64_t>(state, "next_id", next_id));
    auto found = state.find("settings");
    const Json settings = found == state.end() ? Json::object() : *found;
    if (auto error = CheckSettings(settings)) return error;
    if (state.contains("jobs")) {
      jobs_ = std::move(loaded);
      next_id_ = next_id;
    }
    ApplySettings(settings);
    return std::nullopt;
  }

  // Durable rows: one per job (collection "job", keyed by its id) and one ("meta") for the next id
  // and the settings, so a create costs one job, not the whole list. The demo keys and accounts
  // are fixed (no endpoint or setting changes them), so they are no rows.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override {
    std::vector<StateRow> rows;
    const std::string service = Spec().id;
    for (const auto& [id, s] : jobs_)
      rows.push_back({service, "job", JobKey(id), core::DumpJson(JobJson(s))});
    rows.push_back({service, "meta", "", core::DumpJson(MetaJson())});
    return rows;
  }

  // Rebuilt through LoadState, so rows are checked like an imported state.
  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override {
    Json state = {{"jobs", Json::array()}};
    for (const auto& row : rows) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok() || !parsed.value().is_object())
        return "row " + row.collection + "/" + row.key + " is not a JSON object";
      Json& value = parsed.value();
      if (row.collection == "job") {
        state["jobs"].push_back(std::move(value));
      } else if (row.collection == "meta") {
        state["next_id"] = value.value("next_id", Json(kFirstNewJobId));
        state["settings"] = value.value("settings", Json::object());
      } else {
        return "unknown row collection '" + row.collection + "' (job, meta)";
      }
    }
    return LoadState(state);
  }

  core::HttpResponse ErrorResponse(int status, const std::string& code,
                                   const std::string& message) const override {
    return JsonResponse(
        status,
        api::ErrorEnvelope({code.empty() ? api::CodeForStatus(status) : code, message, {}}));
  }

  bool OwnsPath(std::string_view path) const override {
    return path == "/api/jobs" || path.starts_with("/api/jobs/");
  }

 private:
  void AddKey(ApiKey key) { keys_[key.key] = std::move(key); }

  static Json JobJson(const StoredJob& s) {
    Json j = s.job;
    j["account"] = s.account;
    return j;
  }
  static std::string JobKey(std::int64_t id) {
    return OrderedRowKey(static_cast<std::uint64_t>(id));
  }
  Json MetaJson() const { return {{"next_id", next_id_}, {"settings", Settings()}}; }

  // Durable rows of what just changed (MockContext::RowChanged; nothing without a store).
  void PutMeta() {
    if (context_->durable()) context_->RowChanged("meta", "", core::DumpJson(MetaJson()));
  }
  void PutJob(const StoredJob& s) {
    if (context_->durable())
      context_->RowChanged("job", JobKey(s.job.id), core::DumpJson(JobJson(s)));
  }

  std::optional<std::string> CheckSettings(const Json& patch) const {
    if (!patch.is_object()) return "settings must be a JSON object";
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& name = it.key();
      std::int64_t low = 1;
      std::int64_t high = std::numeric_limits<std::int32_t>::max();
      if (name == "max_response_bytes") {
        low = static_cast<std::int64_t>(MinResponseBytes());
        high = static_cast<std::int64_t>(api::kMaxResponseBytes);
      } else if (name != "requests_per_minute" && name != "requests_per_day") {
        return "unknown setting '" + name +
               "' (requests_per_minute, requests_per_day, max_response_bytes)";
      }
      if (!it->is_number_integer() || it->get<std::int64_t>() < low ||
          it->get<std::int64_t>() > high)
        return name + " must be an integer from " + std::to_string(low) + " to " +
               std::to_string(high);
    }
    return std::nullopt;
  }

  core::HttpResponse Error(int status, const std::string& message) const {
    return ErrorResponse(status, "", message);
  }

  core::HttpResponse Invalid(std::vector<core::FieldError> problems) const {
    return JsonResponse(400, api::ErrorEnvelope(api::ValidationErrorBody(std::move(problems))));
  }

  // Every success goes through here: the 10 MB promise is kept in one place.
  core::HttpResponse Respond(int status, const Json& body) const {
    core::HttpResponse r = JsonResponse(status, body);
    if (r.body.size() > max_response_bytes_) {
      return Error(500,
                   "The response would exceed " + std::to_string(max_response_bytes_) + " bytes");
    }
    return r;
  }

  // 401 unless the request carries a known, unexpired key with its secret.
  std::variant<const ApiKey*, core::HttpResponse> Authenticate(const MockRequest& r) const {
    std::string key = r.http.headers.GetOr(api::kKeyHeader, "");
    std::string secret = r.http.headers.GetOr(api::kSecretHeader, "");
    if (key.empty() || secret.empty()) {
      return Error(401, "Missing API credentials: send X-API-Key and X-API-Secret headers");
    }
    auto it = keys_.find(key);
    if (it == keys_.end() || it->second.secret != secret)
      return Error(401, "Invalid API credentials");
    if (it->second.expires_at && r.now >= *it->second.expires_at) {
      return Error(401, "API key has expired: create a new key on the API key page");
    }
    return &it->second;
  }

  // Counts the request against the key's day and minute windows. Returns the 429 when a window
  // is used up; otherwise fills the X-RateLimit-* headers for the answer.
  std::optional<core::HttpResponse> CountRequest(const ApiKey& key, core::TimePoint now,
                                                 core::Headers& headers) {
    if (!context_->limits_enabled()) return std::nullopt;
    auto& limiter = context_->limiter();
    // Set on every request: settings changes apply at once and survive a limiter reset.
    limiter.SetWindows(RateKey(key), api::RateWindows(per_minute_, per_day_));
    core::RateDecision d = limiter.Acquire(RateKey(key), now);
    auto seconds = std::chrono::ceil<std::chrono::seconds>(d.resets_at - now).count();
    headers.Set("X-RateLimit-Limit", std::to_string(d.limit));
    headers.Set("X-RateLimit-Remaining", std::to_string(d.remaining));
    headers.Set("X-RateLimit-Reset", std::to_string(seconds));
    if (d.allowed) return std::nullopt;
    core::HttpResponse r =
        Error(429, "Too many requests: this API key may send " + std::to_string(d.limit) +
                       " requests per " + d.window + "; try again later");
    r.headers.Set("Retry-After", std::to_string(seconds));
    return r;
  }

  // A request on its way to its endpoint's function.
  struct Call {
    const core::EndpointSpec& ep;
    MockRequest& r;
    const ApiKey* key = nullptr;
    core::Headers rate_headers;  // X-RateLimit-* for the answer
  };
  using EndpointFn = std::function<core::HttpResponse(Call&)>;

  // What every request gets before its endpoint's function: the credentials (401) and the key's
  // windows (429, with its X-RateLimit-* headers). The answer when the request stops here.
  std::optional<core::HttpResponse> Before(Call& c) {
    auto caller = Authenticate(c.r);
    if (auto* refused = std::get_if<core::HttpResponse>(&caller)) return *refused;
    c.key = std::get<const ApiKey*>(caller);
    if (auto refused = CountRequest(*c.key, c.r.now, c.rate_headers)) {
      for (const auto& [name, value] : c.rate_headers) refused->headers.Set(name, value);
      return refused;
    }
    return std::nullopt;
  }

  // The function of each endpoint.
  EndpointTable<EndpointFn> Endpoints() {
    EndpointTable<EndpointFn> e;
    e.Add(api::kListJobs, [this](Call& c) { return List(c.ep, *c.key, c.r); });
    e.Add(api::kGetJob, [this](Call& c) { return Get(*c.key, c.r); });
    e.Add(api::kCreateJob, [this](Call& c) { return Create(c.ep, *c.key, c.r); });
    return e;
  }

  bool Visible(const StoredJob& s, const ApiKey& key) const {
    return s.job.status != api::kStatusDraft || s.account == key.account;
  }

  // Jobs per page that always fit in max_response_bytes: n jobs and the n - 1 commas between
  // them. At least 1, since a cap is never below MinResponseBytes().
  int FittingPageSize() const {
    std::size_t room = max_response_bytes_ - EnvelopeBytes();
    return static_cast<int>(
        std::min<std::size_t>(api::kMaxPageSize, (room + 1) / (WorstCaseJobBytes() + 1)));
  }

  core::HttpResponse List(const core::EndpointSpec& ep, const ApiKey& key, const MockRequest& r) {
    if (auto problems = core::ValidateRequest(ep, nullptr, r.query); !problems.empty()) {
      return Invalid(std::move(problems));
    }
    auto city = r.QueryValue("city");
    auto job_type = r.QueryValue("jobType");
    auto status = r.QueryValue("status");
    const int page = QueryInt(r, "page", api::kDefaultPage);
    const int page_size =
        std::min(QueryInt(r, "pageSize", api::kDefaultPageSize), FittingPageSize());

    std::vector<const StoredJob*> matches;
    for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {  // newest (highest id) first
      const StoredJob& s = it->second;
      if (!Visible(s, key)) continue;
      if (city && s.job.city != *city) continue;
      if (job_type && s.job.job_type != *job_type) continue;
      if (status && s.job.status != *status) continue;
      matches.push_back(&s);
    }
    api::JobPage out;
    out.pagination.page = page;
    out.pagination.page_size = page_size;
    out.pagination.total = static_cast<std::int64_t>(matches.size());
    out.pagination.total_pages = static_cast<int>((matches.size() + page_size - 1) / page_size);
    const std::size_t first =
        static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(page_size);
    for (std::size_t i = first; i < matches.size() && i < first + page_size; ++i) {
      out.jobs.push_back(matches[i]->job);
    }
    return Respond(200, Json(out));
  }

  core::HttpResponse Get(const ApiKey& key, const MockRequest& r) {
    auto id = ParseJobId(r.Param("id"));
    if (!id) return Error(404, "Job not found: job ids are positive integers");
    auto it = jobs_.find(*id);
    if (it == jobs_.end()) return Error(404, "Job " + std::to_string(*id) + " not found");
    if (!Visible(it->second, key)) {
      return Error(403, "You do not have permission to access job " + std::to_string(*id));
    }
    return Respond(200, api::SuccessEnvelope(it->second.job));
  }

  core::HttpResponse Create(const core::EndpointSpec& ep, const ApiKey& key, const MockRequest& r) {
    if (!key.can_write) return Error(403, "This API key is read-only: it has no jobs:write scope");
    Json parsed;
    const Json* doc = core::RequestJson(r.http, parsed, nullptr);  // no parse in process
    if (!doc) return Invalid({{"body", "must be valid JSON"}});
    const Json& body = *doc;
    if (auto problems = core::ValidateRequest(ep, &body, {}); !problems.empty()) {
      return Invalid(std::move(problems));
    }
    api::Job job;
    job.id = next_id_++;
    job.title = core::JsonValueOr<std::string>(body, "title", "");
    job.job_type = core::JsonValueOr<std::string>(body, "jobType", "");
    job.city = core::JsonValueOr<std::string>(body, "city", "");
    if (auto a = body.find("address"); a != body.end() && a->is_string())
      job.address = a->get<std::string>();
    if (auto a = body.find("estimatedAmount"); a != body.end() && a->is_number()) {
      job.estimated_amount = a->get<double>();
    }
    job.status = std::string(api::kStatusPublished);
    job.created_at = core::FormatIso8601(r.now);
    const StoredJob& stored = jobs_[job.id] = {job, key.account};
    PutJob(stored);
    PutMeta();
    core::HttpResponse response = Respond(201, api::SuccessEnvelope(job));
    response.headers.Set("Location", "/api/jobs/" + std::to_string(job.id));
    return response;
  }

  MockContext* context_ = nullptr;
  std::map<std::string, std::string> accounts_;  // id -> display name
  std::map<std::string, ApiKey> keys_;           // by key
  std::map<std::int64_t, StoredJob> jobs_;
  std::int64_t next_id_ = kFirstNewJobId;
  std::int64_t per_minute_ = api::kRequestsPerMinute;
  std::int64_t per_day_ = api::kRequestsPerDay;
  std::size_t max_response_bytes_ = api::kMaxResponseBytes;
};

}  // namespace

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

}  // namespace restbox::mock::findhelper
