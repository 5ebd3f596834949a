// The shared validator: CheckField on single values, ValidateRequest on bodies and queries.
#include <gtest/gtest.h>

#include <string>

#include "restbox/core/validation.hpp"

namespace restbox::core {
namespace {

FieldSpec Field(std::string name, FieldType type) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  return f;
}

std::string Repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(CheckField, ChecksTypes) {
  EXPECT_EQ(CheckField(Field("s", FieldType::kString), "x"), "");
  EXPECT_EQ(CheckField(Field("s", FieldType::kString), 1), "must be a string");
  EXPECT_EQ(CheckField(Field("s", FieldType::kString), nullptr), "must be a string");
  EXPECT_EQ(CheckField(Field("n", FieldType::kNumber), 1.5), "");
  EXPECT_EQ(CheckField(Field("n", FieldType::kNumber), -3), "");
  EXPECT_EQ(CheckField(Field("n", FieldType::kNumber), "1.5"), "must be a number");
  EXPECT_EQ(CheckField(Field("n", FieldType::kNumber), true), "must be a number");
  EXPECT_EQ(CheckField(Field("b", FieldType::kBoolean), false), "");
  EXPECT_EQ(CheckField(Field("b", FieldType::kBoolean), 0), "must be a boolean");
  EXPECT_EQ(CheckField(Field("b", FieldType::kBoolean), "true"), "must be a boolean");
  EXPECT_EQ(CheckField(Field("a", FieldType::kArray), Json::array()), "");
  EXPECT_EQ(CheckField(Field("a", FieldType::kArray), Json::object()), "must be an array");
  EXPECT_EQ(CheckField(Field("o", FieldType::kObject), Json::object()), "");
  EXPECT_EQ(CheckField(Field("o", FieldType::kObject), Json::array()), "must be an object");
  EXPECT_EQ(CheckField(Field("x", FieldType::kAny), nullptr), "");
  EXPECT_EQ(CheckField(Field("x", FieldType::kAny), Json::array()), "");
}

TEST(CheckField, IntegersAcceptIntegerValuedFloats) {
  auto f = Field("i", FieldType::kInteger);
  EXPECT_EQ(CheckField(f, 3), "");
  EXPECT_EQ(CheckField(f, -3), "");
  EXPECT_EQ(CheckField(f, 3.0), "");
  EXPECT_EQ(CheckField(f, 1e3), "");
  EXPECT_EQ(CheckField(f, 18446744073709551615ULL), "");
  EXPECT_EQ(CheckField(f, 3.5), "must be an integer");
  EXPECT_EQ(CheckField(f, -0.1), "must be an integer");
  EXPECT_EQ(CheckField(f, "3"), "must be an integer");
  EXPECT_EQ(CheckField(f, true), "must be an integer");
  // Parsed from text, as it arrives on the wire.
  EXPECT_EQ(CheckField(f, *ParseJson("2.0")), "");
  EXPECT_EQ(CheckField(f, *ParseJson("2.25")), "must be an integer");
}

TEST(CheckField, CountsCodePointsNotBytes) {
  auto title = Field("title", FieldType::kString);
  title.max_length = 32;
  std::string chinese32 = Repeat("台", 32);  // 96 bytes
  ASSERT_EQ(chinese32.size(), 96u);
  EXPECT_EQ(CheckField(title, chinese32), "");
  EXPECT_EQ(CheckField(title, chinese32 + "北"), "must be at most 32 characters");
  EXPECT_EQ(CheckField(title, Repeat("a", 32)), "");
  EXPECT_EQ(CheckField(title, Repeat("a", 33)), "must be at most 32 characters");
  EXPECT_EQ(CheckField(title, Repeat("😀", 32)), "");  // 4-byte code points
  EXPECT_EQ(CheckField(title, Repeat("😀", 33)), "must be at most 32 characters");
}

TEST(CheckField, ChecksMinimumLengths) {
  auto name = Field("name", FieldType::kString);
  name.min_length = 1;
  EXPECT_EQ(CheckField(name, ""), "must not be empty");
  EXPECT_EQ(CheckField(name, "x"), "");
  name.min_length = 3;
  EXPECT_EQ(CheckField(name, "台北"), "must be at least 3 characters");
  EXPECT_EQ(CheckField(name, "台北市"), "");
}

TEST(CheckField, CountsArrayItems) {
  auto tags = Field("tags", FieldType::kArray);
  tags.min_length = 1;
  tags.max_length = 3;
  EXPECT_EQ(CheckField(tags, Json::array()), "must have at least 1 items");
  EXPECT_EQ(CheckField(tags, Json{"a"}), "");
  EXPECT_EQ(CheckField(tags, Json{"a", "b", "c"}), "");
  EXPECT_EQ(CheckField(tags, Json{"a", "b", "c", "d"}), "must have at most 3 items");
  // A long string inside the array is not the array's length.
  EXPECT_EQ(CheckField(tags, Json{Repeat("x", 100)}), "");
}

TEST(CheckField, ChecksEnums) {
  auto status = Field("status", FieldType::kString);
  status.enum_values = {"draft", "published"};
  EXPECT_EQ(CheckField(status, "draft"), "");
  EXPECT_EQ(CheckField(status, "published"), "");
  EXPECT_EQ(CheckField(status, "Draft"), "must be one of: draft, published");
  EXPECT_EQ(CheckField(status, ""), "must be one of: draft, published");
}

TEST(CheckField, ChecksRanges) {
  auto amount = Field("amount", FieldType::kNumber);
  amount.minimum = 0;
  amount.maximum = 100;
  EXPECT_EQ(CheckField(amount, 0), "");
  EXPECT_EQ(CheckField(amount, 100), "");
  EXPECT_EQ(CheckField(amount, 99.99), "");
  EXPECT_EQ(CheckField(amount, -1), "must be at least 0");
  EXPECT_EQ(CheckField(amount, -0.001), "must be at least 0");
  EXPECT_EQ(CheckField(amount, 100.5), "must be at most 100");
  EXPECT_EQ(CheckField(amount, 1e300), "must be at most 100");
  auto ratio = Field("ratio", FieldType::kNumber);
  ratio.maximum = 0.2;
  EXPECT_EQ(CheckField(ratio, 0.2), "");
  EXPECT_NE(CheckField(ratio, 0.25), "");
}

// An endpoint with query and body fields, as a service table would declare it.
EndpointSpec Endpoint() {
  EndpointSpec e;
  e.id = "create";
  e.method = Method::kPost;
  e.path = "/things/{id}";
  auto title = Field("title", FieldType::kString);
  title.required = true;
  title.max_length = 32;
  auto type = Field("jobType", FieldType::kString);
  type.required = true;
  type.enum_values = {"cleaning", "moving"};
  auto amount = Field("estimatedAmount", FieldType::kNumber);
  amount.minimum = 0;
  auto tags = Field("tags", FieldType::kArray);
  tags.max_length = 2;
  auto page = Field("page", FieldType::kInteger);
  page.in = FieldIn::kQuery;
  page.minimum = 1;
  auto verbose = Field("verbose", FieldType::kBoolean);
  verbose.in = FieldIn::kQuery;
  auto ratio = Field("ratio", FieldType::kNumber);
  ratio.in = FieldIn::kQuery;
  ratio.maximum = 1;
  auto token = Field("token", FieldType::kString);
  token.in = FieldIn::kQuery;
  token.required = true;
  auto id = Field("id", FieldType::kInteger);
  id.in = FieldIn::kPath;
  id.required = true;
  auto auth = Field("Authorization", FieldType::kString);
  auth.in = FieldIn::kHeader;
  auth.required = true;
  e.fields = {id, auth, title, type, amount, tags, page, verbose, ratio, token};
  return e;
}

const QueryParams kToken = {{"token", "t"}};

TEST(ValidateRequest, AcceptsAValidRequest) {
  Json body = {{"title", Repeat("台", 32)},
               {"jobType", "moving"},
               {"estimatedAmount", 0},
               {"tags", {"a", "b"}},
               {"unknown_member", {{"kept", true}}}};
  QueryParams q = {{"token", "t"}, {"page", "2"}, {"verbose", "true"}, {"ratio", "0.5"}};
  EXPECT_TRUE(ValidateRequest(Endpoint(), &body, q).empty());
}

TEST(ValidateRequest, ReportsEveryBrokenFieldInTableOrder) {
  Json body = {{"title", Repeat("台", 33)},
               {"jobType", "gardening"},
               {"estimatedAmount", -5},
               {"tags", {"a", "b", "c"}}};
  QueryParams q = {{"page", "0"}, {"verbose", "yes"}, {"ratio", "1.5"}};
  auto errors = ValidateRequest(Endpoint(), &body, q);
  std::vector<FieldError> expected = {{"title", "must be at most 32 characters"},
                                      {"jobType", "must be one of: cleaning, moving"},
                                      {"estimatedAmount", "must be at least 0"},
                                      {"tags", "must have at most 2 items"},
                                      {"page", "must be at least 1"},
                                      {"verbose", "must be a boolean"},
                                      {"ratio", "must be at most 1"},
                                      {"token", "is required"}};
  EXPECT_EQ(errors, expected);
}

TEST(ValidateRequest, RequiredFieldsMayNotBeMissingOrNull) {
  Json body = {{"title", nullptr}};
  auto errors = ValidateRequest(Endpoint(), &body, kToken);
  EXPECT_EQ(errors,
            (std::vector<FieldError>{{"title", "is required"}, {"jobType", "is required"}}));
  // No body at all: the same.
  EXPECT_EQ(ValidateRequest(Endpoint(), nullptr, kToken), errors);
  // Optional fields may be null.
  Json nulls = {{"title", "t"}, {"jobType", "moving"}, {"estimatedAmount", nullptr}};
  EXPECT_TRUE(ValidateRequest(Endpoint(), &nulls, kToken).empty());
}

TEST(ValidateRequest, ANonObjectBodyIsOneError) {
  for (const Json& body : {Json::array(), Json("text"), Json(3), Json(true), Json(nullptr)}) {
    auto errors = ValidateRequest(Endpoint(), &body, kToken);
    ASSERT_EQ(errors.size(), 1u) << body.dump();
    EXPECT_EQ(errors[0], (FieldError{"body", "must be a JSON object"})) << body.dump();
  }
}

TEST(ValidateRequest, EndpointsWithoutBodyFieldsIgnoreTheBody) {
  EndpointSpec e;
  auto page = Field("page", FieldType::kInteger);
  page.in = FieldIn::kQuery;
  e.fields = {page};
  Json body = Json::array();
  EXPECT_TRUE(ValidateRequest(e, &body, {}).empty());
  EXPECT_TRUE(ValidateRequest(EndpointSpec{}, nullptr, {{"anything", "goes"}}).empty());
}

TEST(ValidateRequest, ReadsQueryValuesAsTheirType) {
  auto check = [](const char* name, const char* value) {
    Json body = {{"title", "t"}, {"jobType", "moving"}};
    QueryParams q = {{"token", "t"}, {name, value}};
    auto errors = ValidateRequest(Endpoint(), &body, q);
    return errors.empty() ? std::string() : errors[0].message;
  };
  // Integers.
  EXPECT_EQ(check("page", "15"), "");
  EXPECT_EQ(check("page", "1e2"), "");
  EXPECT_EQ(check("page", "3.0"), "");
  EXPECT_EQ(check("page", "1.5"), "must be an integer");
  EXPECT_EQ(check("page", "abc"), "must be an integer");
  EXPECT_EQ(check("page", ""), "must be an integer");
  EXPECT_EQ(check("page", " 5"), "must be an integer");
  EXPECT_EQ(check("page", "5 "), "must be an integer");
  EXPECT_EQ(check("page", "inf"), "must be an integer");
  EXPECT_EQ(check("page", "nan"), "must be an integer");
  EXPECT_EQ(check("page", "1e400"), "must be an integer");
  EXPECT_EQ(check("page", "-4"), "must be at least 1");
  EXPECT_EQ(check("page", "99999999999999999999999"), "");  // huge but integral: no UB, no error
  // Numbers.
  EXPECT_EQ(check("ratio", "0.25"), "");
  EXPECT_EQ(check("ratio", "-1"), "");
  EXPECT_EQ(check("ratio", "2"), "must be at most 1");
  EXPECT_EQ(check("ratio", "half"), "must be a number");
  // Booleans.
  for (const char* ok : {"true", "false", "1", "0"}) EXPECT_EQ(check("verbose", ok), "") << ok;
  for (const char* bad : {"yes", "TRUE", "", "2"})
    EXPECT_EQ(check("verbose", bad), "must be a boolean") << bad;
  // Strings stay strings, and an empty required value is present.
  EXPECT_TRUE(ValidateRequest(Endpoint(), nullptr, {{"token", ""}}).size() == 2u);
}

TEST(ValidateRequest, PathAndHeaderFieldsAreNotItsBusiness) {
  // The router fills path values and the service checks headers; a missing one is no body error.
  Json body = {{"title", "t"}, {"jobType", "cleaning"}};
  EXPECT_TRUE(ValidateRequest(Endpoint(), &body, kToken).empty());
}

}  // namespace
}  // namespace restbox::core
