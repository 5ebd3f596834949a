#include "restbox/mock/mock_server.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "restbox/core/masking.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"

namespace restbox::mock {
namespace {

constexpr std::size_t kJournalBodyLimit = 64 * 1024;

// The clock offset (time travel on a real clock) never exceeds the whole supported range of
// times, so `offset + step` cannot overflow and Now() saturates at core::LatestTime().
constexpr core::Duration kMaxOffset{15'778'454'400'000};  // 1700..2200, in ms
core::Duration ClampOffset(core::Duration offset) {
  return std::clamp(offset, core::Duration::zero(), kMaxOffset);
}
// A state file's "offset_ms": an integer of any size or a number, clamped; anything else is 0.
core::Duration OffsetFromJson(const core::Json& value) {
  if (value.is_number_unsigned()) {
    return ClampOffset(core::Duration(static_cast<std::int64_t>(std::min<std::uint64_t>(
        value.get<std::uint64_t>(), static_cast<std::uint64_t>(kMaxOffset.count())))));
  }
  if (value.is_number_integer()) return ClampOffset(core::Duration(value.get<std::int64_t>()));
  if (value.is_number_float()) {
    const double ms = value.get<double>();
    if (!std::isfinite(ms)) return core::Duration::zero();
    return core::Duration(
        static_cast<std::int64_t>(std::clamp(ms, 0.0, static_cast<double>(kMaxOffset.count()))));
  }
  return core::Duration::zero();
}

std::string Truncate(std::string s) {
  if (s.size() > kJournalBodyLimit) {
    s.resize(kJournalBodyLimit);
    s += "…(truncated)";
  }
  return s;
}

// The "code" preference of a Prefer header (RFC 7240 preferences, comma-separated): a status
// ("code=429") or, for services with several codes on one status, the service's own code
// ("code=INVALID_TOKEN"). Returns the value as written ("" when present but empty).
std::optional<std::string> PreferredCode(const core::Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (!core::EqualsIgnoreCase(name, "Prefer")) continue;
    std::string_view v = value;
    std::size_t pos = 0;
    while (pos < v.size()) {
      std::size_t comma = v.find_first_of(",;", pos);
      if (comma == std::string_view::npos) comma = v.size();
      std::string_view token = v.substr(pos, comma - pos);
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
      if (token.starts_with("code=")) {
        token.remove_prefix(5);
        if (!token.empty() && token.front() == '"' && token.back() == '"' && token.size() >= 2)
          token = token.substr(1, token.size() - 2);
        return std::string(token);
      }
      pos = comma + 1;
    }
  }
  return std::nullopt;
}

// A numeric preference value, or nullopt.
std::optional<int> ParseStatus(std::string_view text) {
  int code = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec == std::errc() && ptr == text.data() + text.size()) return code;
  return std::nullopt;
}

core::HttpResponse RestboxError(int status, const std::string& message,
                                const core::Json& extra = {}) {
  return RestboxErrorResponse(status, message, extra);
}

// The credentials among a service's fixtures (members named *key, *secret, *token): setting
// names may hold them ("key.<api key>.enabled"), and error messages never show one in clear.
std::vector<std::string> FixtureSecrets(const core::Json& fixtures) {
  std::vector<std::string> secrets;
  if (!fixtures.is_object()) return secrets;
  for (auto it = fixtures.begin(); it != fixtures.end(); ++it) {
    const std::string& name = it.key();
    const bool credential =
        name.ends_with("key") || name.ends_with("secret") || name.ends_with("token");
    if (credential && it->is_string() && it->get<std::string>().size() >= 8)
      secrets.push_back(it->get<std::string>());
  }
  return secrets;
}

// A HEAD request was routed and answered as GET (Router::Find): the answer keeps the status and
// headers of that GET, says how long its body would be, and carries none.
void DropBodyForHead(core::HttpResponse& response) {
  response.headers.Set("Content-Length", std::to_string(response.body.size()));
  response.body.clear();
  response.json.reset();
}

}  // namespace

bool IsSafeWebhookHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!tchar) return false;
  }
  for (std::string_view framing :
       {"Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive",
        "Upgrade", "TE", "Trailer", "Expect"}) {
    if (core::EqualsIgnoreCase(name, framing)) return false;
  }
  return !(name.size() >= 6 && core::EqualsIgnoreCase(name.substr(0, 6), "Proxy-"));
}

