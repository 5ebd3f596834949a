#pragma once
// Pacing for restbox-check against servers it does not control: every request of a service goes
// through one Pacer, which keeps that service under its documented limits (60 a minute per key,
// 10,000 a day...) in every sliding window, holds a service after a 429's Retry-After, and stops
// at a request budget. Time comes from an injected core::Clock + core::Scheduler (DESIGN rule 1),
// so a test runs a whole paced check on a core::ManualClock without waiting.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::check {

struct PaceLimit {
  std::int64_t requests = 0;  // at most this many...
  core::Duration window{0};   // ...in any window of this length
};

// The documented limits of a service ({} when the documents give none a client can pace by).
std::vector<PaceLimit> DocumentedLimits(const std::string& service);
// `limits` with every window multiplied by `scale` (a server whose windows a test shortened).
std::vector<PaceLimit> ScaledLimits(std::vector<PaceLimit> limits, double scale);

class Pacer final {
 public:
  // `budget` 0 = unlimited.
  Pacer(std::shared_ptr<core::Clock> clock, std::shared_ptr<core::Scheduler> scheduler,
        std::int64_t budget = 0);

  void SetLimits(const std::string& service, std::vector<PaceLimit> limits);
  // While set, requests are not delayed by the limits (a row that means to reach a 429); they
  // are still counted, so the rows after it wait.
  void SetUnpaced(bool unpaced);
  bool unpaced() const;
  // No request of `service` with `credential` (the key it sends) before `until` (a Retry-After).
  // Limits are per key: a quota row's 429 for its exhausted key holds nothing else.
  void Hold(const std::string& service, const std::string& credential, core::TimePoint until);

  // Runs `send` now or later (through the scheduler) so that the service's limits hold; runs
  // `refused` instead, at once, with the reason, when the budget is used up or when a hold on
  // `credential` lasts longer than `max_hold` (a monthly quota's Retry-After is not waited for).
  void Submit(const std::string& service, std::function<void()> send,
              const std::function<void(std::string)>& refused, const std::string& credential = "");
  void SetMaxHold(core::Duration max_hold);
  // Refuses, at once and with `why`, every request waiting for its turn (its timer is cancelled)
  // and every later one: a run that is stopped does not wait out the limits.
  void Cancel(const std::string& why);
  bool cancelled() const;

  std::int64_t sent() const;
  bool budget_exhausted() const;
  std::int64_t budget() const { return budget_; }
  // The most requests sent (to all services together, and per service) in any window of `w`.
  std::int64_t MaxInAnyWindow(core::Duration w) const;
  std::int64_t MaxInAnyWindow(const std::string& service, core::Duration w) const;
  const std::shared_ptr<core::Clock>& clock() const { return clock_; }

 private:
  static std::int64_t MaxIn(const std::vector<core::TimePoint>& times, core::Duration w);

  std::shared_ptr<core::Clock> clock_;
  std::shared_ptr<core::Scheduler> scheduler_;
  std::int64_t budget_;
  mutable std::mutex mutex_;
  bool unpaced_ = false;
  std::int64_t sent_ = 0;
  bool exhausted_ = false;
  core::Duration max_hold_{120'000};
  std::map<std::string, std::vector<PaceLimit>> limits_;
  std::map<std::pair<std::string, std::string>, core::TimePoint> hold_;  // (service, credential)
  std::map<std::string, std::vector<core::TimePoint>>
      times_;  // send times (planned, then actual), ascending
  // Requests waiting for their turn, by a token of their own: the timer and what refuses them.
  struct Waiting {
    core::TimerId timer{};
    bool timer_set = false;
    std::function<void(std::string)> refused;
  };
  std::map<std::uint64_t, Waiting> waiting_;
  std::uint64_t next_token_ = 1;
  std::optional<std::string> cancelled_;  // Cancel()'s reason
};

// A transport that sends through a Pacer: each request waits for its turn; a 429 with a
// Retry-After holds the service for the key it sent (Authorization or X-API-Key) and (outside
// unpaced rows, when the wait is at most `max_retry_wait`) is sent once more after it, so the
// check never causes a 429 it did not mean to. A refused request (budget, a hold longer than
// `max_retry_wait`) completes with kCancelled, "not sent: <why>".
class PacedTransport final : public core::Transport {
 public:
  PacedTransport(std::shared_ptr<core::Transport> inner, std::shared_ptr<Pacer> pacer,
                 std::string service, core::Duration max_retry_wait = core::Duration(120'000));
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

 private:
  void Attempt(core::HttpRequest request, const core::Context& context,
               const core::TransportCompletion& completion, int attempt);
  std::shared_ptr<core::Transport> inner_;
  std::shared_ptr<Pacer> pacer_;
  std::string service_;
  core::Duration max_retry_wait_;
};

}  // namespace restbox::check
