// The provider kit: building and validating backend responses, params against a schema, and
// charges for every plan.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "restbox/market/provider.hpp"

namespace restbox::market {
namespace {

using core::FieldError;
using core::Json;

bool HasIssue(const std::vector<FieldError>& issues, const std::string& field) {
  for (const auto& i : issues) {
    if (i.field == field) return true;
  }
  return false;
}

// ---- building ----------------------------------------------------------------------------------

TEST(ProviderBuild, SuccessAndFailureAreCompliant) {
  EXPECT_EQ(Json(Success({{"data", "sample"}})),
            Json::parse(R"({"code":0,"result":{"data":"sample"}})"));
  EXPECT_EQ(Json(Success(nullptr, 0.05)), Json::parse(R"({"code":0,"creditsDeduct":0.05})"));
  EXPECT_EQ(Json(Failure(Code::kNotFound, "gone")), Json::parse(R"({"code":1002,"msg":"gone"})"));
  EXPECT_EQ(Json(Failure(Code::kNotFound, "gone", true)),
            Json::parse(R"({"code":1002,"msg":"gone","forceDeduct":true})"));
  for (const auto& r :
       {Success({{"a", 1}}), Failure(Code::kBusy, "later"), Failure(Code::kParams, "x", true)}) {
    auto check = CheckBackendResponse(Json(r));
    EXPECT_TRUE(check.ok()) << Json(r).dump();
    EXPECT_TRUE(check.warnings.empty()) << Json(r).dump();
    EXPECT_EQ(check.response, r);
  }
  PricingPlan dynamic{.kind = PlanKind::kDynamic};
  auto priced = CheckBackendResponse(Json(Success({{"a", 1}}, 0.01)), &dynamic);
  EXPECT_TRUE(priced.ok());
  EXPECT_TRUE(priced.warnings.empty());
  // A charged failure on a dynamic plan without creditsDeduct is free: worth a warning.
  auto unpriced = CheckBackendResponse(Json(Failure(Code::kParams, "x", true)), &dynamic);
  EXPECT_TRUE(unpriced.ok());
  EXPECT_TRUE(HasIssue(unpriced.warnings, "creditsDeduct"));
}

// ---- validating responses ----------------------------------------------------------------------

TEST(ProviderCheck, CodeIsARequiredInteger) {
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"result", 1}}).errors, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", nullptr}}).errors, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", "0"}}).errors, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", 0.0}}).errors, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", 1.5}}).errors, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", false}}).errors, "code"));
  EXPECT_TRUE(HasIssue(
      CheckBackendResponse(Json{{"code", std::numeric_limits<std::uint64_t>::max()}}).errors,
      "code"));
  EXPECT_TRUE(CheckBackendResponse(Json{{"code", 0}}).ok());
  EXPECT_TRUE(CheckBackendResponse(Json{{"code", 1005}, {"msg", "m"}}).ok());
}

TEST(ProviderCheck, OptionalMembersHaveTheirTypes) {
  auto bad = CheckBackendResponse(
      Json{{"code", 0}, {"forceDeduct", 1}, {"msg", {"x"}}, {"creditsDeduct", "0.1"}});
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(HasIssue(bad.errors, "forceDeduct"));
  EXPECT_TRUE(HasIssue(bad.errors, "msg"));
  EXPECT_TRUE(HasIssue(bad.errors, "creditsDeduct"));
  EXPECT_FALSE(bad.response);
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", 0}, {"creditsDeduct", -0.01}}).errors,
                       "creditsDeduct"));
  // null reads as absent; result may be anything.
  auto nulls = CheckBackendResponse(Json{{"code", 0},
                                         {"forceDeduct", nullptr},
                                         {"msg", nullptr},
                                         {"creditsDeduct", nullptr},
                                         {"result", {1, "two", nullptr}}});
  ASSERT_TRUE(nulls.ok());
  EXPECT_FALSE(nulls.response->force_deduct);
  EXPECT_FALSE(nulls.response->msg);
  EXPECT_FALSE(nulls.response->credits_deduct);
  EXPECT_EQ(nulls.response->result, Json({1, "two", nullptr}));
}

