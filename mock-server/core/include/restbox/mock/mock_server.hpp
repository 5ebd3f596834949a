#pragma once
// The mock engine: every service module behind one router, a shared clock and rate limiter, fault
// rules, a request journal and webhooks. Implements core::RequestHandler, so the in-process
// transport talks to it directly; the HTTP front (restbox-mock) calls the same Handle().
// Thread-safe: one lock serialises request handling and admin calls.

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/schema.hpp"
#include "restbox/core/transport.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/faults.hpp"
#include "restbox/mock/group_commit.hpp"
#include "restbox/mock/input_problem.hpp"
#include "restbox/mock/journal.hpp"
#include "restbox/mock/router.hpp"
#include "restbox/mock/service_module.hpp"
#include "restbox/mock/state_store.hpp"

namespace restbox::mock {

// Delivers webhook POSTs. The default delivers to receivers registered in-process by URL and
// answers 0 (no connection) for any other URL; the HTTP front installs a real HTTP client.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual void Post(WebhookRequest request, std::function<void(int status)> done) = 0;
  // Why this sender will never deliver to `url` (a destination its policy refuses, a name that
  // does not resolve), in words that name the URL's host; nullopt when it may. Services answer a
  // refused callback with a 400 on the request that names it, before anything is queued. May
  // block (name resolution): MockServer calls it outside its lock. Default: every URL may be
  // tried (deliveries to unknown URLs simply fail).
  virtual std::optional<std::string> Refusal(const std::string& /*url*/) { return std::nullopt; }
};

class InProcessWebhooks final : public WebhookSender {
 public:
  using Receiver = std::function<int(const WebhookRequest&)>;  // returns the HTTP status
  void Register(const std::string& url, Receiver receiver);
  void Unregister(const std::string& url);
  void Post(WebhookRequest request, std::function<void(int status)> done) override;

 private:
  std::mutex mutex_;
  std::map<std::string, Receiver> receivers_;
};

// The answer of a PassThrough: given instead of the mock's own.
struct PassThroughAnswer {
  core::HttpResponse response;
  // Where it came from, for the journal's "upstream": the upstream URL it was forwarded to
  // (secrets masked), or "cassette FILE".
  std::string source;
  // The exchange was checked against the contract (counted in GET /__restbox/problems), and what
  // differs (reported there, in the journal and by the caller's log).
  bool checked = false;
  std::vector<core::SchemaProblem> problems;
};

// Answers requests in place of the services' handlers: restbox-mock --proxy (forwards a service's
// requests to the real server and checks the exchange against the contract) and --replay (serves
// a cassette), in mock-server/record. The admin API (/__restbox/) never reaches it; fault rules,
// Prefer, latency and the mock's rate limits do not apply to what it answers; each of its answers
// is journaled like the mock's own.
class PassThrough {
 public:
  virtual ~PassThrough() = default;
  // The answer to `request`, or nullopt to let the mock answer it. `service` / `endpoint`: what
  // the mock's router found (the endpoint table's id; "" when no route matched; the service alone
  // when only its path prefix matched). Called outside the engine's lock, on the caller's thread;
  // may block (restbox-mock's worker threads call MockServer::Process). An exception it throws
  // becomes a 502 with the message.
  virtual std::optional<PassThroughAnswer> Answer(const core::HttpRequest& request,
                                                  const std::string& service,
                                                  const std::string& endpoint) = 0;
  // Whether Answer answers the requests of `service` (it must then never return nullopt for
  // them): the engine's forcing stage (fault rules, Prefer, --latency) runs first for those.
  virtual bool Handles(const std::string& service) const = 0;
};

struct MockOptions {
  // Default: SystemClock. Pass a core::ManualClock to drive time from tests.
  std::shared_ptr<core::Clock> clock;
  // Timers for latency faults. Default: core::DefaultScheduler(); a ManualClock is used as the
  // scheduler automatically when it is the clock.
  std::shared_ptr<core::Scheduler> scheduler;
  std::uint64_t seed = 42;
  // Rate limits and quotas on (false: --no-limits, for load tests of the server itself).
  bool limits_enabled = true;
  // Latency added to every answer (--latency).
  core::Duration latency{0};
  std::size_t journal_capacity = 1000;
  // Default: InProcessWebhooks.
  std::shared_ptr<WebhookSender> webhooks;
  // Answers requests in place of the services (restbox-mock --proxy, --replay). Default: none.
  std::shared_ptr<PassThrough> pass_through;
};

// What Handle produces before latency/drop are applied (HTTP front uses it directly).
struct MockOutcome {
  core::HttpResponse response;
  bool drop = false;        // close the connection without answering
  core::Duration delay{0};  // answer this much later
};

