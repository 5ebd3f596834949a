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

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

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

  // The jobs a run with `options` has, in order: each row of contract::AllRows() realistic, then
  // forced (error rows).
  static std::vector<ContractJob> Jobs(Options options);
  const std::vector<ContractJob>& jobs() const { return jobs_; }
  const contract::Target& target() const { return target_; }

  // Runs job `index`; the task gives its result. A throwing case or admin call is a failed result
  // with the exception's message (only an index out of range throws). One job at a time (the
  // recorder has one sink); this run must outlive the task.
  contract::Task<ContractResult> RunJob(std::size_t index);

 private:
  contract::Target target_;
  std::shared_ptr<RecordingTransport> recorder_;
  std::vector<contract::Case> cases_;
  std::vector<ContractJob> jobs_;
};

}  // namespace restbox::console