TEST(ProviderCheck, UnknownMembersAreIgnored) {
  auto check = CheckBackendBody(
      R"({"code":0,"result":{"data":"sample"},"otherField1":"value1","otherField2":{"deep":[1]},"status":"FAIL"})");
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check.warnings.empty());
  EXPECT_EQ(Json(*check.response), Json::parse(R"({"code":0,"result":{"data":"sample"}})"));
}

TEST(ProviderCheck, BodiesThatAreNotJsonObjects) {
  EXPECT_TRUE(HasIssue(CheckBackendBody("<html>502</html>").errors, "body"));
  EXPECT_TRUE(HasIssue(CheckBackendBody("").errors, "body"));
  EXPECT_TRUE(HasIssue(CheckBackendBody("[0]").errors, "body"));
  EXPECT_TRUE(HasIssue(CheckBackendBody("0").errors, "body"));
  EXPECT_TRUE(HasIssue(CheckBackendBody("{\"code\":0").errors, "body"));
}

TEST(ProviderCheck, WarningsForCompliantButOddAnswers) {
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", 2001}, {"msg", "m"}}).warnings, "code"));
  EXPECT_TRUE(HasIssue(CheckBackendResponse(Json{{"code", 1000}}).warnings, "msg"));
  PricingPlan dynamic{.kind = PlanKind::kDynamic};
  PricingPlan per_call{.kind = PlanKind::kPerCall, .price = 0.001};
  auto over = CheckBackendResponse(Json{{"code", 0}, {"creditsDeduct", 0.3}}, &dynamic);
  ASSERT_TRUE(over.ok());
  ASSERT_TRUE(HasIssue(over.warnings, "creditsDeduct"));
  EXPECT_EQ(over.warnings[0].message, "0.3 exceeds the cap; 0.2 is charged");
  EXPECT_TRUE(
      CheckBackendResponse(Json{{"code", 0}, {"creditsDeduct", 0.2}}, &dynamic).warnings.empty());
  EXPECT_TRUE(
      HasIssue(CheckBackendResponse(Json{{"code", 0}}, &dynamic).warnings, "creditsDeduct"));
  // A failure that is not charged needs no creditsDeduct.
  EXPECT_TRUE(CheckBackendResponse(Json{{"code", 1002}, {"msg", "m"}}, &dynamic).warnings.empty());
  EXPECT_TRUE(
      HasIssue(CheckBackendResponse(Json{{"code", 0}, {"creditsDeduct", 0.1}}, &per_call).warnings,
               "creditsDeduct"));
}

// ---- params ------------------------------------------------------------------------------------

ParamSpec P(std::string name, ParamType type, bool required = false, Json default_value = nullptr) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.required = required;
  p.default_value = std::move(default_value);
  return p;
}

struct TypeCase {
  ParamType type;
  Json value;
  bool valid;
};

