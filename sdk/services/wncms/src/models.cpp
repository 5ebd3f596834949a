#include "restbox/wncms/models.hpp"

#include <cmath>

#include "restbox/core/client.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/json_mapping.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::wncms {
namespace {

using core::Json;

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

using core::Field;

// Answers write every member, unset optionals as null; requests leave unset optionals and empty
// lists out (the server's defaults apply). Reading, absent or null members keep their defaults
// (WNCMS writes null for empty columns); a missing key member is an error.
constexpr core::JsonRules kAnswer = core::kNullIsDefault;
constexpr core::JsonRules kKey = core::kRequired | core::kNullIsDefault;
constexpr core::JsonRules kRequest = core::kOmitUnset | core::kNullIsDefault;

constexpr auto kPaginationFields = std::make_tuple(
    Field("total", &Pagination::total, kKey), Field("count", &Pagination::count, kAnswer),
    Field("page_size", &Pagination::page_size, kAnswer),
    Field("current_page", &Pagination::current_page, kAnswer),
    Field("last_page", &Pagination::last_page, kAnswer),
    Field("has_more", &Pagination::has_more, kAnswer), Field("next", &Pagination::next, kAnswer),
    Field("previous", &Pagination::previous, kAnswer));
constexpr auto kPostFields = std::make_tuple(
    Field("id", &Post::id, kKey), Field("title", &Post::title, kAnswer),
    Field("slug", &Post::slug, kAnswer), Field("excerpt", &Post::excerpt, kAnswer),
    Field("content", &Post::content, kAnswer), Field("status", &Post::status, kAnswer),
    Field("visibility", &Post::visibility, kAnswer), Field("sort", &Post::sort, kAnswer),
    Field("categories", &Post::categories, kAnswer), Field("tags", &Post::tags, kAnswer),
    Field("tag_ids", &Post::tag_ids, kAnswer), Field("published_at", &Post::published_at, kAnswer),
    Field("created_at", &Post::created_at, kAnswer),
    Field("updated_at", &Post::updated_at, kAnswer));
constexpr auto kTagFields = std::make_tuple(
    Field("id", &Tag::id, kKey), Field("name", &Tag::name, kKey),
    Field("slug", &Tag::slug, kAnswer), Field("type", &Tag::type, kAnswer),
    Field("parent_id", &Tag::parent_id, kAnswer), Field("description", &Tag::description, kAnswer),
    Field("icon", &Tag::icon, kAnswer), Field("sort", &Tag::sort, kAnswer),
    Field("children", &Tag::children, kAnswer), Field("created_at", &Tag::created_at, kAnswer),
    Field("updated_at", &Tag::updated_at, kAnswer));
constexpr auto kPageFields =
    std::make_tuple(Field("id", &Page::id, kKey), Field("title", &Page::title, kAnswer),
                    Field("slug", &Page::slug, kAnswer), Field("content", &Page::content, kAnswer),
                    Field("status", &Page::status, kAnswer), Field("sort", &Page::sort, kAnswer),
                    Field("created_at", &Page::created_at, kAnswer),
                    Field("updated_at", &Page::updated_at, kAnswer));
constexpr auto kMenuItemFields = std::make_tuple(
    Field("id", &MenuItem::id, kKey), Field("parent_id", &MenuItem::parent_id, kAnswer),
    Field("name", &MenuItem::name, kKey), Field("type", &MenuItem::type, kAnswer),
    Field("url", &MenuItem::url, kAnswer), Field("icon", &MenuItem::icon, kAnswer),
    Field("is_new_window", &MenuItem::is_new_window, kAnswer),
    Field("sort", &MenuItem::sort, kAnswer), Field("items", &MenuItem::items, kAnswer));
constexpr auto kMenuFields = std::make_tuple(
    Field("id", &Menu::id, kKey), Field("name", &Menu::name, kKey),
    Field("items", &Menu::items, kAnswer), Field("created_at", &Menu::created_at, kAnswer),
    Field("updated_at", &Menu::updated_at, kAnswer));
constexpr auto kListQueryFields = std::make_tuple(
    Field("page", &ListQuery::page, kRequest), Field("page_size", &ListQuery::page_size, kRequest),
    Field("keywords", &ListQuery::keywords, kRequest), Field("tags", &ListQuery::tags, kRequest),
    Field("tag_type", &ListQuery::tag_type, kRequest),
    Field("excluded_post_ids", &ListQuery::excluded_post_ids, kRequest),
    Field("sort", &ListQuery::sort, kRequest), Field("direction", &ListQuery::direction, kRequest),
    Field("is_random", &ListQuery::is_random, kRequest),
    Field("locale", &ListQuery::locale, kRequest));
constexpr auto kNewPostFields = std::make_tuple(
    Field("title", &NewPost::title, kRequest), Field("content", &NewPost::content, kRequest),
    Field("slug", &NewPost::slug, kRequest), Field("excerpt", &NewPost::excerpt, kRequest),
    Field("status", &NewPost::status, kRequest),
    Field("visibility", &NewPost::visibility, kRequest),
    Field("categories", &NewPost::categories, kRequest), Field("tags", &NewPost::tags, kRequest),
    Field("published_at", &NewPost::published_at, kRequest),
    Field("sort", &NewPost::sort, kRequest), Field("check_title", &NewPost::check_title, kRequest),
    Field("update_content_when_duplicated", &NewPost::update_content_when_duplicated, kRequest));
constexpr auto kNewTagFields = std::make_tuple(
    Field("name", &NewTag::name, kRequest), Field("slug", &NewTag::slug, kRequest),
    Field("type", &NewTag::type, kRequest), Field("parent_id", &NewTag::parent_id, kRequest),
    Field("description", &NewTag::description, kRequest), Field("icon", &NewTag::icon, kRequest),
    Field("sort", &NewTag::sort, kRequest),
    Field("update_when_duplicated", &NewTag::update_when_duplicated, kRequest));
constexpr auto kNewPageFields = std::make_tuple(
    Field("title", &NewPage::title, kRequest), Field("slug", &NewPage::slug, kRequest),
    Field("content", &NewPage::content, kRequest), Field("status", &NewPage::status, kRequest),
    Field("sort", &NewPage::sort, kRequest));
constexpr auto kMenuItemInputFields = std::make_tuple(
    Field("name", &MenuItemInput::name, kRequest), Field("type", &MenuItemInput::type, kRequest),
    Field("url", &MenuItemInput::url, kRequest), Field("icon", &MenuItemInput::icon, kRequest),
    Field("is_new_window", &MenuItemInput::is_new_window, kRequest),
    Field("sort", &MenuItemInput::sort, kRequest),
    Field("children", &MenuItemInput::children, kRequest));
constexpr auto kMenuInputFields =
    std::make_tuple(Field("name", &MenuInput::name, kRequest),
                    Field("menu_items", &MenuInput::menu_items, kRequest));

// Laravel shows an attribute with its underscores as spaces: "page_size" -> "page size".
std::string Displayable(std::string_view field) {
  std::string out(field);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

std::string Sentence(const core::FieldError& problem) {
  if (problem.message.starts_with("The ")) return problem.message;
  return "The " + Displayable(problem.field) + " field " + problem.message + ".";
}

void CheckIntegerItems(const Json& body, const char* field, std::vector<core::FieldError>& out) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_array()) return;  // absence and type: the table's checks
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_number_integer()) {
      std::string name = std::string(field) + "." + std::to_string(i);
      out.push_back({name, "The " + Displayable(name) + " field must be an integer."});
    }
  }
}