std::optional<std::string> MockRequest::QueryValue(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

core::HttpResponse JsonResponse(int status, const core::Json& body) {
  core::HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json; charset=utf-8");
  r.body = core::DumpJson(body);
  return r;
}

core::HttpResponse JsonResponse(int status, core::Json&& body) {
  core::HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json; charset=utf-8");
  r.body = core::DumpJson(body);
  // Only a value that reads back the same from its bytes may stand in for them.
  if (core::MakeWireExact(body)) r.json = std::make_shared<const core::Json>(std::move(body));
  return r;
}

// ---------------------------------------------------------------------------------------------
void InProcessWebhooks::Register(const std::string& url, Receiver receiver) {
  std::lock_guard lock(mutex_);
  receivers_[url] = std::move(receiver);
}

void InProcessWebhooks::Unregister(const std::string& url) {
  std::lock_guard lock(mutex_);
  receivers_.erase(url);
}

void InProcessWebhooks::Post(WebhookRequest request, std::function<void(int)> done) {
  Receiver receiver;
  {
    std::lock_guard lock(mutex_);
    auto it = receivers_.find(request.url);
    if (it != receivers_.end()) receiver = it->second;
  }
  done(receiver ? receiver(request) : 0);
}

// ---------------------------------------------------------------------------------------------
class MockServer::Context final : public MockContext {
 public:
  explicit Context(MockServer* server, std::string service = {})
      : server_(server), service_(std::move(service)) {}
  bool durable() const override { return server_->store_ != nullptr && !server_->loading_; }
  void RowChanged(std::string_view collection, std::string key,
                  std::optional<std::string> value) override {
    if (!durable()) return;
    server_->pending_rows_.push_back(
        {service_, std::string(collection), std::move(key), std::move(value)});
  }
  core::TimePoint Now() const override { return server_->Now(); }
  core::RateLimiter& limiter() override { return server_->limiter_; }
  bool limits_enabled() const override { return server_->options_.limits_enabled; }
  std::mt19937_64& rng() override { return server_->rng_; }
  void SendWebhook(WebhookRequest request, std::function<void(int)> done) override {
    server_->outbox_.push_back({std::move(request), std::move(done)});
  }
  std::optional<std::string> WebhookRefusal(const std::string& url) override {
    if (const auto* vetted = server_->vetted_webhooks_) {
      if (auto it = vetted->find(url); it != vetted->end()) return it->second;
    }
    return server_->options_.webhooks->Refusal(url);  // not named by WebhookUrls(): vet it now
  }

 private:
  MockServer* server_;
  std::string service_;
};

MockServer::MockServer(MockOptions options)
    : options_(std::move(options)), context_(std::make_unique<Context>(this)), rng_(options_.seed) {
  if (!options_.clock) options_.clock = core::SystemClock::Instance();
  if (!options_.scheduler) {
    if (auto manual = std::dynamic_pointer_cast<core::ManualClock>(options_.clock)) {
      options_.scheduler = manual;
    } else {
      options_.scheduler = core::DefaultScheduler();
    }
  }
  in_process_webhooks_ = std::make_shared<InProcessWebhooks>();
  if (!options_.webhooks) options_.webhooks = in_process_webhooks_;
}

MockServer::~MockServer() = default;

void MockServer::AddService(std::unique_ptr<ServiceModule> module) {
  std::lock_guard lock(mutex_);
  module_contexts_.push_back(std::make_unique<Context>(this, module->Spec().id));
  module->Register(router_, *module_contexts_.back());
  module->Reset(options_.seed);
  modules_.push_back(std::move(module));
  if (store_) {
    if (modules_.back()->HasRows()) {
      for (auto& row : modules_.back()->Rows())
        pending_rows_.push_back({row.service, row.collection, row.key, row.value});
    } else {
      dirty_modules_.push_back(modules_.back().get());
    }
    CommitLocked();
  }
}

ServiceModule* MockServer::FindService(std::string_view id) {
  std::lock_guard lock(mutex_);
  for (auto& m : modules_) {
    if (m->Spec().id == id) return m.get();
  }
  return nullptr;
}

std::vector<std::string> MockServer::ServiceIds() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& m : modules_) out.push_back(m->Spec().id);
  return out;
}

core::TimePoint MockServer::Now() const {
  std::lock_guard lock(mutex_);
  return core::AddSaturated(options_.clock->Now(), offset_);
}

void MockServer::Tick() {
  {
    std::lock_guard lock(mutex_);
    auto now = Now();
    for (auto& m : modules_) m->Tick(now);
    CommitLocked();
  }
  FlushOutbox();
}

void MockServer::AdvanceClock(core::Duration by) {
  if (by <= core::Duration::zero()) {
    Tick();
    return;
  }
  auto manual = std::dynamic_pointer_cast<core::ManualClock>(options_.clock);
  if (!manual) {
    {
      std::lock_guard lock(mutex_);
      offset_ = ClampOffset(offset_ + std::min(by, kMaxOffset));
      server_dirty_ = true;
    }
    Tick();
    return;
  }
  // From one due time to the next (a module's work, a task on the clock), never further than
  // the target: what runs between two stops is exactly what would have run in real time, and a
  // year with nothing due is one step instead of millions of one-second ticks.
  const core::TimePoint target = core::AddSaturated(manual->Now(), by);
  for (;;) {
    Tick();
    const core::TimePoint now = manual->Now();
    if (now >= target) break;
    core::TimePoint next = target;
    if (auto in = manual->NextDueIn()) next = std::min(next, core::AddSaturated(now, *in));
    {
      std::lock_guard lock(mutex_);
      for (const auto& m : modules_) {
        // Module times are the mock's (clock + offset); the manual clock runs without the offset.
        if (auto due = m->NextDue()) next = std::min(next, core::AddSaturated(*due, -offset_));
      }
    }
    // Always forward: work that is already due ran in the Tick above (or is in flight).
    next = std::min(std::max(next, core::AddSaturated(now, core::Duration(1))), target);
    manual->AdvanceTo(next);
  }
}

void MockServer::FlushOutbox() {
  for (;;) {
    std::vector<Outgoing> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(outbox_);
    }
    if (batch.empty()) return;
    for (auto& o : batch) {
      // The sender must finish (or drop) its deliveries before the server is destroyed; the HTTP
      // front's sender joins its workers first.
      options_.webhooks->Post(std::move(o.request), [this, done = std::move(o.done)](int status) {
        std::lock_guard lock(mutex_);
        done(status);
        CommitLocked();  // the delivery's outcome is durable before anything else happens
      });
    }
  }
}

