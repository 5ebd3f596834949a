#pragma once
// wncms models and their JSON mapping (wire names as in the seed and the WNCMS v1 API).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"  // full json: Envelope holds a Json
#include "restbox/core/result.hpp"

namespace restbox::wncms {

// ---------------------------------------------------------------------------------------------
// The envelope of every answer: {"code":200,"status":"success","message":"…","data":…,"extra":{}}.
struct Envelope {
  int code = 200;
  std::string status = "success";  // "success" | "fail"
  std::string message;
  core::Json data;  // null when absent
  core::Json extra = core::Json::object();
  bool operator==(const Envelope&) const = default;
};
void to_json(core::Json& j, const Envelope& v);
// The same, moving `data` and `extra` (a list page's posts are not copied once more).
void to_json(core::Json& j, Envelope&& v);
void from_json(const core::Json& j, Envelope& v);

// `data.pagination` of every list answer.
struct Pagination {
  std::int64_t total = 0;  // items over all pages
  std::int64_t count = 0;  // items on this page
  std::int64_t page_size = 15;
  std::int64_t current_page = 1;
  std::int64_t last_page = 1;
  bool has_more = false;
  std::optional<std::string> next;      // "/api/v1/posts?page=3", null on the last page
  std::optional<std::string> previous;  // null on the first page
  bool operator==(const Pagination&) const = default;
};
void to_json(core::Json& j, const Pagination& v);
void from_json(const core::Json& j, Pagination& v);

// One page of a list route: data = {"data":[…],"pagination":{…}}. The envelope's code and
// message are in the Result's meta() (service_code, service_message), as for every call.
template <typename T>
struct ListResult {
  std::vector<T> items;
  Pagination pagination;
  // False when the answer carried no data.pagination: `pagination` then describes `items` as the
  // one and only page (has_more false), so pagers stop after it.
  bool paginated = true;
};

// ---------------------------------------------------------------------------------------------
struct Post {
  std::int64_t id = 0;
  std::string title;
  std::string slug;
  std::string excerpt;
  std::string content;
  std::string status = "published";   // published | drafted | trashed
  std::string visibility = "public";  // public | member | admin
  std::int64_t sort = 0;
  std::vector<std::string> categories;  // names of its post_category tags
  std::vector<std::string> tags;        // names of its post_tag tags
  std::vector<std::int64_t> tag_ids;    // ids of every tag it carries
  std::string published_at;
  std::string created_at;
  std::string updated_at;
  bool operator==(const Post&) const = default;
};
void to_json(core::Json& j, const Post& v);
void from_json(const core::Json& j, Post& v);

struct Tag {
  std::int64_t id = 0;
  std::string name;
  std::string slug;
  std::string type = "post_category";
  std::optional<std::int64_t> parent_id;
  std::string description;
  std::string icon;
  std::int64_t sort = 0;
  std::vector<Tag> children;  // filled by tags.index (two levels, like WNCMS)
  std::string created_at;
  std::string updated_at;
  bool operator==(const Tag&) const = default;
};
void to_json(core::Json& j, const Tag& v);
void from_json(const core::Json& j, Tag& v);

struct Page {
  std::int64_t id = 0;
  std::string title;
  std::string slug;
  std::string content;
  std::string status = "published";  // published | drafted
  std::int64_t sort = 0;
  std::string created_at;
  std::string updated_at;
  bool operator==(const Page&) const = default;
};
void to_json(core::Json& j, const Page& v);
void from_json(const core::Json& j, Page& v);

struct MenuItem {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string name;
  std::string type = "link";  // link | page | post | tag
  std::string url;
  std::string icon;
  bool is_new_window = false;
  std::int64_t sort = 0;
  std::vector<MenuItem> items;  // children
  bool operator==(const MenuItem&) const = default;
};
void to_json(core::Json& j, const MenuItem& v);
void from_json(const core::Json& j, MenuItem& v);

struct Menu {
  std::int64_t id = 0;
  std::string name;
  std::vector<MenuItem> items;
  std::string created_at;
  std::string updated_at;
  bool operator==(const Menu&) const = default;
};
void to_json(core::Json& j, const Menu& v);
void from_json(const core::Json& j, Menu& v);

// ---------------------------------------------------------------------------------------------
// Requests. Unset optionals are not sent (the server's defaults apply); api_token is added by the
// client.

// Parameters of the list routes. Each route reads the ones its table entry lists (tags, tag_type,
// excluded_post_ids and is_random are posts-only) and ignores the rest.
struct ListQuery {
  std::optional<std::int64_t> page;       // default 1
  std::optional<std::int64_t> page_size;  // default 15, at most 100
  std::optional<std::string> keywords;
  std::vector<std::int64_t> tags;  // tag ids
  std::optional<std::string> tag_type;
  std::vector<std::int64_t> excluded_post_ids;
  std::optional<std::string> sort;       // created_at | updated_at | title | sort
  std::optional<std::string> direction;  // asc | desc
  std::optional<bool> is_random;
  std::optional<std::string> locale;
  bool operator==(const ListQuery&) const = default;
};
void to_json(core::Json& j, const ListQuery& v);
void from_json(const core::Json& j, ListQuery& v);

struct NewPost {
  std::string title;    // required, at most 255 characters
  std::string content;  // required
  std::optional<std::string> slug;
  std::optional<std::string> excerpt;
  std::optional<std::string> status;      // default published
  std::optional<std::string> visibility;  // default public
  std::optional<std::string> categories;  // comma-separated names
  std::optional<std::string> tags;        // comma-separated names
  std::optional<std::string> published_at;
  std::optional<std::int64_t> sort;
  std::optional<bool> check_title;
  std::optional<bool> update_content_when_duplicated;
  bool operator==(const NewPost&) const = default;
};
void to_json(core::Json& j, const NewPost& v);
void from_json(const core::Json& j, NewPost& v);

struct NewTag {
  std::string name;  // required, at most 255 characters
  std::optional<std::string> slug;
  std::optional<std::string> type;  // default post_category
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> description;
  std::optional<std::string> icon;
  std::optional<std::int64_t> sort;
  std::optional<bool> update_when_duplicated;
  bool operator==(const NewTag&) const = default;
};
void to_json(core::Json& j, const NewTag& v);
void from_json(const core::Json& j, NewTag& v);

struct NewPage {
  std::string title;  // required, at most 255 characters
  std::optional<std::string> slug;
  std::optional<std::string> content;
  std::optional<std::string> status;  // default published
  std::optional<std::int64_t> sort;
  bool operator==(const NewPage&) const = default;
};
void to_json(core::Json& j, const NewPage& v);
void from_json(const core::Json& j, NewPage& v);

struct MenuItemInput {
  std::string name;                 // required
  std::optional<std::string> type;  // default link
  std::optional<std::string> url;
  std::optional<std::string> icon;
  std::optional<bool> is_new_window;
  std::optional<std::int64_t> sort;
  std::vector<MenuItemInput> children;
  bool operator==(const MenuItemInput&) const = default;
};
void to_json(core::Json& j, const MenuItemInput& v);
void from_json(const core::Json& j, MenuItemInput& v);

// Body of menus.store and menus.sync.
struct MenuInput {
  std::string name;  // required, at most 255 characters
  std::vector<MenuItemInput> menu_items;
  bool operator==(const MenuInput&) const = default;
};
void to_json(core::Json& j, const MenuInput& v);
void from_json(const core::Json& j, MenuInput& v);

// ---------------------------------------------------------------------------------------------
// Validation: the shared validator's FieldErrors plus the rules below become the server's answer.

// published_at as posts.store accepts it: ISO 8601, or Laravel's "YYYY-MM-DD HH:MM:SS" (UTC).
std::optional<core::TimePoint> ParsePublishedAt(std::string_view text);

// Rules the endpoint table cannot express: a required field may not be "" or [] (Laravel's
// `required`), integers must fit an int64, array items of tagIds/tags/excluded_post_ids must be
// integers, menu items need a name (three levels at most), published_at must parse. Shared by
// the client-side validation and the mock; each message is already a full Laravel-style sentence.
std::vector<core::FieldError> ServiceRules(const core::EndpointSpec& endpoint,
                                           const core::Json& body);

// The answer the server gives for field problems: on a list route, problems of list parameters
// are malformed parameters (400 "Invalid parameters") and win; anything else is 422 "Validation
// failed". `errors` is data.errors: field -> Laravel-style messages ("The title field is
// required."). Problems from the shared validator ("is required") are turned into sentences.
struct Rejection {
  int status = 422;
  std::string message;
  std::map<std::string, std::vector<std::string>> errors;
};
Rejection Reject(const core::EndpointSpec& endpoint, const std::vector<core::FieldError>& problems);
// The envelope of a rejection: {"code":422,"status":"fail","message":"Validation failed",
// "data":{"errors":{…}},"extra":{}}.
core::Json RejectionBody(const Rejection& rejection);
// The same rejection as the client-side validation error (kind kClientValidation, code "422"...).
core::Error ClientValidationError(const Rejection& rejection);
// The service's pre-send check (core::ServiceSpec::check_request): the table's problems plus
// ServiceRules, rejected as the server would (Reject: 400 on a list route, 422 on a write).
std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems);

// Builds the typed error from any answer that is not a success: the envelope (code, message,
// data.errors as details), the short legacy shape {"status":403,"message":"API access is
// disabled"} (numeric status, no code), or anything else (reason phrase). Error::code is the
// envelope's numeric code as text ("403"), else the HTTP status. A 200 whose envelope says
// "fail" (real WNCMS answers some failures with HTTP 200) is an error too: kind from the envelope
// code when it is >= 400, kService otherwise.
core::Error ParseError(const core::HttpResponse& response);

// Decodes the envelope of an answer with a success status; an envelope that says "fail" gives
// ParseError's error instead, a body that is not an envelope a kDecode error.
core::Result<Envelope> DecodeEnvelope(const core::HttpResponse& response);

// The generic mapping (services registry): success -> the envelope's `data` (its code and message
// in the Result's meta().service_code / service_message), else the typed error.
core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response);

}  // namespace restbox::wncms
