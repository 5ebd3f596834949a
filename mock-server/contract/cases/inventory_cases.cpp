// Realistic triggers for every documented row of inventory (API-CONTRACT section 3).
#include "restbox/inventory/client.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

namespace inv = restbox::inventory;
using core::Json;

// Everything a call of any endpoint needs; Valid() fills a request that succeeds, each case then
// breaks one thing.
struct Args {
  std::string token;  // {token} of items.get and the template endpoints
  inv::ItemQuery item_query;
  inv::PageQuery page_query;
  inv::CreateTemplateRequest create;
  inv::ShareRequest share;
  std::string share_token;
  inv::SendRequest send;
  inv::OwnershipRequest ownership;
};

struct Ctx {
  Env& env;
  const Json& fix;
  explicit Ctx(Env& e) : env(e), fix(e.Fix("inventory")) {}
  std::string Fix(const char* role) const { return fix.at(role).get<std::string>(); }
  inv::Client MakeClient(const std::string& key) const {
    inv::ClientOptions o;
    static_cast<core::ClientOptions&>(o) = env.Options();
    o.api_key = key;
    return inv::Client(o);
  }
  inv::RequestOptions Req() const {
    inv::RequestOptions r;
    r.headers = env.extra;
    return r;
  }
};

// A token no token format accepts: the documents say nothing of a token's shape (the seed shows
// "encrypted_item_id"), so INVALID_TOKEN is reached with one that is not even URL-safe, never with
// another kind's token (a server may give every kind the same shape).
constexpr const char* kMalformedToken = "not a token!";

// Reads only the fixtures the endpoint's own call uses: against a server that is not restbox-mock
// a fixture the file lacks skips the row naming it, so reading another endpoint's would skip rows
// that never need it (items.list for want of a template token).
Args Valid(const std::string& ep, const Ctx& c) {
  Args a;
  if (ep == inv::kGetItem) {
    a.token = c.Fix("item_token");
  } else if (ep == inv::kGetTemplate || ep == inv::kShareTemplate || ep == inv::kSendTemplate ||
             ep == inv::kCheckOwnership) {
    a.token = c.Fix("template_token");
  }
  a.create = {.image_url = "https://example.com/image.png",
              .title = "模板标题",
              .content = "模板内容",
              .comment_mode = "independent",
              .keywords = std::vector<std::string>{"product:laptop", "price:$1500000KRW$"}};
  a.share = {.duration_minutes = 1440, .tags = {"tag1", "tag2"}};
  if (ep == inv::kRevokeShare) a.share_token = c.Fix("share_token");
  a.send = {.message = "送给你的礼物!",
            .keywords = std::vector<std::string>{"日期:2025-01-15", "金额:50000"}};
  if (ep == inv::kSendTemplate) a.send.recipient_email = c.Fix("recipient_email");
  a.ownership = {.keyword_keys = std::vector<std::string>{"日期", "价格"}};
  if (ep == inv::kCheckOwnership) a.ownership.email = c.Fix("recipient_email");
  return a;
}

Task<Outcome> Call(const std::string& ep, const Ctx& c, inv::Client& client, const Args& a) {
  auto o = c.Req();
  if (ep == inv::kListItems) return ToOutcome(client.ListItems(a.item_query, o));
  if (ep == inv::kGetItem) return ToOutcome(client.GetItem(a.token, o));
  if (ep == inv::kListTemplates) return ToOutcome(client.ListTemplates(a.page_query, o));
  if (ep == inv::kGetTemplate) return ToOutcome(client.GetTemplate(a.token, o));
  if (ep == inv::kListSharedTemplates) return ToOutcome(client.ListSharedTemplates(o));
  if (ep == inv::kGetUserStats) return ToOutcome(client.GetUserStats(o));
  if (ep == inv::kCreateTemplate) return ToOutcome(client.CreateTemplate(a.create, o));
  if (ep == inv::kShareTemplate) return ToOutcome(client.ShareTemplate(a.token, a.share, o));
  if (ep == inv::kRevokeShare) return ToOutcome(client.RevokeShare(a.share_token, o));
  if (ep == inv::kSendTemplate) return ToOutcome(client.SendTemplate(a.token, a.send, o));
  return ToOutcome(client.CheckOwnership(a.token, a.ownership, o));
}

}  // namespace

