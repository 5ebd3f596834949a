// The embind surface behind the npm package's JavaScript API (wasm/js/restbox.mjs).
//
// Deliberately flat: plain functions taking integers and JSON text, and objects kept in C++
// tables under integer handles. JavaScript never holds an embind object, so nothing needs
// .delete(); the JS wrappers call close() to drop a handle. Results travel as JSON text (parsed
// once on the JS side) and asynchronous calls complete through Module.restboxCallDone(callId,
// json), which the wrapper turns into Promise resolutions.

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/json_codec.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/dynamic_client.hpp"
#include "restbox/transports/in_process_transport.hpp"
#include "restbox/transports/recording_transport.hpp"
#include "restbox/transports/replay_transport.hpp"
#include "restbox/wasm/fetch_transport.hpp"

// NOLINTBEGIN: EM_JS bodies are JavaScript.
// EM_JS bodies are JavaScript, not C++: clang-format must not touch them.
// clang-format off
EM_JS(void, restbox_js_call_done, (int call_id, const char* json), {
  Module['restboxCallDone'](call_id, UTF8ToString(json));
});
EM_JS(void, restbox_js_log, (int client, int level, const char* line), {
  if (Module['restboxLog']) Module['restboxLog'](client, level, UTF8ToString(line));
});
// clang-format on
// NOLINTEND