void CheckMenuItems(const Json& items, const std::string& prefix, int depth,
                    std::vector<core::FieldError>& out) {
  if (!items.is_array()) return;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string at = prefix + "." + std::to_string(i);
    const Json& item = items[i];
    if (!item.is_object()) {
      out.push_back({at, "The " + Displayable(at) + " field must be an object."});
      continue;
    }
    auto name = item.find("name");
    if (name == item.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
      out.push_back({at + ".name", "The " + Displayable(at + ".name") + " field is required."});
    }
    // Three levels are what a menu editor offers; deeper trees are refused, not truncated.
    if (auto children = item.find("children"); children != item.end() && !children->is_null()) {
      if (depth >= 3) {
        out.push_back({at + ".children", "The " + Displayable(at + ".children") +
                                             " field must be empty below the third level."});
      } else if (!children->is_array()) {
        out.push_back({at + ".children",
                       "The " + Displayable(at + ".children") + " field must be an array."});
      } else {
        CheckMenuItems(*children, at + ".children", depth + 1, out);
      }
    }
  }
}

}  // namespace

// ---- envelope and pagination ----------------------------------------------------------------
// Hand-written: the envelope (older WNCMS answers carry a numeric "status" and no "code").
void to_json(Json& j, const Envelope& v) {
  j = {{"code", v.code},
       {"status", v.status},
       {"message", v.message},
       {"data", v.data},
       {"extra", v.extra}};
}
void to_json(Json& j, Envelope&& v) {
  j = {{"code", v.code},
       {"status", std::move(v.status)},
       {"message", std::move(v.message)},
       {"data", std::move(v.data)},
       {"extra", std::move(v.extra)}};
}
void from_json(const Json& j, Envelope& v) {
  auto status = j.find("status");
  if (status != j.end() && status->is_number_integer()) {
    // Older WNCMS answers: {"status":200,"message":"success","data":…} (numeric status, no code).
    v.code = j.value("code", status->get<int>());
    v.status = v.code >= 400 ? "fail" : "success";
  } else {
    v.code = j.value("code", 200);
    v.status = j.value("status", "success");
  }
  v.message = j.value("message", "");
  v.data = j.value("data", Json());
  v.extra = j.value("extra", Json::object());
}