// Listed in the generated all_cases.cpp (mock-server/contract/CMakeLists.txt).
std::vector<Case> InventoryCases() {
  std::vector<Case> cases;
  // One case: run endpoint `ep` with the key of fixture role `key_role`, after `edit` changed the
  // valid arguments.
  auto add = [&](std::string_view ep_id, std::string_view code, int status, std::string trigger,
                 const std::string& key_role, const std::function<void(Args&, const Ctx&)>& edit) {
    std::string ep(ep_id);
    cases.push_back({"inventory", ep, status, std::string(code), std::move(trigger),
                     [ep, key_role, edit](Env& env) {
                       Ctx c(env);
                       Args a = Valid(ep, c);
                       if (edit) edit(a, c);
                       auto client = c.MakeClient(key_role.empty() ? "inv_" + std::string(43, 'Z')
                                                                   : c.Fix(key_role.c_str()));
                       return Call(ep, c, client, a);
                     }});
  };
  auto use = [](const char* role) {
    return [role](Args& a, const Ctx& c) { a.token = c.Fix(role); };
  };

  for (const auto& ep_spec : inv::Spec().endpoints) {
    const std::string ep = ep_spec.id;
    add(ep, "", 200, "valid request with the main user's key", "api_key", nullptr);
    add(ep, inv::kInvalidApiKey, 401, "well-formed key that was never issued", "", nullptr);
    add(ep, inv::kApiKeyExpired, 401, "key past its expiry", "expired_key", nullptr);
    add(ep, inv::kApiDisabled, 403, "key of an account whose API access is off", "api_disabled_key",
        nullptr);
    add(ep, inv::kRateLimitExceeded, 429, "key of an account whose monthly quota is used up",
        "quota_exhausted_key", nullptr);
    if (ep_spec.method == core::Method::kPost)
      add(ep, inv::kScopeDenied, 403, "read-only key on a POST", "read_only_key", nullptr);
    // Endpoints acting on the caller's template {token}.
    if (ep == inv::kGetTemplate || ep == inv::kShareTemplate || ep == inv::kSendTemplate ||
        ep == inv::kCheckOwnership) {
      add(ep, inv::kInvalidToken, 400, "{token} 'not a token!'", "api_key",
          [](Args& a, const Ctx&) { a.token = kMalformedToken; });
      add(ep, inv::kNotFound, 404, "well-formed unknown template token", "api_key",
          use("unknown_template_token"));
      add(ep, inv::kForbidden, 403, "another user's template", "api_key",
          use("other_template_token"));
    }
  }

  add(inv::kListItems, inv::kValidationError, 400, "pageSize=101", "api_key",
      [](Args& a, const Ctx&) { a.item_query.page_size = 101; });
  add(inv::kGetItem, inv::kInvalidToken, 400, "{token} 'not a token!'", "api_key",
      [](Args& a, const Ctx&) { a.token = kMalformedToken; });
  add(inv::kGetItem, inv::kNotFound, 404, "well-formed unknown item token", "api_key",
      use("unknown_item_token"));
  add(inv::kListTemplates, inv::kValidationError, 400, "pageSize=101", "api_key",
      [](Args& a, const Ctx&) { a.page_query.page_size = 101; });

  add(inv::kCreateTemplate, inv::kValidationError, 400, "33-character Chinese title", "api_key",
      [](Args& a, const Ctx&) {
        a.create.title.clear();
        for (int i = 0; i < 33; ++i) a.create.title += "字";
      });
  add(inv::kCreateTemplate, inv::kInvalidImage, 400, "imageUrl ftp://…", "api_key",
      [](Args& a, const Ctx&) { a.create.image_url = "ftp://example.com/image.png"; });

  add(inv::kShareTemplate, inv::kValidationError, 400, "durationMinutes 30", "api_key",
      [](Args& a, const Ctx&) { a.share.duration_minutes = 30; });
  add(inv::kShareTemplate, inv::kAlreadyShared, 400, "template with an active share", "api_key",
      use("shared_template_token"));

  // shareToken left out (an empty one could as well be read as a malformed token).
  cases.push_back({"inventory", std::string(inv::kRevokeShare), 400,
                   std::string(inv::kValidationError), "body without shareToken", [](Env& env) {
                     Ctx c(env);
                     auto client = c.MakeClient(c.Fix("api_key"));
                     core::CallSpec call;
                     call.endpoint = &client.Endpoint(inv::kRevokeShare);
                     call.headers = c.Req().headers;
                     call.headers.Set("Authorization", "Bearer " + c.Fix("api_key"));
                     call.body = Json::object();
                     return SendRaw(client, std::move(call), &inv::ParseError);
                   }});
  add(inv::kRevokeShare, inv::kInvalidToken, 400, "shareToken 'not a token!'", "api_key",
      [](Args& a, const Ctx&) { a.share_token = kMalformedToken; });
  add(inv::kRevokeShare, inv::kNotFound, 404, "well-formed unknown share token", "api_key",
      [](Args& a, const Ctx& c) { a.share_token = c.Fix("unknown_share_token"); });
  add(inv::kRevokeShare, inv::kForbidden, 403, "another user's share", "api_key",
      [](Args& a, const Ctx& c) { a.share_token = c.Fix("other_share_token"); });
  add(inv::kRevokeShare, inv::kNotShared, 400, "share that was already revoked", "api_key",
      [](Args& a, const Ctx& c) { a.share_token = c.Fix("revoked_share_token"); });

  add(inv::kSendTemplate, inv::kValidationError, 400, "message of 201 characters", "api_key",
      [](Args& a, const Ctx&) { a.send.message = std::string(201, 'm'); });
  add(inv::kSendTemplate, inv::kRecipientNotFound, 404, "recipient email without an account",
      "api_key", [](Args& a, const Ctx& c) { a.send.recipient_email = c.Fix("unknown_email"); });

  // email is the one required member; the key length rule is documented for keywords, not for
  // the keys asked about.
  add(inv::kCheckOwnership, inv::kValidationError, 400, "empty email", "api_key",
      [](Args& a, const Ctx&) { a.ownership.email.clear(); });
  return cases;
}

}  // namespace restbox::contract
