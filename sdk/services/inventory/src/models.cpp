#include "restbox/inventory/models.hpp"

#include "restbox/core/client.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/json_mapping.hpp"

namespace restbox::inventory {
namespace {

using core::Field;
using core::Json;
using core::kOmitUnset;
using core::kRequired;

// Optional members are written only when set (kOmitUnset), except expiresAt and lastUsedAt,
// which are always there (null when unset).
constexpr auto kPaginationFields =
    std::make_tuple(Field("page", &Pagination::page, kRequired),
                    Field("pageSize", &Pagination::page_size, kRequired),
                    Field("totalItems", &Pagination::total_items, kRequired),
                    Field("totalPages", &Pagination::total_pages, kRequired));
constexpr auto kItemFields = std::make_tuple(
    Field("token", &Item::token, kRequired), Field("title", &Item::title),
    Field("content", &Item::content), Field("type", &Item::type), Field("status", &Item::status),
    Field("imageUrl", &Item::image_url), Field("keywords", &Item::keywords, kOmitUnset),
    Field("templateToken", &Item::template_token, kOmitUnset),
    Field("senderEmail", &Item::sender_email, kOmitUnset),
    Field("message", &Item::message, kOmitUnset), Field("createdAt", &Item::created_at),
    Field("updatedAt", &Item::updated_at));
// publishDate and validUntil are optionals of optionals: absent, null or a date.
constexpr auto kTemplateFields = std::make_tuple(
    Field("token", &Template::token, kRequired), Field("title", &Template::title),
    Field("content", &Template::content), Field("imageUrl", &Template::image_url),
    Field("commentMode", &Template::comment_mode),
    Field("keywords", &Template::keywords, kOmitUnset),
    Field("publishDate", &Template::publish_date, kOmitUnset),
    Field("validUntil", &Template::valid_until, kOmitUnset),
    Field("isSharing", &Template::is_sharing), Field("createdAt", &Template::created_at),
    Field("updatedAt", &Template::updated_at, kOmitUnset));
constexpr auto kSharedTemplateFields =
    std::make_tuple(Field("token", &SharedTemplate::token, kRequired),
                    Field("shareToken", &SharedTemplate::share_token, kRequired),
                    Field("title", &SharedTemplate::title), Field("tags", &SharedTemplate::tags),
                    Field("expiresAt", &SharedTemplate::expires_at),
                    Field("copyCount", &SharedTemplate::copy_count));
constexpr auto kSharedTemplateListFields =
    std::make_tuple(Field("sharedTemplates", &SharedTemplateList::shared_templates, kRequired));
constexpr auto kUserStatsFields = std::make_tuple(
    Field("email", &UserStats::email, kRequired), Field("createdAt", &UserStats::created_at),
    Field("items", &UserStats::items, kRequired),
    Field("templates", &UserStats::templates, kOmitUnset),
    Field("shares", &UserStats::shares, kOmitUnset), Field("api", &UserStats::api, kRequired));
constexpr auto kApiFields = std::make_tuple(
    Field("enabled", &UserStats::Api::enabled),
    Field("monthlyLimit", &UserStats::Api::monthly_limit),
    Field("monthlyUsed", &UserStats::Api::monthly_used),
    Field("lastUsedAt", &UserStats::Api::last_used_at),
    Field("rateLimitPerMinute", &UserStats::Api::rate_limit_per_minute, kOmitUnset));
constexpr auto kCreateTemplateRequestFields =
    std::make_tuple(Field("imageUrl", &CreateTemplateRequest::image_url, kRequired),
                    Field("title", &CreateTemplateRequest::title, kRequired),
                    Field("content", &CreateTemplateRequest::content, kOmitUnset),
                    Field("commentMode", &CreateTemplateRequest::comment_mode, kOmitUnset),
                    Field("keywords", &CreateTemplateRequest::keywords, kOmitUnset),
                    Field("publishDate", &CreateTemplateRequest::publish_date, kOmitUnset),
                    Field("validUntil", &CreateTemplateRequest::valid_until, kOmitUnset));
constexpr auto kCreatedTemplateFields = std::make_tuple(
    Field("token", &CreatedTemplate::token, kRequired), Field("title", &CreatedTemplate::title),
    Field("createdAt", &CreatedTemplate::created_at));
constexpr auto kShareRequestFields =
    std::make_tuple(Field("durationMinutes", &ShareRequest::duration_minutes, kRequired),
                    Field("tags", &ShareRequest::tags, kRequired));
constexpr auto kShareFields =
    std::make_tuple(Field("shareToken", &Share::share_token, kRequired),
                    Field("expiresAt", &Share::expires_at), Field("tags", &Share::tags));
constexpr auto kRevokeRequestFields =
    std::make_tuple(Field("shareToken", &RevokeRequest::share_token, kRequired));
constexpr auto kSendRequestFields =
    std::make_tuple(Field("recipientEmail", &SendRequest::recipient_email, kRequired),
                    Field("message", &SendRequest::message, kOmitUnset),
                    Field("keywords", &SendRequest::keywords, kOmitUnset));
constexpr auto kSendResultFields = std::make_tuple(
    Field("itemToken", &SendResult::item_token, kRequired),
    Field("recipientEmail", &SendResult::recipient_email), Field("status", &SendResult::status));
constexpr auto kOwnershipRequestFields =
    std::make_tuple(Field("email", &OwnershipRequest::email, kRequired),
                    Field("keywordKeys", &OwnershipRequest::keyword_keys, kOmitUnset));
constexpr auto kOwnershipFields =
    std::make_tuple(Field("hasItem", &Ownership::has_item, kRequired),
                    Field("itemTokens", &Ownership::item_tokens, kOmitUnset),
                    Field("keywords", &Ownership::keywords, kOmitUnset));

}  // namespace

// Wire names equal to the member names, no rule: nlohmann's macros.
namespace generated {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ItemList, items, pagination)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TemplateList, templates, pagination)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UserStats::Items, total, paper, stamp)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UserStats::Templates, total, sharing)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UserStats::Shares, active, total, copies)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RevokeResult, message)
}  // namespace generated

