#include "contract_run.hpp"

#include <chrono>
#include <exception>
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

contract::Task<ContractResult> ContractRun::RunJob(std::size_t index) {
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
