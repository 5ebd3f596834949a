// The shared validator: keyword grammar, tokens, limits in code points, and the order of the
// checks (which code answers when several rules are broken).
#include <gtest/gtest.h>

#include "inventory/harness.hpp"
#include "restbox/inventory/validation.hpp"

namespace restbox::inventory {
namespace {

using core::Json;
using testing::Chinese;

std::string Problem(std::string_view keyword) {
  std::string problem;
  auto parsed = ParseKeyword(keyword, &problem);
  EXPECT_EQ(parsed.has_value(), problem.empty()) << keyword;
  return parsed ? std::string() : problem;
}

TEST(InventoryKeywords, SeedExamplesAreValid) {
  for (const char* k :
       {"product:pen", "start:@2025-01-15@", "contact:#+82 10-1234-5678#", "place:%首尔 江南%",
        "price:$50000KRW$", "price:$1500000KRW$", "日期:2025-01-15", "金额:50000", "key:value",
        "tag:example", "日期:@date@", "价格:0"}) {
    EXPECT_EQ(Problem(k), "") << k;
  }
}

TEST(InventoryKeywords, TypedValuesAreRecognised) {
  auto date = ParseKeyword("start:@2025-01-15@");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->key, "start");
  EXPECT_EQ(date->value, "@2025-01-15@");
  EXPECT_EQ(date->type, KeywordType::kDate);
  EXPECT_FALSE(date->placeholder);
  EXPECT_EQ(ParseKeyword("contact:#+82 10-1234-5678#")->type, KeywordType::kPhone);
  EXPECT_EQ(ParseKeyword("place:%首尔 江南%")->type, KeywordType::kAddress);
  EXPECT_EQ(ParseKeyword("price:$19.99USD$")->type, KeywordType::kAmount);
  EXPECT_EQ(ParseKeyword("email:a@b.com")->type, KeywordType::kText);  // '@' inside is plain text
  for (const char* p : {"日期:@date@", "tel:#phone#", "addr:%address%", "sum:$amount$"}) {
    auto k = ParseKeyword(p);
    ASSERT_TRUE(k) << p;
    EXPECT_TRUE(k->placeholder) << p;
  }
}

TEST(InventoryKeywords, DateMustBeARealCalendarDate) {
  EXPECT_EQ(Problem("d:@2024-02-29@"), "");  // leap year
  EXPECT_EQ(Problem("d:@2025-02-29@"), "@2025-02-29@ is not a valid date");
  EXPECT_EQ(Problem("d:@2025-13-01@"), "@2025-13-01@ is not a valid date");
  EXPECT_EQ(Problem("d:@2025-1-5@"), "date must be @YYYY-MM-DD@");
  EXPECT_EQ(Problem("d:@tomorrow@"), "date must be @YYYY-MM-DD@");
  EXPECT_EQ(Problem("d:@2025-01-15"), "typed value must end with '@'");
}

TEST(InventoryKeywords, PhoneAddressAndAmountRules) {
  EXPECT_EQ(Problem("p:#(02) 555.1234#"), "");
  EXPECT_EQ(Problem("p:#12#"), "phone must have at least 3 digits");
  EXPECT_NE(Problem("p:#call me#"), "");
  EXPECT_NE(Problem("p:#12+345#"), "");  // '+' only in front
  EXPECT_EQ(Problem("a:%   %"), "address must not be blank");
  EXPECT_NE(Problem("a:%50%%"), "");
  EXPECT_NE(Problem("m:$50000$"), "");     // no currency
  EXPECT_NE(Problem("m:$KRW$"), "");       // no number
  EXPECT_NE(Problem("m:$50000krw$"), "");  // currency in capitals
  EXPECT_NE(Problem("m:$5.KRW$"), "");     // decimals missing
  EXPECT_NE(Problem("m:$-5KRW$"), "");
  EXPECT_NE(Problem("m:$50000KRWX$"), "");
}

TEST(InventoryKeywords, ShapeKeyAndLengthRules) {
  EXPECT_EQ(Problem("nocolon"), "keyword must be key:value");
  EXPECT_EQ(Problem(":value"), "key must not be empty");
  EXPECT_EQ(Problem("key:"), "value must not be empty");
  EXPECT_EQ(Problem("my key:x"), "key must not contain white space");
  EXPECT_EQ(Problem("12345678:x"), "");
  EXPECT_EQ(Problem("123456789:x"), "key must be at most 8 characters");
  // Keys count code points: 8 Chinese characters (24 bytes) are fine, 9 are not.
  EXPECT_EQ(Problem(Chinese(8) + ":x"), "");
  EXPECT_EQ(Problem(Chinese(9) + ":x"), "key must be at most 8 characters");
  // The whole keyword is at most 256 code points: "k:" + 254 = 256.
  EXPECT_EQ(Problem("k:" + Chinese(254)), "");
  EXPECT_EQ(Problem("k:" + Chinese(255)), "keyword must be at most 256 characters");
  EXPECT_EQ(Problem("a:b:c"), "");  // split at the first ':'
  EXPECT_EQ(ParseKeyword("a:b:c")->value, "b:c");
}

TEST(InventoryKeywords, MergeFollowsTheSeedExample) {
  EXPECT_EQ(MergeKeywords({"日期:@date@", "价格:0"}, {"日期:2025-01-15", "姓名:张三"}),
            (std::vector<std::string>{"日期:2025-01-15", "价格:0", "姓名:张三"}));
  // Later overrides of the same key win; the position stays the template's.
  EXPECT_EQ(MergeKeywords({"a:1", "b:2"}, {"b:3", "c:4", "b:5"}),
            (std::vector<std::string>{"a:1", "b:5", "c:4"}));
  EXPECT_EQ(MergeKeywords({}, {}), std::vector<std::string>{});
}

TEST(InventoryTokens, WellFormedMeansPrefixAnd22Base64UrlCharacters) {
  std::uint64_t n = 7;
  auto next = [&] { return n = n * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (auto kind : {TokenKind::kItem, TokenKind::kTemplate, TokenKind::kShare}) {
    std::string t = MakeToken(kind, next);
    EXPECT_TRUE(IsWellFormedToken(t, kind)) << t;
    EXPECT_EQ(t.size(), 26u);
    EXPECT_FALSE(IsWellFormedToken(t.substr(0, 25), kind));
    EXPECT_FALSE(IsWellFormedToken(t + "A", kind));
    std::string bad = t;
    bad[10] = '!';
    EXPECT_FALSE(IsWellFormedToken(bad, kind));
  }
  EXPECT_TRUE(IsWellFormedToken("tpl_AAAAAAAAAAAAAAAAAAAAA-", TokenKind::kTemplate));
  EXPECT_FALSE(IsWellFormedToken("tpl_AAAAAAAAAAAAAAAAAAAAA-", TokenKind::kItem));
  EXPECT_FALSE(IsWellFormedToken("encrypted_template_id", TokenKind::kTemplate));
}

TEST(InventoryAuth, AuthorizationShape) {
  EXPECT_EQ(CheckAuthorization(std::nullopt)->message, "Missing Authorization header");
  EXPECT_EQ(CheckAuthorization(std::string("Basic abc"))->code, "INVALID_API_KEY");
  EXPECT_EQ(CheckAuthorization(std::string("Bearer tm_test_abc"))->status, 401);
  EXPECT_TRUE(CheckAuthorization(std::string("Bearer inv_short")).has_value());
  EXPECT_FALSE(CheckAuthorization("Bearer inv_" + std::string(40, 'a')).has_value());
  EXPECT_TRUE(CheckAuthorization("Bearer inv_" + std::string(39, 'a')).has_value());
  EXPECT_TRUE(CheckAuthorization("Bearer inv_" + std::string(40, '+')).has_value());
}

TEST(InventoryUrls, ImageUrlMustBeHttpOrHttps) {
  EXPECT_TRUE(IsHttpUrl("https://example.com/image.png"));
  EXPECT_TRUE(IsHttpUrl("HTTP://example.com:8080/a?b=c"));
  EXPECT_FALSE(IsHttpUrl("ftp://example.com/a.png"));
  EXPECT_FALSE(IsHttpUrl("example.com/a.png"));
  EXPECT_FALSE(IsHttpUrl("https://"));
  EXPECT_FALSE(IsHttpUrl("https://exa mple.com/a.png"));
  EXPECT_FALSE(IsHttpUrl("/relative/a.png"));
}

// ---- CheckRequest: the whole validation of one request ----
const core::EndpointSpec& EndpointOf(std::string_view id) {
  return *Spec().Find(id);
}
std::optional<ApiError> Check(std::string_view ep, const Json& body,
                              std::map<std::string, std::string> path = {}) {
  RequestParts parts;
  parts.path = std::move(path);
  parts.body = &body;
  return CheckRequest(EndpointOf(ep), parts);
}
std::optional<ApiError> CheckQuery(std::string_view ep, core::QueryParams query) {
  RequestParts parts;
  parts.query = std::move(query);
  return CheckRequest(EndpointOf(ep), parts);
}
Json Create(std::string title) {
  return {{"imageUrl", "https://example.com/a.png"}, {"title", std::move(title)}};
}
const std::map<std::string, std::string> kTemplatePath = {{"token", "tpl_AAAAAAAAAAAAAAAAAAAAAA"}};

TEST(InventoryCheckRequest, TitleCountsCodePoints) {
  EXPECT_FALSE(Check(kCreateTemplate, Create(Chinese(32))));
  auto too_long = Check(kCreateTemplate, Create(Chinese(33)));
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 400);
  EXPECT_EQ(too_long->code, "VALIDATION_ERROR");
  EXPECT_EQ(too_long->details,
            (std::vector<core::FieldError>{{"title", "must be at most 32 characters"}}));
  EXPECT_EQ(too_long->message, "Invalid input: title must be at most 32 characters");
  EXPECT_EQ(Check(kCreateTemplate, Create(""))->details[0].message, "must not be empty");
}

TEST(InventoryCheckRequest, ContentKeywordsAndDates) {
  Json body = Create("t");
  body["content"] = Chinese(1024);
  EXPECT_FALSE(Check(kCreateTemplate, body));
  body["content"] = Chinese(1025);
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0].field, "content");

  body = Create("t");
  body["keywords"] = Json::array();
  for (int i = 0; i < 128; ++i) body["keywords"].push_back("k" + std::to_string(i) + ":v");
  EXPECT_FALSE(Check(kCreateTemplate, body));
  body["keywords"].push_back("k:v");
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0].message, "must have at most 128 items");

  body = Create("t");
  body["keywords"] = {"ok:1", "price:$50000$"};
  auto bad = Check(kCreateTemplate, body);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->details[0].field, "keywords");
  EXPECT_EQ(bad->details[0].message.rfind("item 1 (\"price:$50000$\"): amount", 0), 0u)
      << bad->details[0].message;
  body["keywords"] = {"ok:1", 5};
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0].message, "item 1 must be a string");

  body = Create("t");
  body["publishDate"] = "2025-02-30";
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0].field, "publishDate");
  body["publishDate"] = "2025-03-01T00:00:00Z";
  body["validUntil"] = "2025-02-01";
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0].message, "must not be before publishDate");
  body["validUntil"] = "2025-12-31T23:59:59+09:00";
  EXPECT_FALSE(Check(kCreateTemplate, body));
}

