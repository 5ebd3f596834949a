#include "contract_run.hpp"

#include <chrono>
#include <exception>
#include <stdexcept>
#include <utility>

#include "http_admin.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::console {

void RecordingTransport::SetSink(std::shared_ptr<std::vector<RecordedExchange>> sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void RecordingTransport::Send(core::HttpRequest request, const core::Context& context,
                              core::TransportCompletion completion) {
  std::shared_ptr<std::vector<RecordedExchange>> sink;
  {
    std::lock_guard lock(mutex_);
    sink = sink_;
  }
  if (!sink) {
    inner_->Send(std::move(request), context, std::move(completion));
    return;
  }
  auto copy = std::make_shared<core::HttpRequest>(request);
  inner_->Send(
      std::move(request), context,
      [this, sink, copy, completion = std::move(completion)](core::Result<core::HttpResponse> r) {
        RecordedExchange exchange;
        exchange.request = *copy;
        if (r.ok()) {
          exchange.response = r.value();
        } else {
          exchange.transport_error = r.error().Describe();
        }
        {
          std::lock_guard lock(mutex_);
          sink->push_back(std::move(exchange));
        }
        completion(std::move(r));
      });
}

ContractRun::ContractRun(contract::Target target, Options options) : target_(std::move(target)) {
  recorder_ = std::make_shared<RecordingTransport>(target_.transport);
  target_.transport = recorder_;
  cases_ = contract::AllCases();
  jobs_ = Jobs(options);
}

std::vector<ContractJob> ContractRun::Jobs(Options options) {
  std::vector<ContractJob> jobs;
  for (const auto& row : contract::AllRows()) {
    if (options.realistic) jobs.push_back({row, false});
    if (options.forced && !row.success) jobs.push_back({row, true});
  }
  return jobs;
}

std::unique_ptr<ContractRun> ContractRun::InProcess(Options options) {
  return std::make_unique<ContractRun>(
      contract::InProcessTarget(mock::MakeMockServer(), "in_process"), options);
}

std::unique_ptr<ContractRun> ContractRun::OverHttp(std::shared_ptr<core::Transport> transport,
                                                   std::string base_url, Options options) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  contract::Target target;
  target.name = "http_mock";
  target.transport = transport;
  target.base_url = base_url;
  target.admin = std::make_shared<contract::HttpAdmin>(std::move(transport), base_url);
  return std::make_unique<ContractRun>(std::move(target), options);
}

std::unique_ptr<ContractRun> ContractRun::Live(check::CheckOptions options) {
  options.kind = check::CheckOptions::Kind::kServices;
  std::unique_ptr<ContractRun> run(new ContractRun());
  run->session_ = std::make_unique<check::Session>(std::move(options));
  const auto& rows = run->session_->rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const check::RowResult& r = rows[i];
    // Forced rows need restbox-mock: the session would only skip them.
    if (r.mode != "realistic") continue;
    run->session_rows_.push_back(i);
    contract::Row row;
    row.service = r.service;
    row.endpoint = r.endpoint;
    row.status = r.status;
    row.code = r.code;
    run->jobs_.push_back({std::move(row), false});
  }
  run->live_results_.assign(run->jobs_.size(), std::nullopt);
  run->target_.name = "live";
  return run;
}

void ContractRun::Cancel() {
  if (session_) session_->Cancel();
}

std::optional<check::Summary> ContractRun::Summarize(double elapsed_ms) const {
  if (!session_) return std::nullopt;
  std::vector<check::RowResult> done;
  for (const auto& r : live_results_) {
    if (r) done.push_back(*r);
  }
  return session_->Summarize(done, elapsed_ms);
}

contract::Task<ContractResult> ContractRun::RunLiveJob(std::size_t index) {
  if (index >= jobs_.size()) throw std::out_of_range("no contract job " + std::to_string(index));
  check::RowResult row = co_await session_->RunRow(session_rows_[index]);
  ContractResult result;
  result.has_case = true;
  result.trigger = row.trigger;
  result.elapsed_ms = row.duration_ms;
  result.passed = row.outcome == check::Outcome::kPass;
  result.skipped = row.outcome == check::Outcome::kSkip;
  result.problems = row.problems;
  result.message = row.reason;
  if (row.outcome == check::Outcome::kFail && !row.problems.empty()) {
    std::string sum = std::to_string(row.problems.size()) + " problem" +
                      (row.problems.size() == 1 ? "" : "s") + ", first " +
                      check::ToString(row.problems.front());
    result.message = result.message.empty() ? sum : sum + "; " + result.message;
  }
  for (const check::Exchange& x : row.exchanges) {
    RecordedExchange e;
    e.request = x.request;
    e.response = x.response;
    e.transport_error = x.error;
    result.exchanges.push_back(std::move(e));
  }
  live_results_[index] = std::move(row);
  co_return result;
}

contract::Task<ContractResult> ContractRun::RunJob(std::size_t index) {
  if (session_) co_return co_await RunLiveJob(index);
  ContractResult result;
  const ContractJob& job = jobs_.at(index);
  const contract::Case* c = contract::FindCase(cases_, job.row, job.forced);
  if (!c) {
    result.message =
        std::string("no ") + (job.forced ? "success" : "realistic") + " case reaches this row";
    co_return result;
  }
  result.has_case = true;
  // A forced run sends the success case with a "Prefer: code=..." header naming this row (the
  // recorded request shows it).
  result.trigger =
      job.forced ? "forced: " + c->trigger + ", with Prefer naming this row" : c->trigger;
  auto sink = std::make_shared<std::vector<RecordedExchange>>();
  recorder_->SetSink(sink);
  const auto started = std::chrono::steady_clock::now();
  try {
    contract::Outcome outcome = co_await contract::RunCase(target_, job.row, *c, job.forced);
    result.message = contract::Check(job.row, outcome);
    result.passed = result.message.empty();
  } catch (const std::exception& e) {
    result.message = std::string("the case could not run: ") + e.what();
  }
  result.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  recorder_->SetSink(nullptr);
  result.exchanges = std::move(*sink);
  co_return result;
}

}  // namespace restbox::console
