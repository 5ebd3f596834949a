// Realistic triggers for every documented row of wncms (API-CONTRACT section 2).
#include "restbox/wncms/client.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

using core::Json;
using wncms::Client;

struct Ctx {
  Env& env;
  const Json& fix;
  explicit Ctx(Env& e) : env(e), fix(e.Fix("wncms")) {}
  Client MakeClient(const std::string& token) const {
    wncms::ClientOptions o;
    static_cast<core::ClientOptions&>(o) = env.Options();
    o.api_token = token;
    return Client(o);
  }
  Client Admin() const { return MakeClient(fix.at("api_token")); }
  wncms::RequestOptions Req() const {
    wncms::RequestOptions r;
    r.headers = env.extra;
    return r;
  }
  std::int64_t Id(const char* role) const { return fix.at(role).get<std::int64_t>(); }
};

// The endpoint called with a raw body (what the typed client cannot send: not JSON, a member of
// the wrong type), its answer read by the client's error parser.
Task<Outcome> SendBody(const core::EndpointSpec& endpoint, Ctx& c, std::string raw_body,
                       const std::string& id = "1") {
  auto client = c.Admin();
  core::CallSpec call;
  call.endpoint = &endpoint;
  if (endpoint.path.find("{id}") != std::string::npos) call.path = {{"id", id}};
  call.headers = c.env.extra;
  call.raw_body = std::move(raw_body);
  return SendRaw(client, std::move(call), &wncms::ParseError);
}

// {"api_token": <token>, <members>}: a body with members of any type.
std::string TokenBody(const std::string& token, const Json& members) {
  Json body = members;
  body["api_token"] = token;
  return core::DumpJson(body);
}
std::string TokenBody(Ctx& c, const Json& members) {
  return TokenBody(c.fix.at("api_token").get<std::string>(), members);
}

// A valid call of each endpoint with `token`: the success row, and the base of the 401/403/500
// rows.
Task<Outcome> CallEndpoint(std::string_view ep, Ctx& c, const std::string& token) {
  namespace w = wncms;
  auto client = c.MakeClient(token);
  if (ep == w::kPostsIndex) return ToOutcome(client.ListPosts({.page_size = 5}, c.Req()));
  if (ep == w::kPostsStore)
    return ToOutcome(client.StorePost(
        {.title = "Sweep 測試文章", .content = "<p>sweep</p>", .tags = "sweep"}, c.Req()));
  if (ep == w::kPostsShow)
    return ToOutcome(client.GetPost(std::to_string(c.Id("post_id")), "en", c.Req()));
  if (ep == w::kTagsIndex) return ToOutcome(client.ListTags(c.fix.at("tag_type"), {}, c.Req()));
  if (ep == w::kTagsStore)
    return ToOutcome(client.StoreTag({.name = "Sweep tag", .parent_id = c.Id("tag_id")}, c.Req()));
  if (ep == w::kTagsExist)
    return ToOutcome(client.ExistingTagIds({c.Id("tag_id"), c.Id("unknown_id")}, c.Req()));
  if (ep == w::kPagesIndex)
    return ToOutcome(client.ListPages({.sort = "title", .direction = "asc"}, c.Req()));
  if (ep == w::kPagesStore)
    return ToOutcome(client.StorePage({.title = "常見問題", .content = "<p>FAQ</p>"}, c.Req()));
  if (ep == w::kPagesShow)  // the route is pages/{id} (API-CONTRACT section 2)
    return ToOutcome(client.GetPage(std::to_string(c.Id("page_id")), std::nullopt, c.Req()));
  if (ep == w::kMenusIndex) return ToOutcome(client.ListMenus({}, c.Req()));
  if (ep == w::kMenusStore)  // a server may keep menu names unique: one name per run
    return ToOutcome(client.StoreMenu(
        {.name = "Sidebar " + RunTag(), .menu_items = {{.name = "首頁", .url = "/"}}}, c.Req()));
  if (ep == w::kMenusSync) {
    // The documents name the route, not its parameters: WNCMS finds the menu by name, a server
    // may by id. Both are sent (the typed client sends the name).
    Json body = {{"name", c.fix.at("menu_name")},
                 {"id", c.Id("menu_id")},
                 {"menu_items", Json::array({{{"name", "Home"}, {"url", "/"}}})}};
    return SendBody(*w::Spec().Find(w::kMenusSync), c, TokenBody(token, body));
  }
  return ToOutcome(client.GetMenu(c.Id("menu_id"), std::nullopt, c.Req()));
}

Task<Outcome> SendInvalidJson(const core::EndpointSpec& endpoint, Ctx& c) {
  return SendBody(endpoint, c, R"({"api_token": )" + c.fix.at("api_token").dump() + ", \"page\": ");
}

}  // namespace