TEST(InventoryCheckRequest, ImageUrlIsCheckedAfterTheOtherRules) {
  Json body = Create(Chinese(33));
  body["imageUrl"] = "ftp://example.com/a.png";
  EXPECT_EQ(Check(kCreateTemplate, body)->code, "VALIDATION_ERROR");
  body["title"] = "fine";
  auto image = Check(kCreateTemplate, body);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->code, "INVALID_IMAGE");
  EXPECT_EQ(image->status, 400);
  body.erase("imageUrl");
  EXPECT_EQ(Check(kCreateTemplate, body)->details[0],
            (core::FieldError{"imageUrl", "is required"}));
}

TEST(InventoryCheckRequest, ShareDurationAndTags) {
  auto share = [&](Json minutes, Json tags) {
    return Check(kShareTemplate,
                 {{"durationMinutes", std::move(minutes)}, {"tags", std::move(tags)}},
                 kTemplatePath);
  };
  for (int ok : {0, 60, 1440, 43200}) EXPECT_FALSE(share(ok, {"A"})) << ok;
  for (int bad : {-1, 1, 59, 43201}) EXPECT_EQ(share(bad, {"A"})->code, "VALIDATION_ERROR") << bad;
  EXPECT_EQ(share(90.5, {"A"})->details[0].message, "must be an integer");
  EXPECT_EQ(share("60", {"A"})->details[0].message, "must be an integer");
  EXPECT_EQ(share(60, Json::array())->details[0].message, "must have at least 1 items");
  Json sixteen = Json::array();
  for (int i = 0; i < 16; ++i) sixteen.push_back("t" + std::to_string(i));
  EXPECT_FALSE(share(60, sixteen));
  sixteen.push_back("t16");
  EXPECT_TRUE(share(60, sixteen));
  EXPECT_EQ(share(60, {"A", " "})->details[0].message, "item 1 (\" \"): tag must not be blank");
  EXPECT_EQ(Check(kShareTemplate, {{"tags", {"A"}}}, kTemplatePath)->details[0],
            (core::FieldError{"durationMinutes", "is required"}));
}