MockOutcome MockServer::Process(core::HttpRequest request) {
  const bool head = request.method == core::Method::kHead;
  // The admin API (/__restbox/...): no journal, no faults, no Prefer.
  if (request.url.find(kAdminPrefix.substr(0, kAdminPrefix.size() - 1)) != std::string::npos) {
    if (auto parts = core::ParseUrl(request.url); parts && IsAdminPath(parts->path)) {
      MockOutcome admin;
      admin.response = HandleAdmin(*this, request, *parts);
      if (auto rid = request.headers.Get("X-Request-Id"))
        admin.response.headers.Set("X-Request-Id", *rid);
      if (head) DropBodyForHead(admin.response);
      return admin;
    }
  }
  // restbox-mock --proxy / --replay: answered from elsewhere, outside the lock (it may block).
  if (options_.pass_through) {
    auto [service, endpoint] = RouteOf(request);
    // Fault rules, Prefer and --latency apply to forwarded and replayed requests as to mocked
    // ones: a forced answer is the mock's (the upstream never sees the request).
    MockOutcome forced;
    const bool handled = options_.pass_through->Handles(service);
    if (handled && ForcePassThrough(request, forced)) {
      FlushOutbox();
      return forced;
    }
    std::optional<PassThroughAnswer> answer;
    try {
      answer = options_.pass_through->Answer(request, service, endpoint);
    } catch (const std::exception& e) {
      answer = PassThroughAnswer{
          RestboxError(502, std::string("restbox-mock: ") + e.what()), "", false, {}};
    }
    if (answer) {
      MockOutcome outcome =
          RecordPassThrough(request, std::move(service), std::move(endpoint), std::move(*answer));
      outcome.delay += forced.delay;
      return outcome;
    }
  }
  // Webhook callbacks the request names are vetted first, outside the lock: the sender may
  // resolve host names, which must not stall every other request.
  std::map<std::string, std::optional<std::string>> vetted;
  {
    std::vector<std::string> urls;
    {
      std::lock_guard lock(mutex_);
      for (const auto& m : modules_) {
        for (auto& url : m->WebhookUrls(request)) urls.push_back(std::move(url));
      }
    }
    for (const auto& url : urls) {
      if (!vetted.contains(url)) vetted.emplace(url, options_.webhooks->Refusal(url));
    }
  }
  JournalEntry entry;
  MockOutcome outcome;
  std::shared_ptr<GroupCommitStore> store;
  std::uint64_t ticket = 0;
  bool wrote = false;  // a request that changed nothing waits, but a failed write is not its own
  std::uint64_t journal_seq = 0;
  {
    std::lock_guard lock(mutex_);
    vetted_webhooks_ = &vetted;
    try {
      outcome = ProcessLocked(request, entry);
    } catch (const std::exception& e) {
      outcome = {};
      outcome.response = RestboxError(500, std::string("restbox-mock internal error: ") + e.what());
    } catch (...) {
      outcome = {};
      outcome.response = RestboxError(500, "restbox-mock internal error");
    }
    vetted_webhooks_ = nullptr;
    // Every change the request made is queued here, in the engine's order, and committed below,
    // outside the lock, before its answer leaves (GroupCommitStore).
    if (store_ && !loading_) {
      store = store_;
      ticket = EnqueueLocked(&wrote);
    }
    if (!outcome.response.headers.Has("X-Request-Id")) {
      auto rid = request.headers.Get("X-Request-Id");
      outcome.response.headers.Set("X-Request-Id",
                                   rid ? *rid : "mock-" + std::to_string(next_seq_));
    }
    if (head) DropBodyForHead(outcome.response);
    journal_seq = next_seq_;
    JournalLocked(std::move(entry), std::move(request), outcome.drop ? 0 : outcome.response.status,
                  outcome.drop ? std::string() : outcome.response.body);
    outcome.delay += options_.latency;
  }
  if (store) {
    if (auto error = store->Wait(ticket); error && wrote) {
      std::string request_id = outcome.response.headers.Get("X-Request-Id").value_or("");
      outcome = {};
      outcome.response = RestboxError(
          500, "restbox-mock could not save the state (the change is in memory only): " + *error);
      outcome.response.headers.Set("X-Request-Id", request_id);
      if (head) DropBodyForHead(outcome.response);
      std::lock_guard lock(mutex_);
      store_error_ = *error;
      for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
        if (it->seq != journal_seq) continue;
        it->status = 500;
        it->response_body = Truncate(outcome.response.body);
        break;
      }
    }
  }
  FlushOutbox();
  return outcome;
}

void MockServer::JournalLocked(JournalEntry entry, core::HttpRequest request, int status,
                               std::string response_body) {
  entry.seq = next_seq_++;
  entry.time = Now();
  entry.method = request.method;
  entry.url = core::MaskUrl(request.url);
  // The headers and the body are kept as they came and masked when the journal is read
  // (Journal()): masking a body parses and serialises it, which would double the cost of every
  // in-process call for a journal that is rarely read. Only the part the journal shows is kept
  // (a multi-megabyte body, which the HTTP front accepts up to 8 MiB, is cut first).
  entry.request_headers = std::move(request.headers);
  if (request.body.size() > kJournalBodyLimit + 1) request.body.resize(kJournalBodyLimit + 1);
  entry.request_body = std::move(request.body);
  entry.status = status;
  entry.response_body = Truncate(std::move(response_body));
  if (!entry.problems.empty()) {
    JournalEntry report = entry;
    report.request_headers = {};
    report.request_body.clear();
    report.response_body.clear();
    problems_.push_back(std::move(report));
    while (problems_.size() > options_.journal_capacity) problems_.pop_front();
  }
  journal_.push_back(std::move(entry));
  while (journal_.size() > options_.journal_capacity) journal_.pop_front();
}

bool MockServer::ForcePassThrough(const core::HttpRequest& request, MockOutcome& out) {
  auto parts = core::ParseUrl(request.url);
  if (!parts) return false;
  std::lock_guard lock(mutex_);
  out.delay += options_.latency;
  RouteMatch match = router_.Find(request.method, parts->path);
  if (!match.route) return false;
  ServiceModule* module = nullptr;
  for (auto& m : modules_) {
    if (m->Spec().id == match.route->service) module = m.get();
  }
  if (!module) return false;
  JournalEntry entry;
  entry.service = match.route->service;
  entry.endpoint = match.route->endpoint ? match.route->endpoint->id : "";
  if (!ForceLocked(request, *match.route, *module, parts->path, entry, out)) return false;
  if (!out.response.headers.Has("X-Request-Id")) {
    auto rid = request.headers.Get("X-Request-Id");
    out.response.headers.Set("X-Request-Id", rid ? *rid : "mock-" + std::to_string(next_seq_));
  }
  if (request.method == core::Method::kHead) DropBodyForHead(out.response);
  JournalLocked(std::move(entry), request, out.drop ? 0 : out.response.status,
                out.drop ? std::string() : out.response.body);
  CommitLocked();  // a rule's `times` went down
  return true;
}