TEST(ProviderParams, EveryTypeInJson) {
  const std::int64_t big = std::int64_t{1} << 40;
  const std::vector<TypeCase> cases = {
      {ParamType::kNumber, 1, true},
      {ParamType::kNumber, 1.5, true},
      {ParamType::kNumber, "1", false},
      {ParamType::kString, "x", true},
      {ParamType::kString, "", true},
      {ParamType::kString, 1, false},
      {ParamType::kFile, "https://x/y.png", true},
      {ParamType::kFile, Json::object(), false},
      {ParamType::kArray, Json::array({1}), true},
      {ParamType::kArray, "[1]", false},
      {ParamType::kObject, Json::object(), true},
      {ParamType::kObject, Json::array(), false},
      {ParamType::kInt, 2147483647, true},
      {ParamType::kInt, -2147483648LL, true},
      {ParamType::kInt, 2147483648LL, false},
      {ParamType::kInt, 3.0, true},
      {ParamType::kInt, 3.5, false},
      {ParamType::kInt, "3", false},
      {ParamType::kInt, true, false},
      {ParamType::kLong, big, true},
      {ParamType::kLong, std::numeric_limits<std::int64_t>::min(), true},
      {ParamType::kLong, std::numeric_limits<std::uint64_t>::max(), false},
      {ParamType::kLong, 1.25, false},
      {ParamType::kDate, "2026-01-31", true},
      {ParamType::kDate, "2026-01-31T08:00:00Z", true},
      {ParamType::kDate, "2026-01-31 08:00:00", true},
      {ParamType::kDate, 1767225600000LL, true},
      {ParamType::kDate, "2026-02-30", false},
      {ParamType::kDate, "yesterday", false},
      {ParamType::kDate, true, false},
      {ParamType::kBoolean, true, true},
      {ParamType::kBoolean, "true", false},
      {ParamType::kBoolean, 1, false},
  };
  for (const auto& c : cases) {
    auto r = CheckParams({P("v", c.type)}, Json{{"v", c.value}});
    EXPECT_EQ(r.ok(), c.valid) << ToString(c.type) << " " << c.value.dump();
    if (!c.valid) {
      ASSERT_EQ(r.errors.size(), 1u);
      EXPECT_EQ(r.errors[0].field, "v");
    }
  }
}

TEST(ProviderParams, EveryTypeFromQueryText) {
  struct QueryCase {
    ParamType type;
    std::string text;
    Json expected;  // null = invalid
  };
  const std::vector<QueryCase> cases = {
      {ParamType::kNumber, "1.5", 1.5},
      {ParamType::kNumber, "12", 12},
      {ParamType::kNumber, "1e3", 1000.0},
      {ParamType::kNumber, "abc", nullptr},
      {ParamType::kNumber, " 1", nullptr},
      {ParamType::kNumber, "", nullptr},
      {ParamType::kString, "12", "12"},
      {ParamType::kFile, "f.txt", "f.txt"},
      {ParamType::kArray, "[1,2]", Json::array({1, 2})},
      {ParamType::kArray, "1,2", nullptr},
      {ParamType::kObject, R"({"a":1})", Json({{"a", 1}})},
      {ParamType::kObject, "[]", nullptr},
      {ParamType::kInt, "-42", -42},
      {ParamType::kInt, "4.2", nullptr},
      {ParamType::kInt, "99999999999", nullptr},
      {ParamType::kLong, "99999999999", 99999999999LL},
      {ParamType::kLong, "1x", nullptr},
      {ParamType::kDate, "2026-01-31", "2026-01-31"},
      {ParamType::kDate, "1767225600000", 1767225600000LL},
      {ParamType::kDate, "31/01/2026", nullptr},
      {ParamType::kBoolean, "true", true},
      {ParamType::kBoolean, "0", false},
      {ParamType::kBoolean, "yes", nullptr},
  };
  for (const auto& c : cases) {
    auto r = CheckParams({P("v", c.type)}, Json{{"v", c.text}}, {.source = ParamsSource::kQuery});
    if (c.expected.is_null()) {
      EXPECT_FALSE(r.ok()) << ToString(c.type) << " '" << c.text << "'";
    } else {
      ASSERT_TRUE(r.ok()) << ToString(c.type) << " '" << c.text << "'";
      EXPECT_EQ(r.params["v"], c.expected) << ToString(c.type) << " '" << c.text << "'";
    }
  }
}

TEST(ProviderParams, RequiredParamsAndNulls) {
  ParamsSchema schema = {P("bindId", ParamType::kString, true),
                         P("productId", ParamType::kString, true)};
  auto missing = CheckParams(schema, Json{{"bindId", "123"}, {"productId", nullptr}});
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0], (FieldError{"productId", "is required"}));
  EXPECT_FALSE(missing.params.contains("productId"));
  auto none = CheckParams(schema, nullptr);
  EXPECT_EQ(none.errors.size(), 2u);
  auto not_object = CheckParams(schema, Json::array({1}));
  ASSERT_EQ(not_object.errors.size(), 1u);
  EXPECT_EQ(not_object.errors[0].field, "body");
}

