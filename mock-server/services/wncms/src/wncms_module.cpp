// The WNCMS v1 CMS API, mocked (API-CONTRACT section 2).
//
// Order of checks for every route (the first that fails answers, always inside the envelope):
//   403 the route's feature toggle is off ("API access is disabled")
//   400 a body that is not valid JSON, on every route (its token cannot be read from it)
//   401 the route's auth setting is api_token and the body's api_token is missing or unknown
//       ("Invalid token")
//   400 list routes: a body that is not a JSON object, or a malformed list parameter
//   422 validation (the endpoint table through the shared validator, the shared service rules,
//       and what only the server knows: parent_id must exist, slugs and menu names are unique)
//   404 unknown post/page/menu id (or slug)
// On write routes a body that is not a JSON object counts as empty input (Laravel reads no
// input from it), so it fails validation with 422.
// There is no cache: a write is visible to the very next list. Random order (is_random) uses the
// module's own generator, reseeded by every reset, so it is the same sequence after each reset.
// Durable state (restbox-mock --state): one row per post, tag (categories are tags), page and
// menu, and one "meta" row (settings, id counters, draws from the generator); a request reports
// the rows it changed when it ends (Flush), so a write costs what it changes.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

// ---- text helpers ----
std::string LowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitTrimmed(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front())))
      part.erase(part.begin());
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
    if (!part.empty()) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// Laravel's Str::slug for ASCII; text without any ASCII letter or digit keeps its own form.
std::string Slugify(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? text : out;
}

std::optional<std::int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Translated(const std::string& base, const Translations& t, const std::string& locale) {
  if (locale.empty()) return base;
  auto it = t.find(locale);
  return it == t.end() ? base : it->second;
}

Json TranslationsJson(const Translations& t) {
  Json j = Json::object();
  for (const auto& [k, v] : t) j[k] = v;
  return j;
}

Translations TranslationsFrom(const Json& j) {
  Translations t;
  if (!j.is_object()) return t;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_string()) t[it.key()] = it->get<std::string>();
  }
  return t;
}

void Module::Register(Router& router, MockContext& context) {
  context_ = &context;
  // One function per endpoint (and its server-side rules), each after the same Before stage.
  auto route = [this](const core::EndpointSpec& ep, const EndpointFns& fns) {
    return [this, &ep, fns](MockRequest& r) {
      core::HttpResponse response = Handle(ep, fns, r);
      Flush();  // the rows this request changed
      return response;
    };
  };
  const auto table = Endpoints();
  table.Register(router, Spec(), route);
  const core::EndpointSpec& index = *Spec().Find(api::kPostsIndex);
  router.AddAlias(Spec().id, index, std::string(api::kPostsIndexAliasPath),
                  route(index, table.At(Spec(), index)));
}

Json Module::Settings() const {
  Json s = Json::object();
  for (const auto& [key, setting] : settings_) {
    s[key] = setting.enabled;
    s[key + std::string(api::kAuthSettingSuffix)] = setting.auth;
  }
  return s;
}

std::optional<std::string> Module::ApplySettings(const Json& patch) {
  if (!patch.is_object()) return "settings must be a JSON object";
  // Validate everything first, so a bad patch changes nothing.
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& name = it.key();
    if (auto base = AuthSettingBase(name)) {
      if (!settings_.count(*base)) return "unknown setting '" + name + "'";
      if (!it->is_string() || !NormalizeAuth(it->get<std::string>()))
        return name + " must be \"none\" or \"api_token\"";
      continue;
    }
    if (!settings_.count(name)) return "unknown setting '" + name + "'";
    if (!it->is_boolean()) return name + " must be true or false";
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (auto base = AuthSettingBase(it.key())) {
      settings_[*base].auth = *NormalizeAuth(it->get<std::string>());
    } else {
      settings_[it.key()].enabled = it->get<bool>();
    }
  }
  touched_.meta = true;
  Flush();
  return std::nullopt;
}

core::HttpResponse Module::ErrorResponse(int status, const std::string&,
                                         const std::string& message) const {
  std::string text = message;
  if (status >= 500 && !text.starts_with("Server Error: ")) text = "Server Error: " + text;
  // A forced 400 or 422 has the shape of a real one: data.errors (empty: no field is at fault).
  if (status == 400 || status == 422) return Rejected({status, text, {}});
  return Fail(status, text);
}

bool Module::OwnsPath(std::string_view path) const {
  for (std::string_view prefix :
       {"/api/v1/posts", "/api/v1/tags", "/api/v1/pages", "/api/v1/menus"}) {
    if (path == prefix || (path.starts_with(prefix) && path.substr(prefix.size()).starts_with("/")))
      return true;
  }
  return false;
}

core::HttpResponse Module::Ok(const std::string& message, Json data) {
  return JsonResponse(
      200, Json(api::Envelope{200, "success", message, std::move(data), Json::object()}));
}

core::HttpResponse Module::Fail(int status, const std::string& message) {
  return JsonResponse(status,
                      Json(api::Envelope{status, "fail", message, nullptr, Json::object()}));
}

core::HttpResponse Module::Rejected(const api::Rejection& rejection) {
  return JsonResponse(rejection.status, api::RejectionBody(rejection));
}

std::optional<std::string> Module::AuthSettingBase(const std::string& name) {
  if (!name.ends_with(api::kAuthSettingSuffix)) return std::nullopt;
  return name.substr(0, name.size() - api::kAuthSettingSuffix.size());
}

