#pragma once
// The typed chikage client.
//
//   restbox::chikage::ClientOptions o;
//   o.transport = ...; o.api_key = "tm_test_…";
//   restbox::chikage::Client client(o);
//   auto queued = client.Create("orders", {{"order_id", "ORD-1"}}).Get();   // native blocking
//   if (!queued) { std::cerr << queued.error() << '\n'; return 1; }         // check, then read
//   client.Get("orders", queued->id).Then([](auto r) { ... }).Wait();      // async, everywhere
//
// Writes answer 202 and are applied later: WaitUntilApplied() polls until the record is readable.
// chikage has no service codes: meta().service_code is always ""; meta().service_message is a
// write's "message" ("Request queued") or an error's message.

#include <map>
#include <string>
#include <vector>

#include "restbox/chikage/models.hpp"
#include "restbox/chikage/spec.hpp"
#include "restbox/core/client.hpp"

namespace restbox::chikage {

struct ClientOptions : core::ClientOptions {
  std::string api_key;  // "tm_test_…" (sandbox) or "tm_live_…" (production)
  // Known schemas per slug, for client-side validation (the service's schemas are owner-defined;
  // without one, only the body size is checked before sending).
  std::map<std::string, std::vector<SchemaField>> schemas;
};

// Per-call options: a context (timeout, cancellation) and extra headers.
using RequestOptions = core::RequestOptions;

struct WriteOptions : RequestOptions {
  std::optional<WebhookOptions> webhook;
};

struct WaitOptions {
  core::Duration poll_interval{200};  // time between GETs. Default 200 ms.
  int max_polls = 50;                 // give up after this many GETs (kTimeout). Default 50.
  RequestOptions request;
};

class Client final : public core::ServiceClient {
 public:
  explicit Client(ClientOptions options);

  core::Future<QueuedWrite> Create(const std::string& slug, const core::Json& data,
                                   WriteOptions options = {});
  core::Future<Record> Get(const std::string& slug, const std::string& record_id,
                           const RequestOptions& options = {});
  core::Future<QueuedWrite> Replace(const std::string& slug, const std::string& record_id,
                                    const core::Json& data, WriteOptions options = {});
  core::Future<QueuedWrite> Delete(const std::string& slug, const std::string& record_id,
                                   WriteOptions options = {});

  // Polls GET until the record is readable (after a Create or Replace) and returns it; 404s while
  // the write is queued are waited through; any other error ends the wait. The wait works on a
  // copy of this client, so it may outlive it; Cancel() on the future ends it at once.
  core::Future<Record> WaitUntilApplied(const std::string& slug, const std::string& record_id,
                                        WaitOptions options = {});
  // Polls GET until it answers 404 (after a Delete).
  core::Future<core::Empty> WaitUntilDeleted(const std::string& slug, const std::string& record_id,
                                             WaitOptions options = {});

  void SetSchema(const std::string& slug, std::vector<SchemaField> schema);

 private:
  core::CallSpec Base(std::string_view endpoint, const std::string& slug,
                      const RequestOptions& options) const;
  core::Future<QueuedWrite> Write(std::string_view endpoint, const std::string& slug,
                                  const std::string* record_id, const core::Json* data,
                                  WriteOptions options);
  // `self` is a copy of the client that started the wait (a call may outlive its client).
  template <typename T>
  static void Poll(std::shared_ptr<Client> self, std::shared_ptr<core::Promise<T>> promise,
                   std::string slug, std::string record_id, WaitOptions options, bool until_deleted,
                   int polls_left);

  std::map<std::string, std::vector<SchemaField>> schemas_;
};

}  // namespace restbox::chikage