RESTBOX_JSON_FIELDS(Pagination, kPaginationFields)
RESTBOX_JSON_FIELDS(Tag, kTagFields)
RESTBOX_JSON_FIELDS(Page, kPageFields)
RESTBOX_JSON_FIELDS(MenuItem, kMenuItemFields)
RESTBOX_JSON_FIELDS(Menu, kMenuFields)
RESTBOX_JSON_FIELDS(ListQuery, kListQueryFields)
RESTBOX_JSON_FIELDS(NewPost, kNewPostFields)
RESTBOX_JSON_FIELDS(NewTag, kNewTagFields)
RESTBOX_JSON_FIELDS(NewPage, kNewPageFields)
RESTBOX_JSON_FIELDS(MenuItemInput, kMenuItemInputFields)
RESTBOX_JSON_FIELDS(MenuInput, kMenuInputFields)

void to_json(Json& j, const Post& v) {
  core::WriteFields(j, v, kPostFields);
}
void from_json(const Json& j, Post& v) {
  // The seed does not show a post; WNCMS installations answer a post's categories and tags as
  // names or as tag objects ({"id","name",...}): both read as names.
  auto names = [](const Json& list) {
    Json out = Json::array();
    for (const auto& item : list) {
      out.push_back(item.is_object() && item.contains("name") ? item.at("name") : item);
    }
    return out;
  };
  bool objects = false;
  for (const char* key : {"categories", "tags"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_array())
      for (const auto& item : *it) objects = objects || item.is_object();
  }
  if (!objects) return core::ReadFields(j, v, kPostFields);
  Json copy = j;
  for (const char* key : {"categories", "tags"}) {
    if (copy.contains(key) && copy[key].is_array()) copy[key] = names(copy[key]);
  }
  core::ReadFields(copy, v, kPostFields);
}

// ---- validation -----------------------------------------------------------------------------
std::vector<core::FieldError> ServiceRules(const core::EndpointSpec& endpoint, const Json& body) {
  std::vector<core::FieldError> out;
  if (!body.is_object()) return out;
  // The shared validator takes 1e30 for an integer (it is integral); no int64 holds it.
  for (const auto& f : endpoint.fields) {
    if (f.in != core::FieldIn::kBody || f.type != core::FieldType::kInteger) continue;
    auto it = body.find(f.name);
    if (it != body.end() && it->is_number_float() &&
        std::fabs(it->get<double>()) > kMaxExactInteger)
      out.push_back({f.name, "The " + Displayable(f.name) + " field must be an integer."});
  }
  // Laravel's `required` also refuses "" and [], which the table's presence check lets through.
  for (const auto& f : endpoint.fields) {
    if (f.in != core::FieldIn::kBody || !f.required) continue;
    auto it = body.find(f.name);
    if (it != body.end() && ((it->is_string() && it->get_ref<const std::string&>().empty()) ||
                             (it->is_array() && it->empty())))
      out.push_back({f.name, "The " + Displayable(f.name) + " field is required."});
  }
  const std::string& id = endpoint.id;
  if (id == kPostsIndex) {
    CheckIntegerItems(body, "tags", out);
    CheckIntegerItems(body, "excluded_post_ids", out);
  } else if (id == kTagsExist) {
    CheckIntegerItems(body, "tagIds", out);
  } else if (id == kMenusStore || id == kMenusSync) {
    if (auto it = body.find("menu_items"); it != body.end())
      CheckMenuItems(*it, "menu_items", 1, out);
  } else if (id == kPostsStore) {
    auto it = body.find("published_at");
    if (it != body.end() && it->is_string() && !ParsePublishedAt(it->get<std::string>())) {
      out.push_back({"published_at", "The published at field must be a valid date."});
    }
  }
  return out;
}

std::optional<core::TimePoint> ParsePublishedAt(std::string_view text) {
  if (auto t = core::ParseIso8601(text)) return t;
  // Laravel's own format, "2026-01-02 03:04:05", read as UTC.
  if (text.size() == 19 && text[10] == ' ') {
    std::string iso(text);
    iso[10] = 'T';
    iso += 'Z';
    return core::ParseIso8601(iso);
  }
  return std::nullopt;
}

