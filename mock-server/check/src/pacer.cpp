#include "restbox/check/pacer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/retry.hpp"
#include "restbox/findhelper/spec.hpp"
#include "restbox/inventory/spec.hpp"

namespace restbox::check {
namespace {

core::Duration UnitLength(core::WindowUnit unit) {
  switch (unit) {
    case core::WindowUnit::kSecond:
      return core::Duration(1'000);
    case core::WindowUnit::kMinute:
      return core::Duration(60'000);
    case core::WindowUnit::kHour:
      return core::Duration(3'600'000);
    case core::WindowUnit::kDay:
      return core::Duration(86'400'000);
    case core::WindowUnit::kMonth:
      return core::Duration(31LL * 86'400'000);
  }
  return core::Duration(60'000);
}

// Added to every window, so that a server whose clock or timing differs slightly from ours (the
// time a request takes to arrive) still never counts one request too many in its window.
constexpr core::Duration kMargin{250};

// The key a request sends, which its limits and a 429's hold concern.
std::string CredentialOf(const core::HttpRequest& request) {
  for (const char* header : {"Authorization", "X-API-Key"}) {
    if (auto v = request.headers.Get(header)) return *v;
  }
  return "";
}

}  // namespace

std::vector<PaceLimit> DocumentedLimits(const std::string& service) {
  // A sliding window is at least as strict as the server's aligned windows (a minute that starts
  // at :00), so pacing by it never crosses them.
  if (service == "findhelper") {
    std::vector<PaceLimit> out;
    for (const auto& w : findhelper::RateWindows()) out.push_back({w.limit, UnitLength(w.unit)});
    return out;
  }
  if (service == "inventory") {
    // 60 a minute per key; the monthly quota per account (1000 by default) over a 31-day window.
    return {{inventory::kRequestsPerMinute, core::Duration(60'000)},
            {inventory::kDefaultMonthlyLimit, UnitLength(core::WindowUnit::kMonth)}};
  }
  // chikage has a monthly quota of an owner-defined size, wncms and market document no limit.
  return {};
}

std::vector<PaceLimit> ScaledLimits(std::vector<PaceLimit> limits, double scale) {
  for (auto& l : limits) {
    l.window = core::Duration(
        std::max<std::int64_t>(1, std::llround(static_cast<double>(l.window.count()) * scale)));
  }
  return limits;
}

Pacer::Pacer(std::shared_ptr<core::Clock> clock, std::shared_ptr<core::Scheduler> scheduler,
             std::int64_t budget)
    : clock_(std::move(clock)), scheduler_(std::move(scheduler)), budget_(budget) {}

void Pacer::SetLimits(const std::string& service, std::vector<PaceLimit> limits) {
  std::lock_guard lock(mutex_);
  limits_[service] = std::move(limits);
}

void Pacer::SetUnpaced(bool unpaced) {
  std::lock_guard lock(mutex_);
  unpaced_ = unpaced;
}

bool Pacer::unpaced() const {
  std::lock_guard lock(mutex_);
  return unpaced_;
}

void Pacer::Hold(const std::string& service, const std::string& credential, core::TimePoint until) {
  std::lock_guard lock(mutex_);
  auto& h = hold_[{service, credential}];
  h = std::max(h, until);
}

void Pacer::SetMaxHold(core::Duration max_hold) {
  std::lock_guard lock(mutex_);
  max_hold_ = max_hold;
}

void Pacer::Submit(const std::string& service, std::function<void()> send,
                   const std::function<void(std::string)>& refused, const std::string& credential) {
  core::TimePoint now = clock_->Now();
  core::TimePoint at = now;
  std::string refuse;
  std::size_t index = 0;
  {
    std::lock_guard lock(mutex_);
    auto h = unpaced_ ? hold_.end() : hold_.find({service, credential});
    if (cancelled_) {
      refuse = *cancelled_;
    } else if (budget_ > 0 && sent_ >= budget_) {
      exhausted_ = true;
      refuse = "the request budget (--budget " + std::to_string(budget_) + ") is used up";
    } else if (h != hold_.end() && h->second - now > max_hold_) {
      refuse = "the server asked to wait " +
               std::to_string(
                   std::chrono::duration_cast<std::chrono::seconds>(h->second - now).count()) +
               " s (Retry-After) before the next request with this key, longer than " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(max_hold_).count()) +
               " s";
    } else {
      auto& times = times_[service];
      if (!unpaced_) {
        if (h != hold_.end()) at = std::max(at, h->second);
        // Each limit: the request may go when the one `requests` places back has left the window.
        for (const auto& limit : limits_[service]) {
          if (limit.requests <= 0) continue;
          auto n = static_cast<std::int64_t>(times.size());
          if (n >= limit.requests) {
            at = std::max(
                at, times[static_cast<std::size_t>(n - limit.requests)] + limit.window + kMargin);
          }
        }
      }
      // Planned times stay sorted: requests are sent one after another.
      if (!times.empty()) at = std::max(at, times.back());
      times.push_back(at);
      index = times.size() - 1;
      ++sent_;
    }
  }
  if (!refuse.empty()) {
    refused(std::move(refuse));
    return;
  }
  // The limits are computed from when requests really left: a timer that fires late moves its
  // request's time, so the next ones wait for it.
  auto delay = std::chrono::duration_cast<core::Duration>(at - now);
  if (delay.count() <= 0) {
    send();
    return;
  }
  std::uint64_t token = 0;
  {
    std::lock_guard lock(mutex_);
    token = next_token_++;
    waiting_[token].refused = refused;
  }
  auto go = [this, service, index, token, send = std::move(send)] {
    {
      std::lock_guard lock(mutex_);
      // Cancel() refused it meanwhile.
      if (waiting_.erase(token) == 0) return;
      auto& times = times_[service];
      if (index < times.size()) times[index] = std::max(times[index], clock_->Now());
    }
    send();
  };
  core::TimerId timer = scheduler_->Schedule(delay, std::move(go));
  std::lock_guard lock(mutex_);
  if (auto it = waiting_.find(token); it != waiting_.end()) {
    it->second.timer = timer;
    it->second.timer_set = true;
  }
}

void Pacer::Cancel(const std::string& why) {
  std::map<std::uint64_t, Waiting> waiting;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = why;
    waiting.swap(waiting_);
  }
  for (auto& [token, w] : waiting) {
    if (w.timer_set) scheduler_->Cancel(w.timer);
    w.refused(why);
  }
}

bool Pacer::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_.has_value();
}

std::int64_t Pacer::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

bool Pacer::budget_exhausted() const {
  std::lock_guard lock(mutex_);
  return exhausted_;
}

std::int64_t Pacer::MaxIn(const std::vector<core::TimePoint>& times, core::Duration w) {
  // Two pointers over sorted times: the most that fall in [t, t + w).
  std::int64_t best = 0;
  std::size_t lo = 0;
  for (std::size_t hi = 0; hi < times.size(); ++hi) {
    while (times[hi] - times[lo] >= w) ++lo;
    best = std::max<std::int64_t>(best, static_cast<std::int64_t>(hi - lo + 1));
  }
  return best;
}

std::int64_t Pacer::MaxInAnyWindow(core::Duration w) const {
  std::lock_guard lock(mutex_);
  std::vector<core::TimePoint> all;
  for (const auto& [service, times] : times_) all.insert(all.end(), times.begin(), times.end());
  std::sort(all.begin(), all.end());
  return MaxIn(all, w);
}

std::int64_t Pacer::MaxInAnyWindow(const std::string& service, core::Duration w) const {
  std::lock_guard lock(mutex_);
  auto it = times_.find(service);
  return it == times_.end() ? 0 : MaxIn(it->second, w);
}

PacedTransport::PacedTransport(std::shared_ptr<core::Transport> inner, std::shared_ptr<Pacer> pacer,
                               std::string service, core::Duration max_retry_wait)
    : inner_(std::move(inner)),
      pacer_(std::move(pacer)),
      service_(std::move(service)),
      max_retry_wait_(max_retry_wait) {}

void PacedTransport::Send(core::HttpRequest request, const core::Context& context,
                          core::TransportCompletion completion) {
  Attempt(std::move(request), context, core::CallOnce(std::move(completion)), 1);
}

void PacedTransport::Attempt(core::HttpRequest request, const core::Context& context,
                             const core::TransportCompletion& completion, int attempt) {
  auto inner = inner_;
  auto pacer = pacer_;
  auto service = service_;
  auto max_wait = max_retry_wait_;
  auto self_request = std::make_shared<core::HttpRequest>(std::move(request));
  auto send = [this, inner, pacer, service, max_wait, self_request, context, completion, attempt] {
    inner->Send(
        *self_request, context,
        [this, pacer, service, max_wait, self_request, context, completion,
         attempt](core::Result<core::HttpResponse> r) {
          if (r.ok() && r->status == 429) {
            auto now = pacer->clock()->Now();
            auto ra = r->headers.Get("Retry-After");
            std::int64_t wait_ms = -1;  // no readable Retry-After
            if (ra) {
              if (auto wait = core::ParseRetryAfter(*ra, now))
                wait_ms = std::chrono::duration_cast<core::Duration>(*wait).count();
            }
            if (wait_ms >= 0)
              pacer->Hold(service, CredentialOf(*self_request), now + core::Duration(wait_ms));
            // A 429 the row did not mean to cause: wait as told, then once more.
            if (!pacer->unpaced() && attempt == 1 && wait_ms >= 0 && wait_ms <= max_wait.count()) {
              Attempt(*self_request, context, completion, attempt + 1);
              return;
            }
          }
          completion(std::move(r));
        });
  };
  auto refused = [completion](const std::string& why) {
    completion(core::MakeError(core::ErrorKind::kCancelled, "not sent: " + why));
  };
  std::string credential = CredentialOf(*self_request);
  pacer_->Submit(service_, std::move(send), std::move(refused), credential);
}

}  // namespace restbox::check
