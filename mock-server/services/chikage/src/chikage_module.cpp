// The chikage data-endpoint API, mocked (API-CONTRACT section 1).
//
// Order of checks for every request (the first that fails answers):
//   413 body over 100 KB -> 401 key -> 404 unknown slug -> 403 endpoint disabled / subscription
//   expired -> 429 monthly quota -> 415 Content-Type -> 400 JSON / schema / webhook URL ->
//   404 unknown record.
// Writes are queued and applied by Tick() once due (default delay 0: before the next request).
// Webhooks: one POST per processed write that carried X-Webhook-Callback, retried at most 3 times
// 60 s apart when the receiver fails; writes made with the owner's console key send none.

#include <algorithm>
#include <deque>
#include <functional>
#include <map>

#include "restbox/chikage/models.hpp"
#include "restbox/chikage/spec.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/mock/endpoint_table.hpp"
#include "restbox/mock/service_module.hpp"

namespace restbox::mock::chikage {
namespace api = restbox::chikage;
using core::Json;

namespace {

constexpr std::int64_t kDefaultMonthlyQuota = 10000;
constexpr int kWebhookMaxRetries = 3;
constexpr std::chrono::seconds kWebhookRetryInterval{60};

struct KeyInfo {
  std::string key;
  bool live = false;  // tm_live_ keys act on production data
  bool enabled = true;
  bool console = false;         // the owner's production console: no webhooks
  std::int64_t quota_used = 0;  // initial monthly usage (fixtures)
};

struct EndpointInfo {
  std::string slug;
  bool enabled = true;
  bool subscription_active = true;
  std::vector<api::SchemaField> schema;
};

// A record's data is kept as the JSON value it was written with, shared and immutable: the value
// the client handed over in process (HttpRequest::json) goes from the request through the queue
// into the store without being parsed or copied, and a GET copies it into its answer instead of
// parsing text. (A tree takes more memory than its compact text: see mock-server/README.md.)
using SharedJson = std::shared_ptr<const Json>;

struct StoredRecord {
  std::string id;
  SharedJson data;
  std::string created_at;
  std::string updated_at;
};

enum class Op { kCreate, kReplace, kDelete };

struct PendingWrite {
  std::uint64_t seq = 0;  // acceptance order (the durable row's key)
  Op op = Op::kCreate;
  bool live = false;
  std::string slug;
  std::string id;
  SharedJson data;  // null for a delete
  core::TimePoint apply_at;
  bool console = false;
  std::string callback_url;
  std::string auth_header;
  std::string auth_value;
};

struct Delivery {
  std::uint64_t id = 0;
  std::string record_id;
  std::string event;
  std::string url;
  std::string auth_header;
  std::string auth_value;
  std::string body;
  int attempts = 0;
  int last_status = -1;  // -1 = not tried yet, 0 = no connection
  core::TimePoint next_at;
  bool in_flight = false;
  std::string state = "pending";  // pending, delivered, failed
  std::vector<Json> log;          // one entry per attempt
};

std::optional<Op> OpFromEvent(std::string_view event) {
  if (event == "record.created") return Op::kCreate;
  if (event == "record.updated") return Op::kReplace;
  if (event == "record.deleted") return Op::kDelete;
  return std::nullopt;
}

core::TimePoint TimeOr(const Json& object, std::string_view name, core::TimePoint fallback) {
  auto text = core::JsonValueOr<std::string>(object, name, "");
  auto t = core::ParseIso8601(text);
  return t ? *t : fallback;
}

std::string OpEvent(Op op) {
  switch (op) {
    case Op::kCreate:
      return "record.created";
    case Op::kReplace:
      return "record.updated";
    case Op::kDelete:
      return "record.deleted";
  }
  return "";
}

class Module final : public ServiceModule {
 public:
  const core::ServiceSpec& Spec() const override { return api::Spec(); }

  void Register(Router& router, MockContext& context) override {
    context_ = &context;
    // One function per endpoint, each after the same Before stage.
    RegisterBehind(router, Spec(), Endpoints(),
                   [this](const core::EndpointSpec& ep, Call& c) { return Before(ep, c); });
  }