Rejection Reject(const core::EndpointSpec& endpoint,
                 const std::vector<core::FieldError>& problems) {
  Rejection bad_parameters{400, "Invalid parameters", {}};
  Rejection invalid{422, "Validation failed", {}};
  const bool list = IsListEndpoint(endpoint.id);
  for (const auto& p : problems) {
    std::string base = p.field.substr(0, p.field.find('.'));
    // The token is the auth check's business (401), never a validation message.
    if (base == "api_token") continue;
    // On a list route everything but tags.index's own `type` is a list parameter.
    Rejection& into = list && base != "type" ? bad_parameters : invalid;
    into.errors[p.field].push_back(Sentence(p));
  }
  return bad_parameters.errors.empty() ? invalid : bad_parameters;
}

Json RejectionBody(const Rejection& rejection) {
  Json errors = Json::object();
  for (const auto& [field, messages] : rejection.errors) errors[field] = messages;
  return Json(
      Envelope{rejection.status, "fail", rejection.message, {{"errors", errors}}, Json::object()});
}

core::Error ClientValidationError(const Rejection& rejection) {
  core::Error e;
  e.kind = core::ErrorKind::kClientValidation;
  e.code = std::to_string(rejection.status);
  e.message = rejection.message;
  for (const auto& [field, messages] : rejection.errors) {
    for (const auto& m : messages) e.details.push_back({field, m});
  }
  return e;
}

std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems) {
  // A raw body is sent unchecked.
  if (call.body && !call.raw_body) {
    auto rules = ServiceRules(*call.endpoint, *call.body);
    problems.insert(problems.end(), rules.begin(), rules.end());
  }
  Rejection rejection = Reject(*call.endpoint, problems);
  if (rejection.errors.empty()) return std::nullopt;
  return ClientValidationError(rejection);
}

// ---- responses ------------------------------------------------------------------------------
core::Error ParseError(const core::HttpResponse& response) {
  core::Error e;
  e.http_status = response.status;
  e.raw_body = response.body;
  const bool http_ok = response.status >= 200 && response.status < 300;
  std::optional<int> code;
  auto parsed = core::ResponseJson(response);
  if (parsed.ok() && parsed->is_object()) {
    const Json& j = *parsed;
    if (auto c = j.find("code"); c != j.end() && c->is_number_integer()) {
      code = c->get<int>();
    } else if (auto s = j.find("status"); s != j.end() && s->is_number_integer()) {
      code = s->get<int>();  // the short legacy shape {"status":403,"message":"…"}
    }
    e.message = core::JsonValueOr<std::string>(j, "message", "");
    auto data = j.find("data");
    if (data != j.end() && data->is_object()) {
      auto errors = data->find("errors");
      if (errors != data->end() && errors->is_object()) {
        for (auto it = errors->begin(); it != errors->end(); ++it) {
          if (it->is_array()) {
            for (const auto& m : *it) {
              if (m.is_string()) e.details.push_back({it.key(), m.get<std::string>()});
            }
          } else if (it->is_string()) {
            e.details.push_back({it.key(), it->get<std::string>()});
          }
        }
      }
    }
  }
  if (http_ok) {
    e.kind = code && *code >= 400 ? core::ErrorKindFromStatus(*code) : core::ErrorKind::kService;
    e.code = code ? std::to_string(*code) : std::string();
  } else {
    e.kind = core::ErrorKindFromStatus(response.status);
    e.code = std::to_string(code.value_or(response.status));
  }
  if (e.message.empty()) {
    std::string reason(core::ReasonPhrase(response.status));
    e.message = reason.empty() ? "HTTP " + std::to_string(response.status) : reason;
  }
  return e;
}

core::Result<Envelope> DecodeEnvelope(const core::HttpResponse& response) {
  core::Json body;
  core::Error error;
  const core::Json* parsed = core::ResponseJson(response, body, &error);  // no parse in-process
  if (!parsed) {
    core::Error e = std::move(error);
    e.http_status = response.status;
    return e;
  }
  if (!parsed->is_object()) {
    core::Error e = core::MakeError(core::ErrorKind::kDecode, "the answer is not a WNCMS envelope");
    e.http_status = response.status;
    e.raw_body = response.body;
    return e;
  }
  auto envelope = core::ConvertJson<Envelope>(*parsed);
  if (!envelope.ok()) {
    core::Error e = envelope.error();
    e.http_status = response.status;
    e.raw_body = response.body;
    return e;
  }
  if (envelope->status == "fail" || envelope->code >= 400) return ParseError(response);
  return envelope;
}

core::Result<Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                     const core::HttpResponse& response) {
  if (!endpoint.AcceptsAsSuccess(response.status)) return ParseError(response);
  auto envelope = DecodeEnvelope(response);
  if (!envelope.ok()) return envelope.error();
  core::Result<Json> out(std::move(envelope->data));
  out.meta().service_code = std::to_string(envelope->code);
  out.meta().service_message = std::move(envelope->message);
  return out;
}

}  // namespace restbox::wncms
