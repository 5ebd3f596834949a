#include "export_typed.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <utility>

namespace restbox::console {

std::string CppString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];  // octal, so a following digit cannot extend the escape
      std::snprintf(buf, sizeof buf, "\\%03o", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string CppRawString(std::string_view text) {
  std::string delimiter = "json";
  for (int i = 1; text.find(")" + delimiter + "\"") != std::string_view::npos; ++i) {
    delimiter = "json" + std::to_string(i);
  }
  return "R\"" + delimiter + "(" + std::string(text) + ")" + delimiter + "\"";
}

namespace {

// The draft's parameters as the arguments of one typed call: each accessor takes (removes) the
// parameter it renders, so a recipe knows at the end whether something was left that its
// method cannot take. A wrong type or a missing required parameter fails the recipe.
class Args {
 public:
  explicit Args(const core::Json& params)
      : rest_(params.is_object() ? params : core::Json::object()) {}

  // A required string parameter (a number is taken as its text: "id_or_slug" of 1 is "1").
  std::string Text(const char* name) {
    core::Json v = Take(name);
    if (v.is_string()) return CppString(v.get<std::string>());
    if (v.is_number_integer()) return CppString(core::DumpJson(v));
    return Fail();
  }
  // An optional string parameter: its literal, or std::nullopt.
  std::string OptionalText(const char* name) {
    if (!rest_.contains(name)) return "std::nullopt";
    return Text(name);
  }
  // A required integer parameter.
  std::string Integer(const char* name) {
    core::Json v = Take(name);
    if (v.is_number_integer()) return core::DumpJson(v);
    if (v.is_string() && !v.get<std::string>().empty() &&
        v.get<std::string>().find_first_not_of("0123456789") == std::string::npos) {
      return v.get<std::string>();
    }
    return Fail();
  }
  // A required array of integers, as std::vector<std::int64_t>{...}.
  std::string IntegerList(const char* name) {
    core::Json v = Take(name);
    if (!v.is_array()) return Fail();
    std::string out = "std::vector<std::int64_t>{";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number_integer()) return Fail();
      out += (i ? ", " : "") + core::DumpJson(v[i]);
    }
    return out + "}";
  }
  // Every parameter left, as a JSON value (the typed method takes a JSON object).
  std::string RestJson() { return JsonExpression(TakeRest()); }
  // Every parameter left, decoded into `type` by its from_json (a request struct).
  std::string RestAs(const std::string& type) {
    return JsonExpression(TakeRest()) + ".get<" + type + ">()";
  }
  // The parameters named in `members` (wire name -> member of a query struct called `variable`),
  // as assignments: `query.page = 1;`.
  std::vector<std::string> Members(const std::string& variable,
                                   const std::map<std::string, std::string>& members) {
    std::vector<std::string> lines;
    for (const auto& [wire, member] : members) {
      if (!rest_.contains(wire)) continue;
      core::Json v = Take(wire.c_str());
      std::string literal;
      if (v.is_string()) {
        literal = CppString(v.get<std::string>());
      } else if (v.is_number_integer() || v.is_boolean()) {
        literal = core::DumpJson(v);
      } else {
        Fail();
        continue;
      }
      lines.push_back(variable + "." + member + " = " + literal + ";");
    }
    return lines;
  }
  // True when every parameter was taken and none failed.
  bool Done() const { return ok_ && rest_.empty(); }

 private:
  core::Json Take(const char* name) {
    if (!rest_.contains(name)) {
      ok_ = false;
      return nullptr;
    }
    core::Json v = std::move(rest_[name]);
    rest_.erase(name);
    return v;
  }
  core::Json TakeRest() { return std::exchange(rest_, core::Json::object()); }
  std::string Fail() {
    ok_ = false;
    return {};
  }
  static std::string JsonExpression(const core::Json& value) {
    return "restbox::core::ParseJson(" + CppRawString(core::DumpJson(value, 2)) + ").value()";
  }

  core::Json rest_;
  bool ok_ = true;
};

struct ServiceForm {
  const char* header;
  const char* ns;
  std::vector<std::string> credential_members;
};

