#pragma once
// RecordingTransport: wraps any core::Transport (curl, fetch, in-process...) and keeps every
// exchange that goes through it in a cassette (cassette.hpp: HAR 1.2, secrets redacted at
// capture), in memory and, when given a CassetteFile, in a file as each exchange completes.
// Natively and in wasm. Replay the result with ReplayTransport (replay_transport.hpp).
//
//   auto file = restbox::transports::CassetteFile::Create("chikage.har");   // Result<...>
//   if (!file) { std::cerr << file.error() << '\n'; return 1; }
//   options.transport = std::make_shared<restbox::transports::RecordingTransport>(
//       restbox::transports::DefaultTransport(), restbox::transports::RecordingOptions{*file});
//
// Requests, answers and errors pass through unchanged; the completion runs where the inner
// transport runs it, after the exchange was recorded. A request the caller cancelled is not
// recorded (there is nothing to replay); other transport errors are (HAR status 0 + "_error"),
// and a replay gives the same error back.

#include <memory>
#include <mutex>
#include <string>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"
#include "restbox/transports/cassette.hpp"

namespace restbox::transports {

struct RecordingOptions {
  // Also append every exchange to this file as it completes (CassetteFile::Create). Default
  // null: the cassette is kept in memory only (RecordingTransport::cassette()).
  std::shared_ptr<CassetteFile> file;
  // Also keep every exchange in memory (cassette()). Default true; false with a file keeps a
  // long-running recorder (restbox-mock --record) from growing.
  bool keep_in_memory = true;
  // startedDateTime and time of the entries. Default: core::SystemClock.
  std::shared_ptr<core::Clock> clock;
};

class RecordingTransport final : public core::Transport {
 public:
  explicit RecordingTransport(std::shared_ptr<core::Transport> inner,
                              RecordingOptions options = {});

  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

  // Everything recorded so far (a copy; empty when RecordingOptions::keep_in_memory is false).
  // Thread-safe.
  Cassette cassette() const;
  // The last failure to append to the file ("cannot write FILE: No space left on device"), or ""
  // when every exchange was written. The exchanges themselves are unaffected.
  std::string write_error() const;

 private:
  struct State;
  std::shared_ptr<core::Transport> inner_;
  std::shared_ptr<State> state_;
};

}  // namespace restbox::transports
