#include "restbox/core/context.hpp"

#include <atomic>
#include <map>

#include "restbox/core/transport.hpp"

namespace restbox::core {

struct CancellationSource::State {
  std::mutex mutex;
  bool cancelled = false;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, std::function<void()>> callbacks;
};

CancellationSource::CancellationSource() : state_(std::make_shared<State>()) {}

void CancellationSource::Cancel() {
  std::map<std::uint64_t, std::function<void()>> callbacks;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled) return;
    state_->cancelled = true;
    callbacks.swap(state_->callbacks);
  }
  for (auto& [id, cb] : callbacks) cb();
}

bool CancellationSource::cancelled() const {
  std::lock_guard lock(state_->mutex);
  return state_->cancelled;
}

std::uint64_t CancellationSource::OnCancel(std::function<void()> callback) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->cancelled) {
      auto id = state_->next_id++;
      state_->callbacks.emplace(id, std::move(callback));
      return id;
    }
  }
  callback();
  return 0;
}

void CancellationSource::Unregister(std::uint64_t id) {
  std::lock_guard lock(state_->mutex);
  state_->callbacks.erase(id);
}

TransportCompletion CallOnce(TransportCompletion completion) {
  struct Once {
    std::mutex mutex;
    TransportCompletion completion;
  };
  auto once = std::make_shared<Once>();
  once->completion = std::move(completion);
  return [once](Result<HttpResponse> result) {
    TransportCompletion c;
    {
      std::lock_guard lock(once->mutex);
      c = std::move(once->completion);
      once->completion = nullptr;
    }
    if (c) c(std::move(result));
  };
}

namespace {
// A plain pointer, constant-initialised: safe to set from any static initialiser.
std::atomic<TransportFactory> g_default_transport_factory{nullptr};
}  // namespace

void SetDefaultTransportFactory(TransportFactory factory) {
  g_default_transport_factory = factory;
}

std::shared_ptr<Transport> InstalledDefaultTransport() {
  TransportFactory factory = g_default_transport_factory;
  return factory ? factory() : nullptr;
}

}  // namespace restbox::core
