#pragma once
// The contract runner's engine, without any UI: the jobs of one run (every documented row of the
// endpoint tables, realistic and/or forced), run one at a time against a contract::Target whose
// transport is wrapped in a recorder, so each result keeps the exchanges it caused.
//
// One way to drive it, whatever the target: RunJob() is a coroutine (contract::Task) started with
// contract::Start and a contract::Loop that the UI thread runs every frame. Against the fresh
// in-process mock a job completes inline (within Start); over HTTP (restbox-mock behind an
// environment: curl natively, fetch in the browser) each answer posts the job's resumption to the
// loop, so nothing blocks and no thread of its own is needed.
//
// A Live run (any environment that is not the in-process mock, treated as a foreign server) is
// restbox-check's run (check::Session, kServices): its realistic rows, the environment's
// credentials as fixtures, chained ids, the same pacing under the documented limits (timers on
// the model's scheduler, never a block) and every answer checked by check::CheckAnswer. RunJob
// then runs the session's row `index`; a row is passed, failed with its problems (path, expected,
// actual) or skipped with its reason (a missing fixture is named).

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "restbox/check/check.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/transport.hpp"
#include "sweep.hpp"

namespace restbox::console {

// One request a case sent and what came back.
struct RecordedExchange {
  core::HttpRequest request;
  std::optional<core::HttpResponse> response;  // nullopt: the transport failed
  std::string transport_error;
};

// Wraps a transport and copies every request and answer into the current sink (set per job).
// Thread-safe: completions may arrive on the transport's own threads.
class RecordingTransport final : public core::Transport {
 public:
  explicit RecordingTransport(std::shared_ptr<core::Transport> inner) : inner_(std::move(inner)) {}
  // Exchanges from now on go to `sink` (nullptr: not recorded).
  void SetSink(std::shared_ptr<std::vector<RecordedExchange>> sink);
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

 private:
  std::shared_ptr<core::Transport> inner_;
  std::mutex mutex_;
  std::shared_ptr<std::vector<RecordedExchange>> sink_;
};

// One row run one way.
struct ContractJob {
  contract::Row row;
  bool forced = false;
};

struct ContractResult {
  bool has_case = false;  // false: no case reaches this row (counts as a failure)
  bool passed = false;
  // Live: the row was not sent (`message` says why: a missing fixture, writes not allowed...).
  bool skipped = false;
  // Live: how the answer differs from the endpoint table (check::CheckAnswer), `message` sums up.
  std::vector<check::Problem> problems;
  std::string trigger;  // what the case does (forced runs: the success case plus Prefer)
  std::string message;  // Check()'s message, "" when passed; or why the case could not run
  std::vector<RecordedExchange> exchanges;
  double elapsed_ms = 0;
};

class ContractRun final {
 public:
  struct Options {
    bool realistic = true;  // run each row through its realistic case
    // Run each error row again through the endpoint's success case with "Prefer: code=NNN" (as
    // the sweep does: success rows have nothing to force).
    bool forced = true;
  };

  // A run against `target` (its transport is wrapped in a RecordingTransport here).
  ContractRun(contract::Target target, Options options);
  // A run against a fresh in-process mock made for this run.
  static std::unique_ptr<ContractRun> InProcess(Options options);
  // A run against restbox-mock at `base_url` through `transport`, administered over HTTP.
  static std::unique_ptr<ContractRun> OverHttp(std::shared_ptr<core::Transport> transport,
                                               std::string base_url, Options options);

  // A Live run: restbox-check's session on `options` (kind kServices; its transport, clock and
  // scheduler are the console's). Throws check::ConfigError when the options cannot be used (a
  // base URL that is not http(s)://...). Realistic rows of the services named only.
  static std::unique_ptr<ContractRun> Live(check::CheckOptions options);

  // The jobs a run with `options` has, in order: each row of contract::AllRows() realistic, then
  // forced (error rows).
  static std::vector<ContractJob> Jobs(Options options);
  const std::vector<ContractJob>& jobs() const { return jobs_; }
  const contract::Target& target() const { return target_; }

  // Runs job `index`; the task gives its result. A throwing case or admin call is a failed result
  // with the exception's message (only an index out of range throws). One job at a time (the
  // recorder has one sink); this run must outlive the task.
  contract::Task<ContractResult> RunJob(std::size_t index);
  // Live: ends the pacer's waits at once (the job under way ends as skipped). Else nothing.
  void Cancel();
  bool live() const { return session_ != nullptr; }
  // Live: restbox-check's summary of the rows run so far (coverage of the cells, requests, the
  // most sent to one API in a minute). nullopt for the other targets.
  std::optional<check::Summary> Summarize(double elapsed_ms) const;

 private:
  ContractRun() = default;
  contract::Task<ContractResult> RunLiveJob(std::size_t index);

  std::unique_ptr<check::Session> session_;  // Live
  std::vector<std::size_t> session_rows_;    // Live: job -> the session's row (the realistic ones)
  std::vector<std::optional<check::RowResult>> live_results_;  // Live: by job, as given
  contract::Target target_;
  std::shared_ptr<RecordingTransport> recorder_;
  std::vector<contract::Case> cases_;
  std::vector<ContractJob> jobs_;
};

}  // namespace restbox::console