const std::map<std::string, ServiceForm, std::less<>>& Services() {
  static const std::map<std::string, ServiceForm, std::less<>> services = {
      {"chikage", {"restbox/chikage/client.hpp", "restbox::chikage", {"api_key"}}},
      {"findhelper",
       {"restbox/findhelper/client.hpp", "restbox::findhelper", {"api_key", "api_secret"}}},
      {"inventory", {"restbox/inventory/client.hpp", "restbox::inventory", {"api_key"}}},
      {"market", {"restbox/market/client.hpp", "restbox::market", {"api_key"}}},
      {"wncms", {"restbox/wncms/client.hpp", "restbox::wncms", {"api_token"}}},
  };
  return services;
}

// One recipe: fills `call` (and `setup`, `value` when not "*result") from the arguments.
using Recipe = std::function<void(Args&, TypedCall&)>;

Recipe Plain(std::function<std::string(Args&)> call) {
  return [call = std::move(call)](Args& a, TypedCall& t) { t.call = call(a); };
}
// A wncms list route: ListResult<T>, whose items are printed.
Recipe WncmsList(std::string method, bool typed_first = false) {
  return [method = std::move(method), typed_first](Args& a, TypedCall& t) {
    std::string type = typed_first ? a.Text("type") + ", " : std::string();
    t.call = "client." + method + "(" + type + a.RestAs("restbox::wncms::ListQuery") + ")";
    t.value = "result->items";
  };
}
// A list route whose query is a plain struct of optional members.
Recipe QueryList(std::string method, std::string type, std::map<std::string, std::string> members) {
  return [method = std::move(method), type = std::move(type), members = std::move(members)](
             Args& a, TypedCall& t) {
    t.setup.push_back(type + " query;");
    for (std::string& line : a.Members("query", members)) t.setup.push_back(std::move(line));
    t.call = "client." + method + "(query)";
  };
}

