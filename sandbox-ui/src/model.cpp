#include "model.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "form.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"
#include "restbox/transports/in_process_transport.hpp"
#ifdef __EMSCRIPTEN__
#include "restbox/wasm/fetch_transport.hpp"
#else
#include "restbox/core/thread_scheduler.hpp"
#endif

namespace restbox::console {
namespace {

double UnixMs() {
  using namespace std::chrono;
  return static_cast<double>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

// "shareToken" -> "share_token" (fixtures are named in snake_case; some wire fields are not).
std::string SnakeCase(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// Per-attempt policy: copies each attempt's request and response into the exchange's wire log,
// so the console shows (and exports) exactly what was sent, after auth and request ids.
class WireRecorder final : public core::Policy {
 public:
  using Sink = std::function<void(WireAttempt)>;
  explicit WireRecorder(Sink sink) : sink_(std::move(sink)) {}
  void Send(core::HttpRequest request, const std::shared_ptr<core::CallState>&,
            core::NextPolicy next, core::TransportCompletion completion) override {
    auto started = std::chrono::steady_clock::now();
    auto copy = std::make_shared<core::HttpRequest>(request);
    next(std::move(request), [sink = sink_, copy, started, completion = std::move(completion)](
                                 core::Result<core::HttpResponse> r) {
      WireAttempt attempt;
      attempt.request = *copy;
      attempt.elapsed_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      if (r.ok()) {
        attempt.response = r.value();
      } else {
        attempt.transport_error = r.error().message;
      }
      sink(std::move(attempt));
      completion(std::move(r));
    });
  }

 private:
  Sink sink_;
};

// `body` with each known secret redacted. Shares `body` when none occurs (the usual case), so a
// 10 MB answer is searched but not copied.
std::shared_ptr<const std::string> MaskedBody(const std::shared_ptr<const std::string>& body,
                                              const std::vector<std::string>& secrets) {
  if (!body) return nullptr;
  for (const auto& secret : secrets) {
    // RedactKnownSecrets ignores values shorter than 4 characters (they would mask common text).
    if (secret.size() >= 4 && body->find(secret) != std::string::npos) {
      return std::make_shared<const std::string>(core::RedactKnownSecrets(*body, secrets));
    }
  }
  return body;
}

#ifndef __EMSCRIPTEN__
// Runs another transport's Send on a thread of its own (the mock is thread-safe: one lock).
class OffThreadTransport final : public core::Transport {
 public:
  explicit OffThreadTransport(std::shared_ptr<core::Transport> inner)
      : inner_(std::move(inner)), thread_(std::make_shared<core::ThreadScheduler>()) {}
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override {
    thread_->Schedule(core::Duration(0), [inner = inner_, request = std::move(request), context,
                                          completion = std::move(completion)]() mutable {
      inner->Send(std::move(request), context, std::move(completion));
    });
  }

 private:
  std::shared_ptr<core::Transport> inner_;
  std::shared_ptr<core::ThreadScheduler> thread_;
};
#endif

}  // namespace

std::string_view ToString(TargetKind kind) {
  switch (kind) {
    case TargetKind::kInProcess:
      return "in-process mock";
    case TargetKind::kHttpMock:
      return "HTTP mock";
    case TargetKind::kLive:
      return "live";
  }
  return "?";
}

std::string Environment::BaseUrlFor(const ServiceView& service) const {
  if (auto it = service_base_url.find(service.id);
      it != service_base_url.end() && !it->second.empty()) {
    return it->second;
  }
  if (!base_url.empty()) return base_url;
  if (target == TargetKind::kInProcess) return "http://mock";
  return service.spec().default_base_url;
}

namespace {

// The role under which a service's fixtures hold its working credential: each mock names it
// differently ("" when none of them).
std::string CredentialRole(const core::Json& service_fixtures) {
  for (const char* name : {"test_key", "api_key", "consumer_key", "api_token"}) {
    if (service_fixtures.contains(name) && service_fixtures[name].is_string()) return name;
  }
  return "";
}

}  // namespace

Model::Model(Options options) : options_(std::move(options)) {
  if (!options_.mock) options_.mock = mock::MakeMockServer();
  in_process_ = std::make_shared<transports::InProcessTransport>(options_.mock);
#ifndef __EMSCRIPTEN__
  if (options_.in_process_off_thread)
    in_process_ = std::make_shared<OffThreadTransport>(in_process_);
#endif
  if (!options_.http_transport) {
#ifdef __EMSCRIPTEN__
    options_.http_transport = std::make_shared<wasm::FetchTransport>();
#else
    options_.http_transport = core::InstalledDefaultTransport();
#endif
  }
  for (const auto& entry : services::AllServices()) {
    services_.push_back(
        ServiceView{std::string(entry.spec->id), &entry, services::DescribeService(*entry.spec)});
  }
  // Built-in environments; credentials default to each service's demo fixtures (the keys the mock
  // accepts), so the first Send works without typing anything.
  fixtures_ = options_.mock->Fixtures();
  const core::Json& fixtures = fixtures_;
  Environment in_process{"In-process mock", TargetKind::kInProcess, "", {}, {}};
  Environment http_mock{"Local HTTP mock", TargetKind::kHttpMock, options_.http_mock_url, {}, {}};
  Environment live{"Live", TargetKind::kLive, "", {}, {}};
  for (const auto& service : services_) {
    services::Credentials demo;
    if (fixtures.contains(service.id)) {
      const auto& f = fixtures[service.id];
      if (std::string role = CredentialRole(f); !role.empty())
        demo.key = f[role].get<std::string>();
      demo.secret = core::JsonValueOr<std::string>(f, "api_secret", "");
    }
    in_process.credentials[service.id] = demo;
    http_mock.credentials[service.id] = demo;
    live.credentials[service.id] = {};
  }
  environments = {in_process, http_mock, live};
  if (!services_.empty() && !services_[0].spec().endpoints.empty()) {
    Select(services_[0].id, services_[0].spec().endpoints[0].id);
  }
}

Model::~Model() {
  // A retry waiting on the scheduler holds its call, hence the call's pipeline, which holds the
  // scheduler: when nothing else holds that scheduler (a test's ManualClock), the cycle would keep
  // the pipeline, the transport and the whole mock alive for ever. Cancelling ends each wait, and
  // the completions find the model gone (weak) and do nothing.
  auto in_flight = std::move(in_flight_);
  for (auto& [id, call] : in_flight) call.Cancel();
}

void Model::Post(std::function<void()> work) {
  queue_->Post(std::move(work));
}

core::Json Model::FixturesFor(const Environment& env) const {
  core::Json out = core::Json::object();
  for (const auto& [service, credentials] : env.credentials) {
    if (!fixtures_.contains(service)) continue;
    std::string role = CredentialRole(fixtures_[service]);
    core::Json roles = core::Json::object();
    if (!role.empty() && !credentials.key.empty()) roles[role] = credentials.key;
    if (!credentials.secret.empty()) roles["api_secret"] = credentials.secret;
    if (!roles.empty()) out[service] = std::move(roles);
  }
  return out;
}

std::size_t Model::Pump() {
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(queue_->mutex);
    work.swap(queue_->work);
  }
  for (auto& w : work) w();
  return work.size();
}

const ServiceView* Model::FindService(std::string_view id) const {
  for (const auto& s : services_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const core::EndpointSpec* Model::FindEndpoint(std::string_view service,
                                              std::string_view endpoint) const {
  const ServiceView* s = FindService(service);
  return s ? s->spec().Find(endpoint) : nullptr;
}

const core::Json* Model::EndpointDescription(std::string_view service,
                                             std::string_view endpoint) const {
  const ServiceView* s = FindService(service);
  if (!s) return nullptr;
  for (const auto& e : s->description["endpoints"]) {
    if (e.value("id", "") == endpoint) return &e;
  }
  return nullptr;
}

void Model::Select(std::string_view service, std::string_view endpoint) {
  draft.service = std::string(service);
  draft.endpoint = std::string(endpoint);
  draft.params = ExampleParams(service, endpoint);
  draft.extra_headers = {};
  draft.raw_body.reset();
}

core::Json Model::ExampleParams(std::string_view service, std::string_view endpoint) const {
  core::Json params = core::Json::object();
  if (const core::Json* d = EndpointDescription(service, endpoint);
      d && d->contains("exampleRequest") && (*d)["exampleRequest"].is_object()) {
    params = (*d)["exampleRequest"];
  }
  const ServiceView* view = FindService(service);
  const core::EndpointSpec* spec = FindEndpoint(service, endpoint);
  if (!view || !spec) return params;
  // Credentials come from the environment: the seed's placeholders ("your-api-token-here",
  // "Bearer mkt_xxx") would override the working demo credential.
  for (auto it = params.begin(); it != params.end();) {
    it = form::IsCredentialField(view->spec().auth, it.key()) ? params.erase(it) : std::next(it);
  }
  // The table's example of each required field the seed's request lacks (path values mostly).
  const core::Json* description = EndpointDescription(service, endpoint);
  for (const auto& f : spec->fields) {
    if (!f.required || params.contains(f.name) ||
        form::IsCredentialField(view->spec().auth, f.name))
      continue;
    if (!description || !description->contains("fields")) break;
    for (const auto& d : (*description)["fields"]) {
      if (d.value("name", "") == f.name && d.contains("example")) params[f.name] = d["example"];
    }
  }
  ApplyFixtures(service, endpoint, params);
  // Lists start at their first page (the seeds' examples ask for page 2, empty on the demo data).
  for (const auto& field : spec->fields) {
    if (field.name == "page" && field.in != core::FieldIn::kPath && params.contains("page"))
      params["page"] = 1;
  }
  return params;
}

void Model::ApplyFixtures(std::string_view service, std::string_view endpoint,
                          core::Json& params) const {
  const core::EndpointSpec* spec = FindEndpoint(service, endpoint);
  auto fixtures = fixtures_.find(std::string(service));
  if (!spec || fixtures == fixtures_.end() || !fixtures->is_object() || !params.is_object()) return;
  auto usable = [&](const std::string& key) -> const core::Json* {
    auto it = fixtures->find(key);
    return it != fixtures->end() && (it->is_string() || it->is_number_integer()) ? &*it : nullptr;
  };
  const std::string path(spec->path);
  for (const auto& field : spec->fields) {
    if (field.in != core::FieldIn::kPath) continue;
    std::vector<std::string> candidates{field.name};
    // The static segment before "{name}", made singular: /api/jobs/{id} -> "job".
    if (auto at = path.find("{" + field.name + "}"); at != std::string::npos && at > 1) {
      auto start = path.rfind('/', at - 2);
      std::string segment = path.substr(start == std::string::npos ? 0 : start + 1,
                                        at - 1 - (start == std::string::npos ? 0 : start + 1));
      if (!segment.empty() && segment.front() != '{') {
        if (segment.size() > 1 && segment.back() == 's') segment.pop_back();
        candidates.push_back(segment + "_" + field.name);
      }
    }
    candidates.push_back("test_" + field.name);
    if (std::string snake = SnakeCase(field.name); snake != field.name) candidates.push_back(snake);
    for (const auto& key : candidates) {
      if (const core::Json* value = usable(key)) {
        params[field.name] = *value;
        break;
      }
    }
  }
  // Query and body values the fixtures name exactly (inventory's share_token, market's params):
  // only where the example or the table asks for the field, so optional filters stay unset.
  for (const auto& field : spec->fields) {
    if (field.in == core::FieldIn::kPath || field.in == core::FieldIn::kHeader) continue;
    if (!params.contains(field.name) && !field.required) continue;
    auto it = fixtures->find(field.name);
    if (it == fixtures->end())
      it = fixtures->find(SnakeCase(field.name));  // shareToken -> share_token
    if (it != fixtures->end() && !it->is_null()) params[field.name] = *it;
  }
  // Endpoints whose parameters are free-form (market's provider params) take the fixtures' set.
  if (spec->fields.size() == 0 ||
      std::none_of(spec->fields.begin(), spec->fields.end(), [](const auto& f) {
        return f.in == core::FieldIn::kQuery || f.in == core::FieldIn::kBody;
      })) {
    if (auto it = fixtures->find("params"); it != fixtures->end() && it->is_object()) {
      for (auto p = it->begin(); p != it->end(); ++p) {
        if (!params.contains(p.key())) params[p.key()] = *p;
      }
    }
  }
}

const Environment& Model::environment(std::size_t index) const {
  return environments.at(index < environments.size() ? index : 0);
}

void Model::DeleteEnvironment(std::size_t index) {
  if (index >= environments.size() || environments.size() <= 1) return;
  environments.erase(environments.begin() + static_cast<std::ptrdiff_t>(index));
  auto fix = [index](std::size_t& used) {
    if (used == index) {
      used = 0;
    } else if (used > index) {
      --used;
    }
  };
  fix(draft.environment);
  for (Exchange& e : history_) fix(e.draft.environment);
}

std::string Model::Mask(std::string text, const std::vector<std::string>& extra) const {
  if (reveal_secrets) return text;
  return core::RedactKnownSecrets(std::move(text), KnownSecrets(extra));
}

std::vector<std::string> Model::KnownSecrets(const std::vector<std::string>& extra) const {
  std::vector<std::string> secrets = extra;
  for (const auto& env : environments) {
    for (const auto& [id, c] : env.credentials) {
      if (!c.key.empty()) secrets.push_back(c.key);
      if (!c.secret.empty()) secrets.push_back(c.secret);
    }
  }
  return secrets;
}

std::vector<std::string> Model::PublicValues() const {
  std::vector<std::string> values;
  for (const auto& env : environments) {
    if (env.target == TargetKind::kLive) continue;
    for (const auto& [id, c] : env.credentials) {
      auto f = fixtures_.find(id);
      if (f == fixtures_.end() || !f->is_object()) continue;
      for (const auto& value : {c.key, c.secret}) {
        if (value.empty()) continue;
        for (const auto& item : f->items()) {
          if (item.value().is_string() && item.value().get<std::string>() == value)
            values.push_back(value);
        }
      }
    }
  }
  return values;
}

std::shared_ptr<core::Transport> Model::TransportFor(const Environment& env) const {
  return env.target == TargetKind::kInProcess ? in_process_ : options_.http_transport;
}

Exchange* Model::FindExchange(std::uint64_t id) {
  for (auto& e : history_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::uint64_t Model::Send(const Draft& request) {
  const ServiceView* service = FindService(request.service);
  const core::EndpointSpec* endpoint = FindEndpoint(request.service, request.endpoint);
  const Environment& env = environment(request.environment);

  Exchange exchange;
  exchange.id = next_id_++;
  exchange.draft = request;
  exchange.service = request.service;
  exchange.endpoint = request.endpoint;
  exchange.environment_name = env.name;
  exchange.target = env.target;
  exchange.started_unix_ms = UnixMs();
  const std::uint64_t id = exchange.id;

  services::Credentials credentials;
  if (auto it = env.credentials.find(request.service); it != env.credentials.end())
    credentials = it->second;
  if (!credentials.key.empty()) exchange.secrets.push_back(credentials.key);
  if (!credentials.secret.empty()) exchange.secrets.push_back(credentials.secret);
  exchange.credentials = credentials;
  if (service) exchange.base_url = env.BaseUrlFor(*service);
  if (endpoint) {
    exchange.method = std::string(core::ToString(endpoint->method));
    exchange.url = std::string(endpoint->path);
  }
  history_.push_front(std::move(exchange));
  while (history_.size() > history_limit) history_.pop_back();
  selected_exchange = id;

  std::weak_ptr<Model> weak = weak_from_this();
  // Snapshot of the credentials to redact from the response body (done once, off the frame).
  auto secrets = std::make_shared<const std::vector<std::string>>(KnownSecrets());
  // Completions run on the transport's thread: they post to the queue and never hold the model.
  auto finish = [weak, queue = queue_, id](
                    core::Json outcome, std::shared_ptr<const std::string> body,
                    std::shared_ptr<const std::string> masked_body, int status, double total_ms) {
    queue->Post([weak, id, outcome = std::move(outcome), body = std::move(body),
                 masked_body = std::move(masked_body), status, total_ms]() mutable {
      auto model = weak.lock();
      if (!model) return;
      --model->pending_;
      model->in_flight_.erase(id);
      if (Exchange* e = model->FindExchange(id)) {
        e->outcome = std::move(outcome);
        e->body = std::move(body);
        e->masked_body = std::move(masked_body);
        e->status = status;
        e->total_ms = total_ms;
        e->done = true;
      }
    });
  };
  ++pending_;
  if (!service || !endpoint) {
    finish(
        core::Json{{"ok", false},
                   {"status", 0},
                   {"error",
                    {{"kind", "invalid_argument"},
                     {"message", "unknown endpoint " + request.service + "/" + request.endpoint}}}},
        nullptr, nullptr, 0, 0);
    return id;
  }

  services::DynamicClientOptions options;
  options.transport = TransportFor(env);
  options.base_url = env.BaseUrlFor(*service);
  options.retry = retry;
  options.client_validation = client_validation;
  options.clock = options_.clock;
  options.scheduler = options_.scheduler;
  options.credentials = credentials;
  // The last attempt's response body, as received: successes keep it too (the Result only carries
  // it for errors). Written by the recorder before the call completes, on the same thread.
  auto last_body = std::make_shared<std::shared_ptr<const std::string>>();
  options.per_attempt_policies.push_back(
      std::make_shared<WireRecorder>([weak, queue = queue_, id, last_body](WireAttempt attempt) {
        *last_body = attempt.response ? std::make_shared<const std::string>(attempt.response->body)
                                      : nullptr;
        queue->Post([weak, id, attempt = std::move(attempt)]() mutable {
          auto model = weak.lock();
          if (!model) return;
          if (Exchange* e = model->FindExchange(id)) {
            if (e->wire.empty()) e->url = attempt.request.url;
            e->wire.push_back(std::move(attempt));
          }
        });
      }));
  auto client = std::shared_ptr<services::DynamicClient>(
      services::DynamicClient::ForService(request.service, std::move(options)));

  services::DynamicRequest call = services::DynamicRequest::FromParams(*endpoint, request.params);
  for (const auto& [name, value] : request.extra_headers) call.headers.Set(name, value);
  if (request.raw_body) call.raw_body = request.raw_body;
  const auto started = std::chrono::steady_clock::now();
  // The client is kept alive by the continuation until the answer arrives.
  auto in_flight =
      client->Call(request.endpoint, std::move(call))
          .Then([client, finish, started, last_body, secrets](core::Result<core::Json> result) {
            const double total = std::chrono::duration<double, std::milli>(
                                     std::chrono::steady_clock::now() - started)
                                     .count();
            std::shared_ptr<const std::string> body = *last_body;
            if (!body && !result.ok() && !result.error().raw_body.empty()) {
              body = std::make_shared<const std::string>(result.error().raw_body);
            }
            auto masked = MaskedBody(body, *secrets);
            core::Json outcome = services::ToJson(result);
            finish(std::move(outcome), std::move(body), std::move(masked), result.status(), total);
          });
  in_flight_.emplace(id, std::move(in_flight));
  return id;
}

void Model::Admin(const Environment& env, core::Method method, const std::string& path,
                  std::optional<core::Json> body, std::function<void(int, core::Json)> done) {
  core::HttpRequest request;
  request.method = method;
  std::string base = env.target == TargetKind::kInProcess ? std::string() : env.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  request.url = base + path;
  if (body) {
    request.body = core::DumpJson(*body);
    request.headers.Set("Content-Type", "application/json");
  }
  core::Context context;
  context.timeout = core::Duration(10'000);
  TransportFor(env)->Send(
      std::move(request), context,
      [queue = queue_, done = std::move(done)](core::Result<core::HttpResponse> r) {
        int status = r.ok() ? r.value().status : 0;
        core::Json json;
        if (r.ok()) {
          auto parsed = core::ParseJson(r.value().body);
          json = parsed.ok() ? std::move(parsed.value()) : core::Json(r.value().body);
        } else {
          json = core::Json{{"error", r.error().message}};
        }
        // Runs at the model's next Pump(); dropped with the queue if the model is gone.
        queue->Post([done, status, json = std::move(json)]() { done(status, json); });
      });
}

}  // namespace restbox::console
