#include "restbox/transports/recording_transport.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace restbox::transports {

struct RecordingTransport::State {
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<CassetteFile> file;
  bool keep_in_memory = true;
  mutable std::mutex mutex;
  Cassette cassette;
  std::string write_error;
};

RecordingTransport::RecordingTransport(std::shared_ptr<core::Transport> inner,
                                       RecordingOptions options)
    : inner_(std::move(inner)), state_(std::make_shared<State>()) {
  state_->clock = options.clock ? std::move(options.clock) : core::SystemClock::Instance();
  state_->file = std::move(options.file);
  state_->keep_in_memory = options.keep_in_memory;
}

void RecordingTransport::Send(core::HttpRequest request, const core::Context& context,
                              core::TransportCompletion completion) {
  if (!inner_) {
    completion(core::MakeError(core::ErrorKind::kInvalidArgument,
                               "RecordingTransport has no transport to record"));
    return;
  }
  const core::TimePoint started = state_->clock->Now();
  auto sent = std::make_shared<core::HttpRequest>(request);
  inner_->Send(
      std::move(request), context,
      [state = state_, sent, started,
       completion = std::move(completion)](core::Result<core::HttpResponse> outcome) mutable {
        const bool cancelled = !outcome.ok() && outcome.error().kind == core::ErrorKind::kCancelled;
        if (!cancelled) {
          const core::Duration elapsed =
              std::max(core::Duration(0),
                       std::chrono::duration_cast<core::Duration>(state->clock->Now() - started));
          CassetteEntry entry = Capture(*sent, outcome, started, elapsed);
          std::lock_guard lock(state->mutex);
          if (state->file) {
            auto written = state->file->Append(entry);
            if (!written) state->write_error = written.error().message;
          }
          if (state->keep_in_memory) state->cassette.Add(std::move(entry));
        }
        completion(std::move(outcome));
      });
}

Cassette RecordingTransport::cassette() const {
  std::lock_guard lock(state_->mutex);
  return state_->cassette;
}

std::string RecordingTransport::write_error() const {
  std::lock_guard lock(state_->mutex);
  return state_->write_error;
}

}  // namespace restbox::transports
