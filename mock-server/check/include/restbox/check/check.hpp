#pragma once
// restbox-check: the contract sweep (mock-server/contract) run against a target, with every
// answer checked against the endpoint tables, not only its status (issue 12). The command is
// mock-server/check/src/main.cpp; this is the library it and the tests use.
//
// Targets: the in-process mock (default), a restbox-mock over HTTP (admin API for resets and
// forced rows), or any other server per service (realistic rows only, paced under the documented
// limits, writes and limit rows only when asked).
//
// One implementation, two drivers: a Session runs the rows one at a time as contract::Tasks that
// never block (pacing waits and settle waits are scheduled on the options' core::Scheduler, answers
// resume the task from the transport), which the console's Contract tab drives from its frame loop
// (natively and in the browser); Run() drives the same Session to its end, blocking.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "restbox/check/answer.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/transport.hpp"
#include "task.hpp"  // restbox::contract: contract::Task

namespace restbox::mock {
class MockServer;
}

namespace restbox::check {

// One request of a row and what came back (secrets masked at capture).
struct Exchange {
  core::TimePoint at;
  core::HttpRequest request;
  std::optional<core::HttpResponse> response;
  std::string error;  // transport error when there is no response
};

enum class Outcome { kPass, kFail, kSkip };
std::string_view ToString(Outcome outcome);

struct RowResult {
  std::string service;
  std::string endpoint;  // the endpoint table's id
  int status = 0;        // the documented HTTP status
  std::string code;      // the documented service code ("" when none)
  std::string mode;      // "realistic" or "forced"
  std::string trigger;
  Outcome outcome = Outcome::kSkip;
  std::string reason;  // why skipped / failed, and the choices made where the documents are silent
  std::vector<Problem> problems;
  std::vector<Exchange> exchanges;
  // --compare-mock: how the in-process mock answered the same row differently.
  std::vector<Problem> drift;
  bool compared = false;
  double duration_ms = 0;
  // "inventory/templates.get/404/NOT_FOUND/realistic": what --only matches.
  std::string Id() const;
};

struct Summary {
  std::string target;  // "in_process", "http://127.0.0.1:8080", "inventory=http://..."
  int rows = 0, passed = 0, failed = 0, skipped = 0;
  int cells = 0, covered = 0;          // (endpoint, status/code) cells of the tables in scope
  std::vector<std::string> uncovered;  // "inventory templates.get 404 NOT_FOUND"
  double coverage_percent = 0;
  std::int64_t requests = 0;
  // The most requests one API received in any 60 s (its documented limits are per API and key).
  std::int64_t max_requests_per_minute = 0;
  std::map<std::string, std::int64_t> max_requests_per_minute_by_service;
  double elapsed_ms = 0;
  std::map<std::string, int> skip_reasons;  // reason -> rows
  int drifted = 0;
};

struct Report {
  std::vector<RowResult> rows;
  Summary summary;
};

// A configuration the check cannot run with (exit 2).
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ServiceTarget {
  std::string id;        // "inventory"
  std::string base_url;  // "http://host": what the SDK's ClientOptions::base_url would be
};

struct CheckOptions {
  enum class Kind { kInProcess, kMockUrl, kServices };
  Kind kind = Kind::kInProcess;
  std::string mock_url;                 // kMockUrl: the restbox-mock root
  std::vector<ServiceTarget> services;  // kServices
  // kServices: the URL of one market provider endpoint (a provider's backend), checked against
  // the provider convention by rows of its own ("" = none). `services` may then be empty.
  std::string market_provider;
  // The keys, slugs and ids to use, in the shape of GET /__restbox/fixtures. Default: the mock's
  // own (kInProcess, kMockUrl); kServices has none without it (rows needing one are skipped).
  std::optional<core::Json> fixtures;
  bool allow_writes = false;    // kServices: also the rows that write
  bool include_limits = false;  // kServices: also the rows that reach a 429
  std::string only;             // ECMAScript regex searched in RowResult::Id(); "" = every row
  std::int64_t budget = 0;      // most requests to send (0 = no cap)
  // kServices: the windows of the documented limits are multiplied by this when pacing (a test
  // server whose windows were shortened); the request counts stay as documented. Default 1.
  double limit_scale = 1.0;
  bool compare_mock =
      false;  // kServices/kMockUrl: run each realistic row on the in-process mock too
  // Network transport (default: libcurl, proxies bypassed for loopback; a build without libcurl,
  // the browser's, has no default: a ConfigError names it). Tests and the console pass their own.
  std::shared_ptr<core::Transport> transport;
  // Pacing time (default: the system clock and a thread scheduler). Tests pass a ManualClock.
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<core::Scheduler> scheduler;
  // kInProcess: the mock to check (default: a fresh MakeMockServer()).
  std::shared_ptr<mock::MockServer> server;
  // Called after each row (progress output).
  std::function<void(const RowResult&)> on_row;
};

// One run of the check, row by row, without blocking:
//
//   Session session(options);                      // throws ConfigError
//   co_await session.Connect();                    // kMockUrl: its admin API answers (else throws)
//   for (std::size_t i = 0; i < session.rows().size(); ++i)
//     results.push_back(co_await session.RunRow(i));
//   Summary summary = session.Summarize(results, elapsed_ms);
//
// Rows run in order, one at a time (chained ids flow from a create to the rows after it). A task
// waits for answers and for the pacer without blocking: start it with contract::Start and a
// contract::Loop (the console's frame loop), or RunToCompletion() it where blocking is fine. The
// session must outlive its tasks.
class Session final {
 public:
  // Checks the options and builds the targets (no request is sent). Throws ConfigError (unknown
  // service, bad URL, bad regex, negative budget...).
  explicit Session(CheckOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // kMockUrl: asks restbox-mock's admin API for its health (the task throws ConfigError when it
  // does not answer). The other kinds: nothing to ask, true at once.
  contract::Task<bool> Connect();
  // The rows of the run, in the order RunRow runs them: identity and trigger filled, nothing run
  // (outcome kSkip, no reason).
  const std::vector<RowResult>& rows() const;
  // Runs rows()[index] and gives its result (a row that cannot run is a kSkip or kFail result
  // with its reason; the task throws only for an index out of range).
  contract::Task<RowResult> RunRow(std::size_t index);
  // The summary of a run whose results (of rows(), in order) are `results`; rows not run (a
  // stopped run) count as uncovered cells.
  Summary Summarize(const std::vector<RowResult>& results, double elapsed_ms) const;
  // Requests the pacer has let through so far.
  std::int64_t requests_sent() const;
  // Ends the run's waits at once: every request the pacer holds for later completes now with
  // kCancelled ("not sent: the run was stopped"), and so does every later one. For a driver that
  // stops a run without waiting out the documented limits.
  void Cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs the check: a Session driven to its end on this thread (blocks). Throws ConfigError when
// the options cannot be used (unknown service, bad URL, bad regex, a restbox-mock that does not
// answer its admin API...).
Report Run(const CheckOptions& options);

}  // namespace restbox::check