std::pair<std::string, std::string> MockServer::RouteOf(const core::HttpRequest& request) {
  auto parts = core::ParseUrl(request.url);
  if (!parts) return {};
  std::lock_guard lock(mutex_);
  RouteMatch match = router_.Find(request.method, parts->path);
  if (match.route) {
    return {match.route->service, match.route->endpoint ? match.route->endpoint->id : ""};
  }
  for (const auto& m : modules_) {
    if (m->OwnsPath(parts->path)) return {m->Spec().id, ""};
  }
  return {};
}

MockOutcome MockServer::RecordPassThrough(const core::HttpRequest& request, std::string service,
                                          std::string endpoint, PassThroughAnswer answer) {
  MockOutcome outcome;
  outcome.response = std::move(answer.response);
  // The answer's own Content-Length stands for a HEAD (the front sends it as it is).
  if (request.method == core::Method::kHead) {
    outcome.response.body.clear();
    outcome.response.json.reset();
  }
  std::lock_guard lock(mutex_);
  JournalEntry entry;
  entry.service = std::move(service);
  entry.endpoint = std::move(endpoint);
  entry.upstream = answer.source.empty() ? std::string("pass-through") : std::move(answer.source);
  entry.problems = std::move(answer.problems);
  if (answer.checked) ++checked_;
  if (!entry.problems.empty()) ++with_problems_;
  JournalLocked(std::move(entry), request, outcome.response.status, outcome.response.body);
  return outcome;
}

void MockServer::Handle(core::HttpRequest request, core::TransportCompletion completion) {
  MockOutcome outcome = Process(std::move(request));
  auto deliver = [outcome = std::move(outcome), completion = std::move(completion)]() mutable {
    if (outcome.drop) {
      completion(core::MakeError(core::ErrorKind::kConnection,
                                 "connection dropped by restbox-mock (fault rule)"));
    } else {
      completion(std::move(outcome.response));
    }
  };
  if (outcome.delay > core::Duration::zero()) {
    options_.scheduler->Schedule(outcome.delay, std::move(deliver));
  } else {
    deliver();
  }
}

bool MockServer::IsServicePath(std::string_view path) const {
  std::lock_guard lock(mutex_);
  RouteMatch match = router_.Find(core::Method::kGet, path);
  if (match.route || !match.same_path_other_methods.empty()) return true;
  return std::any_of(modules_.begin(), modules_.end(),
                     [path](const auto& m) { return m->OwnsPath(path); });
}

core::HttpResponse MockServer::NoRoute(const std::string& path, const RouteMatch& match,
                                       core::Method method) {
  ServiceModule* owner = nullptr;
  for (auto& m : modules_) {
    if (m->OwnsPath(path)) owner = m.get();
  }
  if (!match.same_path_other_methods.empty()) {
    std::string allow = AllowedMethods(match);
    std::string message = "Method " + std::string(core::ToString(method)) + " is not allowed on " +
                          path + "; allowed: " + allow;
    core::HttpResponse r = owner ? owner->ErrorResponse(405, "METHOD_NOT_ALLOWED", message)
                                 : RestboxError(405, message);
    r.headers.Set("Allow", allow);
    return r;
  }
  std::string message = "No route for " + std::string(core::ToString(method)) + " " + path;
  return owner ? owner->ErrorResponse(404, "NOT_FOUND", message) : RestboxError(404, message);
}

// The forcing stage, the same for every request whatever answers it (the engine, --proxy's
// upstream, --replay's cassette): fault rules in the order they were added (one per request, each
// consuming one of its `times`), then `Prefer: code=`. True when `out` is the answer (a forced
// documented status, a drop, a refused Prefer); a latency rule only adds to out.delay, and a
// documented success status in Prefer lets the request be answered normally.
bool MockServer::ForceLocked(const core::HttpRequest& request, const Route& route,
                             ServiceModule& module, const std::string& path, JournalEntry& entry,
                             MockOutcome& out) {
  // Fault rules, in the order they were added; each consumes one of its `times`.
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    FaultRule& f = *it;
    if (!f.match.Matches(route.service, entry.endpoint, request.method, path)) continue;
    if (f.times > 0) --f.times;
    if (f.times >= 0) server_dirty_ = true;
    FaultRule applied = f;
    if (f.times == 0) faults_.erase(it);
    std::string message =
        applied.message.empty() ? "forced by restbox-mock fault rule" : applied.message;
    switch (applied.action) {
      case FaultAction::kDrop:
        out.drop = true;
        entry.fault = "drop";
        return true;
      case FaultAction::kStatus:
      case FaultAction::kFailFirst: {
        const core::StatusSpec* spec =
            route.endpoint ? route.endpoint->FindError(applied.status) : nullptr;
        out.response = module.ErrorResponse(applied.status, spec ? spec->code : "", message);
        if (applied.status == 429 && !out.response.headers.Has("Retry-After"))
          out.response.headers.Set("Retry-After", "1");
        entry.fault =
            "fault " + std::string(ToString(applied.action)) + " " + std::to_string(applied.status);
        return true;
      }
      case FaultAction::kLatency:
        out.delay += applied.latency;
        entry.fault = "latency " + std::to_string(applied.latency.count()) + " ms";
        break;
    }
    break;  // one rule per request
  }

  // Prefer: code=NNN forces a documented status of this endpoint; code=<SERVICE_CODE> forces the
  // documented row with that code (inventory has several codes per status).
  std::optional<std::string> preferred = PreferredCode(request.headers);
  std::optional<int> forced;
  const core::StatusSpec* by_code = nullptr;
  if (preferred) {
    forced = ParseStatus(*preferred);
    if (!forced && !preferred->empty() && route.endpoint) {
      for (const auto& e : route.endpoint->errors) {
        if (e.code == *preferred && !by_code) by_code = &e;
      }
      if (by_code) forced = by_code->status;
    }
    if (!forced) {
      out.response = RestboxError(
          400, "malformed Prefer header: expected code=NNN or code=<documented error code>");
      return true;
    }
  }
  if (forced) {
    const core::EndpointSpec* ep = route.endpoint;
    if (*forced < 0) {
      out.response = RestboxError(400, "malformed Prefer header: expected code=NNN");
      return true;
    }
    const core::StatusSpec* spec = by_code;
    if (ep && !spec) {
      spec = ep->FindError(*forced);
      if (!spec) {
        // Codes carried inside a success status (market 1000-1005).
        for (const auto& e : ep->errors) {
          if (e.code == std::to_string(*forced)) spec = &e;
        }
      }
    }
    if (spec) {
      out.response =
          module.ErrorResponse(spec->status, spec->code, "forced by Prefer: code=" + *preferred);
      if (spec->status == 429 && !out.response.headers.Has("Retry-After"))
        out.response.headers.Set("Retry-After", "1");
      entry.fault = "forced " + *preferred + " (Prefer)";
      return true;
    }
    if (!ep || !ep->IsSuccess(*forced)) {
      core::Json documented = core::Json::array();
      if (ep) {
        for (int s : ep->success) documented.push_back(s);
        for (const auto& e : ep->errors) {
          if (e.status != 200)
            documented.push_back(e.status);
          else
            documented.push_back(std::stoi(e.code));
        }
      }
      out.response =
          RestboxError(400,
                       "Prefer: code=" + std::to_string(*forced) +
                           " is not a documented status of " + route.service + "." + entry.endpoint,
                       {{"documented", documented}});
      return true;
    }
    // A documented success status: answer normally.
  }
  return false;
}

