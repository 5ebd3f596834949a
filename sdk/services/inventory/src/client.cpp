#include "restbox/inventory/client.hpp"

namespace restbox::inventory {
namespace {

void AddPage(core::QueryParams& query, const PageQuery& page) {
  if (page.page) query.emplace_back("page", std::to_string(*page.page));
  if (page.page_size) query.emplace_back("pageSize", std::to_string(*page.page_size));
}

}  // namespace

std::vector<core::RateWindow> DocumentedRateWindows() {
  return {{"minute", core::WindowUnit::kMinute, kRequestsPerMinute}};
}

Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), options, {std::move(options.api_key), {}}) {}

template <typename T>
core::Future<T> Client::Run(std::string_view endpoint, std::optional<std::string> token,
                            std::optional<core::Json> body, core::QueryParams query,
                            RequestOptions options) {
  core::CallSpec call;
  call.endpoint = &Endpoint(endpoint);
  if (token) call.path = {{"token", *token}};
  call.query = std::move(query);
  call.headers = std::move(options.headers);
  call.context = std::move(options.context);
  call.body = std::move(body);
  return Call<T>(std::move(call), &core::ConvertJson<T>);
}

core::Future<ItemList> Client::ListItems(ItemQuery query, RequestOptions options) {
  core::QueryParams q;
  AddPage(q, query);
  if (query.status) q.emplace_back("status", *query.status);
  if (query.type) q.emplace_back("type", *query.type);
  return Run<ItemList>(kListItems, std::nullopt, std::nullopt, std::move(q), std::move(options));
}

core::Future<Item> Client::GetItem(const std::string& item_token, RequestOptions options) {
  return Run<Item>(kGetItem, item_token, std::nullopt, {}, std::move(options));
}

core::Future<TemplateList> Client::ListTemplates(PageQuery query, RequestOptions options) {
  core::QueryParams q;
  AddPage(q, query);
  return Run<TemplateList>(kListTemplates, std::nullopt, std::nullopt, std::move(q),
                           std::move(options));
}

core::Future<Template> Client::GetTemplate(const std::string& template_token,
                                           RequestOptions options) {
  return Run<Template>(kGetTemplate, template_token, std::nullopt, {}, std::move(options));
}

core::Future<SharedTemplateList> Client::ListSharedTemplates(RequestOptions options) {
  return Run<SharedTemplateList>(kListSharedTemplates, std::nullopt, std::nullopt, {},
                                 std::move(options));
}

core::Future<UserStats> Client::GetUserStats(RequestOptions options) {
  return Run<UserStats>(kGetUserStats, std::nullopt, std::nullopt, {}, std::move(options));
}

core::Future<CreatedTemplate> Client::CreateTemplate(const CreateTemplateRequest& request,
                                                     RequestOptions options) {
  return Run<CreatedTemplate>(kCreateTemplate, std::nullopt, core::Json(request), {},
                              std::move(options));
}

core::Future<Share> Client::ShareTemplate(const std::string& template_token,
                                          const ShareRequest& request, RequestOptions options) {
  return Run<Share>(kShareTemplate, template_token, core::Json(request), {}, std::move(options));
}

core::Future<RevokeResult> Client::RevokeShare(const std::string& share_token,
                                               RequestOptions options) {
  return Run<RevokeResult>(kRevokeShare, std::nullopt, core::Json(RevokeRequest{share_token}), {},
                           std::move(options));
}

core::Future<SendResult> Client::SendTemplate(const std::string& template_token,
                                              const SendRequest& request, RequestOptions options) {
  return Run<SendResult>(kSendTemplate, template_token, core::Json(request), {},
                         std::move(options));
}

core::Future<Ownership> Client::CheckOwnership(const std::string& template_token,
                                               const OwnershipRequest& request,
                                               RequestOptions options) {
  return Run<Ownership>(kCheckOwnership, template_token, core::Json(request), {},
                        std::move(options));
}

}  // namespace restbox::inventory
