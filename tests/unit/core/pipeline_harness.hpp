#pragma once
// The pipeline's test bench, shared by pipeline_test.cpp and client_test.cpp: a transport double
// that records what it is sent and answers from a script (inline, later through the scheduler,
// never, or twice), and a ManualClock used as clock and scheduler, so every wait is checked to
// the millisecond without sleeping.

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::core::test {

inline constexpr const char* kKey = "tm_test_pipelinesecret0123456789";

inline HttpResponse Response(int status, Headers headers = {}, std::string body = "{}") {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// One scripted answer of the transport double.
struct Step {
  std::optional<HttpResponse> response;  // the answer; nullopt = a transport error
  ErrorKind error = ErrorKind::kConnection;
  std::string error_message = "connection refused";
  Duration delay{0};   // answer this much later (through the scheduler)
  bool twice = false;  // a misbehaving transport that completes twice (second: 500)
  bool hold = false;   // never answers by itself; cancellation completes it
};
inline Step Answer(int status, Headers headers = {}, std::string body = "{}") {
  Step s;
  s.response = Response(status, std::move(headers), std::move(body));
  return s;
}
inline Step Fail(ErrorKind kind, std::string message = "connection refused") {
  Step s;
  s.error = kind;
  s.error_message = std::move(message);
  return s;
}

class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(std::shared_ptr<Scheduler> scheduler)
      : scheduler_(std::move(scheduler)) {}

  void Script(Step step) { script_.push_back(std::move(step)); }

  void Send(HttpRequest request, const Context& context, TransportCompletion completion) override {
    requests.push_back(request);
    contexts.push_back(context);
    Step step = Answer(200);
    if (!script_.empty()) {
      step = std::move(script_.front());
      script_.pop_front();
    }
    if (step.hold) {
      if (context.cancellation) {
        context.cancellation->OnCancel(
            [completion] { completion(MakeError(ErrorKind::kCancelled, "cancelled")); });
      }
      return;
    }
    auto deliver = [step, completion] {
      if (step.response) {
        completion(*step.response);
      } else {
        completion(MakeError(step.error, step.error_message));
      }
      if (step.twice) completion(Response(500));
    };
    if (step.delay > Duration::zero()) {
      scheduler_->Schedule(step.delay, deliver);
    } else {
      deliver();
    }
  }

  std::vector<HttpRequest> requests;
  std::vector<Context> contexts;

 private:
  std::shared_ptr<Scheduler> scheduler_;
  std::deque<Step> script_;
};

struct Harness {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<ScriptedTransport> transport = std::make_shared<ScriptedTransport>(clock);
  int ids = 0;

  PipelineOptions Options() {
    PipelineOptions o;
    o.transport = transport;
    o.clock = clock;
    o.scheduler = clock;
    o.retry.jitter = 0.0;  // exact delays: 250, 500, 1000...
    o.random = [] { return 0.5; };
    o.request_id_generator = [this] { return "rid-" + std::to_string(++ids); };
    return o;
  }
};

struct Outcomes {
  std::vector<Result<HttpResponse>> results;
  TransportCompletion Sink() {
    return [this](Result<HttpResponse> r) { results.push_back(std::move(r)); };
  }
};

inline std::shared_ptr<CallState> Call(bool idempotent, std::string rate_key = "") {
  auto call = std::make_shared<CallState>();
  call->service = "test";
  call->endpoint = "ep";
  call->idempotent = idempotent;
  call->rate_key = std::move(rate_key);
  return call;
}

inline HttpRequest Get(std::string url = "http://svc/items") {
  HttpRequest r;
  r.method = Method::kGet;
  r.url = std::move(url);
  return r;
}

}  // namespace restbox::core::test