MockOutcome MockServer::ProcessLocked(core::HttpRequest& request, JournalEntry& entry) {
  MockOutcome out;
  core::TimePoint now = Now();
  for (auto& m : modules_) m->Tick(now);

  auto parts = core::ParseUrl(request.url);
  if (!parts) {
    out.response = RestboxError(400, "malformed request target: " + request.url);
    return out;
  }
  RouteMatch match = router_.Find(request.method, parts->path);
  if (!match.route) {
    out.response = NoRoute(parts->path, match, request.method);
    return out;
  }
  const Route& route = *match.route;
  ServiceModule* module = nullptr;
  for (auto& m : modules_) {
    if (m->Spec().id == route.service) module = m.get();
  }
  entry.service = route.service;
  entry.endpoint = route.endpoint ? route.endpoint->id : "";
  if (store_) {
    // Limiter counters move with any request (when limits are on); a module stored whole is
    // rewritten after a write.
    limiter_dirty_ = limiter_dirty_ || options_.limits_enabled;
    if (module && !module->HasRows() && request.method != core::Method::kGet &&
        request.method != core::Method::kHead &&
        std::find(dirty_modules_.begin(), dirty_modules_.end(), module) == dirty_modules_.end())
      dirty_modules_.push_back(module);
  }

  if (ForceLocked(request, route, *module, parts->path, entry, out)) return out;

  MockRequest mreq;

  mreq.http = std::move(request);
  mreq.path = parts->path;
  mreq.query = core::ParseQuery(parts->query);
  mreq.params = std::move(match.params);
  mreq.endpoint = route.endpoint;
  mreq.service = route.service;
  mreq.now = now;
  try {
    out.response = route.handler(mreq);
  } catch (const std::exception& e) {
    out.response = module->ErrorResponse(500, "", std::string("Server Error: ") + e.what());
  }
  request = std::move(mreq.http);
  return out;
}

void MockServer::Reset() {
  {
    std::lock_guard lock(mutex_);
    rng_.seed(options_.seed);
    limiter_.Reset();
    faults_.clear();
    journal_.clear();
    problems_.clear();
    checked_ = 0;
    with_problems_ = 0;
    outbox_.clear();
    offset_ = core::Duration(0);
    loading_ = true;
    for (auto& m : modules_) m->Reset(options_.seed);
    loading_ = false;
    RewriteLocked();
  }
}

core::Json MockServer::Fixtures() const {
  std::lock_guard lock(mutex_);
  core::Json out = core::Json::object();
  for (const auto& m : modules_) out[m->Spec().id] = m->Fixtures();
  return out;
}

std::optional<core::Json> MockServer::Settings(std::string_view service) const {
  std::lock_guard lock(mutex_);
  for (const auto& m : modules_) {
    if (m->Spec().id == service) return m->Settings();
  }
  return std::nullopt;
}

std::optional<std::string> MockServer::ApplySettings(std::string_view service,
                                                     const core::Json& patch) {
  if (auto problem = PatchSettings(service, patch)) return problem->message;
  return std::nullopt;
}

std::optional<InputProblem> MockServer::PatchSettings(std::string_view service,
                                                      const core::Json& patch) {
  std::lock_guard lock(mutex_);
  ServiceModule* module = nullptr;
  for (auto& m : modules_) {
    if (m->Spec().id == service) module = m.get();
  }
  if (!module)
    return UnknownName("service", "services", std::string(service), "", ServiceIds(), "service");
  if (!patch.is_object())
    return InputProblem{"settings must be a JSON object of name -> value", "", {}, ""};
  // Names first, against what the service itself lists: a service's own check may test the type
  // before the name, and "must be true or false" is no answer to a typo.
  const core::Json current = module->Settings();
  const std::vector<std::string> secrets = FixtureSecrets(module->Fixtures());
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (current.contains(it.key())) continue;
    std::vector<std::string> names;
    bool masked = false;
    for (auto c = current.begin(); c != current.end(); ++c) {
      names.push_back(core::RedactKnownSecrets(c.key(), secrets));
      masked = masked || names.back() != c.key();
    }
    InputProblem p = UnknownName("setting", "settings", it.key(), " for " + std::string(service),
                                 std::move(names), it.key());
    if (masked) {
      p.message += " (names holding a key are masked here; GET /__restbox/settings/" +
                   std::string(service) + " lists them in full)";
    }
    p.message = core::RedactKnownSecrets(std::move(p.message), secrets);
    p.field = core::RedactKnownSecrets(std::move(p.field), secrets);
    return p;
  }
  auto error = module->ApplySettings(patch);
  if (!error) {
    if (store_ && !module->HasRows()) dirty_modules_.push_back(module);
    limiter_dirty_ = store_ != nullptr;  // quotas are settings
    if (auto failed = CommitLocked())
      return InputProblem{"settings applied in memory but not saved: " + *failed, "", {}, ""};
    return std::nullopt;
  }
  // Services report a bad value as "<name> must be ...": the longest patch name in the message is
  // the member at fault.
  InputProblem p{core::RedactKnownSecrets(*error, secrets), "", {}, ""};
  std::string field;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.key().size() > field.size() && error->find(it.key()) != std::string::npos)
      field = it.key();
  }
  p.field = core::RedactKnownSecrets(std::move(field), secrets);
  return p;
}