// WNCMS stores '' (no auth) or 'simple' (api_token); the contract's names are accepted too.
std::optional<std::string> Module::NormalizeAuth(const std::string& value) {
  if (value == kAuthNone || value.empty()) return kAuthNone;
  if (value == kAuthToken || value == "simple") return kAuthToken;
  return std::nullopt;
}

EndpointTable<Module::EndpointFns> Module::Endpoints() {
  // `field` of the body must not name something that exists already.
  auto taken = [](const char* field, const std::function<bool(const std::string&)>& exists) {
    return [field, exists](const Json& body, std::vector<core::FieldError>& out) {
      auto it = body.find(field);
      if (it != body.end() && it->is_string() && exists(it->template get<std::string>()))
        out.push_back({field, "The " + std::string(field) + " has already been taken."});
    };
  };
  EndpointTable<EndpointFns> e;
  auto add = [&](std::string_view id, std::function<core::HttpResponse(Call&)> answer,
                 std::function<void(const Json&, std::vector<core::FieldError>&)> rules = {}) {
    e.Add(id, EndpointFns{std::move(answer), std::move(rules)});
  };
  add(api::kPostsIndex, [this](Call& c) { return ListPosts(c.body, c.r.path); });
  add(
      api::kPostsStore, [this](Call& c) { return StorePost(c.body); },
      [this, taken](const Json& body, std::vector<core::FieldError>& out) {
        // A duplicate caught by check_title is skipped or updated, not refused.
        bool duplicate = core::JsonValueOr<bool>(body, "check_title", false) &&
                         FindPostByTitle(core::JsonValueOr<std::string>(body, "title", ""));
        if (!duplicate)
          taken("slug", [this](const std::string& s) { return FindPostBySlug(s) != nullptr; })(body,
                                                                                               out);
      });
  add(api::kPostsShow, [this](Call& c) {
    return ShowPost(c.r.Param("id"), core::JsonValueOr<std::string>(c.body, "locale", ""));
  });
  add(api::kTagsIndex, [this](Call& c) { return ListTags(c.body, c.r.path); });
  add(
      api::kTagsStore, [this](Call& c) { return StoreTag(c.body); },
      [this](const Json& body, std::vector<core::FieldError>& out) {
        auto parent = body.find("parent_id");
        if (parent != body.end() && parent->is_number_integer() &&
            !tags_.count(parent->get<std::int64_t>()))
          out.push_back({"parent_id", "The selected parent id is invalid."});
      });
  add(api::kTagsExist, [this](Call& c) { return ExistingTags(c.body); });
  add(api::kPagesIndex, [this](Call& c) { return ListPages(c.body, c.r.path); });
  add(
      api::kPagesStore, [this](Call& c) { return StorePage(c.body); },
      taken("slug", [this](const std::string& s) { return FindPageBySlug(s) != nullptr; }));
  add(api::kPagesShow, [this](Call& c) { return ShowPage(c.r.Param("id")); });
  add(api::kMenusIndex, [this](Call& c) { return ListMenus(c.body, c.r.path); });
  add(
      api::kMenusStore, [this](Call& c) { return StoreMenu(c.body, false); },
      taken("name", [this](const std::string& s) { return FindMenuByName(s) != nullptr; }));
  add(api::kMenusSync, [this](Call& c) { return StoreMenu(c.body, true); });
  add(api::kMenusShow, [this](Call& c) { return ShowMenu(c.r.Param("id")); });
  return e;
}

core::HttpResponse Module::Handle(const core::EndpointSpec& ep, const EndpointFns& fns,
                                  MockRequest& r) {
  const RouteSetting& setting = settings_.at(std::string(api::FeatureKey(ep.id)));
  if (!setting.enabled) return Fail(403, "API access is disabled");

  Json body = Json::object();
  bool malformed = false;
  if (r.http.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = core::RequestJson(r.http);  // in process: the client's value, not parsed again
    if (!parsed.ok()) {
      return Rejected({400,
                       "Invalid JSON",
                       {{"body", {"The body must be valid JSON: " + parsed.error().message}}}});
    }
    if (parsed->is_object()) {
      body = std::move(parsed.value());
    } else {
      malformed = true;
    }
  }
  if (setting.auth == kAuthToken) {
    auto token = core::JsonValueOr<std::string>(body, "api_token", "");
    if (token.empty() || !users_.count(token)) return Fail(401, "Invalid token");
  }
  std::vector<core::FieldError> problems;
  if (malformed && api::IsListEndpoint(ep.id))
    problems.push_back({"body", "must be a JSON object"});
  auto table = core::ValidateRequest(ep, &body, {});
  problems.insert(problems.end(), table.begin(), table.end());
  auto rules = api::ServiceRules(ep, body);
  problems.insert(problems.end(), rules.begin(), rules.end());
  if (fns.rules) fns.rules(body, problems);
  // Routes that document neither 400 nor 422 (the show routes) never refuse a parameter: a bad
  // optional one (e.g. a non-string locale) is ignored, so every answer stays documented.
  // (Their documented 400 is the invalid-JSON one above.)
  const bool can_refuse = api::IsListEndpoint(ep.id) || ep.FindError(422) != nullptr;
  auto rejection = api::Reject(ep, problems);
  if (can_refuse && !rejection.errors.empty()) return Rejected(rejection);

  Call c{r, std::move(body)};
  return fns.answer(c);
}

std::unique_ptr<ServiceModule> MakeModule() {
  return std::make_unique<Module>();
}

}  // namespace restbox::mock::wncms
