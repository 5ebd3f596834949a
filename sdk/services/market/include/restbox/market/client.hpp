#pragma once
// The typed consumer client of the marketplace.
//
//   restbox::market::ClientOptions o;
//   o.transport = ...; o.api_key = "mkt_…";
//   restbox::market::Client client(o);
//   client.Call("demo-shop", "product-info", {{"bindId", "123"}, {"productId", "123456"}})
//       .Then([](restbox::core::Result<restbox::market::CallResult> r) {
//         if (r) use(r->result, r->credits.value_or(0));           // code 0
//         else if (r.error().code == "1005") top_up();             // kService, "1000".."1005"
//       })
//       .Wait();   // natively, before main() returns: the answer may come on another thread
//
// The platform's `code` and `msg` are also in the Result's meta() (service_code "0" or "100x",
// service_message), the same place as every client's envelope facts.
//
// Code 1003 (busy: the request was not processed) is retried with the retry policy's backoff,
// even for POST; the other codes are final.

#include <map>
#include <string>

#include "restbox/core/client.hpp"
#include "restbox/market/models.hpp"
#include "restbox/market/spec.hpp"

namespace restbox::market {

struct ClientOptions : core::ClientOptions {
  // The consumer key, sent as "Authorization: Bearer <key>". Masked in logs and errors.
  std::string api_key;
  // Retry answers with code 1003 through RetryOptions::retry_if (backoff from `retry`, at most
  // retry.max_attempts tries). Ignored when retry.retry_if is already set. Default true.
  bool retry_busy = true;
  // Params Schema + Json Schema entries per "project/slug", for client-side validation: a call
  // missing a required param fails with kClientValidation, not_sent, code "1001", the
  // platform's details and its msg after "not sent: ", without being sent. Default: none
  // (nothing is checked before sending).
  std::map<std::string, ParamsSchema> schemas;
};

// Per-call options: a context (timeout, cancellation) and extra headers.
using RequestOptions = core::RequestOptions;

class Client final : public core::ServiceClient {
 public:
  explicit Client(ClientOptions options);

  // POST /market/{project}/{slug} with `params` (a JSON object) as the body.
  core::Future<CallResult> Call(const std::string& project, const std::string& slug,
                                const core::Json& params, RequestOptions options = {});
  // GET /market/{project}/{slug}?<params>, for endpoints without a Json Schema. Non-string
  // values are sent as their JSON text.
  core::Future<CallResult> CallGet(const std::string& project, const std::string& slug,
                                   const core::Json& params, RequestOptions options = {});

  // Registers the schema of one endpoint for client-side validation.
  void SetSchema(const std::string& project, const std::string& slug, ParamsSchema schema);

 private:
  core::Future<CallResult> Send(std::string_view endpoint, const std::string& project,
                                const std::string& slug, const core::Json& params,
                                RequestOptions options);

  std::map<std::string, ParamsSchema> schemas_;
};

}  // namespace restbox::market