core::Json MockServer::State() const {
  std::lock_guard lock(mutex_);
  core::Json out = core::Json::object();
  for (const auto& m : modules_) out[m->Spec().id] = m->SaveState();
  out["__clock"] = {{"now", core::FormatIso8601(Now())}, {"offset_ms", offset_.count()}};
  return out;
}

std::optional<std::string> MockServer::LoadState(const core::Json& state) {
  std::lock_guard lock(mutex_);
  if (!state.is_object()) return "state must be a JSON object";
  const bool outer = loading_;  // LoadWorld: it rewrites the store once, after the rest
  loading_ = true;
  std::optional<std::string> error;
  for (auto& m : modules_) {
    auto it = state.find(m->Spec().id);
    if (it == state.end()) continue;
    if (auto err = m->LoadState(*it)) {
      error = m->Spec().id + ": " + *err;
      break;
    }
  }
  if (!error) {
    if (auto c = state.find("__clock"); c != state.end() && c->is_object()) {
      // Any number a file holds (a huge one included) ends as an offset the clock can carry.
      offset_ = OffsetFromJson(c->value("offset_ms", core::Json()));
    }
  }
  loading_ = outer;
  if (auto failed = RewriteLocked(); failed && !error) error = "not saved: " + *failed;
  return error;
}

core::Json MockServer::World() const {
  std::lock_guard lock(mutex_);
  core::Json world = core::Json::object();
  for (const auto& m : modules_) world[m->Spec().id] = m->SaveWorld();
  world["__clock"] = {{"now", core::FormatIso8601(Now())}, {"offset_ms", offset_.count()}};
  core::Json server = ServerRowLocked();
  world["__faults"] = {{"rules", server["faults"]}, {"next_id", server["next_fault_id"]}};
  world["__limiter"] = LimiterJsonLocked();
  world["__format"] = {{"name", "restbox-mock world"}, {"version", 1}};
  return world;
}

std::optional<std::string> MockServer::LoadWorld(const core::Json& world) {
  std::lock_guard lock(mutex_);
  if (!world.is_object()) return "the state must be a JSON object";
  if (auto f = world.find("__format"); f != world.end()) {
    if (!f->is_object() || f->value("name", core::Json()) != "restbox-mock world")
      return "__format must be {\"name\": \"restbox-mock world\", \"version\": 1}";
    if (f->value("version", core::Json()) != 1)
      return "__format.version " + f->value("version", core::Json()).dump() +
             " is not one this restbox-mock reads (1)";
  }
  // Fault rules are checked before anything changes.
  std::vector<FaultRule> rules;
  std::uint64_t next_id = next_fault_id_;
  if (auto f = world.find("__faults"); f != world.end()) {
    if (!f->is_object()) return "__faults must be an object {\"rules\": [...], \"next_id\": N}";
    for (const auto& j : f->value("rules", core::Json::array())) {
      FaultRule rule;
      if (auto problem = ParseFaultRule(j, rule)) return "__faults: " + problem->message;
      rule.id = core::JsonValueOr<std::uint64_t>(j, "id", 0);
      rules.push_back(rule);
    }
    next_id = core::JsonValueOr<std::uint64_t>(*f, "next_id", next_id);
  }
  loading_ = true;
  std::optional<std::string> error = LoadState(world);
  if (!error) {
    if (world.contains("__faults")) {
      for (auto& r : rules) {
        if (r.id == 0) r.id = next_id++;
        next_id = std::max(next_id, r.id + 1);
      }
      faults_ = std::move(rules);
      next_fault_id_ = next_id;
    }
    if (auto l = world.find("__limiter"); l != world.end()) LoadLimiterLocked(*l);
  }
  loading_ = false;
  if (auto failed = RewriteLocked(); failed && !error) error = "not saved: " + *failed;
  return error;
}

// ---- durable state --------------------------------------------------------------------------
namespace {
constexpr const char* kServerRows = "__server";

bool ValidSnapshotName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}
}  // namespace

core::Json MockServer::ServerRowLocked() const {
  core::Json rules = core::Json::array();
  for (const auto& f : faults_) rules.push_back(ToJson(f));
  return {{"faults", rules}, {"next_fault_id", next_fault_id_}, {"offset_ms", offset_.count()}};
}

core::Json MockServer::LimiterJsonLocked() const {
  const core::TimePoint now = Now();
  core::Json out = core::Json::object();
  for (const auto& key : limiter_.Keys()) {
    core::Json windows = core::Json::object();
    for (const auto& w : limiter_.Snapshot(key, now)) {
      if (w.used)
        windows[w.name] = {{"used", w.used}, {"window_start", core::FormatIso8601(w.window_start)}};
    }
    if (!windows.empty()) out[key] = windows;
  }
  return out;
}

void MockServer::LoadServerRowLocked(const core::Json& row) {
  if (!row.is_object()) return;
  std::vector<FaultRule> rules;
  for (const auto& j : row.value("faults", core::Json::array())) {
    FaultRule rule;
    if (ParseFaultRule(j, rule)) continue;
    rule.id = core::JsonValueOr<std::uint64_t>(j, "id", 0);
    rules.push_back(rule);
  }
  faults_ = std::move(rules);
  next_fault_id_ =
      std::max<std::uint64_t>(1, core::JsonValueOr<std::uint64_t>(row, "next_fault_id", 1));
  offset_ = OffsetFromJson(row.value("offset_ms", core::Json()));
}