namespace restbox::wasm {
namespace {

using core::Json;

struct MockEntry {
  std::shared_ptr<mock::MockServer> server;
};

std::map<int, MockEntry>& Mocks() {
  static std::map<int, MockEntry> mocks;
  return mocks;
}
struct ClientEntry {
  std::shared_ptr<services::DynamicClient> client;  // null once its mock was closed
  int mock = 0;  // the mock it sends to; 0 for fetch and replay clients
  std::shared_ptr<transports::RecordingTransport> recorder;  // {record: true}
  std::shared_ptr<transports::ReplayTransport> replayer;     // {replay: cassette}
};
std::map<int, ClientEntry>& Clients() {
  static std::map<int, ClientEntry> clients;
  return clients;
}
// Calls under way, by the JS call id, for cancellation.
struct CallEntry {
  std::shared_ptr<core::CancellationSource> cancellation;
  int mock = 0;  // the mock the call went to; 0 for fetch calls
};
std::map<int, CallEntry>& Calls() {
  static std::map<int, CallEntry> calls;
  return calls;
}
int NextHandle() {
  static int next = 1;
  return next++;
}

std::string Reply(const Json& value) {
  return core::DumpJson({{"ok", true}, {"value", value}});
}
std::string Refuse(const std::string& message) {
  return core::DumpJson({{"ok", false}, {"error", message}});
}

// Parses JSON text from the JS wrapper; "" means an empty object.
core::Result<Json> ParseArgument(const std::string& text) {
  if (text.empty()) return Json::object();
  return core::ParseJson(text);
}

// The member `key` of `object`, or null when absent (or when `object` is not an object).
const Json& Member(const Json& object, std::string_view key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::optional<core::Duration> Millis(const Json& options, std::string_view key) {
  const Json& value = Member(options, key);
  if (!value.is_number()) return std::nullopt;
  return core::Duration(static_cast<std::int64_t>(value.get<double>()));
}

// ---- catalogue ----

std::string Services() {
  Json out = Json::array();
  for (const auto* spec : services::AllSpecs()) out.push_back(services::DescribeService(*spec));
  return core::DumpJson(out);
}

// Every core::ErrorKind's name, in order (error.kind in JS; restbox.d.ts's ErrorKind is generated
// from this list).
std::string ErrorKinds() {
  Json out = Json::array();
  for (int i = 0; i <= static_cast<int>(core::ErrorKind::kNoRecording); ++i) {
    out.push_back(core::ToString(static_cast<core::ErrorKind>(i)));
  }
  return core::DumpJson(out);
}

// ---- the in-process mock ----

// options: {manualClock: bool, start: "<iso>", seed, limits: bool, latencyMs, journalCapacity}
std::string CreateMock(const std::string& options_json) {
  auto parsed = ParseArgument(options_json);
  if (!parsed.ok()) return Refuse("invalid mock options: " + parsed.error().message);
  const Json& o = *parsed;
  mock::MockOptions options;
  if (core::JsonValueOr(o, "manualClock", false)) {
    auto start = core::ManualClock::DefaultStart();
    if (auto text = core::JsonValueOr<std::string>(o, "start", ""); !text.empty()) {
      auto when = core::ParseIso8601(text);
      if (!when) return Refuse("start is not an ISO 8601 time: " + text);
      start = *when;
    }
    options.clock = std::make_shared<core::ManualClock>(start);
  }
  options.seed = core::JsonValueOr<std::uint64_t>(o, "seed", options.seed);
  options.limits_enabled = core::JsonValueOr(o, "limits", true);
  options.latency = Millis(o, "latencyMs").value_or(core::Duration(0));
  options.journal_capacity =
      core::JsonValueOr<std::size_t>(o, "journalCapacity", options.journal_capacity);
  int handle = NextHandle();
  Mocks()[handle] = {mock::MakeMockServer(std::move(options))};
  return Reply(handle);
}

// Closing a mock also ends its clients' use of it (restbox.d.ts, Mock.close): calls under way on
// them complete now as cancelled, and later calls answer kInvalidArgument (StartCall), so no
// client keeps a closed mock alive or waits on its clock forever.
void CloseMock(int handle) {
  if (Mocks().erase(handle) == 0) return;
  std::vector<std::shared_ptr<core::CancellationSource>> under_way;
  for (const auto& [id, call] : Calls()) {
    if (call.mock == handle) under_way.push_back(call.cancellation);
  }
  for (const auto& cancellation : under_way) cancellation->Cancel();  // each completes its call
  for (auto& [id, entry] : Clients()) {
    if (entry.mock == handle) entry.client.reset();
  }
}

// One HTTP exchange with the mock, answered synchronously (latency and drop faults are reported,
// not applied): the admin API under /__restbox/ and any service route.
// request: {method, path, headers: {name: value}, body: "<text>"}
// answer:  {status, headers: {name: value}, body: "<text>", json: <parsed body when JSON>,
//           dropped: bool, delayMs}
std::string MockRequest(int handle, const std::string& request_json) {
  auto it = Mocks().find(handle);
  if (it == Mocks().end()) return Refuse("this mock was closed");
  auto parsed = ParseArgument(request_json);
  if (!parsed.ok()) return Refuse("invalid request: " + parsed.error().message);
  const Json& r = *parsed;
  core::HttpRequest request;
  auto method = core::ParseMethod(core::JsonValueOr<std::string>(r, "method", "GET"));
  if (!method) return Refuse("unknown method " + core::JsonValueOr<std::string>(r, "method", ""));
  request.method = *method;
  request.url = core::JsonValueOr<std::string>(r, "path", "/");
  if (request.url.empty() || request.url.front() != '/') return Refuse("path must start with '/'");
  request.body = core::JsonValueOr<std::string>(r, "body", "");
  if (const Json& h = Member(r, "headers"); h.is_object()) {
    for (auto f = h.begin(); f != h.end(); ++f) {
      if (f->is_string()) request.headers.Add(f.key(), f->get<std::string>());
    }
  }
  if (!request.body.empty() && !request.headers.Has("Content-Type")) {
    request.headers.Set("Content-Type", "application/json");
  }
  mock::MockOutcome outcome = it->second.server->Process(std::move(request));
  Json headers = Json::object();
  for (const auto& [name, value] : outcome.response.headers) headers[name] = value;
  Json answer = {{"status", outcome.response.status},
                 {"headers", std::move(headers)},
                 {"body", outcome.response.body},
                 {"dropped", outcome.drop},
                 {"delayMs", outcome.delay.count()}};
  if (auto body = core::ParseJson(outcome.response.body); body.ok()) answer["json"] = *body;
  return Reply(answer);
}

// ---- clients ----

core::RetryOptions RetryFrom(const Json& r, core::RetryOptions retry) {
  retry.max_attempts = core::JsonValueOr(r, "maxAttempts", retry.max_attempts);
  retry.initial_backoff = Millis(r, "initialBackoffMs").value_or(retry.initial_backoff);
  retry.multiplier = core::JsonValueOr(r, "multiplier", retry.multiplier);
  retry.max_backoff = Millis(r, "maxBackoffMs").value_or(retry.max_backoff);
  retry.jitter = core::JsonValueOr(r, "jitter", retry.jitter);
  retry.max_retry_after = Millis(r, "maxRetryAfterMs").value_or(retry.max_retry_after);
  retry.retryable_statuses = core::JsonValueOr(r, "retryableStatuses", retry.retryable_statuses);
  retry.retry_transport_errors =
      core::JsonValueOr(r, "retryTransportErrors", retry.retry_transport_errors);
  return retry;
}

// options: {mock: <handle> | baseUrl, credentials: {key, secret}, timeoutMs, clientValidation,
//           userAgent, retry: {...}, log: bool, fetchFunction, fetchCredentials, diagnoseFailures}
std::string CreateClient(const std::string& service, const std::string& options_json) {
  const services::ServiceEntry* entry = services::FindService(service);
  if (!entry) return Refuse("this build has no service '" + service + "'");
  auto parsed = ParseArgument(options_json);
  if (!parsed.ok()) return Refuse("invalid client options: " + parsed.error().message);
  const Json& o = *parsed;

  services::DynamicClientOptions options;
  const Json& credentials = Member(o, "credentials");
  options.credentials.key = core::JsonValueOr<std::string>(credentials, "key", "");
  options.credentials.secret = core::JsonValueOr<std::string>(credentials, "secret", "");
  options.client_validation = core::JsonValueOr(o, "clientValidation", true);
  options.timeout = Millis(o, "timeoutMs").value_or(options.timeout);
  options.user_agent = core::JsonValueOr(o, "userAgent", options.user_agent);
  if (const Json& r = Member(o, "retry"); r.is_object())
    options.retry = RetryFrom(r, options.retry);

  const int mock_handle = core::JsonValueOr(o, "mock", 0);
  std::shared_ptr<transports::ReplayTransport> replayer;
  if (const Json& replay = Member(o, "replay"); !replay.is_null()) {
    // The cassette answers every request: no mock, no network.
    if (mock_handle != 0) return Refuse("a client replays a cassette or sends to a mock, not both");
    if (!replay.is_string()) return Refuse("replay must be a HAR 1.2 document (text or object)");
    auto cassette = transports::Cassette::FromHar(replay.get<std::string>());
    if (!cassette.ok()) return Refuse(cassette.error().message);
    replayer = std::make_shared<transports::ReplayTransport>(std::move(*cassette));
    options.transport = replayer;
    options.base_url = core::JsonValueOr<std::string>(o, "baseUrl", "http://replay");
  } else if (mock_handle != 0) {
    auto it = Mocks().find(mock_handle);
    if (it == Mocks().end())
      return Refuse("this mock was closed (mock.close()): create another one");
    const auto& server = it->second.server;
    // The client shares the mock's clock, so advancing a manual clock also runs its retries.
    options.clock = server->options().clock;
    options.scheduler = server->options().scheduler;
    options.transport = std::make_shared<transports::InProcessTransport>(
        server, transports::InProcessOptions{.scheduler = options.scheduler});
    options.base_url = core::JsonValueOr<std::string>(o, "baseUrl", "http://mock");
  } else {
    options.base_url = core::JsonValueOr<std::string>(o, "baseUrl", "");
    if (options.base_url.empty()) return Refuse("a client needs a mock or a baseUrl");
    FetchOptions fetch;
    fetch.fetch_function = core::JsonValueOr(o, "fetchFunction", 0);
    fetch.credentials = core::JsonValueOr<std::string>(o, "fetchCredentials", fetch.credentials);
    fetch.diagnose_failures = core::JsonValueOr(o, "diagnoseFailures", true);
    options.transport = std::make_shared<FetchTransport>(std::move(fetch));
  }
  std::shared_ptr<transports::RecordingTransport> recorder;
  if (core::JsonValueOr(o, "record", false)) {
    recorder = std::make_shared<transports::RecordingTransport>(
        options.transport, transports::RecordingOptions{.clock = options.clock});
    options.transport = recorder;
  }
  int handle = NextHandle();
  if (core::JsonValueOr(o, "log", false)) {
    options.logger = [handle](core::LogLevel level, std::string_view line) {
      restbox_js_log(handle, static_cast<int>(level), std::string(line).c_str());
    };
  }
  Clients()[handle] = {std::make_shared<services::DynamicClient>(*entry, std::move(options)),
                       mock_handle, std::move(recorder), std::move(replayer)};
  return Reply(handle);
}

// What a {record: true} client recorded: the HAR 1.2 document as text (secrets redacted).
std::string ClientCassette(int handle) {
  auto it = Clients().find(handle);
  if (it == Clients().end()) return Refuse("this client was closed");
  if (!it->second.recorder)
    return Refuse("this client does not record: create it with {record: true}");
  return Reply(it->second.recorder->cassette().ToHar());
}

// The indexes of the recordings a {replay} client has not answered with yet.
std::string ClientUnusedRecordings(int handle) {
  auto it = Clients().find(handle);
  if (it == Clients().end()) return Refuse("this client was closed");
  if (!it->second.replayer)
    return Refuse("this client does not replay: create it with {replay: cassette}");
  return Reply(it->second.replayer->Unused());
}

void CloseClient(int handle) {
  Clients().erase(handle);
}

// Completes through Module.restboxCallDone(call_id, json) with services::ToJson's object,
// possibly before returning (the in-process mock answers inline).
// options: {timeoutMs, idempotent, rawBody}
void StartCall(int client_handle, int call_id, const std::string& endpoint_id,
               const std::string& params_json, const std::string& options_json) {
  auto finish = [call_id](const core::Result<Json>& result) {
    Calls().erase(call_id);
    restbox_js_call_done(call_id, core::DumpJson(services::ToJson(result)).c_str());
  };
  auto it = Clients().find(client_handle);
  if (it == Clients().end()) {
    finish(core::MakeError(core::ErrorKind::kInvalidArgument, "this client was closed"));
    return;
  }
  if (!it->second.client) {
    finish(core::MakeError(
        core::ErrorKind::kInvalidArgument,
        "the mock of this client was closed (mock.close()): create a new mock and client"));
    return;
  }
  auto params = ParseArgument(params_json);
  auto options = ParseArgument(options_json);
  if (!params.ok() || !options.ok()) {
    finish(core::MakeError(core::ErrorKind::kInvalidArgument, "parameters are not valid JSON"));
    return;
  }
  std::shared_ptr<services::DynamicClient> client = it->second.client;
  services::DynamicRequest request;
  if (const core::EndpointSpec* endpoint = client->spec().Find(endpoint_id)) {
    request = services::DynamicRequest::FromParams(*endpoint, *params);
  }
  request.context.timeout = Millis(*options, "timeoutMs");
  if (const Json& idempotent = Member(*options, "idempotent"); idempotent.is_boolean()) {
    request.context.idempotent = idempotent.get<bool>();
  }
  if (const Json& raw = Member(*options, "rawBody"); raw.is_string()) {
    request.raw_body = raw.get<std::string>();
  }
  auto cancellation = std::make_shared<core::CancellationSource>();
  request.context.cancellation = cancellation;
  Calls()[call_id] = {cancellation, it->second.mock};
  client->Call(endpoint_id, std::move(request)).Then(finish);
}

void CancelCall(int call_id) {
  auto it = Calls().find(call_id);
  if (it == Calls().end()) return;
  auto cancellation =
      it->second.cancellation;  // Cancel() completes the call, which erases the entry
  cancellation->Cancel();
}

}  // namespace
}  // namespace restbox::wasm

EMSCRIPTEN_BINDINGS(restbox) {
  using namespace restbox::wasm;  // NOLINT: binding table
  emscripten::function("services", &Services);
  emscripten::function("errorKinds", &ErrorKinds);
  emscripten::function("createMock", &CreateMock);
  emscripten::function("closeMock", &CloseMock);
  emscripten::function("mockRequest", &MockRequest);
  emscripten::function("createClient", &CreateClient);
  emscripten::function("closeClient", &CloseClient);
  emscripten::function("clientCassette", &ClientCassette);
  emscripten::function("clientUnusedRecordings", &ClientUnusedRecordings);
  emscripten::function("startCall", &StartCall);
  emscripten::function("cancelCall", &CancelCall);
}
