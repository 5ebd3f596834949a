#include "restbox/wncms/models.hpp"

#include <cmath>
#include <type_traits>

#include "restbox/core/client.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::wncms {
namespace {

using core::Json;

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

// Each model lists its members once (Members below); the writer and the reader walk that list.
// Requests omit unset optionals and empty lists (the server's defaults apply); answers write
// every member, unset optionals as null.
struct Writer {
  Json& j;
  bool omit_unset;
  template <typename T>
  void operator()(const char* key, const T& v, bool /*required*/ = false) {
    j[key] = v;
  }
  template <typename T>
  void operator()(const char* key, const std::optional<T>& v, bool /*required*/ = false) {
    if (v) {
      j[key] = *v;
    } else if (!omit_unset) {
      j[key] = nullptr;
    }
  }
  template <typename T>
  void operator()(const char* key, const std::vector<T>& v, bool /*required*/ = false) {
    if (!v.empty() || !omit_unset) j[key] = v;
  }
};

// Absent or null members keep their defaults; a required one missing, or any member of the
// wrong type, throws (ConvertJson/DecodeJson catch it).
struct Reader {
  const Json& j;
  template <typename T>
  void operator()(const char* key, T& v, bool required = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) (void)j.at(key);  // throws out_of_range naming the key
      return;
    }
    v = it->template get<T>();
  }
  template <typename T>
  void operator()(const char* key, std::optional<T>& v, bool /*required*/ = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      v.reset();
    } else {
      v = it->template get<T>();
    }
  }
};

template <typename S, typename F>
void Members(S& v, F&& f) {
  using T = std::remove_const_t<S>;
  if constexpr (std::is_same_v<T, Pagination>) {
    f("total", v.total, true);
    f("count", v.count);
    f("page_size", v.page_size);
    f("current_page", v.current_page);
    f("last_page", v.last_page);
    f("has_more", v.has_more);
    f("next", v.next);
    f("previous", v.previous);
  } else if constexpr (std::is_same_v<T, Post>) {
    f("id", v.id, true);
    f("title", v.title);
    f("slug", v.slug);
    f("excerpt", v.excerpt);
    f("content", v.content);
    f("status", v.status);
    f("visibility", v.visibility);
    f("sort", v.sort);
    f("categories", v.categories);
    f("tags", v.tags);
    f("tag_ids", v.tag_ids);
    f("published_at", v.published_at);
    f("created_at", v.created_at);
    f("updated_at", v.updated_at);
  } else if constexpr (std::is_same_v<T, Tag>) {
    f("id", v.id, true);
    f("name", v.name, true);
    f("slug", v.slug);
    f("type", v.type);
    f("parent_id", v.parent_id);
    f("description", v.description);
    f("icon", v.icon);
    f("sort", v.sort);
    f("children", v.children);
    f("created_at", v.created_at);
    f("updated_at", v.updated_at);
  } else if constexpr (std::is_same_v<T, Page>) {
    f("id", v.id, true);
    f("title", v.title);
    f("slug", v.slug);
    f("content", v.content);
    f("status", v.status);
    f("sort", v.sort);
    f("created_at", v.created_at);
    f("updated_at", v.updated_at);
  } else if constexpr (std::is_same_v<T, MenuItem>) {
    f("id", v.id, true);
    f("parent_id", v.parent_id);
    f("name", v.name, true);
    f("type", v.type);
    f("url", v.url);
    f("icon", v.icon);
    f("is_new_window", v.is_new_window);
    f("sort", v.sort);
    f("items", v.items);
  } else if constexpr (std::is_same_v<T, Menu>) {
    f("id", v.id, true);
    f("name", v.name, true);
    f("items", v.items);
    f("created_at", v.created_at);
    f("updated_at", v.updated_at);
  } else if constexpr (std::is_same_v<T, ListQuery>) {
    f("page", v.page);
    f("page_size", v.page_size);
    f("keywords", v.keywords);
    f("tags", v.tags);
    f("tag_type", v.tag_type);
    f("excluded_post_ids", v.excluded_post_ids);
    f("sort", v.sort);
    f("direction", v.direction);
    f("is_random", v.is_random);
    f("locale", v.locale);
  } else if constexpr (std::is_same_v<T, NewPost>) {
    f("title", v.title);
    f("content", v.content);
    f("slug", v.slug);
    f("excerpt", v.excerpt);
    f("status", v.status);
    f("visibility", v.visibility);
    f("categories", v.categories);
    f("tags", v.tags);
    f("published_at", v.published_at);
    f("sort", v.sort);
    f("check_title", v.check_title);
    f("update_content_when_duplicated", v.update_content_when_duplicated);
  } else if constexpr (std::is_same_v<T, NewTag>) {
    f("name", v.name);
    f("slug", v.slug);
    f("type", v.type);
    f("parent_id", v.parent_id);
    f("description", v.description);
    f("icon", v.icon);
    f("sort", v.sort);
    f("update_when_duplicated", v.update_when_duplicated);
  } else if constexpr (std::is_same_v<T, NewPage>) {
    f("title", v.title);
    f("slug", v.slug);
    f("content", v.content);
    f("status", v.status);
    f("sort", v.sort);
  } else if constexpr (std::is_same_v<T, MenuItemInput>) {
    f("name", v.name);
    f("type", v.type);
    f("url", v.url);
    f("icon", v.icon);
    f("is_new_window", v.is_new_window);
    f("sort", v.sort);
    f("children", v.children);
  } else {
    static_assert(std::is_same_v<T, MenuInput>);
    f("name", v.name);
    f("menu_items", v.menu_items);
  }
}