void MockServer::LoadLimiterLocked(const core::Json& limiter) {
  if (!limiter.is_object()) return;
  const core::TimePoint now = Now();
  // Every key the limiter knows is set to what the world says (0 when it says nothing), for the
  // current window only: a count from an earlier window has expired.
  std::vector<std::string> keys = limiter_.Keys();
  for (auto it = limiter.begin(); it != limiter.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
  }
  for (const auto& key : keys) {
    const core::Json saved = limiter.value(key, core::Json::object());
    for (const auto& w : limiter_.Snapshot(key, now)) {
      std::int64_t used = 0;
      if (auto s = saved.find(w.name); s != saved.end() && s->is_object()) {
        auto start = core::ParseIso8601(core::JsonValueOr<std::string>(*s, "window_start", ""));
        if (start && *start == w.window_start)
          used = core::JsonValueOr<std::int64_t>(*s, "used", 0);
      }
      limiter_.SetUsed(key, w.name, used, now);
    }
  }
}

std::vector<StateRow> MockServer::AllRowsLocked() const {
  std::vector<StateRow> rows;
  for (const auto& m : modules_) {
    if (m->HasRows()) {
      auto module_rows = m->Rows();
      rows.insert(rows.end(), std::make_move_iterator(module_rows.begin()),
                  std::make_move_iterator(module_rows.end()));
    } else {
      rows.push_back({m->Spec().id, "state", "", core::DumpJson(m->SaveWorld())});
    }
  }
  rows.push_back({kServerRows, "server", "", core::DumpJson(ServerRowLocked())});
  rows.push_back({kServerRows, "limiter", "", core::DumpJson(LimiterJsonLocked())});
  return rows;
}

std::optional<std::string> MockServer::CommitLocked() {
  if (!store_ || loading_) return std::nullopt;
  auto error = store_->Wait(EnqueueLocked());
  if (error) store_error_ = *error;
  return error;
}

std::uint64_t MockServer::EnqueueLocked(bool* wrote) {
  if (wrote) *wrote = false;
  if (!store_ || loading_) return 0;
  if (pending_rows_.empty() && dirty_modules_.empty() && !server_dirty_ && !limiter_dirty_)
    return store_->Enqueue({});
  if (wrote) *wrote = true;
  std::vector<RowChange> changes = std::move(pending_rows_);
  pending_rows_.clear();
  for (const ServiceModule* m : dirty_modules_)
    changes.push_back({m->Spec().id, "state", "", core::DumpJson(m->SaveWorld())});
  dirty_modules_.clear();
  if (server_dirty_)
    changes.push_back({kServerRows, "server", "", core::DumpJson(ServerRowLocked())});
  if (limiter_dirty_)
    changes.push_back({kServerRows, "limiter", "", core::DumpJson(LimiterJsonLocked())});
  server_dirty_ = limiter_dirty_ = false;
  return store_->Enqueue(std::move(changes));
}

std::optional<std::string> MockServer::RewriteLocked() {
  if (!store_ || loading_) return std::nullopt;
  pending_rows_.clear();
  dirty_modules_.clear();
  server_dirty_ = limiter_dirty_ = false;
  auto error = store_->ReplaceAll(AllRowsLocked());
  if (error) store_error_ = *error;
  return error;
}

std::optional<std::string> MockServer::LoadRowsLocked(const std::vector<StateRow>& rows) {
  std::map<std::string, std::vector<StateRow>> by_service;
  for (const auto& row : rows) by_service[row.service].push_back(row);
  for (auto& m : modules_) {
    auto it = by_service.find(m->Spec().id);
    if (it == by_service.end()) {
      // A service this file has never seen (added since): its fixtures are written below.
      if (m->HasRows()) {
        for (auto& row : m->Rows())
          pending_rows_.push_back({row.service, row.collection, row.key, row.value});
      } else {
        dirty_modules_.push_back(m.get());
      }
      continue;
    }
    const bool whole = it->second.size() == 1 && it->second[0].collection == "state";
    if (m->HasRows() && !whole) {
      if (auto err = m->LoadRows(it->second)) return m->Spec().id + ": " + *err;
      continue;
    }
    if (!whole) return m->Spec().id + ": expected one \"state\" row";
    auto parsed = core::ParseJson(it->second[0].value);
    if (!parsed.ok())
      return m->Spec().id + ": its state row is not JSON: " + parsed.error().message;
    if (auto err = m->LoadState(parsed.value())) return m->Spec().id + ": " + *err;
    if (m->HasRows()) {
      // Written when the service was stored whole: its rows replace that one row.
      pending_rows_.push_back({m->Spec().id, "state", "", std::nullopt});
      for (auto& row : m->Rows())
        pending_rows_.push_back({row.service, row.collection, row.key, row.value});
    }
  }
  if (auto it = by_service.find(kServerRows); it != by_service.end()) {
    for (const auto& row : it->second) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok()) return std::string("the engine's ") + row.collection + " row is not JSON";
      if (row.collection == "server")
        LoadServerRowLocked(parsed.value());
      else if (row.collection == "limiter")
        LoadLimiterLocked(parsed.value());
    }
  }
  return std::nullopt;
}

std::optional<std::string> MockServer::AttachStore(std::shared_ptr<StateStore> store,
                                                   bool* loaded) {
  if (loaded) *loaded = false;
  if (!store) return "no store";
  std::lock_guard lock(mutex_);
  std::vector<StateRow> rows;
  if (auto error = store->LoadAll(rows)) return error;
  auto group = std::make_shared<GroupCommitStore>(std::move(store));
  if (rows.empty()) {
    store_ = std::move(group);
    if (auto error = RewriteLocked()) {
      store_.reset();
      return error;
    }
    return std::nullopt;
  }
  loading_ = true;
  auto error = LoadRowsLocked(rows);
  loading_ = false;
  if (error) {
    // What was loaded so far is replaced by the fixtures again: the server is as it was.
    pending_rows_.clear();
    dirty_modules_.clear();
    for (auto& m : modules_) m->Reset(options_.seed);
    return error;
  }
  store_ = std::move(group);
  if (loaded) *loaded = true;
  std::optional<std::string> failed = CommitLocked();  // services the file did not have yet
  if (failed) store_.reset();
  return failed;
}

