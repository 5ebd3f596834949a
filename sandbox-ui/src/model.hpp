#pragma once
// The console's shared state (DESIGN: "one panel struct per concern; async results only write
// state and the next frame shows them"). Panels read and write the Model on the UI thread only.
// Every asynchronous completion (SDK calls, admin calls, the contract runner's worker) hands its
// result to Model::Post(); the host drains that queue at the start of each frame (Model::Pump()),
// so no panel state is ever touched from another thread.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/future.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/result.hpp"
#include "restbox/core/transport.hpp"
#include "restbox/mock/mock_server.hpp"
#include "restbox/services/dynamic_client.hpp"

namespace restbox::console {

// Where a request goes.
enum class TargetKind {
  kInProcess,  // the mock inside this process (wasm: inside the tab); works offline, no server
  kHttpMock,   // restbox-mock over HTTP (libcurl natively, fetch in the browser)
  kLive,       // a real service's base URL
};
std::string_view ToString(TargetKind kind);

// One service as the console shows it.
struct ServiceView {
  std::string id;
  const services::ServiceEntry* entry = nullptr;
  core::Json description;  // services::DescribeService(*entry->spec)
  const core::ServiceSpec& spec() const { return *entry->spec; }
};

// A named set of base URL and credentials per service. The three built-in environments are
// "In-process mock", "Local HTTP mock" (http://127.0.0.1:8080 natively, the page's own origin in
// the browser when served by ./run.sh) and "Live" (each service's documented base URL).
struct Environment {
  std::string name;
  TargetKind target = TargetKind::kInProcess;
  std::string base_url;  // "" = per service default (live) / any (in-process)
  std::map<std::string, std::string> service_base_url;       // per-service override (live)
  std::map<std::string, services::Credentials> credentials;  // per service id
  std::string BaseUrlFor(const ServiceView& service) const;
};

// The request being edited: a flat JSON object of parameters (services::DynamicRequest::FromParams
// splits it into path, query, headers and body by the endpoint's field table).
struct Draft {
  std::string service;   // service id
  std::string endpoint;  // endpoint id
  core::Json params = core::Json::object();
  core::Headers extra_headers;          // sent as is (e.g. Prefer: code=429)
  std::optional<std::string> raw_body;  // sent instead of the body (invalid JSON on purpose...)
  std::size_t environment = 0;          // index into Model::environments (the per-request target)
};

// One attempt of a call as it went over the wire (captured by a per-attempt pipeline policy).
struct WireAttempt {
  core::HttpRequest request;  // exactly what the transport got (secrets not masked here)
  std::optional<core::HttpResponse> response;  // nullopt: the transport failed
  std::string transport_error;                 // the failure's message
  double elapsed_ms = 0;
};

// A sent request and what came back: one history entry.
struct Exchange {
  std::uint64_t id = 0;
  Draft draft;  // to re-send
  std::string service, endpoint, environment_name;
  TargetKind target = TargetKind::kInProcess;
  std::string method, url;  // of the first attempt (for lists)
  std::string base_url;     // the environment's base URL for this service (for SDK exports)
  services::Credentials credentials;  // what the call was sent with (exports mask them)
  double started_unix_ms = 0;         // wall clock, for HAR
  bool done = false;
  double total_ms = 0;
  core::Json outcome;  // services::ToJson(result): ok, status, data|error, headers, attempts
  std::vector<WireAttempt> wire;  // every attempt
  // The final response body as received (may be 10 MB: viewers must not copy or reformat it on
  // every frame).
  std::shared_ptr<const std::string> body;
  // `body` with every credential known at send time redacted (Model::KnownSecrets), computed once
  // on the completion path, off the frame. The same pointer as `body` when nothing was redacted.
  std::shared_ptr<const std::string> masked_body;
  int status = 0;                    // final HTTP status, 0 when no response
  std::vector<std::string> secrets;  // credential values to mask in views and exports
};

class Model final : public std::enable_shared_from_this<Model> {
 public:
  struct Options {
    // The in-process mock. Default: mock::MakeMockServer() with every service of the build.
    std::shared_ptr<mock::MockServer> mock;
    // Transport for kHttpMock/kLive targets. Default: core::InstalledDefaultTransport() (curl
    // natively, fetch in the browser).
    std::shared_ptr<core::Transport> http_transport;
    // Base URL of the "Local HTTP mock" environment. Default "http://127.0.0.1:8080".
    std::string http_mock_url = "http://127.0.0.1:8080";
    // Natively: hand in-process requests to a thread of their own, so a slow answer of the mock
    // (a 10 MB list takes ~0.5 s to build and decode) never stalls a frame. Off by default: tests
    // want the answer within the frame that sends it; restbox-console turns it on. Ignored in
    // wasm (no threads: the mock answers within the frame).
    bool in_process_off_thread = false;
    // Clock and scheduler of every send's pipeline (retry backoff, Retry-After waits). Default:
    // the system clock and core::DefaultScheduler(); tests pass a core::ManualClock as both.
    std::shared_ptr<core::Clock> clock;
    std::shared_ptr<core::Scheduler> scheduler;
  };
  explicit Model(Options options);
  // Cancels the calls still under way: a retry waiting on the scheduler stops waiting, so a closed
  // console sends nothing more, and nothing the call holds (its pipeline, the transport, the mock)
  // outlives the model.
  ~Model();

  // ---- thread hand-off ----
  // Queues `work` to run on the UI thread at the next Pump(). Safe from any thread.
  void Post(std::function<void()> work);
  // Runs queued work (the host calls it once per frame, before drawing). Returns how many ran.
  std::size_t Pump();
  // Number of calls under way (sent, not answered yet).
  int pending() const { return pending_; }