  void Reset(std::uint64_t seed) override {
    seed_ = seed;
    rng_.seed(seed ^ 0xC41CA6E);
    keys_.clear();
    endpoints_.clear();
    stores_[0].clear();
    stores_[1].clear();
    queue_.clear();
    deliveries_.clear();
    next_delivery_ = 1;
    next_write_ = 1;
    id_draws_ = 0;
    queue_delay_ = core::Duration(0);
    monthly_quota_ = kDefaultMonthlyQuota;

    AddKey({.key = kTestKey, .live = false});
    AddKey({.key = kLiveKey, .live = true});
    AddKey({.key = kConsoleKey, .live = true, .console = true});
    AddKey({.key = kDisabledKey, .live = false, .enabled = false});
    AddKey({.key = kQuotaKey, .live = false, .quota_used = kDefaultMonthlyQuota});

    std::vector<api::SchemaField> orders = {{"order_id", "string", true},
                                            {"amount", "number", false},
                                            {"items", "array", false},
                                            {"paid", "boolean", false}};
    endpoints_["orders"] = {"orders", true, true, orders};
    endpoints_["archive"] = {"archive", false, true, orders};
    endpoints_["legacy"] = {"legacy", true, false, orders};

    // One record in each store, so a GET works before any write.
    auto now = context_->Now();
    for (int live = 0; live < 2; ++live) {
      StoredRecord r;
      r.id = live ? "rec_live000001" : "rec_demo000001";
      r.data = Shared(Json{{"order_id", live ? "ORD-LIVE-001" : "ORD-DEMO-001"},
                           {"amount", 45000},
                           {"items", {"Item A", "Item B"}},
                           {"paid", true}});
      r.created_at = r.updated_at = core::FormatIso8601(now);
      stores_[live]["orders"][r.id] = r;
    }
  }

  Json Fixtures() const override {
    return {{"slug", "orders"},
            {"required_field", "order_id"},
            {"schema", endpoints_.at("orders").schema},
            {"test_key", kTestKey},
            {"live_key", kLiveKey},
            {"console_key", kConsoleKey},
            {"disabled_key", kDisabledKey},
            {"quota_exhausted_key", kQuotaKey},
            {"disabled_slug", "archive"},
            {"expired_slug", "legacy"},
            {"test_record_id", "rec_demo000001"},
            {"live_record_id", "rec_live000001"},
            {"monthly_quota", monthly_quota_},
            {"max_body_bytes", api::kMaxBodyBytes}};
  }

  Json Settings() const override {
    Json s = {{"queue_delay_ms", queue_delay_.count()}, {"monthly_quota", monthly_quota_}};
    for (const auto& [slug, e] : endpoints_) {
      s["endpoint." + slug + ".enabled"] = e.enabled;
      s["endpoint." + slug + ".subscription_active"] = e.subscription_active;
    }
    for (const auto& [key, k] : keys_) s["key." + key + ".enabled"] = k.enabled;
    return s;
  }

  std::optional<std::string> ApplySettings(const Json& patch) override {
    if (!patch.is_object()) return "settings must be a JSON object";
    // Validate everything first, so a bad patch changes nothing.
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& name = it.key();
      if (name == "queue_delay_ms" || name == "monthly_quota") {
        if (!it->is_number_integer() || it->get<long long>() < 0)
          return name + " must be a non-negative integer";
        continue;
      }
      if (!it->is_boolean()) return name + " must be true or false";
      if (!FindBoolSetting(name)) return "unknown setting '" + name + "'";
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& name = it.key();
      if (name == "queue_delay_ms")
        queue_delay_ = core::Duration(it->get<long long>());
      else if (name == "monthly_quota")
        SetQuota(it->get<std::int64_t>());
      else
        *FindBoolSetting(name) = it->get<bool>();
    }
    PutMeta();
    return std::nullopt;
  }

  // The browsable view (GET /__restbox/state) never shows a webhook's credential; the world
  // (export, snapshots) and the durable rows keep it, so a restored delivery is sent as it was.
  Json SaveState() const override { return StateJson(false); }
  Json SaveWorld() const override { return StateJson(true); }

  Json StateJson(bool secrets) const {
    Json out;
    for (int live = 0; live < 2; ++live) {
      Json store = Json::object();
      for (const auto& [slug, records] : stores_[live]) {
        Json rs = Json::array();
        for (const auto& [id, r] : records) rs.push_back(RecordJson(r));
        store[slug] = rs;
      }
      out[live ? "production" : "sandbox"] = store;
    }
    Json q = Json::array();
    for (const auto& p : queue_) q.push_back(QueueJson(p, secrets));
    out["queue"] = q;
    Json d = Json::array();
    for (const auto& x : deliveries_) d.push_back(DeliveryJson(x, secrets));
    out["webhook_deliveries"] = d;
    out["settings"] = Settings();
    out["counters"] = CountersJson();
    return out;
  }