TEST(ProviderParams, DefaultsAreAppliedToAbsentOptionalParams) {
  ParamsSchema schema = {P("days", ParamType::kInt, false, "1"),  // text default, read as int
                         P("lang", ParamType::kString, false, "zh"),
                         P("note", ParamType::kString, false, ""),  // "" = no default
                         P("flag", ParamType::kBoolean, false, false),
                         P("id", ParamType::kString, true, "x")};  // required: never defaulted
  auto r = CheckParams(schema, Json{{"lang", "en"}});
  EXPECT_EQ(r.params["days"], 1);
  EXPECT_EQ(r.params["lang"], "en");  // a value that was sent wins
  EXPECT_FALSE(r.params.contains("note"));
  EXPECT_EQ(r.params["flag"], false);
  EXPECT_FALSE(r.params.contains("id"));
  EXPECT_EQ(r.errors, (std::vector<FieldError>{{"id", "is required"}}));
  auto no_defaults = CheckParams(schema, Json{{"id", "1"}}, {.apply_defaults = false});
  EXPECT_TRUE(no_defaults.ok());
  EXPECT_EQ(no_defaults.params, Json({{"id", "1"}}));
}

TEST(ProviderParams, UnknownParamsAreKeptAsSent) {
  auto r = CheckParams({P("a", ParamType::kInt)}, Json{{"a", 1}, {"extra", {{"x", 1}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.params["extra"], Json({{"x", 1}}));
}

TEST(ProviderParams, PresenceOnlyModeIsThePlatformCheck) {
  ParamsSchema schema = {P("bindId", ParamType::kString, true), P("days", ParamType::kInt)};
  auto platform =
      CheckParams(schema, Json{{"bindId", 123}, {"days", "many"}}, {.check_types = false});
  EXPECT_TRUE(platform.ok());
  auto provider = CheckParams(schema, Json{{"bindId", 123}, {"days", "many"}});
  EXPECT_EQ(provider.errors.size(), 2u);
}

TEST(ProviderParams, UntypedParamsAcceptAnything) {
  ParamSpec any;
  any.name = "x";
  EXPECT_TRUE(CheckParams({any}, Json{{"x", {{"y", 1}}}}).ok());
  EXPECT_TRUE(CheckParams({any}, Json{{"x", "1"}}, {.source = ParamsSource::kQuery}).ok());
}

TEST(ProviderParams, SchemaProblems) {
  ParamsSchema schema = {P("a", ParamType::kInt, false, "ten"), P("a", ParamType::kString),
                         P("", ParamType::kString), P("b", ParamType::kDate, false, "2026-01-01")};
  auto problems = CheckSchema(schema);
  EXPECT_EQ(problems.size(), 3u);
  EXPECT_TRUE(HasIssue(problems, "a"));
  EXPECT_TRUE(HasIssue(problems, "name"));
  EXPECT_FALSE(HasIssue(problems, "b"));
}

TEST(ProviderParams, ErrorMessagesAndQueryConversions) {
  EXPECT_EQ(ParamsErrorMessage({{"bindId", "is required"}, {"productId", "is required"}}),
            "Missing required parameter: bindId, productId");
  EXPECT_EQ(ParamsErrorMessage({{"bindId", "is required"}, {"days", "must be a number"}}),
            "Invalid parameters: bindId is required; days must be a number");
  EXPECT_EQ(ParamsErrorResult({{"a", "is required"}}),
            Json::parse(R"({"errors":[{"field":"a","error":"is required"}]})"));
  EXPECT_EQ(QueryToJson({{"a", "1"}, {"b", "x"}, {"a", "2"}}), Json({{"a", "1"}, {"b", "x"}}));
  EXPECT_EQ(JsonToQuery(Json{{"a", "1"}, {"n", 2}, {"b", true}, {"z", nullptr}}),
            (core::QueryParams{{"a", "1"}, {"b", "true"}, {"n", "2"}}));
}

// ---- plans and charges -------------------------------------------------------------------------

PricingPlan PerCall(double price) {
  return {.kind = PlanKind::kPerCall, .price = price};
}
// 3 calls at 0.01, 2 at 0.005, then free for the day: a flat daily fee of 0.04.
PricingPlan Tiered() {
  return {.kind = PlanKind::kTiered, .tiers = {{3, 0.01}, {5, 0.005}, {std::nullopt, 0}}};
}
PricingPlan Dynamic() {
  return {.kind = PlanKind::kDynamic};
}

BackendResponse Answer(std::int64_t code, std::optional<bool> force = std::nullopt,
                       std::optional<double> credits = std::nullopt) {
  BackendResponse r;
  r.code = code;
  r.force_deduct = force;
  r.credits_deduct = credits;
  if (code != 0) r.msg = "m";
  return r;
}

TEST(ProviderCharge, ChargedWhenCodeIsZeroOrForceDeduct) {
  const PricingPlan plan = PerCall(0.001);
  EXPECT_EQ(ComputeCharge(plan, Answer(0)).credits, 0.001);
  EXPECT_TRUE(ComputeCharge(plan, Answer(0)).counted);
  // forceDeduct false (or absent) leaves the decision to the code.
  EXPECT_TRUE(ComputeCharge(plan, Answer(0, false)).counted);
  for (int code : {1000, 1001, 1002, 1003, 1004, 1005, 7}) {
    Charge free = ComputeCharge(plan, Answer(code));
    EXPECT_FALSE(free.counted) << code;
    EXPECT_EQ(free.credits, 0) << code;
    EXPECT_FALSE(ComputeCharge(plan, Answer(code, false)).counted) << code;
    Charge forced = ComputeCharge(plan, Answer(code, true));
    EXPECT_TRUE(forced.counted) << code;
    EXPECT_EQ(forced.credits, 0.001) << code;
  }
}

TEST(ProviderCharge, TieredBandBoundaries) {
  const PricingPlan plan = Tiered();
  const std::vector<double> expected = {0.01, 0.01, 0.01, 0.005, 0.005, 0, 0, 0, 0, 0};
  double total = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    Charge c = ComputeCharge(plan, Answer(0), static_cast<std::int64_t>(i));
    EXPECT_EQ(c.credits, expected[i]) << "call " << i + 1;
    EXPECT_TRUE(c.counted);
    total = RoundCredits(total + c.credits);
  }
  EXPECT_EQ(total, 0.04);  // the flat daily fee
  EXPECT_EQ(TierPrice(plan, 3), 0.01);
  EXPECT_EQ(TierPrice(plan, 4), 0.005);
  EXPECT_EQ(TierPrice(plan, 5), 0.005);
  EXPECT_EQ(TierPrice(plan, 6), 0);
  // A failed call is not counted, so it does not move the consumer to the next band.
  EXPECT_EQ(ComputeCharge(plan, Answer(1002), 2).credits, 0);
  EXPECT_EQ(ComputeCharge(plan, Answer(1002, true), 2).credits, 0.01);
}

TEST(ProviderCharge, TieredPlanWithABoundedLastBand) {
  PricingPlan plan{.kind = PlanKind::kTiered, .tiers = {{10, 0.02}, {20, 0.01}}};
  EXPECT_EQ(TierPrice(plan, 10), 0.02);
  EXPECT_EQ(TierPrice(plan, 11), 0.01);
  EXPECT_EQ(TierPrice(plan, 1000), 0.01);
  EXPECT_EQ(TierPrice(PricingPlan{.kind = PlanKind::kTiered}, 1), 0);
}

TEST(ProviderCharge, DynamicPlanCapsAndDefaults) {
  const PricingPlan plan = Dynamic();
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, 0.05)).credits, 0.05);
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, 0.2)).credits, 0.2);
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, 0.2000001)).credits, 0.2);
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, 5)).credits, 0.2);
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, 0)).credits, 0);
  Charge none = ComputeCharge(plan, Answer(0));
  EXPECT_EQ(none.credits, 0);
  EXPECT_TRUE(none.counted);  // still a successful request
  EXPECT_EQ(ComputeCharge(plan, Answer(0, std::nullopt, -1)).credits, 0);
  // forceDeduct with a failure code charges creditsDeduct, capped too.
  EXPECT_EQ(ComputeCharge(plan, Answer(1002, true, 0.005)).credits, 0.005);
  EXPECT_EQ(ComputeCharge(plan, Answer(1002, true, 0.5)).credits, 0.2);
  EXPECT_EQ(ComputeCharge(plan, Answer(1002, std::nullopt, 0.005)).credits, 0);
  PricingPlan tight{.kind = PlanKind::kDynamic, .dynamic_cap = 0.05};
  EXPECT_EQ(ComputeCharge(tight, Answer(0, std::nullopt, 0.1)).credits, 0.05);
}