  // ---- catalogue ----
  const std::vector<ServiceView>& services() const { return services_; }
  const ServiceView* FindService(std::string_view id) const;
  const core::EndpointSpec* FindEndpoint(std::string_view service, std::string_view endpoint) const;
  // The endpoint's description JSON (an element of ServiceView::description["endpoints"]).
  const core::Json* EndpointDescription(std::string_view service, std::string_view endpoint) const;

  // ---- selection and the draft ----
  Draft draft;
  // Selects an endpoint: the draft is reset to ExampleParams(), so a plain Send gets the success.
  void Select(std::string_view service, std::string_view endpoint);
  // The request a newcomer sends first: the seed's example request without any credential (the
  // environment's is sent: a placeholder token in the body would override it), with ids, tokens and
  // params taken from the in-process mock's fixtures (ApplyFixtures) and lists starting at their
  // first page. Against the mock with the default environment it answers the documented success
  // for every endpoint (tests/ui/first_send_test.cpp walks them all).
  core::Json ExampleParams(std::string_view service, std::string_view endpoint) const;
  // Replaces the path values of `params` by the in-process mock's fixture values for them, so that
  // an example request names a record the mock has. A field `name` of the path takes the fixture
  // called `name`, else `<segment>_<name>` (the static path segment before it, singular:
  // /jobs/{id} -> job_id), else `test_<name>`. A query or body field takes the fixture of its own
  // name (share_token, params...). Fields with no such fixture are left alone.
  void ApplyFixtures(std::string_view service, std::string_view endpoint, core::Json& params) const;

  // ---- environments ----
  std::vector<Environment> environments;
  const Environment& environment(std::size_t index) const;
  // Removes environment `index` (never the last one). The draft and every history entry that
  // used it fall back to the first environment; later indices shift down with the list.
  void DeleteEnvironment(std::size_t index);
  bool reveal_secrets = false;  // show secrets in clear in every view and export
  // Masks every credential value of every environment and the exchange's own secrets in `text`
  // (unless reveal_secrets).
  std::string Mask(std::string text, const std::vector<std::string>& extra = {}) const;
  // The values Mask redacts: `extra` plus every key and secret of every environment (whether or
  // not reveal_secrets is set; exports and the completion path pass them on).
  std::vector<std::string> KnownSecrets(const std::vector<std::string>& extra = {}) const;
  // The credentials the in-process mock publishes (its fixtures' keys and secrets): no secret,
  // so exports show them in the commented line that sets a variable.
  std::vector<std::string> PublicValues() const;

  // ---- sending ----
  // Sends the draft through the SDK pipeline (DynamicClient: retry, rate limit, auth, request
  // ids) to its environment's target. Adds an Exchange to history at once (done = false) and
  // completes it when the answer arrives. Returns the exchange id.
  std::uint64_t Send(const Draft& request);
  std::deque<Exchange>& history() { return history_; }
  Exchange* FindExchange(std::uint64_t id);
  std::uint64_t selected_exchange = 0;  // shown by the response viewer (0 = none)
  std::size_t history_limit = 200;

  // Client options used for every send (retry, client-side rate limit...), editable in the UI.
  core::RetryOptions retry;
  bool client_validation = true;

  // ---- the mock ----
  const std::shared_ptr<mock::MockServer>& mock() const { return options_.mock; }
  // The fixtures (the shape of GET /__restbox/fixtures) environment `env` gives restbox-check's
  // rows (the Contract tab's Live target): each service's credential under the role the mock
  // names its working one ("api_key", "test_key", "consumer_key", "api_token"), and its secret as
  // "api_secret". Nothing else: a row that needs an id or another key is skipped, naming it.
  core::Json FixturesFor(const Environment& env) const;
  // The transport that reaches environment `index`'s target (in-process or HTTP).
  std::shared_ptr<core::Transport> TransportFor(const Environment& env) const;
  // Sends an admin request (/__restbox/...) to the mock behind `env` (in-process or HTTP) and
  // posts the answer to the UI thread: `done` gets the status (0 = no answer) and parsed JSON.
  void Admin(const Environment& env, core::Method method, const std::string& path,
             std::optional<core::Json> body, std::function<void(int, core::Json)> done);

  const Options& options() const { return options_; }

 private:
  Options options_;
  std::shared_ptr<core::Transport> in_process_;
  std::vector<ServiceView> services_;
  core::Json fixtures_;  // the in-process mock's fixtures at start, per service
  std::deque<Exchange> history_;
  std::uint64_t next_id_ = 1;
  int pending_ = 0;
  // The calls under way by exchange id, for ~Model (UI thread only, like history_).
  std::map<std::uint64_t, core::Future<core::Empty>> in_flight_;
  // Work posted from any thread, run by Pump() on the UI thread. The completions of calls under
  // way hold this queue and only a weak reference to the Model: had a transport thread held the
  // Model itself, the Model (and the transports it owns) could be destroyed on that thread,
  // inside the transport's own callback, when the UI let go of it meanwhile (a crash seen in
  // tests that destroy the console while a call is under way).
  struct WorkQueue {
    std::mutex mutex;
    std::vector<std::function<void()>> work;
    void Post(std::function<void()> w) {
      std::lock_guard lock(mutex);
      work.push_back(std::move(w));
    }
  };
  std::shared_ptr<WorkQueue> queue_ = std::make_shared<WorkQueue>();
};

}  // namespace restbox::console
