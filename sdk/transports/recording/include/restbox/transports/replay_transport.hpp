#pragma once
// ReplayTransport: answers every request from a cassette (cassette.hpp: HAR 1.2, recorded by
// RecordingTransport or restbox-mock --record, or a HAR exported by another tool), with no
// network and no mock: an application's own tests replay real traffic, natively and in wasm.
//
//   auto cassette = restbox::transports::Cassette::Load("chikage.har");       // Result<Cassette>
//   if (!cassette) { std::cerr << cassette.error() << '\n'; return 1; }
//   options.transport = std::make_shared<restbox::transports::ReplayTransport>(*cassette);
//
// A request gets the recording with the same method, path, query and body (secrets in them
// match anything, so the test may use real or dummy credentials; recordings are served in order:
// see CassetteMatcher). The completion runs inline, before Send returns (an already cancelled
// context completes with kCancelled). What it completes with:
//   - the recorded response (status, headers, body as recorded, secrets redacted);
//   - the recorded transport error, for an exchange recorded without an answer (its kind and
//     message: kConnection, kTimeout...);
//   - on a miss, core::ErrorKind::kNoRecording ("no_recording"; http_status 0, never retried):
//     message "no recording matches GET /apiV1/items?page=2 (12 recordings); nearest: #3 GET
//     https://.../apiV1/items?page=1 (query page=2&..., recorded page=1&...)", and raw_body the
//     same as JSON (ReplayMiss::ToJson: "error": "no_recording", "request", "recordings",
//     "candidates" [{"index", "method", "url", "differences"}]), which is also the body of
//     restbox-mock --replay's 501.

#include <cstddef>
#include <memory>
#include <vector>

#include "restbox/core/transport.hpp"
#include "restbox/transports/cassette.hpp"

namespace restbox::transports {

class ReplayTransport final : public core::Transport {
 public:
  explicit ReplayTransport(Cassette cassette);

  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

  // Indexes of the recordings no request has been answered with yet: a test that must replay all
  // it recorded checks that this is empty.
  std::vector<std::size_t> Unused() const;
  const Cassette& cassette() const;

 private:
  std::shared_ptr<CassetteMatcher> matcher_;
};

}  // namespace restbox::transports