bool MockServer::durable() const {
  std::lock_guard lock(mutex_);
  return store_ != nullptr;
}

std::string MockServer::store_error() const {
  std::lock_guard lock(mutex_);
  return store_error_;
}

std::optional<InputProblem> MockServer::SaveSnapshot(const std::string& name, SnapshotInfo* info) {
  if (!ValidSnapshotName(name)) {
    return InputProblem{"snapshot name must be 1 to 64 letters, digits, '.', '_' or '-'; got \"" +
                            name.substr(0, 80) + "\"",
                        "name",
                        {},
                        "1 to 64 letters, digits, '.', '_' or '-'"};
  }
  std::lock_guard lock(mutex_);
  std::string world = core::DumpJson(World());
  SnapshotInfo made{name, core::FormatIso8601(Now()), world.size()};
  if (store_) {
    if (auto error = store_->PutSnapshot(made, world))
      return InputProblem{"snapshot not saved: " + *error, "", {}, ""};
  } else {
    memory_snapshots_[name] = {made, std::move(world)};
  }
  if (info) *info = made;
  return std::nullopt;
}

std::vector<SnapshotInfo> MockServer::Snapshots() const {
  std::lock_guard lock(mutex_);
  if (store_) return store_->ListSnapshots();
  std::vector<SnapshotInfo> out;
  for (const auto& [name, entry] : memory_snapshots_) out.push_back(entry.first);
  return out;
}

std::optional<std::string> MockServer::RestoreSnapshot(const std::string& name, bool* found) {
  if (found) *found = false;
  std::lock_guard lock(mutex_);
  std::string text;
  if (store_) {
    std::string error;
    auto world = store_->GetSnapshot(name, &error);
    if (!world) return error.empty() ? "no snapshot named \"" + name + "\"" : error;
    text = std::move(*world);
  } else {
    auto it = memory_snapshots_.find(name);
    if (it == memory_snapshots_.end()) return "no snapshot named \"" + name + "\"";
    text = it->second.second;
  }
  if (found) *found = true;
  auto parsed = core::ParseJson(text);
  if (!parsed.ok()) return "snapshot \"" + name + "\" is not valid JSON: " + parsed.error().message;
  outbox_.clear();
  return LoadWorld(parsed.value());
}

bool MockServer::DeleteSnapshot(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (store_) return store_->DeleteSnapshot(name);
  return memory_snapshots_.erase(name) > 0;
}

std::optional<InputProblem> MockServer::CheckFault(const FaultRule& rule) const {
  std::lock_guard lock(mutex_);
  const ServiceModule* module = nullptr;
  if (!rule.match.service.empty()) {
    for (const auto& m : modules_) {
      if (m->Spec().id == rule.match.service) module = m.get();
    }
    if (!module)
      return UnknownName("service", "services", rule.match.service, " in fault rule", ServiceIds(),
                         "service");
  }
  if (rule.match.endpoint.empty()) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& m : modules_) {
    if (module && m.get() != module) continue;
    for (const auto& ep : m->Spec().endpoints) {
      if (ep.id == rule.match.endpoint) return std::nullopt;
      if (std::find(ids.begin(), ids.end(), ep.id) == ids.end()) ids.push_back(ep.id);
    }
  }
  std::string where =
      module ? " of service " + rule.match.service : " in any service (name one with \"service\")";
  return UnknownName("endpoint", "endpoints", rule.match.endpoint, where, std::move(ids),
                     "endpoint");
}

std::uint64_t MockServer::AddFault(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rule.id = next_fault_id_++;
  faults_.push_back(rule);
  server_dirty_ = store_ != nullptr;
  CommitLocked();
  return rule.id;
}

bool MockServer::RemoveFault(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const bool removed = std::erase_if(faults_, [&](const FaultRule& f) { return f.id == id; }) > 0;
  server_dirty_ = removed && store_ != nullptr;
  CommitLocked();
  return removed;
}

void MockServer::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  server_dirty_ = store_ != nullptr;
  CommitLocked();
}

std::vector<FaultRule> MockServer::Faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::uint64_t MockServer::ForceStatus(int status, FaultMatch match, int times) {
  FaultRule rule;
  rule.action = FaultAction::kStatus;
  rule.status = status;
  rule.match = std::move(match);
  rule.times = times;
  return AddFault(rule);
}

std::vector<JournalEntry> MockServer::Journal(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::size_t n = limit == 0 ? journal_.size() : std::min(limit, journal_.size());
  std::vector<JournalEntry> out(journal_.end() - static_cast<std::ptrdiff_t>(n), journal_.end());
  // Kept unmasked (JournalLocked): masked here, as every reader of the journal sees them.
  for (auto& e : out) {
    e.request_headers = core::MaskHeaders(e.request_headers);
    e.request_body = Truncate(core::MaskBody(e.request_body));
  }
  return out;
}

void MockServer::ClearJournal() {
  std::lock_guard lock(mutex_);
  journal_.clear();
}

MockServer::ProblemLog MockServer::Problems(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  ProblemLog log;
  log.checked = checked_;
  log.with_problems = with_problems_;
  std::size_t n = limit == 0 ? problems_.size() : std::min(limit, problems_.size());
  log.entries.assign(problems_.end() - static_cast<std::ptrdiff_t>(n), problems_.end());
  return log;
}

void MockServer::ClearProblems() {
  std::lock_guard lock(mutex_);
  problems_.clear();
  checked_ = 0;
  with_problems_ = 0;
}

void MockServer::set_latency(core::Duration latency) {
  std::lock_guard lock(mutex_);
  options_.latency = latency;
}

void MockServer::set_limits_enabled(bool enabled) {
  std::lock_guard lock(mutex_);
  options_.limits_enabled = enabled;
}

core::Duration MockServer::latency() const {
  std::lock_guard lock(mutex_);
  return options_.latency;
}

bool MockServer::limits_enabled() const {
  std::lock_guard lock(mutex_);
  return options_.limits_enabled;
}

}  // namespace restbox::mock
