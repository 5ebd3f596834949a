#pragma once
// The asynchronous transport interface (DESIGN rule 1). A transport delivers one HttpRequest and
// calls the completion exactly once: with the HTTP response (any status, as a value), or with a
// transport Error (kConnection, kTimeout, kCancelled, kProtocol).

#include <functional>
#include <memory>

#include "restbox/core/context.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/result.hpp"

namespace restbox::core {

using TransportCompletion = std::function<void(Result<HttpResponse>)>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Must not block the caller. The completion may run on another thread (native) or later in the
  // event loop (browser), or inline when the answer is immediately known (in-process). It must be
  // called exactly once; `context.cancellation` and `context.timeout` must be honoured.
  virtual void Send(HttpRequest request, const Context& context,
                    TransportCompletion completion) = 0;
};

// Something that answers HTTP requests without a socket: the mock server implements it, and the
// in-process transport hands requests to it.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void Handle(HttpRequest request, TransportCompletion completion) = 0;
};

// Wraps a completion so that only its first call has effect (the single-completion guarantee
// when a timeout, a cancellation and a late answer race).
TransportCompletion CallOnce(TransportCompletion completion);

// The transport a Pipeline uses when PipelineOptions::transport is empty. sdk/core knows no
// platform transport; a transport library installs a factory when it is linked (natively,
// restbox::transport_curl installs its shared CurlTransport). With none installed (the default),
// calls without a transport fail with kInvalidArgument. Thread-safe.
using TransportFactory = std::shared_ptr<Transport> (*)();
void SetDefaultTransportFactory(TransportFactory factory);
// The installed factory's transport, or nullptr when none is installed.
std::shared_ptr<Transport> InstalledDefaultTransport();

}  // namespace restbox::core
