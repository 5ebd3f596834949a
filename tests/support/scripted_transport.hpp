#pragma once
// A transport for client tests: records every request it is given and answers each one inline
// from a script of answers (responses or transport errors). With the script empty it gives
// `otherwise` when set (a canned answer or a failing network for every further call), and else
// never answers; a cancelled call then completes with kCancelled, as a real transport's would. (The
// pipeline tests script delays, holds and double completions with their own richer transport,
// tests/unit/core/pipeline_harness.hpp.) Header-only: the wasm test build has no tests/support
// library.

#include <deque>
#include <optional>
#include <vector>

#include "restbox/core/error.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::testing {

class ScriptedTransport final : public core::Transport {
 public:
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override {
    requests.push_back(std::move(request));
    if (answers.empty() && otherwise) {
      completion(*otherwise);
      return;
    }
    if (answers.empty()) {
      if (context.cancellation) {
        context.cancellation->OnCancel([completion] {
          completion(core::MakeError(core::ErrorKind::kCancelled, "cancelled"));
        });
      }
      return;
    }
    core::Result<core::HttpResponse> answer = std::move(answers.front());
    answers.pop_front();
    completion(std::move(answer));
  }

  std::vector<core::HttpRequest> requests;                    // in the order sent
  std::deque<core::Result<core::HttpResponse>> answers;       // the next answers, in order
  std::optional<core::Result<core::HttpResponse>> otherwise;  // every answer after those
};

}  // namespace restbox::testing
