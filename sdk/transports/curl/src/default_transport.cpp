// The process-wide CurlTransport, and its registration as sdk/core's default transport.
#include "restbox/transports/curl_transport.hpp"

namespace restbox::transports {

std::shared_ptr<core::Transport> DefaultTransport() {
  // Destroyed at exit (after main returns): pending requests complete with kCancelled and the
  // worker is joined.
  static const std::shared_ptr<core::Transport> transport = std::make_shared<CurlTransport>();
  return transport;
}

namespace {
// Runs when this object file is linked, which the library's link option guarantees (see
// CMakeLists.txt). The factory is only a pointer: the transport is created on first use.
const bool kRegistered = [] {
  core::SetDefaultTransportFactory(&DefaultTransport);
  return true;
}();
}  // namespace

}  // namespace restbox::transports

// Named by restbox::transport_curl's INTERFACE link option (--undefined), so that linking the
// library always pulls in this object file and its registration above.
extern "C" void restbox_transport_curl_anchor() {}
