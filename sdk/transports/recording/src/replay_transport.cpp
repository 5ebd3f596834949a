#include "restbox/transports/replay_transport.hpp"

#include <utility>
#include <variant>

namespace restbox::transports {

ReplayTransport::ReplayTransport(Cassette cassette)
    : matcher_(std::make_shared<CassetteMatcher>(std::move(cassette))) {}

void ReplayTransport::Send(core::HttpRequest request, const core::Context& context,
                           core::TransportCompletion completion) {
  if (context.cancelled()) {
    completion(core::MakeError(core::ErrorKind::kCancelled, "cancelled before sending"));
    return;
  }
  auto found = matcher_->Find(request);
  if (auto* miss = std::get_if<ReplayMiss>(&found)) {
    core::Error error = core::MakeError(core::ErrorKind::kNoRecording, miss->Message());
    error.raw_body = core::DumpJson(miss->ToJson());
    completion(std::move(error));
    return;
  }
  const CassetteEntry& entry = *std::get<CassetteMatcher::Match>(found).entry;
  if (entry.response) {
    completion(*entry.response);
  } else {
    completion(core::MakeError(entry.error.kind, entry.error.message));
  }
}

std::vector<std::size_t> ReplayTransport::Unused() const {
  return matcher_->Unused();
}

const Cassette& ReplayTransport::cassette() const {
  return matcher_->cassette();
}

}  // namespace restbox::transports