TEST(InventoryCheckRequest, MalformedPathTokenComesFirst) {
  // A malformed token wins over a broken body...
  auto both = Check(kShareTemplate, {{"durationMinutes", 1}}, {{"token", "not-a-token"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->code, "INVALID_TOKEN");
  EXPECT_EQ(
      both->message,
      "Malformed template token in 'token': expected tpl_ followed by 22 base64url characters");
  // ...an item token is not a template token, and a missing one is malformed too.
  EXPECT_EQ(Check(kSendTemplate, {{"recipientEmail", "a@b.co"}},
                  {{"token", "itm_AAAAAAAAAAAAAAAAAAAAAA"}})
                ->code,
            "INVALID_TOKEN");
  RequestParts none;
  EXPECT_EQ(CheckRequest(EndpointOf(kGetItem), none)->code, "INVALID_TOKEN");
  RequestParts item;
  item.path = {{"token", "itm_AAAAAAAAAAAAAAAAAAAAAA"}};
  EXPECT_FALSE(CheckRequest(EndpointOf(kGetItem), item));
}

TEST(InventoryCheckRequest, DocumentedShapesRefuseOnlyWhatNoServerCouldAccept) {
  RequestParts other;
  other.path = {{"token", "Xk9-abc_DEF.ghi~27characters"}};
  EXPECT_FALSE(CheckRequest(EndpointOf(kGetItem), other, Shapes::kDocumented));
  EXPECT_EQ(CheckRequest(EndpointOf(kGetItem), other)->code,
            "INVALID_TOKEN");  // not the mock's format
  RequestParts unsafe;
  unsafe.path = {{"token", "not a token!"}};
  auto documented = CheckRequest(EndpointOf(kGetItem), unsafe, Shapes::kDocumented);
  auto mock = CheckRequest(EndpointOf(kGetItem), unsafe);
  ASSERT_TRUE(documented && mock);
  EXPECT_EQ(documented->code, "INVALID_TOKEN");
  EXPECT_EQ(*documented, *mock);  // the same words from a client and from the mock
  EXPECT_EQ(documented->message, "Malformed item token in 'token'");
  RequestParts none;
  EXPECT_EQ(CheckRequest(EndpointOf(kGetItem), none, Shapes::kDocumented)->code, "INVALID_TOKEN");
  EXPECT_EQ(Check(kRevokeShare, {{"shareToken", "tpl_AAAAAAAAAAAAAAAAAAAAAA"}})->code,
            "INVALID_TOKEN");
  RequestParts body_parts;
  Json body = {{"shareToken", "tpl_AAAAAAAAAAAAAAAAAAAAAA"}};
  body_parts.body = &body;
  EXPECT_FALSE(CheckRequest(EndpointOf(kRevokeShare), body_parts, Shapes::kDocumented));

  EXPECT_FALSE(CheckAuthorization(std::string("Bearer inv_short"), Shapes::kDocumented));
  EXPECT_TRUE(CheckAuthorization(std::string("Bearer inv_short")).has_value());
  EXPECT_EQ(CheckAuthorization(std::string("Bearer tm_test_abc"), Shapes::kDocumented),
            CheckAuthorization(std::string("Bearer tm_test_abc")));
  EXPECT_TRUE(CheckAuthorization("Bearer inv_" + std::string(45, '+'), Shapes::kDocumented));
}

TEST(InventoryCheckRequest, RevokeTokenRules) {
  EXPECT_EQ(Check(kRevokeShare, Json::object())->code, "VALIDATION_ERROR");
  EXPECT_EQ(Check(kRevokeShare, {{"shareToken", ""}})->code, "VALIDATION_ERROR");
  EXPECT_EQ(Check(kRevokeShare, {{"shareToken", 42}})->code, "VALIDATION_ERROR");
  EXPECT_EQ(Check(kRevokeShare, {{"shareToken", "tpl_AAAAAAAAAAAAAAAAAAAAAA"}})->code,
            "INVALID_TOKEN");
  EXPECT_FALSE(Check(kRevokeShare, {{"shareToken", "shr_AAAAAAAAAAAAAAAAAAAAAA"}}));
  EXPECT_EQ(Check(kRevokeShare, Json::array())->details[0],
            (core::FieldError{"body", "must be a JSON object"}));
}

TEST(InventoryCheckRequest, SendAndOwnershipRules) {
  EXPECT_FALSE(Check(kSendTemplate,
                     {{"recipientEmail", "r@example.com"}, {"message", Chinese(200)}},
                     kTemplatePath));
  EXPECT_EQ(Check(kSendTemplate, {{"recipientEmail", "r@example.com"}, {"message", Chinese(201)}},
                  kTemplatePath)
                ->details[0]
                .field,
            "message");
  for (const char* bad : {"not-an-email", "a@b", "@b.com", "a@@b.com", "a b@c.com", "a@.com"})
    EXPECT_EQ(Check(kSendTemplate, {{"recipientEmail", bad}}, kTemplatePath)->details[0].message,
              "must be an email address")
        << bad;
  EXPECT_FALSE(Check(kCheckOwnership,
                     {{"email", "u@example.com"}, {"keywordKeys", {"日期", "金额"}}},
                     kTemplatePath));
  EXPECT_EQ(Check(kCheckOwnership, {{"email", "u@example.com"}, {"keywordKeys", {"123456789"}}},
                  kTemplatePath)
                ->details[0]
                .message,
            "item 0 (\"123456789\"): key must be at most 8 characters");
}

TEST(InventoryCheckRequest, ListQueries) {
  EXPECT_FALSE(CheckQuery(
      kListItems, {{"page", "2"}, {"pageSize", "100"}, {"status", "pending"}, {"type", "stamp"}}));
  EXPECT_EQ(CheckQuery(kListItems, {{"pageSize", "101"}})->details[0].message,
            "must be at most 100");
  EXPECT_EQ(CheckQuery(kListItems, {{"pageSize", "0"}})->code, "VALIDATION_ERROR");
  EXPECT_EQ(CheckQuery(kListItems, {{"page", "abc"}})->details[0].message, "must be an integer");
  EXPECT_EQ(CheckQuery(kListItems, {{"status", "deleted"}})->details[0].message,
            "must be one of: active, pending");
  EXPECT_EQ(CheckQuery(kListTemplates, {{"page", "0"}})->details[0].field, "page");
}

}  // namespace
}  // namespace restbox::inventory
