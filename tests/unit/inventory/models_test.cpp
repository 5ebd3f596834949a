// Models against the seed's examples. The goldens are the endpoint table's example_request /
// example_response (copied verbatim from seed 002), so they are embedded in the build (wasm too)
// and written once.
#include <gtest/gtest.h>

#include "restbox/inventory/models.hpp"
#include "restbox/inventory/spec.hpp"

namespace restbox::inventory {
namespace {

using core::Json;

const core::EndpointSpec& Ep(std::string_view id) {
  const core::EndpointSpec* e = Spec().Find(id);
  EXPECT_NE(e, nullptr) << id;
  return *e;
}

Json DataOf(const std::string& example) {
  auto parsed = core::ParseJson(example);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? parsed->at("data") : Json();
}

// Decodes `json` into T and writes it back: the seed's JSON must survive unchanged.
template <typename T>
T RoundTrip(const Json& json) {
  auto model = core::ConvertJson<T>(json);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  if (!model.ok()) return T{};
  EXPECT_EQ(Json(model.value()), json);
  return model.value();
}

TEST(InventoryModels, ItemListFromTheSeed) {
  auto list = RoundTrip<ItemList>(DataOf(Ep(kListItems).example_response));
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0].token, "encrypted_item_id");
  EXPECT_EQ(list.items[0].title, "物品标题");
  EXPECT_EQ(list.items[0].type, "paper");
  EXPECT_FALSE(list.items[0].keywords.has_value());  // the list shows none
  EXPECT_EQ(list.pagination, (Pagination{1, 20, 50, 3}));
}

TEST(InventoryModels, ItemDetailFromTheSeed) {
  auto item = RoundTrip<Item>(DataOf(Ep(kGetItem).example_response));
  ASSERT_TRUE(item.keywords.has_value());
  EXPECT_EQ(*item.keywords, (std::vector<std::string>{"key:value", "tag:example"}));
  EXPECT_EQ(item.updated_at, "2025-01-01T00:00:00Z");
}

TEST(InventoryModels, TemplatesFromTheSeed) {
  auto list = RoundTrip<TemplateList>(DataOf(Ep(kListTemplates).example_response));
  ASSERT_EQ(list.templates.size(), 1u);
  EXPECT_EQ(list.templates[0].comment_mode, "independent");
  EXPECT_FALSE(list.templates[0].is_sharing);
  EXPECT_EQ(list.pagination.total_items, 10);

  auto detail = RoundTrip<Template>(DataOf(Ep(kGetTemplate).example_response));
  ASSERT_TRUE(detail.valid_until.has_value());
  EXPECT_FALSE(detail.valid_until->has_value());  // present and null
  ASSERT_TRUE(detail.publish_date.has_value());
  EXPECT_EQ(**detail.publish_date, "2025-01-01T00:00:00Z");
}

TEST(InventoryModels, SharedTemplatesFromTheSeed) {
  auto list = RoundTrip<SharedTemplateList>(DataOf(Ep(kListSharedTemplates).example_response));
  ASSERT_EQ(list.shared_templates.size(), 1u);
  EXPECT_EQ(list.shared_templates[0].share_token, "encrypted_share_id");
  EXPECT_EQ(list.shared_templates[0].expires_at, "2025-01-02T00:00:00Z");
  EXPECT_EQ(list.shared_templates[0].copy_count, 5);
}

TEST(InventoryModels, UnlimitedShareHasNullExpiry) {
  Json unlimited = {{"shareToken", "shr_x"}, {"expiresAt", nullptr}, {"tags", {"A"}}};
  auto share = RoundTrip<Share>(unlimited);
  EXPECT_FALSE(share.expires_at.has_value());
}

TEST(InventoryModels, UserStatsFromTheSeed) {
  auto stats = RoundTrip<UserStats>(DataOf(Ep(kGetUserStats).example_response));
  EXPECT_EQ(stats.email, "user@example.com");
  EXPECT_EQ(stats.items, (UserStats::Items{50, 30, 20}));
  EXPECT_EQ(stats.api.monthly_limit, 1000);
  EXPECT_EQ(stats.api.monthly_used, 150);
  EXPECT_FALSE(stats.templates.has_value());
}

