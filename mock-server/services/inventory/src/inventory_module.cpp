// The Inventory app's external API, mocked (API-CONTRACT section 3).
//
// Order of checks for every request (the first that fails answers):
//   401 INVALID_API_KEY / API_KEY_EXPIRED -> 403 API_DISABLED -> 429 RATE_LIMIT_EXCEEDED (60 a
//   minute per key, the account's monthly quota; every authenticated request counts) ->
//   403 SCOPE_DENIED (a POST with a read-only key) -> 400 VALIDATION_ERROR (invalid JSON) ->
//   the shared validator (INVALID_TOKEN, VALIDATION_ERROR, INVALID_IMAGE; validation.hpp) ->
//   404 NOT_FOUND -> 403 FORBIDDEN -> the endpoint's own state rules (ALREADY_SHARED, NOT_SHARED,
//   RECIPIENT_NOT_FOUND, merged keywords over 128).
// [choices] Another user's item answers NOT_FOUND (FORBIDDEN is documented for templates only);
// lists are newest first; tags are upper-cased in ASCII; emails match case-insensitively; a share
// is active until revoked or until expiresAt (Tick() records expiry, the answers never depend on
// it having run).

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

// ---- helpers ----
bool SameEmail(std::string_view a, std::string_view b) {
  return core::EqualsIgnoreCase(a, b);
}

SplitMix Stream(std::uint64_t seed, std::string_view label) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a of the label
  for (char c : label) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return SplitMix{seed ^ h};
}

std::string DemoKey(std::uint64_t seed, std::string_view role) {
  return api::MakeApiKey(Stream(seed, role));
}

std::string DemoToken(std::uint64_t seed, api::TokenKind kind, std::string_view label) {
  return api::MakeToken(kind, Stream(seed, label));
}

std::string Iso(TimePoint t) {
  return core::FormatIso8601(t);
}

Json IsoOrNull(const std::optional<TimePoint>& t) {
  return t ? Json(Iso(*t)) : Json(nullptr);
}

std::string UpperAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// A query integer the validator has already accepted (or its default).
int QueryInt(const MockRequest& r, std::string_view name, int fallback) {
  auto v = r.QueryValue(name);
  if (!v || v->empty()) return fallback;
  double d = std::strtod(v->c_str(), nullptr);
  return std::isfinite(d) && d >= 1 && d <= 1e9 ? static_cast<int>(d) : fallback;
}

