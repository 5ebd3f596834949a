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

// A valid call of each endpoint: the success row, and the base of the 401/403/500 rows.
Outcome CallEndpoint(std::string_view ep, Ctx& c, Client& client) {
  namespace w = wncms;
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
  if (ep == w::kPagesShow)
    return ToOutcome(client.GetPage(c.fix.at("page_slug"), std::nullopt, c.Req()));
  if (ep == w::kMenusIndex) return ToOutcome(client.ListMenus({}, c.Req()));
  if (ep == w::kMenusStore)
    return ToOutcome(client.StoreMenu(
        {.name = "Sidebar", .menu_items = {{.name = "首頁", .url = "/"}}}, c.Req()));
  if (ep == w::kMenusSync)
    return ToOutcome(client.SyncMenu(
        {.name = c.fix.at("menu_name"), .menu_items = {{.name = "Home", .url = "/"}}}, c.Req()));
  return ToOutcome(client.GetMenu(c.Id("menu_id"), std::nullopt, c.Req()));
}

// The endpoint called with a body that is not JSON (the typed client only sends JSON): the raw
// exchange of the client, its answer read by the client's error parser.
Outcome SendInvalidJson(const core::EndpointSpec& endpoint, Ctx& c) {
  auto client = c.Admin();
  core::CallSpec call;
  call.endpoint = &endpoint;
  if (endpoint.path.find("{id}") != std::string::npos) call.path = {{"id", "1"}};
  call.headers = c.env.extra;
  call.raw_body = R"({"api_token": )" + c.fix.at("api_token").dump() + ", \"page\": ";
  core::Promise<core::HttpResponse> promise;
  auto future = promise.GetFuture();
  client.Exchange(std::move(call), [promise](core::Result<core::HttpResponse> r) mutable {
    promise.Set(std::move(r));
  });
  auto answer = Await(std::move(future));
  if (!answer.ok()) return ToOutcome(std::move(answer));
  if (answer->status >= 200 && answer->status < 300) return Outcome{true, answer->status, {}};
  return Outcome{false, answer->status, wncms::ParseError(*answer)};
}

std::vector<Case> Make() {
  std::vector<Case> cases;
  auto add = [&](std::string_view ep, int status, std::string trigger,
                 std::function<Outcome(Ctx&)> fn) {
    std::string code = status == 200 ? "" : std::to_string(status);
    cases.push_back({"wncms", std::string(ep), status, code, std::move(trigger), [fn](Env& env) {
                       Ctx c(env);
                       return fn(c);
                     }});
  };

  for (const auto& endpoint : wncms::Spec().endpoints) {
    const std::string ep = endpoint.id;
    add(ep, 200, "valid request with the admin's api_token", [ep](Ctx& c) {
      auto client = c.Admin();
      return CallEndpoint(ep, c, client);
    });
    add(ep, 401, "api_token that belongs to no user", [ep](Ctx& c) {
      auto client = c.MakeClient("not-a-real-token");
      return CallEndpoint(ep, c, client);
    });
    add(ep, 403, "the route's feature toggle switched off", [ep](Ctx& c) {
      std::string key(wncms::FeatureKey(ep));
      if (auto err = c.env.admin().ApplySettings("wncms", {{key, false}}))
        return Outcome{false, 0, core::MakeError(core::ErrorKind::kInvalidArgument, *err)};
      auto client = c.Admin();
      return CallEndpoint(ep, c, client);
    });
    add(ep, 500, "fault rule: the next request answers 500", [ep](Ctx& c) {
      auto client = c.Admin();
      c.env.admin().AddFault({{"action", "status"}, {"status", 500}, {"times", 1}});
      return CallEndpoint(ep, c, client);
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
  add(wncms::kPagesIndex, 400, "page_size 0",
      [](Ctx& c) { return ToOutcome(c.Admin().ListPages({.page_size = 0}, c.Req())); });
  add(wncms::kMenusIndex, 400, "page_size over 100",
      [](Ctx& c) { return ToOutcome(c.Admin().ListMenus({.page_size = 500}, c.Req())); });

  // 404: unknown ids.
  add(wncms::kPostsShow, 404, "unknown post id", [](Ctx& c) {
    return ToOutcome(c.Admin().GetPost(std::to_string(c.Id("unknown_id")), std::nullopt, c.Req()));
  });
  add(wncms::kPagesShow, 404, "unknown page slug",
      [](Ctx& c) { return ToOutcome(c.Admin().GetPage("no-such-page", std::nullopt, c.Req())); });
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
  add(wncms::kTagsExist, 422, "empty tagIds",
      [](Ctx& c) { return ToOutcome(c.Admin().ExistingTagIds({}, c.Req())); });
  add(wncms::kPagesStore, 422, "title longer than 255 characters", [](Ctx& c) {
    std::string title;
    for (int i = 0; i < 256; ++i) title += "頁";
    return ToOutcome(c.Admin().StorePage({.title = title}, c.Req()));
  });
  add(wncms::kMenusStore, 422, "menu item without a name", [](Ctx& c) {
    return ToOutcome(
        c.Admin().StoreMenu({.name = "Broken", .menu_items = {{.url = "/"}}}, c.Req()));
  });
  add(wncms::kMenusSync, 422, "menu name missing",
      [](Ctx& c) { return ToOutcome(c.Admin().SyncMenu({.name = ""}, c.Req())); });
  return cases;
}

const CaseRegistrar kRegistrar("wncms", Make);

}  // namespace
}  // namespace restbox::contract