RESTBOX_JSON_FORWARD(generated, ItemList)
RESTBOX_JSON_FORWARD(generated, TemplateList)
RESTBOX_JSON_FORWARD(generated, UserStats::Items)
RESTBOX_JSON_FORWARD(generated, UserStats::Templates)
RESTBOX_JSON_FORWARD(generated, UserStats::Shares)
RESTBOX_JSON_FORWARD(generated, RevokeResult)

RESTBOX_JSON_FIELDS(Pagination, kPaginationFields)
RESTBOX_JSON_FIELDS(Item, kItemFields)
RESTBOX_JSON_FIELDS(Template, kTemplateFields)
RESTBOX_JSON_FIELDS(SharedTemplate, kSharedTemplateFields)
RESTBOX_JSON_FIELDS(SharedTemplateList, kSharedTemplateListFields)
RESTBOX_JSON_FIELDS(UserStats, kUserStatsFields)
RESTBOX_JSON_FIELDS(UserStats::Api, kApiFields)
RESTBOX_JSON_FIELDS(CreateTemplateRequest, kCreateTemplateRequestFields)
RESTBOX_JSON_FIELDS(CreatedTemplate, kCreatedTemplateFields)
RESTBOX_JSON_FIELDS(ShareRequest, kShareRequestFields)
RESTBOX_JSON_FIELDS(Share, kShareFields)
RESTBOX_JSON_FIELDS(RevokeRequest, kRevokeRequestFields)
RESTBOX_JSON_FIELDS(SendRequest, kSendRequestFields)
RESTBOX_JSON_FIELDS(SendResult, kSendResultFields)
RESTBOX_JSON_FIELDS(OwnershipRequest, kOwnershipRequestFields)
RESTBOX_JSON_FIELDS(Ownership, kOwnershipFields)

// Hand-written below: the envelopes.
// ---------------------------------------------------------------------------------------------
Json SuccessBody(Json data) {
  return {{"success", true}, {"data", std::move(data)}};
}