// ---- persistence (SaveState / LoadState): plain JSON, read without throwing ----
std::vector<std::string> Strings(const Json& j, std::string_view name) {
  std::vector<std::string> out;
  auto it = j.is_object() ? j.find(name) : j.end();
  if (!j.is_object() || it == j.end() || !it->is_array()) return out;
  for (const auto& s : *it) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::optional<std::string> OptString(const Json& j, std::string_view name) {
  auto it = j.is_object() ? j.find(name) : j.end();
  if (!j.is_object() || it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<TimePoint> OptTime(const Json& j, std::string_view name) {
  auto s = OptString(j, name);
  return s ? core::ParseIso8601(*s) : std::nullopt;
}

Json OptJson(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

void Module::Register(Router& router, MockContext& context) {
  context_ = &context;
  // One function per endpoint, each after the same Before stage.
  RegisterBehind(router, Spec(), Endpoints(),
                 [this](const core::EndpointSpec& ep, Call& c) { return Before(ep, c); });
}

Json Module::Settings() const {
  Json s = {{"rate_limit_per_minute", rate_limit_per_minute_}};
  for (const auto& a : accounts_) {
    s["account." + a.email + ".api_enabled"] = a.api_enabled;
    s["account." + a.email + ".monthly_limit"] = a.monthly_limit;
  }
  for (const auto& k : keys_) {
    s["key." + k.id + ".value"] = k.value;
    s["key." + k.id + ".write_scope"] = k.write_scope;
    s["key." + k.id + ".expires_at"] = IsoOrNull(k.expires_at);
    s["key." + k.id + ".action"] = "";
  }
  return s;
}

std::optional<std::string> Module::ApplySettings(const Json& patch) {
  if (!patch.is_object()) return "settings must be a JSON object";
  // Validate the whole patch first, so a bad one changes nothing.
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (auto err = CheckSetting(it.key(), *it)) return err;
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) ApplySetting(it.key(), *it);
  return std::nullopt;
}

core::HttpResponse Module::ErrorResponse(int status, const std::string& code,
                                         const std::string& message) const {
  return Error({status, code.empty() ? DefaultCode(status) : code, message, {}});
}

bool Module::OwnsPath(std::string_view path) const {
  return path == "/apiV1" || path.starts_with("/apiV1/");
}

void Module::Tick(TimePoint now) {
  for (auto& s : shares_) {
    if (s.state != "active" || Active(s, now)) continue;
    s.state = "expired";
    PutShare(s);
  }
}

Json Module::AccountJson(const Account& a) {
  return {{"email", a.email},
          {"createdAt", a.created_at},
          {"apiEnabled", a.api_enabled},
          {"monthlyLimit", a.monthly_limit},
          {"lastUsedAt", IsoOrNull(a.last_used)}};
}

Json Module::KeyJson(const KeySlot& k) {
  return {{"slot", k.id},
          {"account", k.account},
          {"value", k.value},
          {"writeScope", k.write_scope},
          {"expiresAt", IsoOrNull(k.expires_at)},
          {"replaced", k.replaced}};
}

Json Module::TemplateJson(const StoredTemplate& t) {
  return {{"token", t.token},
          {"owner", t.owner},
          {"title", t.title},
          {"content", t.content},
          {"imageUrl", t.image_url},
          {"commentMode", t.comment_mode},
          {"keywords", t.keywords},
          {"publishDate", OptJson(t.publish_date)},
          {"validUntil", OptJson(t.valid_until)},
          {"createdAt", t.created_at},
          {"updatedAt", t.updated_at}};
}

Json Module::ItemJson(const StoredItem& i) {
  Json j = i.item;
  j["owner"] = i.owner;
  return j;
}

Json Module::ShareJson(const StoredShare& s) {
  return {{"shareToken", s.share_token},
          {"templateToken", s.template_token},
          {"owner", s.owner},
          {"tags", s.tags},
          {"createdAt", Iso(s.created_at)},
          {"expiresAt", IsoOrNull(s.expires_at)},
          {"state", s.state},
          {"copyCount", s.copy_count}};
}

Json Module::MetaJson() const {
  return {{"settings", {{"rate_limit_per_minute", rate_limit_per_minute_}}},
          {"token_draws", token_draws_}};
}

void Module::PutMeta() {
  if (context_->durable()) context_->RowChanged("meta", "", core::DumpJson(MetaJson()));
}

// Keys and tokens count their draws (meta row), so LoadRows can put the generator back where
// it was. Callers report the meta row.
std::uint64_t Module::Draw() {
  ++token_draws_;
  return rng_();
}

std::string Module::NewKey() {
  return api::MakeApiKey([this] { return Draw(); });
}

std::string Module::NewToken(api::TokenKind kind) {
  return api::MakeToken(kind, [this] { return Draw(); });
}

Account* Module::FindAccount(std::string_view email) {
  auto it = std::find_if(accounts_.begin(), accounts_.end(),
                         [&](const Account& a) { return SameEmail(a.email, email); });
  return it == accounts_.end() ? nullptr : &*it;
}

KeySlot* Module::FindSlot(std::string_view id) {
  auto it = std::find_if(keys_.begin(), keys_.end(), [&](const KeySlot& k) { return k.id == id; });
  return it == keys_.end() ? nullptr : &*it;
}

std::string Module::AccountRateKey(std::string_view email) {
  return "inventory:account:" + std::string(email);
}

std::string Module::KeyRateKey(std::string_view key) {
  return "inventory:key:" + std::string(key);
}

std::vector<core::RateWindow> Module::MonthWindow(std::int64_t limit) {
  return {{"month", core::WindowUnit::kMonth, limit}};
}

// Splits "<prefix><name><suffix>" and returns <name>.
std::optional<std::string> Module::Middle(const std::string& s, std::string_view prefix,
                                          std::string_view suffix) {
  if (s.size() > prefix.size() + suffix.size() && s.starts_with(prefix) && s.ends_with(suffix))
    return s.substr(prefix.size(), s.size() - prefix.size() - suffix.size());
  return std::nullopt;
}

std::optional<std::string> Module::CheckSetting(const std::string& name, const Json& v) {
  auto non_negative = [&](std::int64_t min) -> std::optional<std::string> {
    if (!v.is_number_integer() || v.get<std::int64_t>() < min)
      return name + " must be an integer of at least " + std::to_string(min);
    return std::nullopt;
  };
  if (name == "rate_limit_per_minute") return non_negative(1);
  if (auto email = Middle(name, "account.", ".api_enabled")) {
    if (!FindAccount(*email)) return "unknown account '" + *email + "'";
    if (!v.is_boolean()) return name + " must be true or false";
    return std::nullopt;
  }
  if (auto email = Middle(name, "account.", ".monthly_limit")) {
    if (!FindAccount(*email)) return "unknown account '" + *email + "'";
    return non_negative(0);
  }
  for (std::string_view field : {".value", ".write_scope", ".expires_at", ".action"}) {
    auto slot_id = Middle(name, "key.", field);
    if (!slot_id) continue;
    KeySlot* slot = FindSlot(*slot_id);
    if (!slot) return "unknown key slot '" + *slot_id + "'";
    if (field == ".value") {
      if (!v.is_string() || v.get<std::string>() != slot->value)
        return name + " is read-only (use key." + *slot_id + ".action)";
    } else if (field == ".write_scope") {
      if (!v.is_boolean()) return name + " must be true or false";
    } else if (field == ".expires_at") {
      if (!v.is_null() && !(v.is_string() && core::ParseIso8601(v.get<std::string>())))
        return name + " must be an ISO 8601 date-time or null";
    } else {
      std::string action = v.is_string() ? v.get<std::string>() : "?";
      if (action != "" && action != "regenerate" && action != "delete")
        return name + " must be \"regenerate\", \"delete\" or \"\"";
    }
    return std::nullopt;
  }
  return "unknown setting '" + name + "'";
}

// Only called with a name and value CheckSetting accepted.
void Module::ApplySetting(const std::string& name, const Json& v) {
  if (name == "rate_limit_per_minute") {
    rate_limit_per_minute_ = v.get<std::int64_t>();
    PutMeta();
  } else if (auto email = Middle(name, "account.", ".api_enabled")) {
    Account* account = FindAccount(*email);
    account->api_enabled = v.get<bool>();
    PutAccount(*account);
  } else if (auto email2 = Middle(name, "account.", ".monthly_limit")) {
    Account* account = FindAccount(*email2);
    account->monthly_limit = v.get<std::int64_t>();
    PutAccount(*account);
  } else if (auto id = Middle(name, "key.", ".write_scope")) {
    KeySlot* slot = FindSlot(*id);
    slot->write_scope = v.get<bool>();
    PutKey(*slot);
  } else if (auto id2 = Middle(name, "key.", ".expires_at")) {
    KeySlot* slot = FindSlot(*id2);
    slot->expires_at = v.is_null() ? std::nullopt : core::ParseIso8601(v.get<std::string>());
    PutKey(*slot);
  } else if (auto id3 = Middle(name, "key.", ".action")) {
    KeySlot* slot = FindSlot(*id3);
    const std::string action = v.get<std::string>();
    if (action == "regenerate") {
      if (!slot->value.empty()) slot->replaced.push_back(slot->value);
      slot->value = NewKey();
      slot->expires_at.reset();
      PutMeta();  // the generator's draws
    } else if (action == "delete") {
      slot->value.clear();
      slot->replaced.clear();
    }
    if (!action.empty()) PutKey(*slot);
  }
  // "key.<slot>.value" is read-only: accepted unchanged, nothing to do.
}

std::string Module::DefaultCode(int status) {
  switch (status) {
    case 400:
      return std::string(api::kValidationError);
    case 401:
      return std::string(api::kInvalidApiKey);
    case 403:
      return std::string(api::kForbidden);
    case 404:
      return std::string(api::kNotFound);
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 429:
      return std::string(api::kRateLimitExceeded);
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + std::to_string(status);
  }
}

core::HttpResponse Module::Error(const api::ApiError& e) {
  return JsonResponse(e.status, api::ErrorBody(e));
}

core::HttpResponse Module::Error(int status, std::string_view code, std::string message) {
  return Error(api::ApiError{status, std::string(code), std::move(message), {}});
}

core::HttpResponse Module::Ok(const Json& data) {
  return JsonResponse(200, api::SuccessBody(data));
}

// 401 / 403 API_DISABLED / 429, in that order; counts the request when it passes.
std::optional<core::HttpResponse> Module::Authenticate(const MockRequest& r, Caller& caller) {
  auto header = r.http.headers.Get("Authorization");
  if (auto problem = api::CheckAuthorization(header)) return Error(*problem);
  const std::string key(api::BearerKey(*header));
  for (auto& slot : keys_) {
    if (!slot.value.empty() && slot.value == key) {
      if (slot.expires_at && r.now >= *slot.expires_at)
        return Error(401, api::kApiKeyExpired, "API key expired at " + Iso(*slot.expires_at));
      caller.key = &slot;
      break;
    }
    if (std::find(slot.replaced.begin(), slot.replaced.end(), key) != slot.replaced.end())
      return Error(401, api::kApiKeyExpired,
                   "API key was revoked by a regeneration; use the new key");
  }
  if (!caller.key) return Error(401, api::kInvalidApiKey, "Invalid API key");
  caller.account = FindAccount(caller.key->account);
  if (!caller.account) return Error(401, api::kInvalidApiKey, "Invalid API key");
  if (!caller.account->api_enabled)
    return Error(403, api::kApiDisabled, "API access is disabled for this account");

  if (context_->limits_enabled()) {
    auto& limiter = context_->limiter();
    const std::string key_rate = KeyRateKey(key);
    const std::string account_rate = AccountRateKey(caller.account->email);
    limiter.SetWindows(key_rate, {{"minute", core::WindowUnit::kMinute, rate_limit_per_minute_}});
    limiter.SetWindows(account_rate, MonthWindow(caller.account->monthly_limit));
    // Peek both before counting either, so a refused request uses up nothing.
    for (const auto& [rate_key, what] :
         {std::pair{key_rate, std::string("requests per minute for this key")},
          std::pair{account_rate, std::string("requests this month (account quota)")}}) {
      core::RateDecision d = limiter.Peek(rate_key, r.now);
      if (d.allowed) continue;
      auto response = Error(429, api::kRateLimitExceeded,
                            "Rate limit exceeded: " + std::to_string(d.limit) + " " + what);
      auto seconds =
          std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(d.retry_after).count());
      response.headers.Set("Retry-After", std::to_string(seconds));
      response.headers.Set("X-RateLimit-Limit", std::to_string(d.limit));
      response.headers.Set("X-RateLimit-Remaining", "0");
      response.headers.Set("X-RateLimit-Reset", Iso(d.resets_at));
      return response;
    }
    limiter.Acquire(key_rate, r.now);
    limiter.Acquire(account_rate, r.now);
  }
  if (caller.account->last_used != r.now) {
    caller.account->last_used = r.now;
    PutAccount(*caller.account);  // lastUsedAt (user stats) moves with accepted requests
  }
  return std::nullopt;
}

// What every request gets before its endpoint's function: authentication and pacing (401, 403,
// 429), write scope for POSTs, the JSON body parsed and the request checked against the endpoint
// table (400). The answer when the request stops here.
std::optional<core::HttpResponse> Module::Before(const core::EndpointSpec& ep, Call& c) {
  MockRequest& r = c.r;
  if (auto refused = Authenticate(r, c.caller)) return refused;
  const bool is_post = ep.method == core::Method::kPost;
  if (is_post && !c.caller.key->write_scope)
    return Error(403, api::kScopeDenied, "This API key has no write scope");
  api::RequestParts parts;
  parts.path = r.params;
  parts.query = r.query;
  if (is_post) {
    auto parsed = core::RequestJson(r.http);  // in process: the client's value, not parsed again
    if (!parsed.ok()) return Error(400, api::kValidationError, "Invalid JSON body");
    c.body = std::move(parsed.value());
    parts.body = &c.body;
  }
  if (auto problem = api::CheckRequest(ep, parts)) return Error(*problem);
  return std::nullopt;
}

// The function of each endpoint.
EndpointTable<Module::EndpointFn> Module::Endpoints() {
  // Endpoints that act on one of the caller's templates (404 unknown, 403 another user's).
  auto own = [this](std::function<core::HttpResponse(Call&, StoredTemplate&)> fn) -> EndpointFn {
    return [this, fn = std::move(fn)](Call& c) {
      StoredTemplate* t = FindTemplate(c.r.Param("token"));
      if (!t) return Error(404, api::kNotFound, "Template not found");
      if (!SameEmail(t->owner, c.email()))
        return Error(403, api::kForbidden, "This template belongs to another user");
      return fn(c, *t);
    };
  };
  EndpointTable<EndpointFn> h;
  h.Add(api::kListItems, [this](Call& c) { return ListItems(c.r, c.email()); });
  h.Add(api::kGetItem, [this](Call& c) { return GetItem(c.r.Param("token"), c.email()); });
  h.Add(api::kListTemplates, [this](Call& c) { return ListTemplates(c.r, c.email()); });
  h.Add(api::kListSharedTemplates, [this](Call& c) { return ListShared(c.r, c.email()); });
  h.Add(api::kGetUserStats, [this](Call& c) { return Stats(c.r, *c.caller.account); });
  h.Add(api::kCreateTemplate, [this](Call& c) { return CreateTemplate(c.r, c.body, c.email()); });
  h.Add(api::kRevokeShare, [this](Call& c) { return Revoke(c.r, c.body, c.email()); });
  h.Add(api::kGetTemplate,
        own([this](Call& c, StoredTemplate& t) { return Ok(Detail(t, c.r.now)); }));
  h.Add(api::kShareTemplate,
        own([this](Call& c, StoredTemplate& t) { return ShareTemplate(c.r, c.body, t); }));
  h.Add(api::kSendTemplate,
        own([this](Call& c, StoredTemplate& t) { return Send(c.r, c.body, t); }));
  h.Add(api::kCheckOwnership,
        own([this](Call& c, StoredTemplate& t) { return CheckOwnership(c.body, t); }));
  return h;
}

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

std::optional<std::string> RegenerateKey(MockServer& server, std::string_view slot) {
  const std::string name = "key." + std::string(slot) + ".action";
  if (server.ApplySettings("inventory", {{name, "regenerate"}})) return std::nullopt;
  auto settings = server.Settings("inventory");
  return settings
             ? core::JsonValueOr<std::string>(*settings, "key." + std::string(slot) + ".value", "")
             : std::optional<std::string>();
}

bool DeleteKey(MockServer& server, std::string_view slot) {
  return !server.ApplySettings("inventory", {{"key." + std::string(slot) + ".action", "delete"}});
}

}  // namespace restbox::mock::inventory