// Listed in the generated all_cases.cpp (mock-server/contract/CMakeLists.txt).
std::vector<Case> WncmsCases() {
  std::vector<Case> cases;
  auto add = [&](std::string_view ep, int status, std::string trigger,
                 const std::function<Task<Outcome>(Ctx&)>& fn) {
    std::string code = status == 200 ? "" : std::to_string(status);
    cases.push_back({"wncms", std::string(ep), status, code, std::move(trigger),
                     [fn](Env& env) -> Task<Outcome> {
                       Ctx c(env);  // lives in this coroutine's frame while fn's task runs
                       co_return co_await fn(c);
                     }});
  };

  for (const auto& endpoint : wncms::Spec().endpoints) {
    const std::string ep = endpoint.id;
    add(ep, 200, "valid request with the admin's api_token",
        [ep](Ctx& c) { return CallEndpoint(ep, c, c.fix.at("api_token")); });
    add(ep, 401, "api_token that belongs to no user",
        [ep](Ctx& c) { return CallEndpoint(ep, c, "not-a-real-token"); });
    add(ep, 403, "the route's feature toggle switched off", [ep](Ctx& c) -> Task<Outcome> {
      std::string key(wncms::FeatureKey(ep));
      Json patch = Json::object();
      patch[key] = false;
      if (auto err = co_await c.env.admin().ApplySettings("wncms", std::move(patch)))
        co_return Outcome{false, 0, core::MakeError(core::ErrorKind::kInvalidArgument, *err)};
      co_return co_await CallEndpoint(ep, c, c.fix.at("api_token"));
    });
    add(ep, 500, "fault rule: the next request answers 500", [ep](Ctx& c) -> Task<Outcome> {
      co_await c.env.admin().AddFault(StatusFault(500));
      co_return co_await CallEndpoint(ep, c, c.fix.at("api_token"));
    });
  }

  // 400 on the routes without list parameters: a body that is not JSON.
  for (const auto& endpoint : wncms::Spec().endpoints) {
    if (wncms::IsListEndpoint(endpoint.id)) continue;
    add(endpoint.id, 400, "a body that is not valid JSON",
        [&endpoint](Ctx& c) { return SendInvalidJson(endpoint, c); });
  }

  // 400: malformed list parameters.
  add(wncms::kPostsIndex, 400, "sort by an unknown field",
      [](Ctx& c) { return ToOutcome(c.Admin().ListPosts({.sort = "popularity"}, c.Req())); });
  add(wncms::kTagsIndex, 400, "direction neither asc nor desc", [](Ctx& c) {
    return ToOutcome(c.Admin().ListTags(c.fix.at("tag_type"), {.direction = "sideways"}, c.Req()));
  });
  // The documented malformed page_size is one that is not a number (no bound is documented).
  for (auto ep : {wncms::kPagesIndex, wncms::kMenusIndex}) {
    add(ep, 400, "page_size \"many\" (not a number)", [ep](Ctx& c) {
      return SendBody(*wncms::Spec().Find(ep), c, TokenBody(c, {{"page_size", "many"}}));
    });
  }

  // 404: unknown ids.
  add(wncms::kPostsShow, 404, "unknown post id", [](Ctx& c) {
    return ToOutcome(c.Admin().GetPost(std::to_string(c.Id("unknown_id")), std::nullopt, c.Req()));
  });
  add(wncms::kPagesShow, 404, "unknown page id", [](Ctx& c) {
    return ToOutcome(c.Admin().GetPage(std::to_string(c.Id("unknown_id")), std::nullopt, c.Req()));
  });
  add(wncms::kMenusShow, 404, "unknown menu id", [](Ctx& c) {
    return ToOutcome(c.Admin().GetMenu(c.Id("unknown_id"), std::nullopt, c.Req()));
  });

  // 422: validation.
  add(wncms::kPostsStore, 422, "post without content",
      [](Ctx& c) { return ToOutcome(c.Admin().StorePost({.title = "Missing content"}, c.Req())); });
  add(wncms::kTagsIndex, 422, "type empty",
      [](Ctx& c) { return ToOutcome(c.Admin().ListTags("", {}, c.Req())); });
  add(wncms::kTagsStore, 422, "parent_id of no tag", [](Ctx& c) {
    return ToOutcome(
        c.Admin().StoreTag({.name = "Orphan", .parent_id = c.Id("unknown_id")}, c.Req()));
  });
  // tagIds is documented as an array of ints (whether an empty one is refused is not).
  add(wncms::kTagsExist, 422, "tagIds \"all\" (not an array)", [](Ctx& c) {
    return SendBody(*wncms::Spec().Find(wncms::kTagsExist), c, TokenBody(c, {{"tagIds", "all"}}));
  });
  // pages.store and menus.store document no rules: their 422 is the field every page and menu has
  // left empty (the seed's own 422 example is a required title).
  add(wncms::kPagesStore, 422, "empty title", [](Ctx& c) {
    return ToOutcome(c.Admin().StorePage({.title = "", .content = "<p>no title</p>"}, c.Req()));
  });
  add(wncms::kMenusStore, 422, "empty name", [](Ctx& c) {
    return ToOutcome(c.Admin().StoreMenu({.name = "", .menu_items = {}}, c.Req()));
  });
  add(wncms::kMenusSync, 422, "menu name missing",
      [](Ctx& c) { return ToOutcome(c.Admin().SyncMenu({.name = ""}, c.Req())); });
  return cases;
}

}  // namespace restbox::contract