TEST(InventoryModels, WriteRequestsAndAnswersFromTheSeed) {
  auto parse = [](const std::string& text) {
    auto j = core::ParseJson(text);
    EXPECT_TRUE(j.ok());
    return j.ok() ? *j : Json();
  };
  auto create = RoundTrip<CreateTemplateRequest>(parse(Ep(kCreateTemplate).example_request));
  EXPECT_EQ(create.keywords, (std::vector<std::string>{"product:laptop", "price:$1500000KRW$"}));
  EXPECT_FALSE(create.publish_date.has_value());
  RoundTrip<CreatedTemplate>(DataOf(Ep(kCreateTemplate).example_response));

  auto share = RoundTrip<ShareRequest>(parse(Ep(kShareTemplate).example_request));
  EXPECT_EQ(share.duration_minutes, 1440);
  RoundTrip<Share>(DataOf(Ep(kShareTemplate).example_response));

  auto revoke = RoundTrip<RevokeRequest>(parse(Ep(kRevokeShare).example_request));
  EXPECT_EQ(revoke.share_token, "encrypted_share_id");
  EXPECT_EQ(RoundTrip<RevokeResult>(DataOf(Ep(kRevokeShare).example_response)).message,
            "共享已成功撤销");

  auto send = RoundTrip<SendRequest>(parse(Ep(kSendTemplate).example_request));
  EXPECT_EQ(send.message, "送给你的礼物!");
  EXPECT_EQ(RoundTrip<SendResult>(DataOf(Ep(kSendTemplate).example_response)).status, "sent");

  auto ask = RoundTrip<OwnershipRequest>(parse(Ep(kCheckOwnership).example_request));
  EXPECT_EQ(ask.keyword_keys, (std::vector<std::string>{"日期", "金额"}));
  auto owned = RoundTrip<Ownership>(DataOf(Ep(kCheckOwnership).example_response));
  EXPECT_TRUE(owned.has_item);
  ASSERT_TRUE(owned.keywords.has_value());
  EXPECT_EQ(owned.keywords->at("金额"), "50000");
}

TEST(InventoryModels, EveryExampleIsValidJson) {
  for (const auto& ep : Spec().endpoints) {
    EXPECT_FALSE(ep.example_response.empty()) << ep.id;
    EXPECT_TRUE(core::ParseJson(ep.example_response).ok()) << ep.id;
    if (!ep.example_request.empty()) {
      EXPECT_TRUE(core::ParseJson(ep.example_request).ok()) << ep.id;
    }
  }
}

TEST(InventoryErrors, ErrorBodyBecomesTypedError) {
  core::HttpResponse r;
  r.status = 400;
  r.body = R"({"success":false,"error":{"code":"NOT_SHARED","message":"模板当前未共享"}})";
  core::Error e = ParseError(r);
  EXPECT_EQ(e.kind, core::ErrorKind::kBadRequest);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.code, "NOT_SHARED");
  EXPECT_EQ(e.message, "模板当前未共享");
  EXPECT_EQ(e.raw_body, r.body);
}

TEST(InventoryErrors, ValidationDetailsRoundTrip) {
  ApiError api{400,
               "VALIDATION_ERROR",
               "Invalid input: title must be at most 32 characters",
               {{"title", "must be at most 32 characters"}}};
  core::HttpResponse r{400, {}, core::DumpJson(ErrorBody(api))};
  auto back = ParseErrorBody(r.body);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->code, api.code);
  EXPECT_EQ(back->details, api.details);
  EXPECT_EQ(ParseError(r).details, api.details);
}

TEST(InventoryErrors, NonJsonBodyStillGivesStatusAndKind) {
  core::HttpResponse r{502, {}, "<html>Bad Gateway</html>"};
  core::Error e = ParseError(r);
  EXPECT_EQ(e.kind, core::ErrorKind::kServerError);
  EXPECT_EQ(e.code, "");
  EXPECT_EQ(e.message, "Bad Gateway");
}

TEST(InventoryInterpret, SuccessGivesDataAndErrorsGiveTheCode) {
  const auto& ep = Ep(kListSharedTemplates);
  core::HttpResponse ok{200, {}, ep.example_response};
  auto data = InterpretResponse(ep, ok);
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->contains("sharedTemplates"));

  core::HttpResponse limited{
      429, {}, R"({"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}})"};
  auto refused = InterpretResponse(ep, limited);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::kRateLimited);
  EXPECT_EQ(refused.error().code, "RATE_LIMIT_EXCEEDED");

  core::HttpResponse no_envelope{200, {}, R"({"sharedTemplates":[]})"};
  auto bad = InterpretResponse(ep, no_envelope);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, core::ErrorKind::kDecode);
  EXPECT_EQ(bad.error().http_status, 200);
}

}  // namespace
}  // namespace restbox::inventory