  // Everything SaveState holds, restored as a whole: records, the queue (continuing on the
  // clock), webhook deliveries (one in flight when the state was saved is tried again), settings
  // and the id counters. Nothing changes unless all of it is valid.
  std::optional<std::string> LoadState(const Json& state) override {
    if (!state.is_object()) return "state must be an object";
    std::map<std::string, std::map<std::string, StoredRecord>> loaded[2];
    for (int live = 0; live < 2; ++live) {
      auto it = state.find(live ? "production" : "sandbox");
      if (it == state.end()) continue;
      if (!it->is_object()) return "stores must be objects";
      for (auto s = it->begin(); s != it->end(); ++s) {
        if (!s->is_array()) return "records must be arrays";
        for (const auto& r : *s) {
          if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
            return "record without id";
          StoredRecord rec{r["id"].get<std::string>(), Shared(r.value("data", Json::object())),
                           core::JsonValueOr<std::string>(r, "created_at", ""),
                           core::JsonValueOr<std::string>(r, "updated_at", "")};
          std::string rec_id = rec.id;
          loaded[live][s.key()][rec_id] = std::move(rec);
        }
      }
    }
    const core::TimePoint now = context_->Now();
    std::deque<PendingWrite> queue;
    std::uint64_t next_write = 1;
    if (auto q = state.find("queue"); q != state.end()) {
      if (!q->is_array()) return "queue must be an array";
      for (const auto& j : *q) {
        if (!j.is_object()) return "queued writes must be objects";
        auto op = OpFromEvent(core::JsonValueOr<std::string>(j, "op", ""));
        if (!op)
          return "queued write with an unknown op (record.created, record.updated or "
                 "record.deleted)";
        PendingWrite p;
        p.seq = core::JsonValueOr<std::uint64_t>(j, "seq", next_write);
        p.op = *op;
        p.live = core::JsonValueOr<std::string>(j, "environment", "test") == "live";
        p.slug = core::JsonValueOr<std::string>(j, "slug", "");
        p.id = core::JsonValueOr<std::string>(j, "id", "");
        p.data = Shared(j.value("data", Json()));
        p.apply_at = TimeOr(j, "apply_at", now);
        p.console = core::JsonValueOr<bool>(j, "console", false);
        p.callback_url = core::JsonValueOr<std::string>(j, "webhook", "");
        p.auth_header = core::JsonValueOr<std::string>(j, "auth_header", "Authorization");
        p.auth_value = core::JsonValueOr<std::string>(j, "auth_value", "");
        if (p.slug.empty() || p.id.empty()) return "queued write without slug or id";
        next_write = std::max(next_write, p.seq + 1);
        queue.push_back(std::move(p));
      }
      std::stable_sort(queue.begin(), queue.end(),
                       [](const PendingWrite& a, const PendingWrite& b) { return a.seq < b.seq; });
    }
    std::vector<Delivery> deliveries;
    std::uint64_t next_delivery = 1;
    if (auto d = state.find("webhook_deliveries"); d != state.end()) {
      if (!d->is_array()) return "webhook_deliveries must be an array";
      for (const auto& j : *d) {
        if (!j.is_object()) return "webhook deliveries must be objects";
        Delivery x;
        x.id = core::JsonValueOr<std::uint64_t>(j, "id", next_delivery);
        x.record_id = core::JsonValueOr<std::string>(j, "record_id", "");
        x.event = core::JsonValueOr<std::string>(j, "event", "");
        x.url = core::JsonValueOr<std::string>(j, "url", "");
        x.auth_header = core::JsonValueOr<std::string>(j, "auth_header", "Authorization");
        x.auth_value = core::JsonValueOr<std::string>(j, "auth_value", "");
        x.body = core::JsonValueOr<std::string>(j, "body", "");
        x.attempts = core::JsonValueOr<int>(j, "attempts", 0);
        x.last_status = core::JsonValueOr<int>(j, "last_status", -1);
        x.state = core::JsonValueOr<std::string>(j, "state", "pending");
        if (x.state != "pending" && x.state != "delivered" && x.state != "failed")
          return "webhook delivery state must be pending, delivered or failed";
        x.next_at = TimeOr(j, "next_attempt_at", now);
        if (auto log = j.find("log"); log != j.end() && log->is_array())
          x.log.assign(log->begin(), log->end());
        // A state saved before deliveries kept their body (or by hand) cannot be sent again.
        if (x.state == "pending" && (x.body.empty() || x.url.empty())) x.state = "failed";
        next_delivery = std::max(next_delivery, x.id + 1);
        deliveries.push_back(std::move(x));
      }
    }
    if (auto s = state.find("settings"); s != state.end()) {
      if (auto err = ApplySettings(*s)) return err;
    }
    std::uint64_t draws = 0;
    if (auto c = state.find("counters"); c != state.end() && c->is_object()) {
      next_write = std::max(next_write, core::JsonValueOr<std::uint64_t>(*c, "next_write", 1));
      next_delivery =
          std::max(next_delivery, core::JsonValueOr<std::uint64_t>(*c, "next_delivery", 1));
      draws = core::JsonValueOr<std::uint64_t>(*c, "id_draws", 0);
    }
    stores_[0] = std::move(loaded[0]);
    stores_[1] = std::move(loaded[1]);
    queue_ = std::move(queue);
    deliveries_ = std::move(deliveries);
    next_write_ = next_write;
    next_delivery_ = next_delivery;
    // Generated ids continue where they stopped (a restart never hands out an id again).
    rng_.seed(seed_ ^ 0xC41CA6E);
    rng_.discard(draws);
    id_draws_ = draws;
    return std::nullopt;
  }