class MockServer final : public core::RequestHandler,
                         public AdminSurface,
                         public std::enable_shared_from_this<MockServer> {
 public:
  explicit MockServer(MockOptions options = {});
  ~MockServer() override;

  // Adds a service; its fixtures are loaded at once.
  void AddService(std::unique_ptr<ServiceModule> module);
  ServiceModule* FindService(std::string_view id) override;
  std::vector<std::string> ServiceIds() const override;

  // True when a service answers `path` (raw, without query): one of its routes with any method,
  // or a path it owns (where it answers its own 404). The HTTP front serves --static files only
  // on other paths.
  bool IsServicePath(std::string_view path) const;

  // The HTTP semantics in one call; never throws, whatever the input.
  MockOutcome Process(core::HttpRequest request);
  // core::RequestHandler: Process, then latency through the scheduler and drop as kConnection.
  void Handle(core::HttpRequest request, core::TransportCompletion completion) override;

  // ---- Admin API (also served over HTTP under /__restbox/) ----
  void Reset() override;  // fixtures, settings, limiter, faults, journal, clock offset
  core::Json Fixtures() const override;  // {"chikage": {...}, "wncms": {...}, ...}
  std::optional<core::Json> Settings(std::string_view service) const override;
  // Applies a partial settings object, all of it or (on a problem) none of it. Names are checked
  // here against the service's Settings() (an unknown one lists the valid names, credentials in
  // them masked), values by the service. PatchSettings gives the problem's parts separately.
  std::optional<std::string> ApplySettings(std::string_view service, const core::Json& patch);
  std::optional<InputProblem> PatchSettings(std::string_view service,
                                            const core::Json& patch) override;
  core::Json State() const override;  // every service's browsable state
  std::optional<std::string> LoadState(const core::Json& state);

  // ---- The whole world and durable state ----
  // State() plus the fault rules ("__faults", with the next rule id) and the rate limiter's
  // counters ("__limiter"): what --export-state writes and a named snapshot holds. The clock is
  // State()'s "__clock" (its time-travel offset; a ManualClock never goes back).
  core::Json World() const;
  // Loads World() (or an older State() file: the members it has). Every service validates its
  // part before changing anything; with a store, the result is written to it as a whole.
  std::optional<std::string> LoadWorld(const core::Json& world);
  // Keeps the state in `store` from now on (state_store.hpp): when the store has rows they are
  // loaded (`*loaded` = true), otherwise the current state (the fixtures) is written to it. On an
  // error the server stays in memory and nothing in the store was changed by the load.
  std::optional<std::string> AttachStore(std::shared_ptr<StateStore> store, bool* loaded = nullptr);
  bool durable() const;
  // The last error the store gave (a commit after a Tick or a webhook answer has no request to
  // report it on), or "".
  std::string store_error() const;

  // Named snapshots of World(): in the store with one (they survive restarts), else in memory.
  // A name is 1 to 64 letters, digits, '.', '_' or '-'; saving under an existing name replaces it.
  std::optional<InputProblem> SaveSnapshot(const std::string& name,
                                           SnapshotInfo* info = nullptr) override;
  std::vector<SnapshotInfo> Snapshots() const override;
  // Nullopt on success; `*found` says whether a snapshot of that name exists.
  std::optional<std::string> RestoreSnapshot(const std::string& name,
                                             bool* found = nullptr) override;
  bool DeleteSnapshot(const std::string& name) override;

  // A rule naming a service this server does not serve, or an endpoint id that service (any
  // service, when none is named) does not have, would never match: refused with the valid names.
  std::optional<InputProblem> CheckFault(const FaultRule& rule) const override;
  std::uint64_t AddFault(FaultRule rule) override;
  bool RemoveFault(std::uint64_t id) override;
  void ClearFaults() override;
  std::vector<FaultRule> Faults() const override;
  // Shorthand: the next `times` requests matching `match` answer `status`.
  std::uint64_t ForceStatus(int status, FaultMatch match = {}, int times = 1);

  // Moves the mock's time forward (a ManualClock is advanced; a real clock gets an offset), then
  // runs due work (queues, expiries, webhook retries). On a ManualClock, work due on the way runs
  // at its own time: the clock jumps from one due time (ServiceModule::NextDue, a scheduled task)
  // to the next, so the cost is what is scheduled, not how far the clock moves. Time saturates at
  // core::LatestTime() (2200-01-01): advancing past it leaves the clock there.
  void AdvanceClock(core::Duration by) override;
  core::TimePoint Now() const override;
  // Runs due time-driven work now (the HTTP front calls it every second).
  void Tick();

  std::vector<JournalEntry> Journal(std::size_t limit = 0) const override;
  void ClearJournal() override;

  // The exchanges a PassThrough checked against the contract and found different (the newest
  // `limit`, 0 = every one kept; at most journal_capacity are kept), and how many it checked and
  // found different since the last reset or ClearProblems (GET /__restbox/problems).
  using ProblemLog = mock::ProblemLog;
  ProblemLog Problems(std::size_t limit = 0) const override;
  void ClearProblems() override;

  core::RateLimiter& limiter() override { return limiter_; }
  InProcessWebhooks* in_process_webhooks() { return in_process_webhooks_.get(); }
  const MockOptions& options() const { return options_; }
  void set_latency(core::Duration latency) override;
  void set_limits_enabled(bool enabled) override;
  // The current values of the two switches above (read under the lock: admin calls and requests
  // may change them from other threads).
  core::Duration latency() const override;
  bool limits_enabled() const override;

 private:
  class Context;
  MockOutcome ProcessLocked(core::HttpRequest& request, JournalEntry& entry);
  // The forcing stage (fault rules, then Prefer) of a routed request; true when `out` is its
  // answer. ForcePassThrough runs it (and --latency) for a request the PassThrough answers, and
  // journals a forced answer.
  bool ForceLocked(const core::HttpRequest& request, const Route& route, ServiceModule& module,
                   const std::string& path, JournalEntry& entry, MockOutcome& out);
  bool ForcePassThrough(const core::HttpRequest& request, MockOutcome& out);
  // The service and endpoint ids the router finds for `request` ("" when none).
  std::pair<std::string, std::string> RouteOf(const core::HttpRequest& request);
  MockOutcome RecordPassThrough(const core::HttpRequest& request, std::string service,
                                std::string endpoint, PassThroughAnswer answer);
  // Fills the request and answer members of `entry`, numbers it and keeps it. Takes the
  // request's headers and body (moved in by Process, which is done with them).
  void JournalLocked(JournalEntry entry, core::HttpRequest request, int status,
                     std::string response_body);
  core::HttpResponse NoRoute(const std::string& path, const RouteMatch& match, core::Method method);
  void FlushOutbox();
  // Durable state (no-ops without a store): what changed since the last commit, as one
  // transaction; every row of the world, for a full rewrite.
  // Queues every change made since the last call (GroupCommitStore::Enqueue) and returns the
  // ticket to wait for (`wrote`: whether there was anything to queue); CommitLocked also waits
  // (the engine lock stays held).
  std::uint64_t EnqueueLocked(bool* wrote = nullptr);
  std::optional<std::string> CommitLocked();
  std::optional<std::string> RewriteLocked();
  std::vector<StateRow> AllRowsLocked() const;
  std::optional<std::string> LoadRowsLocked(const std::vector<StateRow>& rows);
  core::Json ServerRowLocked() const;
  core::Json LimiterJsonLocked() const;
  void LoadServerRowLocked(const core::Json& row);
  void LoadLimiterLocked(const core::Json& limiter);

  mutable std::recursive_mutex mutex_;
  MockOptions options_;
  std::unique_ptr<Context> context_;
  Router router_;
  std::vector<std::unique_ptr<ServiceModule>> modules_;
  core::RateLimiter limiter_;
  std::mt19937_64 rng_;
  std::vector<FaultRule> faults_;
  std::uint64_t next_fault_id_ = 1;
  std::deque<JournalEntry> journal_;
  std::uint64_t next_seq_ = 1;
  std::deque<JournalEntry> problems_;
  std::uint64_t checked_ = 0;
  std::uint64_t with_problems_ = 0;
  core::Duration offset_{0};
  // The verdicts of WebhookSender::Refusal on the callback URLs of the request being handled
  // (set by Process around ProcessLocked, under the lock).
  const std::map<std::string, std::optional<std::string>>* vetted_webhooks_ = nullptr;
  std::shared_ptr<InProcessWebhooks> in_process_webhooks_;
  struct Outgoing {
    WebhookRequest request;
    std::function<void(int)> done;
  };
  std::vector<Outgoing> outbox_;
  // One context per module, so the rows it reports carry its service id.
  std::vector<std::unique_ptr<Context>> module_contexts_;
  std::shared_ptr<GroupCommitStore> store_;
  bool loading_ = false;  // changes made while loading or rewriting are not reported row by row
  std::vector<RowChange> pending_rows_;
  std::vector<const ServiceModule*> dirty_modules_;  // modules stored whole (no HasRows)
  bool server_dirty_ = false;
  bool limiter_dirty_ = false;
  std::string store_error_;
  std::map<std::string, std::pair<SnapshotInfo, std::string>> memory_snapshots_;
};

}  // namespace restbox::mock