TEST(ProviderCharge, RequiredBalanceCoversTheWorstCase) {
  EXPECT_EQ(RequiredBalance(PerCall(0.001), 0), 0.001);
  EXPECT_EQ(RequiredBalance(Tiered(), 0), 0.01);
  EXPECT_EQ(RequiredBalance(Tiered(), 3), 0.005);
  EXPECT_EQ(RequiredBalance(Tiered(), 5), 0);  // the day's fee is paid
  EXPECT_EQ(RequiredBalance(Dynamic(), 0), kDynamicCap);
}

TEST(ProviderCharge, PlanProblems) {
  EXPECT_TRUE(CheckPlan(PerCall(0.001)).empty());
  EXPECT_TRUE(CheckPlan(Tiered()).empty());
  EXPECT_TRUE(CheckPlan(Dynamic()).empty());
  EXPECT_TRUE(HasIssue(CheckPlan(PerCall(-1)), "price"));
  EXPECT_TRUE(HasIssue(CheckPlan(PricingPlan{.kind = PlanKind::kTiered}), "tiers"));
  PricingPlan unordered{.kind = PlanKind::kTiered, .tiers = {{5, 0.01}, {5, 0.005}}};
  EXPECT_TRUE(HasIssue(CheckPlan(unordered), "tiers[1].upTo"));
  PricingPlan open_middle{.kind = PlanKind::kTiered, .tiers = {{std::nullopt, 0.01}, {5, 0.005}}};
  EXPECT_TRUE(HasIssue(CheckPlan(open_middle), "tiers[0].upTo"));
  PricingPlan negative_band{.kind = PlanKind::kTiered, .tiers = {{std::nullopt, -0.01}}};
  EXPECT_TRUE(HasIssue(CheckPlan(negative_band), "tiers[0].price"));
  EXPECT_TRUE(
      HasIssue(CheckPlan(PricingPlan{.kind = PlanKind::kDynamic, .dynamic_cap = 0}), "cap"));
}