template <typename T>
void Write(Json& j, const T& v, bool omit_unset) {
  j = Json::object();
  Members(v, Writer{j, omit_unset});
}

template <typename T>
void Read(const Json& j, T& v) {
  Members(v, Reader{j});
}

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

void to_json(Json& j, const Pagination& v) {
  Write(j, v, false);
}
void from_json(const Json& j, Pagination& v) {
  Read(j, v);
}
void to_json(Json& j, const Post& v) {
  Write(j, v, false);
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
  if (!objects) return Read(j, v);
  Json copy = j;
  for (const char* key : {"categories", "tags"}) {
    if (copy.contains(key) && copy[key].is_array()) copy[key] = names(copy[key]);
  }
  Read(copy, v);
}
void to_json(Json& j, const Tag& v) {
  Write(j, v, false);
}
void from_json(const Json& j, Tag& v) {
  Read(j, v);
}
void to_json(Json& j, const Page& v) {
  Write(j, v, false);
}
void from_json(const Json& j, Page& v) {
  Read(j, v);
}
void to_json(Json& j, const MenuItem& v) {
  Write(j, v, false);
}
void from_json(const Json& j, MenuItem& v) {
  Read(j, v);
}
void to_json(Json& j, const Menu& v) {
  Write(j, v, false);
}
void from_json(const Json& j, Menu& v) {
  Read(j, v);
}

void to_json(Json& j, const ListQuery& v) {
  Write(j, v, true);
}
void from_json(const Json& j, ListQuery& v) {
  Read(j, v);
}
void to_json(Json& j, const NewPost& v) {
  Write(j, v, true);
}
void from_json(const Json& j, NewPost& v) {
  Read(j, v);
}
void to_json(Json& j, const NewTag& v) {
  Write(j, v, true);
}
void from_json(const Json& j, NewTag& v) {
  Read(j, v);
}
void to_json(Json& j, const NewPage& v) {
  Write(j, v, true);
}
void from_json(const Json& j, NewPage& v) {
  Read(j, v);
}
void to_json(Json& j, const MenuItemInput& v) {
  Write(j, v, true);
}
void from_json(const Json& j, MenuItemInput& v) {
  Read(j, v);
}
void to_json(Json& j, const MenuInput& v) {
  Write(j, v, true);
}
void from_json(const Json& j, MenuInput& v) {
  Read(j, v);
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