  // Durable rows: one per record, queued write and webhook delivery, and one ("meta") for the
  // settings and counters, so a write costs what it changes.
  bool HasRows() const override { return true; }

  std::vector<StateRow> Rows() const override {
    std::vector<StateRow> rows;
    const std::string service = Spec().id;
    for (int live = 0; live < 2; ++live) {
      for (const auto& [slug, records] : stores_[live]) {
        for (const auto& [id, r] : records)
          rows.push_back({service, "record", RecordKey(live != 0, slug, id),
                          core::DumpJson(RecordRow(live != 0, slug, r))});
      }
    }
    for (const auto& p : queue_)
      rows.push_back({service, "queue", OrderedRowKey(p.seq), core::DumpJson(QueueJson(p))});
    for (const auto& d : deliveries_)
      rows.push_back({service, "delivery", OrderedRowKey(d.id), core::DumpJson(DeliveryJson(d))});
    rows.push_back({service, "meta", "", core::DumpJson(MetaJson())});
    return rows;
  }

  std::optional<std::string> LoadRows(const std::vector<StateRow>& rows) override {
    Json state = {{"sandbox", Json::object()},
                  {"production", Json::object()},
                  {"queue", Json::array()},
                  {"webhook_deliveries", Json::array()}};
    for (const auto& row : rows) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok() || !parsed.value().is_object())
        return "row " + row.collection + "/" + row.key + " is not a JSON object";
      Json& value = parsed.value();
      if (row.collection == "record") {
        const std::string env =
            core::JsonValueOr<std::string>(value, "environment", "test") == "live" ? "production"
                                                                                   : "sandbox";
        const std::string slug = core::JsonValueOr<std::string>(value, "slug", "");
        if (slug.empty()) return "record row " + row.key + " without slug";
        state[env][slug].push_back(std::move(value));
      } else if (row.collection == "queue") {
        state["queue"].push_back(std::move(value));
      } else if (row.collection == "delivery") {
        state["webhook_deliveries"].push_back(std::move(value));
      } else if (row.collection == "meta") {
        state["settings"] = value.value("settings", Json::object());
        state["counters"] = value.value("counters", Json::object());
      } else {
        return "unknown row collection '" + row.collection + "'";
      }
    }
    return LoadState(state);
  }

  core::HttpResponse ErrorResponse(int status, const std::string&,
                                   const std::string& message) const override {
    return JsonResponse(status, {{"success", false}, {"error", message}});
  }

  bool OwnsPath(std::string_view path) const override { return path.starts_with("/api/v1/data"); }

  std::optional<core::TimePoint> NextDue() const override {
    std::optional<core::TimePoint> next;
    auto consider = [&next](core::TimePoint t) {
      if (!next || t < *next) next = t;
    };
    if (!queue_.empty()) consider(queue_.front().apply_at);
    for (const auto& d : deliveries_) {
      // One in flight is rescheduled by its answer, not by time.
      if (d.state == "pending" && !d.in_flight) consider(d.next_at);
    }
    return next;
  }

  std::vector<std::string> WebhookUrls(const core::HttpRequest& request) const override {
    if (request.method != core::Method::kPost && request.method != core::Method::kPut &&
        request.method != core::Method::kDelete)
      return {};
    auto url = ParseUrlPath(request.url);
    if (!url.starts_with("/api/v1/data/")) return {};
    std::string callback = request.headers.GetOr("X-Webhook-Callback", "");
    if (!IsHttpUrl(callback)) return {};
    return {callback};
  }

  void Tick(core::TimePoint now) override {
    // Apply due writes in order.
    while (!queue_.empty() && queue_.front().apply_at <= now) {
      PendingWrite p = std::move(queue_.front());
      queue_.pop_front();
      EraseQueued(p);
      Apply(p, now);
    }
    // Webhook deliveries due now.
    for (auto& d : deliveries_) {
      if (d.state != "pending" || d.in_flight || d.next_at > now) continue;
      Attempt(d, now);
    }
  }

 private:
  static constexpr const char* kTestKey = "tm_test_demo4d2f8a9c0b1e7f3a";
  static constexpr const char* kLiveKey = "tm_live_demo7c1e9b3d5a2f8e4c";
  static constexpr const char* kConsoleKey = "tm_live_console0a1b2c3d4e5f";
  static constexpr const char* kDisabledKey = "tm_test_disabled9f8e7d6c5b4a";
  static constexpr const char* kQuotaKey = "tm_test_quota0ut1f2e3d4c5b6a";

  static std::string RecordKey(bool live, const std::string& slug, const std::string& id) {
    return std::string(live ? "live/" : "test/") + slug + "/" + id;
  }
  static Json RecordJson(const StoredRecord& r) {
    return {{"id", r.id},
            {"data", DataJson(r)},
            {"created_at", r.created_at},
            {"updated_at", r.updated_at}};
  }
  static const Json& DataJson(const StoredRecord& r) { return r.data ? *r.data : EmptyObject(); }
  static const Json& EmptyObject() {
    static const Json empty = Json::object();
    return empty;
  }
  // `json` as read back from its bytes (core::MakeWireExact), shared.
  static SharedJson Shared(Json json) {
    core::MakeWireExact(json);  // a value that is not wire-exact is stored as it is
    return std::make_shared<const Json>(std::move(json));
  }
  static Json RecordRow(bool live, const std::string& slug, const StoredRecord& r) {
    Json j = RecordJson(r);
    j["environment"] = live ? "live" : "test";
    j["slug"] = slug;
    return j;
  }
  static Json QueueJson(const PendingWrite& p, bool secrets = true) {
    Json j = {{"seq", p.seq},
              {"op", OpEvent(p.op)},
              {"environment", p.live ? "live" : "test"},
              {"slug", p.slug},
              {"id", p.id},
              {"data", p.data ? *p.data : Json()},
              {"apply_at", core::FormatIso8601(p.apply_at)},
              {"webhook", p.callback_url},
              {"console", p.console},
              {"auth_header", p.auth_header},
              {"auth_value", p.auth_value}};
    if (!secrets) j.erase("auth_value");
    return j;
  }
  static Json DeliveryJson(const Delivery& x, bool secrets = true) {
    Json j = {{"id", x.id},
              {"record_id", x.record_id},
              {"event", x.event},
              {"url", x.url},
              {"attempts", x.attempts},
              {"last_status", x.last_status},
              {"state", x.state},
              {"next_attempt_at", x.state == "pending" ? core::FormatIso8601(x.next_at) : ""},
              {"log", x.log},
              {"auth_header", x.auth_header},
              {"auth_value", x.auth_value},
              {"body", x.body}};
    if (!secrets) j.erase("auth_value");
    return j;
  }
  Json CountersJson() const {
    return {
        {"next_write", next_write_}, {"next_delivery", next_delivery_}, {"id_draws", id_draws_}};
  }
  Json MetaJson() const { return {{"settings", Settings()}, {"counters", CountersJson()}}; }

  // Durable rows of what just changed (MockContext::RowChanged; nothing without a store).
  void PutMeta() {
    if (context_->durable()) context_->RowChanged("meta", "", core::DumpJson(MetaJson()));
  }
  void PutRecord(bool live, const std::string& slug, const StoredRecord& r) {
    if (context_->durable())
      context_->RowChanged("record", RecordKey(live, slug, r.id),
                           core::DumpJson(RecordRow(live, slug, r)));
  }
  void EraseRecord(bool live, const std::string& slug, const std::string& id) {
    if (context_->durable())
      context_->RowChanged("record", RecordKey(live, slug, id), std::nullopt);
  }
  void PutQueued(const PendingWrite& p) {
    if (context_->durable())
      context_->RowChanged("queue", OrderedRowKey(p.seq), core::DumpJson(QueueJson(p)));
  }
  void EraseQueued(const PendingWrite& p) {
    if (context_->durable()) context_->RowChanged("queue", OrderedRowKey(p.seq), std::nullopt);
  }
  void PutDelivery(const Delivery& d) {
    if (context_->durable())
      context_->RowChanged("delivery", OrderedRowKey(d.id), core::DumpJson(DeliveryJson(d)));
  }

  void AddKey(const KeyInfo& k) {
    keys_[k.key] = k;
    RateKeyWindows(k.key);
    if (k.quota_used)
      context_->limiter().SetUsed(RateKey(k.key), "month", k.quota_used, context_->Now());
  }
  static std::string RateKey(const std::string& key) { return "chikage:" + key; }
  void RateKeyWindows(const std::string& key) {
    context_->limiter().SetWindows(RateKey(key),
                                   {{"month", core::WindowUnit::kMonth, monthly_quota_}});
  }
  void SetQuota(std::int64_t quota) {
    monthly_quota_ = quota;
    for (const auto& [k, v] : keys_) RateKeyWindows(k);
  }

  bool* FindBoolSetting(const std::string& name) {
    auto parse = [&](const std::string& prefix,
                     const std::string& suffix) -> std::optional<std::string> {
      if (name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) &&
          name.ends_with(suffix))
        return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
      return std::nullopt;
    };
    if (auto slug = parse("endpoint.", ".enabled")) {
      auto it = endpoints_.find(*slug);
      return it == endpoints_.end() ? nullptr : &it->second.enabled;
    }
    if (auto slug = parse("endpoint.", ".subscription_active")) {
      auto it = endpoints_.find(*slug);
      return it == endpoints_.end() ? nullptr : &it->second.subscription_active;
    }
    if (auto key = parse("key.", ".enabled")) {
      auto it = keys_.find(*key);
      return it == keys_.end() ? nullptr : &it->second.enabled;
    }
    return nullptr;
  }

  core::HttpResponse Error(int status, const std::string& message,
                           std::vector<core::FieldError> details = {}) const {
    api::ErrorBody body{message, std::move(details)};
    return JsonResponse(status, Json(body));
  }

  std::string NewRecordId() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string id = "rec_";
    for (int i = 0; i < 12; ++i) id.push_back(kAlphabet[rng_() % 36]);
    id_draws_ += 12;
    return id;
  }

  // A request on its way to its endpoint's function.
  struct Call {
    MockRequest& r;
    const KeyInfo* key = nullptr;
    std::string slug;
    std::map<std::string, StoredRecord>* store = nullptr;  // the key's records of the endpoint
    SharedJson data;  // the body of a POST or PUT (the client's own value in process)
    // The webhook the request asks for (X-Webhook-*): read with the body, or by Delete.
    std::string callback, auth_header, auth_value;
  };
  using EndpointFn = std::function<core::HttpResponse(Call&)>;

  // What every request gets before its endpoint's function: the body size (413), the key (401),
  // the endpoint (404, 403), the monthly quota (429), and for a POST or PUT the Content-Type
  // (415), the JSON body, its schema and its webhook (400). The answer when the request stops
  // here.
  std::optional<core::HttpResponse> Before(const core::EndpointSpec& ep, Call& c) {
    MockRequest& r = c.r;
    const bool has_body = ep.method == core::Method::kPost || ep.method == core::Method::kPut;
    if (r.http.body.size() > api::kMaxBodyBytes) {
      return Error(413, "Request body exceeds the 100 KB limit (" +
                            std::to_string(r.http.body.size()) + " bytes)");
    }
    // 401: the key.
    auto auth = r.http.headers.Get("Authorization");
    if (!auth) return Error(401, "Missing Authorization header");
    if (!auth->starts_with("Bearer "))
      return Error(401, "Authorization must be 'Bearer tm_test_…' or 'Bearer tm_live_…'");
    std::string key = auth->substr(7);
    if (!key.starts_with("tm_test_") && !key.starts_with("tm_live_"))
      return Error(401, "Invalid API key format: expected tm_test_ or tm_live_ prefix");
    auto kit = keys_.find(key);
    if (kit == keys_.end()) return Error(401, "Invalid API key");
    c.key = &kit->second;
    if (!c.key->enabled) return Error(401, "API key has been disabled by the endpoint owner");

    // 404 / 403: the endpoint.
    c.slug = r.Param("slug");
    auto eit = endpoints_.find(c.slug);
    if (eit == endpoints_.end()) return Error(404, "Endpoint not found: " + c.slug);
    const EndpointInfo& endpoint = eit->second;
    if (!endpoint.enabled) return Error(403, "Endpoint is not enabled");
    if (!endpoint.subscription_active)
      return Error(403, "The endpoint owner's subscription has expired");

    // 429: the monthly quota counts every authenticated request to an endpoint.
    if (context_->limits_enabled()) {
      auto d = context_->limiter().Acquire(RateKey(key), r.now);
      if (!d.allowed) {
        auto resp =
            Error(429, "Monthly request quota exceeded (" + std::to_string(d.limit) + " requests)");
        resp.headers.Set(
            "Retry-After",
            std::to_string(std::chrono::ceil<std::chrono::seconds>(d.retry_after).count()));
        resp.headers.Set("X-RateLimit-Limit", std::to_string(d.limit));
        resp.headers.Set("X-RateLimit-Remaining", "0");
        return resp;
      }
    }

    if (has_body) {
      auto ct = r.http.headers.Get("Content-Type");
      std::string media = ct ? ct->substr(0, ct->find(';')) : "";
      while (!media.empty() && media.back() == ' ') media.pop_back();
      if (!core::EqualsIgnoreCase(media, "application/json"))
        return Error(415, "Content-Type must be application/json");
      if (r.http.json) {
        c.data = r.http.json;  // the client's value, exactly what parsing the body would give
      } else {
        auto parsed = core::ParseJson(r.http.body);
        if (!parsed.ok()) return Error(400, "Invalid JSON body");
        c.data = std::make_shared<const Json>(std::move(parsed.value()));
      }
      auto problems = api::CheckAgainstSchema(*c.data, endpoint.schema);
      if (auto refused = ReadWebhook(c, std::move(problems))) return refused;
    }
    c.store = &stores_[c.key->live ? 1 : 0][c.slug];  // (made empty on first use)
    return std::nullopt;
  }

  // Reads the webhook the request asks for into `c` and checks it (CheckWebhook): the 400 with
  // `problems` and the webhook's when there are any.
  std::optional<core::HttpResponse> ReadWebhook(Call& c, std::vector<core::FieldError> problems) {
    const core::Headers& headers = c.r.http.headers;
    c.callback = headers.GetOr("X-Webhook-Callback", "");
    c.auth_header = headers.GetOr("X-Webhook-Auth-Header", "Authorization");
    if (c.auth_header.empty()) c.auth_header = "Authorization";
    c.auth_value = headers.GetOr("X-Webhook-Auth", "");
    CheckWebhook(c.callback, c.auth_header, problems);
    if (!problems.empty()) return Error(400, "Validation failed", std::move(problems));
    return std::nullopt;
  }

  // The function of each endpoint.
  EndpointTable<EndpointFn> Endpoints() {
    EndpointTable<EndpointFn> e;
    e.Add(api::kCreate, [this](Call& c) { return Queue(c, Op::kCreate, NewRecordId()); });
    e.Add(api::kGet, [this](Call& c) {
      const std::string id = c.r.Param("record_id");
      const StoredRecord* rec = FindRecord(c, id);
      if (!rec) return Error(404, "Record not found: " + id);
      return JsonResponse(  // the record's data copied once (to_json of a Record&&)
          200, Json(api::Record{rec->id, DataJson(*rec), rec->created_at, rec->updated_at}));
    });
    e.Add(api::kReplace, [this](Call& c) {
      const std::string id = c.r.Param("record_id");
      if (!FindRecord(c, id)) return Error(404, "Record not found: " + id);
      return Queue(c, Op::kReplace, id);
    });
    e.Add(api::kDelete, [this](Call& c) {
      const std::string id = c.r.Param("record_id");
      if (!FindRecord(c, id)) return Error(404, "Record not found: " + id);
      // A delete has no body: its webhook is checked once the record is known.
      if (!c.r.http.headers.GetOr("X-Webhook-Callback", "").empty()) {
        if (auto refused = ReadWebhook(c, {})) return *refused;
      }
      return Queue(c, Op::kDelete, id);
    });
    return e;
  }

  // The caller's record `id` of the request's endpoint, or null when there is none or its delete
  // is queued.
  const StoredRecord* FindRecord(const Call& c, const std::string& id) const {
    auto rec = c.store->find(id);
    if (rec == c.store->end() || IsPendingDelete(c.key->live, c.slug, id)) return nullptr;
    return &rec->second;
  }

  // Queues the write `op` of record `id` (202); Tick() applies it once due.
  core::HttpResponse Queue(Call& c, Op op, const std::string& id) {
    PendingWrite p;
    p.op = op;
    p.live = c.key->live;
    p.slug = c.slug;
    p.id = id;
    p.data = std::move(c.data);
    p.apply_at = core::AddSaturated(c.r.now, queue_delay_);  // any delay the setting takes
    p.console = c.key->console;
    p.callback_url = c.callback;
    p.auth_header = c.auth_header;
    p.auth_value = c.auth_value;
    p.seq = next_write_++;
    PutQueued(p);
    PutMeta();
    queue_.push_back(std::move(p));
    return JsonResponse(202, Json(api::QueuedWrite{true, id, "Request queued"}));
  }

  static bool IsHttpUrl(std::string_view url) {
    return url.starts_with("http://") || url.starts_with("https://");
  }
  static std::string_view ParseUrlPath(std::string_view url) {
    return url.substr(0, url.find('?'));
  }

  // The 400 details of a webhook the request asks for: a URL, one the server will deliver to
  // (restbox-mock: loopback or --webhook-allow, checked on the resolved address), and an auth
  // header that cannot reframe or reroute the POST.
  void CheckWebhook(const std::string& callback, const std::string& auth_header,
                    std::vector<core::FieldError>& problems) {
    if (callback.empty()) return;
    if (!IsHttpUrl(callback)) {
      problems.push_back({"X-Webhook-Callback", "Must be an http(s) URL"});
      return;
    }
    if (auto refused = context_->WebhookRefusal(callback))
      problems.push_back({"X-Webhook-Callback", *refused});
    if (!IsSafeWebhookHeaderName(auth_header)) {
      problems.push_back({"X-Webhook-Auth-Header", "\"" + auth_header.substr(0, 64) + "\" " +
                                                       std::string(kWebhookHeaderNameRule)});
    }
  }

  bool IsPendingDelete(bool live, const std::string& slug, const std::string& id) const {
    return std::any_of(queue_.begin(), queue_.end(), [&](const PendingWrite& p) {
      return p.op == Op::kDelete && p.live == live && p.slug == slug && p.id == id;
    });
  }

  void Apply(const PendingWrite& p, core::TimePoint now) {
    auto& store = stores_[p.live ? 1 : 0][p.slug];
    std::string ts = core::FormatIso8601(now);
    switch (p.op) {
      case Op::kCreate:
        PutRecord(p.live, p.slug, store[p.id] = StoredRecord{p.id, p.data, ts, ts});
        break;
      case Op::kReplace: {
        auto it = store.find(p.id);
        if (it == store.end()) return;  // deleted meanwhile: nothing to report
        it->second.data = p.data;
        it->second.updated_at = ts;
        PutRecord(p.live, p.slug, it->second);
        break;
      }
      case Op::kDelete:
        if (store.erase(p.id) == 0) return;
        EraseRecord(p.live, p.slug, p.id);
        break;
    }
    if (p.callback_url.empty() || p.console) return;
    Delivery d;
    d.id = next_delivery_++;
    d.record_id = p.id;
    d.event = OpEvent(p.op);
    d.url = p.callback_url;
    d.auth_header = p.auth_header;
    d.auth_value = p.auth_value;
    Json event_data = p.op == Op::kDelete || !p.data ? Json() : *p.data;
    d.body = core::DumpJson(Json(api::WebhookEvent{d.event, p.id, p.slug, p.live ? "live" : "test",
                                                   std::move(event_data), ts}));
    d.next_at = now;
    PutDelivery(d);
    PutMeta();
    deliveries_.push_back(std::move(d));
  }

  void Attempt(Delivery& d, core::TimePoint now) {
    d.in_flight = true;
    ++d.attempts;
    WebhookRequest req;
    req.url = d.url;
    req.headers.Set("Content-Type", "application/json");
    req.headers.Set("User-Agent", "restbox-mock-webhooks/0.1");
    // A state file written before header names were checked may hold an unsafe one: never sent.
    if (!d.auth_value.empty() && IsSafeWebhookHeaderName(d.auth_header))
      req.headers.Set(d.auth_header, d.auth_value);
    req.body = d.body;
    PutDelivery(d);
    std::uint64_t id = d.id;
    std::string at = core::FormatIso8601(now);
    context_->SendWebhook(std::move(req), [this, id, at](int status) {
      for (auto& x : deliveries_) {
        if (x.id != id) continue;
        x.in_flight = false;
        x.last_status = status;
        x.log.push_back({{"attempt", x.attempts}, {"at", at}, {"status", status}});
        if (status >= 200 && status < 300) {
          x.state = "delivered";
        } else if (x.attempts > kWebhookMaxRetries) {
          x.state = "failed";
        } else {
          x.next_at = core::AddSaturated(context_->Now(), kWebhookRetryInterval);
        }
        PutDelivery(x);
      }
    });
  }

  MockContext* context_ = nullptr;
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::map<std::string, KeyInfo> keys_;
  std::map<std::string, EndpointInfo> endpoints_;
  std::map<std::string, std::map<std::string, StoredRecord>>
      stores_[2];  // [0] sandbox, [1] production
  std::deque<PendingWrite> queue_;
  std::vector<Delivery> deliveries_;
  std::uint64_t next_delivery_ = 1;
  std::uint64_t next_write_ = 1;
  std::uint64_t id_draws_ = 0;  // values drawn from rng_ for record ids (restored on load)
  core::Duration queue_delay_{0};
  std::int64_t monthly_quota_ = kDefaultMonthlyQuota;
};

}  // namespace

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

}  // namespace restbox::mock::chikage