TEST(ProviderCharge, ConsumerViewKeepsOnlyCodeResultMsgAndCredits) {
  BackendResponse r = Success({{"data", 1}}, 0.3);
  r.force_deduct = true;
  Charge c = ComputeCharge(Dynamic(), r);
  EXPECT_EQ(Json(ConsumerView(r, c)),
            Json::parse(R"({"code":0,"credits":0.2,"result":{"data":1}})"));
  BackendResponse failed = Failure(Code::kBusy, "later");
  EXPECT_EQ(Json(ConsumerView(failed, ComputeCharge(PerCall(1), failed))),
            Json::parse(R"({"code":1003,"msg":"later"})"));
  BackendResponse charged_failure = Failure(Code::kNotFound, "no city", true);
  EXPECT_EQ(Json(ConsumerView(charged_failure, ComputeCharge(PerCall(0.001), charged_failure))),
            Json::parse(R"({"code":1002,"msg":"no city","credits":0.001})"));
}

TEST(ProviderCharge, CreditArithmeticDoesNotDrift) {
  double balance = 100;
  for (int i = 0; i < 1000; ++i) balance = RoundCredits(balance - 0.001);
  EXPECT_EQ(balance, 99.0);
  EXPECT_EQ(RoundCredits(0.1 + 0.2), 0.3);
}

}  // namespace
}  // namespace restbox::market