const std::map<std::pair<std::string, std::string>, Recipe, std::less<>>& Recipes() {
  static const std::map<std::pair<std::string, std::string>, Recipe, std::less<>> recipes = [] {
    std::map<std::pair<std::string, std::string>, Recipe, std::less<>> r;
    // chikage: the record's fields are the rest of the parameters.
    r[{"chikage", "create"}] = Plain([](Args& a) {
      std::string slug = a.Text("slug");
      return "client.Create(" + slug + ", " + a.RestJson() + ")";
    });
    r[{"chikage", "get"}] = Plain([](Args& a) {
      std::string slug = a.Text("slug");
      return "client.Get(" + slug + ", " + a.Text("record_id") + ")";
    });
    r[{"chikage", "replace"}] = Plain([](Args& a) {
      std::string slug = a.Text("slug");
      std::string id = a.Text("record_id");
      return "client.Replace(" + slug + ", " + id + ", " + a.RestJson() + ")";
    });
    r[{"chikage", "delete"}] = Plain([](Args& a) {
      std::string slug = a.Text("slug");
      return "client.Delete(" + slug + ", " + a.Text("record_id") + ")";
    });
    // findhelper
    r[{"findhelper", "jobs.list"}] = QueryList("ListJobs", "restbox::findhelper::JobQuery",
                                               {{"city", "city"},
                                                {"jobType", "job_type"},
                                                {"status", "status"},
                                                {"page", "page"},
                                                {"pageSize", "page_size"}});
    r[{"findhelper", "jobs.get"}] =
        Plain([](Args& a) { return "client.GetJob(" + a.Integer("id") + ")"; });
    r[{"findhelper", "jobs.create"}] = Plain([](Args& a) {
      return "client.CreateJob(" + a.RestAs("restbox::findhelper::NewJob") + ")";
    });
    // inventory
    r[{"inventory", "items.list"}] = QueryList(
        "ListItems", "restbox::inventory::ItemQuery",
        {{"page", "page"}, {"pageSize", "page_size"}, {"status", "status"}, {"type", "type"}});
    r[{"inventory", "items.get"}] =
        Plain([](Args& a) { return "client.GetItem(" + a.Text("token") + ")"; });
    r[{"inventory", "templates.list"}] = QueryList("ListTemplates", "restbox::inventory::PageQuery",
                                                   {{"page", "page"}, {"pageSize", "page_size"}});
    r[{"inventory", "templates.get"}] =
        Plain([](Args& a) { return "client.GetTemplate(" + a.Text("token") + ")"; });
    r[{"inventory", "templates.shared"}] =
        Plain([](Args&) { return std::string("client.ListSharedTemplates()"); });
    r[{"inventory", "user.stats"}] =
        Plain([](Args&) { return std::string("client.GetUserStats()"); });
    r[{"inventory", "templates.create"}] = Plain([](Args& a) {
      return "client.CreateTemplate(" + a.RestAs("restbox::inventory::CreateTemplateRequest") + ")";
    });
    r[{"inventory", "templates.share"}] = Plain([](Args& a) {
      std::string token = a.Text("token");
      return "client.ShareTemplate(" + token + ", " + a.RestAs("restbox::inventory::ShareRequest") +
             ")";
    });
    r[{"inventory", "templates.revoke"}] =
        Plain([](Args& a) { return "client.RevokeShare(" + a.Text("shareToken") + ")"; });
    r[{"inventory", "templates.send"}] = Plain([](Args& a) {
      std::string token = a.Text("token");
      return "client.SendTemplate(" + token + ", " + a.RestAs("restbox::inventory::SendRequest") +
             ")";
    });
    r[{"inventory", "templates.check_ownership"}] = Plain([](Args& a) {
      std::string token = a.Text("token");
      return "client.CheckOwnership(" + token + ", " +
             a.RestAs("restbox::inventory::OwnershipRequest") + ")";
    });
    // market: the provider's own parameters are the rest.
    r[{"market", "call"}] = Plain([](Args& a) {
      std::string project = a.Text("project");
      std::string slug = a.Text("slug");
      return "client.Call(" + project + ", " + slug + ", " + a.RestJson() + ")";
    });
    r[{"market", "call_get"}] = Plain([](Args& a) {
      std::string project = a.Text("project");
      std::string slug = a.Text("slug");
      return "client.CallGet(" + project + ", " + slug + ", " + a.RestJson() + ")";
    });
    // wncms
    r[{"wncms", "posts.index"}] = WncmsList("ListPosts");
    r[{"wncms", "posts.store"}] = Plain(
        [](Args& a) { return "client.StorePost(" + a.RestAs("restbox::wncms::NewPost") + ")"; });
    r[{"wncms", "posts.show"}] = Plain([](Args& a) {
      std::string id = a.Text("id");
      return "client.GetPost(" + id + ", " + a.OptionalText("locale") + ")";
    });
    r[{"wncms", "tags.index"}] = WncmsList("ListTags", /*typed_first=*/true);
    r[{"wncms", "tags.store"}] = Plain(
        [](Args& a) { return "client.StoreTag(" + a.RestAs("restbox::wncms::NewTag") + ")"; });
    r[{"wncms", "tags.exist"}] =
        Plain([](Args& a) { return "client.ExistingTagIds(" + a.IntegerList("tagIds") + ")"; });
    r[{"wncms", "pages.index"}] = WncmsList("ListPages");
    r[{"wncms", "pages.store"}] = Plain(
        [](Args& a) { return "client.StorePage(" + a.RestAs("restbox::wncms::NewPage") + ")"; });
    r[{"wncms", "pages.show"}] = Plain([](Args& a) {
      std::string id = a.Text("id");
      return "client.GetPage(" + id + ", " + a.OptionalText("locale") + ")";
    });
    r[{"wncms", "menus.index"}] = WncmsList("ListMenus");
    r[{"wncms", "menus.store"}] = Plain(
        [](Args& a) { return "client.StoreMenu(" + a.RestAs("restbox::wncms::MenuInput") + ")"; });
    r[{"wncms", "menus.sync"}] = Plain(
        [](Args& a) { return "client.SyncMenu(" + a.RestAs("restbox::wncms::MenuInput") + ")"; });
    r[{"wncms", "menus.show"}] = Plain([](Args& a) {
      std::string id = a.Integer("id");
      return "client.GetMenu(" + id + ", " + a.OptionalText("locale") + ")";
    });
    return r;
  }();
  return recipes;
}

}  // namespace

bool HasTypedRecipe(std::string_view service, std::string_view endpoint) {
  return Recipes().count(std::pair<std::string, std::string>(service, endpoint)) > 0 &&
         Services().count(service) > 0;
}

std::optional<TypedCall> TypedCallOf(std::string_view service, std::string_view endpoint,
                                     const core::Json& params) {
  const auto form = Services().find(service);
  const auto recipe = Recipes().find(std::pair<std::string, std::string>(service, endpoint));
  if (form == Services().end() || recipe == Recipes().end()) return std::nullopt;
  TypedCall call{.header = form->second.header,
                 .ns = form->second.ns,
                 .credential_members = form->second.credential_members,
                 .value = "*result"};
  Args args(params);
  recipe->second(args, call);
  if (!args.Done()) return std::nullopt;
  return call;
}

}  // namespace restbox::console
