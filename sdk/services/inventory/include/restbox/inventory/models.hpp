#pragma once
// inventory models and their JSON mapping (the seed's field names on the wire). Every answer is an
// envelope: success {"success":true,"data":{…}}, error {"success":false,"error":{"code","message"}}
// (+ "details":[{"field","message"}] for VALIDATION_ERROR). The typed client returns the `data`
// models below. Optional members are written only when set, so a model read from the seed's
// example writes the same JSON back.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"  // full json: DecodeData below
#include "restbox/core/result.hpp"
#include "restbox/inventory/spec.hpp"
#include "restbox/inventory/validation.hpp"

namespace restbox::inventory {

struct Pagination {
  int page = 1;
  int page_size = kDefaultPageSize;
  std::int64_t total_items = 0;
  int total_pages = 0;
  bool operator==(const Pagination&) const = default;
};
void to_json(core::Json& j, const Pagination& v);
void from_json(const core::Json& j, Pagination& v);

// An item (document). `keywords` only in the detail answer; `senderEmail`/`message`/
// `templateToken` only on items received through a send [choice: not in the seed].
struct Item {
  std::string token;
  std::string title;
  std::string content;
  std::string type;    // "paper" | "stamp"
  std::string status;  // "active" | "pending"
  std::string image_url;
  std::optional<std::vector<std::string>> keywords;
  std::optional<std::string> template_token;
  std::optional<std::string> sender_email;
  std::optional<std::string> message;
  std::string created_at;
  std::string updated_at;
  bool operator==(const Item&) const = default;
};
void to_json(core::Json& j, const Item& v);
void from_json(const core::Json& j, Item& v);

struct ItemList {
  std::vector<Item> items;
  Pagination pagination;
  bool operator==(const ItemList&) const = default;
};
void to_json(core::Json& j, const ItemList& v);
void from_json(const core::Json& j, ItemList& v);

// A template (stamp). The list answer carries the summary; the detail answer adds keywords,
// publishDate, validUntil (null when unset) and updatedAt.
struct Template {
  std::string token;
  std::string title;
  std::string content;
  std::string image_url;
  std::string comment_mode;  // "independent" | "shared"
  std::optional<std::vector<std::string>> keywords;
  std::optional<std::optional<std::string>> publish_date;  // outer: present; inner: null or value
  std::optional<std::optional<std::string>> valid_until;
  bool is_sharing = false;
  std::string created_at;
  std::optional<std::string> updated_at;
  bool operator==(const Template&) const = default;
};
void to_json(core::Json& j, const Template& v);
void from_json(const core::Json& j, Template& v);

struct TemplateList {
  std::vector<Template> templates;
  Pagination pagination;
  bool operator==(const TemplateList&) const = default;
};
void to_json(core::Json& j, const TemplateList& v);
void from_json(const core::Json& j, TemplateList& v);

struct SharedTemplate {
  std::string token;
  std::string share_token;
  std::string title;
  std::vector<std::string> tags;
  std::optional<std::string> expires_at;  // null = shared without end
  std::int64_t copy_count = 0;
  bool operator==(const SharedTemplate&) const = default;
};
void to_json(core::Json& j, const SharedTemplate& v);
void from_json(const core::Json& j, SharedTemplate& v);

struct SharedTemplateList {
  std::vector<SharedTemplate> shared_templates;
  bool operator==(const SharedTemplateList&) const = default;
};
void to_json(core::Json& j, const SharedTemplateList& v);
void from_json(const core::Json& j, SharedTemplateList& v);

// GET /user/stats. `templates` and `shares` are additions to the seed's answer [choice].
struct UserStats {
  struct Items {
    std::int64_t total = 0, paper = 0, stamp = 0;
    bool operator==(const Items&) const = default;
  };
  struct Templates {
    std::int64_t total = 0, sharing = 0;
    bool operator==(const Templates&) const = default;
  };
  struct Shares {
    std::int64_t active = 0, total = 0, copies = 0;
    bool operator==(const Shares&) const = default;
  };
  struct Api {
    bool enabled = true;
    std::int64_t monthly_limit = 0;
    std::int64_t monthly_used = 0;
    std::optional<std::string> last_used_at;
    std::optional<std::int64_t> rate_limit_per_minute;
    bool operator==(const Api&) const = default;
  };
  std::string email;
  std::string created_at;
  Items items;
  std::optional<Templates> templates;
  std::optional<Shares> shares;
  Api api;
  bool operator==(const UserStats&) const = default;
};
void to_json(core::Json& j, const UserStats& v);
void from_json(const core::Json& j, UserStats& v);
void to_json(core::Json& j, const UserStats::Items& v);
void from_json(const core::Json& j, UserStats::Items& v);
void to_json(core::Json& j, const UserStats::Templates& v);
void from_json(const core::Json& j, UserStats::Templates& v);
void to_json(core::Json& j, const UserStats::Shares& v);
void from_json(const core::Json& j, UserStats::Shares& v);
void to_json(core::Json& j, const UserStats::Api& v);
void from_json(const core::Json& j, UserStats::Api& v);

// ---- requests and their answers ----
struct CreateTemplateRequest {
  std::string image_url;
  std::string title;
  std::optional<std::string> content;
  std::optional<std::string> comment_mode;
  std::optional<std::vector<std::string>> keywords;
  std::optional<std::string> publish_date;
  std::optional<std::string> valid_until;
  bool operator==(const CreateTemplateRequest&) const = default;
};
void to_json(core::Json& j, const CreateTemplateRequest& v);
void from_json(const core::Json& j, CreateTemplateRequest& v);

struct CreatedTemplate {
  std::string token;
  std::string title;
  std::string created_at;
  bool operator==(const CreatedTemplate&) const = default;
};
void to_json(core::Json& j, const CreatedTemplate& v);
void from_json(const core::Json& j, CreatedTemplate& v);

struct ShareRequest {
  int duration_minutes = 0;  // 0 = unlimited, else 60..43200
  std::vector<std::string> tags;
  bool operator==(const ShareRequest&) const = default;
};
void to_json(core::Json& j, const ShareRequest& v);
void from_json(const core::Json& j, ShareRequest& v);

struct Share {
  std::string share_token;
  std::optional<std::string> expires_at;  // null for durationMinutes 0
  std::vector<std::string> tags;
  bool operator==(const Share&) const = default;
};
void to_json(core::Json& j, const Share& v);
void from_json(const core::Json& j, Share& v);

struct RevokeRequest {
  std::string share_token;
  bool operator==(const RevokeRequest&) const = default;
};
void to_json(core::Json& j, const RevokeRequest& v);
void from_json(const core::Json& j, RevokeRequest& v);

struct RevokeResult {
  std::string message;
  bool operator==(const RevokeResult&) const = default;
};
void to_json(core::Json& j, const RevokeResult& v);
void from_json(const core::Json& j, RevokeResult& v);

struct SendRequest {
  std::string recipient_email;
  std::optional<std::string> message;
  std::optional<std::vector<std::string>> keywords;
  bool operator==(const SendRequest&) const = default;
};
void to_json(core::Json& j, const SendRequest& v);
void from_json(const core::Json& j, SendRequest& v);

struct SendResult {
  std::string item_token;
  std::string recipient_email;
  std::string status;  // "sent"
  bool operator==(const SendResult&) const = default;
};
void to_json(core::Json& j, const SendResult& v);
void from_json(const core::Json& j, SendResult& v);

struct OwnershipRequest {
  std::string email;
  std::optional<std::vector<std::string>> keyword_keys;
  bool operator==(const OwnershipRequest&) const = default;
};
void to_json(core::Json& j, const OwnershipRequest& v);
void from_json(const core::Json& j, OwnershipRequest& v);

struct Ownership {
  bool has_item = false;
  std::optional<std::vector<std::string>> item_tokens;         // only when has_item
  std::optional<std::map<std::string, std::string>> keywords;  // only when keywordKeys were asked
  bool operator==(const Ownership&) const = default;
};
void to_json(core::Json& j, const Ownership& v);
void from_json(const core::Json& j, Ownership& v);

// ---- envelopes and errors ----
// {"success":true,"data":data}
core::Json SuccessBody(core::Json data);
// {"success":false,"error":{"code","message"[,"details"]}}
core::Json ErrorBody(const ApiError& error);
// Reads an error body; nullopt when the body is not the documented shape.
std::optional<ApiError> ParseErrorBody(std::string_view body);

// The typed error for an ApiError: `kind` from the status (or `kind_override`, e.g.
// kClientValidation for a request stopped before sending), code, message, details.
core::Error ToError(const ApiError& error,
                    std::optional<core::ErrorKind> kind_override = std::nullopt);
// Builds the typed error from any non-success response (JSON or not).
core::Error ParseError(const core::HttpResponse& response);

// Decodes a success answer's `data` into T (kDecode when the envelope or the data is wrong).
template <typename T>
core::Result<T> DecodeData(std::string_view body);
core::Result<core::Json> DecodeDataJson(std::string_view body);

// The service's pre-send check (core::ServiceSpec::check_request), only what the documents say
// (Shapes::kDocumented: another server's tokens and keys need not look like the mock's): an
// Authorization header that is not "Bearer <key>" (a missing one is left to the server), then
// CheckRequest (which includes the table's checks; a raw body is not looked at), then any other
// problem as the server's VALIDATION_ERROR.
std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems);

// The generic mapping (services registry): a documented success gives `data` as JSON, anything
// else the typed error, the same mapping as the typed client.
core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response);

template <typename T>
core::Result<T> DecodeData(std::string_view body) {
  auto data = DecodeDataJson(body);
  if (!data.ok()) return data.error();
  return core::ConvertJson<T>(data.value());
}

}  // namespace restbox::inventory
