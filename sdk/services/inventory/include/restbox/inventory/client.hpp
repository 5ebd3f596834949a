#pragma once
// The typed inventory client: one method per endpoint of API-CONTRACT section 3.
//
//   restbox::inventory::ClientOptions o;
//   o.transport = ...;                 // curl, in-process mock, browser fetch
//   o.api_key = "inv_…";
//   restbox::inventory::Client client(o);
//   auto created = client.CreateTemplate({.image_url = "https://example.com/a.png",
//                                         .title = "会员卡"}).Get();          // native blocking
//   client.SendTemplate(created->token, {.recipient_email = "friend@example.com"})
//       .Then([](auto sent) { ... });                                   // async, everywhere
//
// Errors come back as core::Error with `code` = the service's code ("NOT_SHARED"...), kind from
// the HTTP status. With client_validation on (the default) a request the server would certainly
// refuse (ValidateRequest in validation.hpp: limits, keyword grammar, token shapes, http(s) image
// URL, the key's shape) is not sent: it fails with kind kClientValidation, not_sent, the same
// code and details the server would give, and the server's message after "not sent: ".
// meta().service_code is the error code of a failure the server answered ("" on success: the
// success body carries no code), like every client's envelope facts.

#include <optional>
#include <string>
#include <vector>

#include "restbox/core/client.hpp"
#include "restbox/inventory/models.hpp"
#include "restbox/inventory/spec.hpp"

namespace restbox::inventory {

struct ClientOptions : core::ClientOptions {
  // "inv_…": sent as Authorization: Bearer <api_key>. Required (an empty or malformed key fails
  // client-side validation with INVALID_API_KEY). Masked in logs and error messages.
  std::string api_key;
};

// The client-side windows matching the service's documented per-key limit (60 requests a
// minute); assign to ClientOptions::rate_limit.windows to wait instead of getting 429s.
std::vector<core::RateWindow> DocumentedRateWindows();

// Per-call options: a context (timeout, cancellation) and extra headers.
using RequestOptions = core::RequestOptions;

struct PageQuery {
  std::optional<int> page;       // default 1
  std::optional<int> page_size;  // default 20, at most 100
};

struct ItemQuery : PageQuery {
  std::optional<std::string> status;  // "active" (the server's default) | "pending"
  std::optional<std::string> type;    // "paper" | "stamp"; default both
};

class Client final : public core::ServiceClient {
 public:
  explicit Client(ClientOptions options);

  core::Future<ItemList> ListItems(ItemQuery query = {}, RequestOptions options = {});
  core::Future<Item> GetItem(const std::string& item_token, RequestOptions options = {});
  core::Future<TemplateList> ListTemplates(PageQuery query = {}, RequestOptions options = {});
  core::Future<Template> GetTemplate(const std::string& template_token,
                                     RequestOptions options = {});
  core::Future<SharedTemplateList> ListSharedTemplates(RequestOptions options = {});
  core::Future<UserStats> GetUserStats(RequestOptions options = {});

  core::Future<CreatedTemplate> CreateTemplate(const CreateTemplateRequest& request,
                                               RequestOptions options = {});
  core::Future<Share> ShareTemplate(const std::string& template_token, const ShareRequest& request,
                                    RequestOptions options = {});
  core::Future<RevokeResult> RevokeShare(const std::string& share_token,
                                         RequestOptions options = {});
  core::Future<SendResult> SendTemplate(const std::string& template_token,
                                        const SendRequest& request, RequestOptions options = {});
  core::Future<Ownership> CheckOwnership(const std::string& template_token,
                                         const OwnershipRequest& request,
                                         RequestOptions options = {});

 private:
  template <typename T>
  core::Future<T> Run(std::string_view endpoint, std::optional<std::string> token,
                      std::optional<core::Json> body, core::QueryParams query,
                      RequestOptions options);
};

}  // namespace restbox::inventory