Json ErrorBody(const ApiError& error) {
  Json e = {{"code", error.code}, {"message", error.message}};
  if (!error.details.empty()) {
    Json d = Json::array();
    for (const auto& f : error.details) d.push_back({{"field", f.field}, {"message", f.message}});
    e["details"] = std::move(d);
  }
  return {{"success", false}, {"error", std::move(e)}};
}

std::optional<ApiError> ParseErrorBody(std::string_view body) {
  auto parsed = core::ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) return std::nullopt;
  auto it = parsed->find("error");
  if (it == parsed->end() || !it->is_object()) return std::nullopt;
  ApiError e;
  e.code = core::JsonValueOr<std::string>(*it, "code", "");
  e.message = core::JsonValueOr<std::string>(*it, "message", "");
  if (auto d = it->find("details"); d != it->end() && d->is_array()) {
    for (const auto& f : *d) {
      e.details.push_back({core::JsonValueOr<std::string>(f, "field", ""),
                           core::JsonValueOr<std::string>(f, "message", "")});
    }
  }
  if (e.code.empty() && e.message.empty()) return std::nullopt;
  return e;
}

core::Error ToError(const ApiError& error, std::optional<core::ErrorKind> kind_override) {
  core::Error e;
  e.kind = kind_override.value_or(core::ErrorKindFromStatus(error.status));
  e.http_status = kind_override ? 0 : error.status;
  e.code = error.code;
  e.message = error.message;
  e.details = error.details;
  return e;
}

core::Error ParseError(const core::HttpResponse& response) {
  std::optional<ApiError> parsed = ParseErrorBody(response.body);
  ApiError api = parsed.value_or(ApiError{});
  api.status = response.status;
  if (api.message.empty()) {
    std::string reason(core::ReasonPhrase(response.status));
    api.message = reason.empty() ? "HTTP " + std::to_string(response.status) : reason;
  }
  core::Error e = ToError(api);
  e.raw_body = response.body;
  return e;
}

std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems) {
  std::optional<ApiError> problem;
  if (auto header = call.headers.Get("Authorization")) {
    problem = CheckAuthorization(std::string(*header), Shapes::kDocumented);
  }
  if (!problem && !call.raw_body) {
    RequestParts parts;
    for (const auto& [name, value] : call.path) parts.path[name] = value;
    parts.body = call.body ? &*call.body : nullptr;
    parts.query = call.query;
    problem = CheckRequest(*call.endpoint, parts, Shapes::kDocumented);
  }
  if (!problem && !problems.empty()) {
    problem = ApiError{400, std::string(kValidationError), "Invalid input", std::move(problems)};
    problem->message +=
        ": " + problem->details.front().field + " " + problem->details.front().message;
  }
  if (!problem) return std::nullopt;
  return ToError(*problem, core::ErrorKind::kClientValidation);
}

namespace {
// The `data` of a parsed success envelope (`doc`), or the kDecode error naming `body`.
core::Result<core::Json> DataOf(const core::Json& doc, std::string_view body) {
  auto it = doc.is_object() ? doc.find("data") : doc.end();
  if (!doc.is_object() || it == doc.end() || core::JsonValueOr(doc, "success", false) != true) {
    core::Error e =
        core::MakeError(core::ErrorKind::kDecode, "expected {\"success\":true,\"data\":{…}}");
    e.raw_body = std::string(body);
    return e;
  }
  return *it;
}

// DecodeDataJson of a response, from its attached value when it has one (no parse).
core::Result<core::Json> DecodeResponseData(const core::HttpResponse& response) {
  core::Json parsed;
  core::Error error;
  const core::Json* doc = core::ResponseJson(response, parsed, &error);
  if (!doc) return error;
  return DataOf(*doc, response.body);
}
}  // namespace

core::Result<core::Json> DecodeDataJson(std::string_view body) {
  auto parsed = core::ParseJson(body);
  if (!parsed.ok()) return parsed.error();
  return DataOf(*parsed, body);
}

core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response) {
  return core::InterpretJsonResponse(endpoint, response, ParseError, &DecodeResponseData);
}

}  // namespace restbox::inventory
