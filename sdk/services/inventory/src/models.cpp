#include "restbox/inventory/models.hpp"

#include "restbox/core/client.hpp"

namespace restbox::inventory {
namespace {

using core::Json;

// Optional members: written only when set, read as unset when absent or null.
template <typename T>
void PutOpt(Json& j, const char* name, const std::optional<T>& v) {
  if (v) j[name] = *v;
}
template <typename T>
void GetOpt(const Json& j, const char* name, std::optional<T>& out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    out.reset();
  } else {
    out = it->template get<T>();
  }
}

// Nullable members that are still always written (expiresAt, lastUsedAt): null when unset.
Json OrNull(const std::optional<std::string>& v) {
  return v ? Json(*v) : Json(nullptr);
}
std::optional<std::string> NullableString(const Json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

// Members that may be absent, null or set (template publishDate / validUntil).
void PutPresent(Json& j, const char* name, const std::optional<std::optional<std::string>>& v) {
  if (v) j[name] = OrNull(*v);
}
void GetPresent(const Json& j, const char* name, std::optional<std::optional<std::string>>& out) {
  auto it = j.find(name);
  if (it == j.end()) {
    out.reset();
  } else {
    out.emplace(it->is_null() ? std::nullopt : std::optional<std::string>(it->get<std::string>()));
  }
}

}  // namespace

void to_json(Json& j, const Pagination& v) {
  j = {{"page", v.page},
       {"pageSize", v.page_size},
       {"totalItems", v.total_items},
       {"totalPages", v.total_pages}};
}
void from_json(const Json& j, Pagination& v) {
  j.at("page").get_to(v.page);
  j.at("pageSize").get_to(v.page_size);
  j.at("totalItems").get_to(v.total_items);
  j.at("totalPages").get_to(v.total_pages);
}

void to_json(Json& j, const Item& v) {
  j = {{"token", v.token}, {"title", v.title},   {"content", v.content},
       {"type", v.type},   {"status", v.status}, {"imageUrl", v.image_url}};
  PutOpt(j, "keywords", v.keywords);
  PutOpt(j, "templateToken", v.template_token);
  PutOpt(j, "senderEmail", v.sender_email);
  PutOpt(j, "message", v.message);
  j["createdAt"] = v.created_at;
  j["updatedAt"] = v.updated_at;
}
void from_json(const Json& j, Item& v) {
  j.at("token").get_to(v.token);
  v.title = j.value("title", "");
  v.content = j.value("content", "");
  v.type = j.value("type", "");
  v.status = j.value("status", "");
  v.image_url = j.value("imageUrl", "");
  GetOpt(j, "keywords", v.keywords);
  GetOpt(j, "templateToken", v.template_token);
  GetOpt(j, "senderEmail", v.sender_email);
  GetOpt(j, "message", v.message);
  v.created_at = j.value("createdAt", "");
  v.updated_at = j.value("updatedAt", "");
}

void to_json(Json& j, const ItemList& v) {
  j = {{"items", v.items}, {"pagination", v.pagination}};
}
void from_json(const Json& j, ItemList& v) {
  j.at("items").get_to(v.items);
  j.at("pagination").get_to(v.pagination);
}

void to_json(Json& j, const Template& v) {
  j = {{"token", v.token},
       {"title", v.title},
       {"content", v.content},
       {"imageUrl", v.image_url},
       {"commentMode", v.comment_mode}};
  PutOpt(j, "keywords", v.keywords);
  PutPresent(j, "publishDate", v.publish_date);
  PutPresent(j, "validUntil", v.valid_until);
  j["isSharing"] = v.is_sharing;
  j["createdAt"] = v.created_at;
  PutOpt(j, "updatedAt", v.updated_at);
}
void from_json(const Json& j, Template& v) {
  j.at("token").get_to(v.token);
  v.title = j.value("title", "");
  v.content = j.value("content", "");
  v.image_url = j.value("imageUrl", "");
  v.comment_mode = j.value("commentMode", "");
  GetOpt(j, "keywords", v.keywords);
  GetPresent(j, "publishDate", v.publish_date);
  GetPresent(j, "validUntil", v.valid_until);
  v.is_sharing = j.value("isSharing", false);
  v.created_at = j.value("createdAt", "");
  GetOpt(j, "updatedAt", v.updated_at);
}

void to_json(Json& j, const TemplateList& v) {
  j = {{"templates", v.templates}, {"pagination", v.pagination}};
}
void from_json(const Json& j, TemplateList& v) {
  j.at("templates").get_to(v.templates);
  j.at("pagination").get_to(v.pagination);
}

void to_json(Json& j, const SharedTemplate& v) {
  j = {{"token", v.token}, {"shareToken", v.share_token},       {"title", v.title},
       {"tags", v.tags},   {"expiresAt", OrNull(v.expires_at)}, {"copyCount", v.copy_count}};
}
void from_json(const Json& j, SharedTemplate& v) {
  j.at("token").get_to(v.token);
  j.at("shareToken").get_to(v.share_token);
  v.title = j.value("title", "");
  v.tags = j.value("tags", std::vector<std::string>{});
  v.expires_at = NullableString(j, "expiresAt");
  v.copy_count = j.value("copyCount", std::int64_t{0});
}

void to_json(Json& j, const SharedTemplateList& v) {
  j = {{"sharedTemplates", v.shared_templates}};
}
void from_json(const Json& j, SharedTemplateList& v) {
  j.at("sharedTemplates").get_to(v.shared_templates);
}

void to_json(Json& j, const UserStats& v) {
  j = {{"email", v.email},
       {"createdAt", v.created_at},
       {"items", {{"total", v.items.total}, {"paper", v.items.paper}, {"stamp", v.items.stamp}}}};
  if (v.templates)
    j["templates"] = {{"total", v.templates->total}, {"sharing", v.templates->sharing}};
  if (v.shares)
    j["shares"] = {
        {"active", v.shares->active}, {"total", v.shares->total}, {"copies", v.shares->copies}};
  Json api = {{"enabled", v.api.enabled},
              {"monthlyLimit", v.api.monthly_limit},
              {"monthlyUsed", v.api.monthly_used},
              {"lastUsedAt", OrNull(v.api.last_used_at)}};
  PutOpt(api, "rateLimitPerMinute", v.api.rate_limit_per_minute);
  j["api"] = std::move(api);
}
void from_json(const Json& j, UserStats& v) {
  j.at("email").get_to(v.email);
  v.created_at = j.value("createdAt", "");
  const Json& items = j.at("items");
  v.items = {items.value("total", std::int64_t{0}), items.value("paper", std::int64_t{0}),
             items.value("stamp", std::int64_t{0})};
  if (auto t = j.find("templates"); t != j.end() && t->is_object()) {
    v.templates = UserStats::Templates{t->value("total", std::int64_t{0}),
                                       t->value("sharing", std::int64_t{0})};
  } else {
    v.templates.reset();
  }
  if (auto s = j.find("shares"); s != j.end() && s->is_object()) {
    v.shares =
        UserStats::Shares{s->value("active", std::int64_t{0}), s->value("total", std::int64_t{0}),
                          s->value("copies", std::int64_t{0})};
  } else {
    v.shares.reset();
  }
  const Json& api = j.at("api");
  v.api.enabled = api.value("enabled", true);
  v.api.monthly_limit = api.value("monthlyLimit", std::int64_t{0});
  v.api.monthly_used = api.value("monthlyUsed", std::int64_t{0});
  v.api.last_used_at = NullableString(api, "lastUsedAt");
  GetOpt(api, "rateLimitPerMinute", v.api.rate_limit_per_minute);
}

void to_json(Json& j, const CreateTemplateRequest& v) {
  j = {{"imageUrl", v.image_url}, {"title", v.title}};
  PutOpt(j, "content", v.content);
  PutOpt(j, "commentMode", v.comment_mode);
  PutOpt(j, "keywords", v.keywords);
  PutOpt(j, "publishDate", v.publish_date);
  PutOpt(j, "validUntil", v.valid_until);
}
void from_json(const Json& j, CreateTemplateRequest& v) {
  j.at("imageUrl").get_to(v.image_url);
  j.at("title").get_to(v.title);
  GetOpt(j, "content", v.content);
  GetOpt(j, "commentMode", v.comment_mode);
  GetOpt(j, "keywords", v.keywords);
  GetOpt(j, "publishDate", v.publish_date);
  GetOpt(j, "validUntil", v.valid_until);
}

void to_json(Json& j, const CreatedTemplate& v) {
  j = {{"token", v.token}, {"title", v.title}, {"createdAt", v.created_at}};
}
void from_json(const Json& j, CreatedTemplate& v) {
  j.at("token").get_to(v.token);
  v.title = j.value("title", "");
  v.created_at = j.value("createdAt", "");
}

void to_json(Json& j, const ShareRequest& v) {
  j = {{"durationMinutes", v.duration_minutes}, {"tags", v.tags}};
}
void from_json(const Json& j, ShareRequest& v) {
  j.at("durationMinutes").get_to(v.duration_minutes);
  j.at("tags").get_to(v.tags);
}

void to_json(Json& j, const Share& v) {
  j = {{"shareToken", v.share_token}, {"expiresAt", OrNull(v.expires_at)}, {"tags", v.tags}};
}
void from_json(const Json& j, Share& v) {
  j.at("shareToken").get_to(v.share_token);
  v.expires_at = NullableString(j, "expiresAt");
  v.tags = j.value("tags", std::vector<std::string>{});
}

void to_json(Json& j, const RevokeRequest& v) {
  j = {{"shareToken", v.share_token}};
}
void from_json(const Json& j, RevokeRequest& v) {
  j.at("shareToken").get_to(v.share_token);
}

void to_json(Json& j, const RevokeResult& v) {
  j = {{"message", v.message}};
}
void from_json(const Json& j, RevokeResult& v) {
  v.message = j.value("message", "");
}

void to_json(Json& j, const SendRequest& v) {
  j = {{"recipientEmail", v.recipient_email}};
  PutOpt(j, "message", v.message);
  PutOpt(j, "keywords", v.keywords);
}
void from_json(const Json& j, SendRequest& v) {
  j.at("recipientEmail").get_to(v.recipient_email);
  GetOpt(j, "message", v.message);
  GetOpt(j, "keywords", v.keywords);
}

void to_json(Json& j, const SendResult& v) {
  j = {{"itemToken", v.item_token}, {"recipientEmail", v.recipient_email}, {"status", v.status}};
}
void from_json(const Json& j, SendResult& v) {
  j.at("itemToken").get_to(v.item_token);
  v.recipient_email = j.value("recipientEmail", "");
  v.status = j.value("status", "");
}

void to_json(Json& j, const OwnershipRequest& v) {
  j = {{"email", v.email}};
  PutOpt(j, "keywordKeys", v.keyword_keys);
}
void from_json(const Json& j, OwnershipRequest& v) {
  j.at("email").get_to(v.email);
  GetOpt(j, "keywordKeys", v.keyword_keys);
}

void to_json(Json& j, const Ownership& v) {
  j = {{"hasItem", v.has_item}};
  PutOpt(j, "itemTokens", v.item_tokens);
  PutOpt(j, "keywords", v.keywords);
}
void from_json(const Json& j, Ownership& v) {
  j.at("hasItem").get_to(v.has_item);
  GetOpt(j, "itemTokens", v.item_tokens);
  GetOpt(j, "keywords", v.keywords);
}

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
