#include "restbox/mock/mock_server.hpp"

#include <algorithm>

#include "clock_offset.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"

namespace restbox::mock {
namespace {

constexpr std::size_t kJournalBodyLimit = 64 * 1024;

std::string Truncate(std::string s) {
  if (s.size() > kJournalBodyLimit) {
    s.resize(kJournalBodyLimit);
    s += "…(truncated)";
  }
  return s;
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
  // Only a value that reads back the same from its bytes may stand in for them (DumpShared).
  r.body = core::DumpShared(std::move(body), r.json);
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
  const core::Duration delay = outcome.delay;
  auto deliver = [outcome = std::move(outcome), completion = std::move(completion)]() mutable {
    if (outcome.drop) {
      completion(core::MakeError(core::ErrorKind::kConnection,
                                 "connection dropped by restbox-mock (fault rule)"));
    } else {
      completion(std::move(outcome.response));
    }
  };
  if (delay > core::Duration::zero()) {
    options_.scheduler->Schedule(delay, std::move(deliver));
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
