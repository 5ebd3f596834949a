#include "restbox/chikage/client.hpp"

namespace restbox::chikage {
Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), options, {std::move(options.api_key), {}}),
      schemas_(std::move(options.schemas)) {}

void Client::SetSchema(const std::string& slug, std::vector<SchemaField> schema) {
  schemas_[slug] = std::move(schema);
}

core::CallSpec Client::Base(std::string_view endpoint, const std::string& slug,
                            const RequestOptions& options) const {
  core::CallSpec call;
  call.endpoint = &Endpoint(endpoint);
  call.path = {{"slug", slug}};
  call.headers = options.headers;
  call.context = options.context;
  return call;
}

core::Future<QueuedWrite> Client::Write(std::string_view endpoint, const std::string& slug,
                                        const std::string* record_id, const core::Json* data,
                                        WriteOptions options) {
  core::CallSpec call = Base(endpoint, slug, options);
  if (record_id) call.path.emplace_back("record_id", *record_id);
  if (options.webhook) {
    const WebhookOptions& w = *options.webhook;
    call.headers.Set("X-Webhook-Callback", w.callback_url);
    if (!w.auth_value.empty()) {
      call.headers.Set("X-Webhook-Auth", w.auth_value);
      call.secrets.push_back(w.auth_value);
    }
    if (!w.auth_header.empty()) call.headers.Set("X-Webhook-Auth-Header", w.auth_header);
  }
  std::vector<core::FieldError> problems;
  if (data) {
    call.raw_body = core::DumpJson(*data);  // counted below
    call.body = *data;                      // goes along with its bytes (CallSpec::raw_body)
    if (this->options().client_validation) {
      if (call.raw_body->size() > kMaxBodyBytes) {
        problems.push_back(
            {"body", "Request body exceeds " + std::to_string(kMaxBodyBytes) + " bytes"});
      }
      if (auto it = schemas_.find(slug); it != schemas_.end()) {
        auto more = CheckAgainstSchema(*data, it->second);
        problems.insert(problems.end(), more.begin(), more.end());
      }
    }
  }
  return Call<QueuedWrite>(std::move(call), &core::ConvertJson<QueuedWrite>, std::move(problems));
}

core::Future<QueuedWrite> Client::Create(const std::string& slug, const core::Json& data,
                                         WriteOptions options) {
  return Write(kCreate, slug, nullptr, &data, std::move(options));
}

core::Future<QueuedWrite> Client::Replace(const std::string& slug, const std::string& record_id,
                                          const core::Json& data, WriteOptions options) {
  return Write(kReplace, slug, &record_id, &data, std::move(options));
}

core::Future<QueuedWrite> Client::Delete(const std::string& slug, const std::string& record_id,
                                         WriteOptions options) {
  return Write(kDelete, slug, &record_id, nullptr, std::move(options));
}

core::Future<Record> Client::Get(const std::string& slug, const std::string& record_id,
                                 const RequestOptions& options) {
  core::CallSpec call = Base(kGet, slug, options);
  call.path.emplace_back("record_id", record_id);
  return Call<Record>(std::move(call), [](core::Json json) {
    return core::ConvertJsonTaking(std::move(json), "data", &Record::data);
  });
}

template <typename T>
void Client::Poll(std::shared_ptr<Client> self, std::shared_ptr<core::Promise<T>> promise,
                  std::string slug, std::string record_id, WaitOptions options, bool until_deleted,
                  int polls_left) {
  self->Get(slug, record_id, options.request)
      .Then([self, promise, slug, record_id, options, until_deleted,
             polls_left](core::Result<Record> r) mutable {
        if constexpr (std::is_same_v<T, Record>) {
          if (r.ok()) {
            promise->Set(std::move(r));
            return;
          }
        } else {
          if (!r.ok() && r.error().kind == core::ErrorKind::kNotFound) {
            promise->Set(core::Result<core::Empty>(core::Empty{}, r.meta()));
            return;
          }
        }
        bool waiting = until_deleted ? r.ok() : r.error().kind == core::ErrorKind::kNotFound;
        if (!waiting) {
          promise->Set(core::Result<T>(r.error(), r.meta()));
          return;
        }
        if (polls_left <= 1) {
          promise->Set(core::Result<T>(core::MakeError(
              core::ErrorKind::kTimeout, "record " + record_id + " not " +
                                             (until_deleted ? "deleted" : "applied") + " after " +
                                             std::to_string(options.max_polls) + " polls")));
          return;
        }
        self->pipeline().scheduler()->Schedule(
            options.poll_interval,
            [self, promise, slug, record_id, options, until_deleted, polls_left] {
              Poll<T>(self, promise, slug, record_id, options, until_deleted, polls_left - 1);
            });
      });
}

namespace {
// Future::Cancel must end a wait at once (not at the next poll, nor never when the caller gave no
// cancellation source): every poll shares one source, and cancelling it settles the promise.
template <typename T>
std::shared_ptr<core::Promise<T>> WaitPromise(WaitOptions& options) {
  auto& cancellation = options.request.context.cancellation;
  if (!cancellation) cancellation = std::make_shared<core::CancellationSource>();
  auto promise = std::make_shared<core::Promise<T>>(cancellation);
  // Weak: the promise's state holds the source, so a strong capture would be a cycle.
  cancellation->OnCancel([weak = std::weak_ptr<core::Promise<T>>(promise)] {
    if (auto p = weak.lock())
      p->Set(core::MakeError(core::ErrorKind::kCancelled, "cancelled while waiting"));
  });
  return promise;
}
}  // namespace

core::Future<Record> Client::WaitUntilApplied(const std::string& slug, const std::string& record_id,
                                              WaitOptions options) {
  auto promise = WaitPromise<Record>(options);
  auto future = promise->GetFuture();
  Poll<Record>(std::make_shared<Client>(*this), promise, slug, record_id, options, false,
               options.max_polls);
  return future;
}

core::Future<core::Empty> Client::WaitUntilDeleted(const std::string& slug,
                                                   const std::string& record_id,
                                                   WaitOptions options) {
  auto promise = WaitPromise<core::Empty>(options);
  auto future = promise->GetFuture();
  Poll<core::Empty>(std::make_shared<Client>(*this), promise, slug, record_id, options, true,
                    options.max_polls);
  return future;
}

}  // namespace restbox::chikage
