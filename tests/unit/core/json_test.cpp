// The JSON helpers: the one place parse and conversion exceptions become kDecode errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::core {
namespace {

using ::testing::HasSubstr;

struct Item {
  std::string id;
  int count = 0;
  std::vector<std::string> tags;
};
void from_json(const Json& j, Item& v) {
  j.at("id").get_to(v.id);
  j.at("count").get_to(v.count);
  v.tags = j.value("tags", std::vector<std::string>{});
}

// A model with a free-form JSON member, for ConvertJsonTaking.
struct Doc {
  std::string id;
  Json data = Json::object();
};
void from_json(const Json& j, Doc& v) {
  j.at("id").get_to(v.id);
  if (j.contains("data")) v.data = j["data"];
}

// ConvertJsonTaking moves the free-form member out instead of copying it, with ConvertJson's
// result in every case: member present, null, absent (the model's default), conversion failing.
TEST(ConvertJsonTaking, GivesWhatConvertJsonGives) {
  for (const Json& j :
       {Json{{"id", "a"}, {"data", {{"k", {1, 2}}}}}, Json{{"id", "b"}, {"data", nullptr}},
        Json{{"id", "c"}}, Json{{"data", {{"k", 1}}}}, Json::array()}) {
    auto copied = ConvertJson<Doc>(j);
    auto taken = ConvertJsonTaking(Json(j), "data", &Doc::data);
    ASSERT_EQ(copied.ok(), taken.ok()) << j.dump();
    if (copied.ok()) {
      EXPECT_EQ(taken->id, copied->id);
      EXPECT_EQ(taken->data, copied->data) << j.dump();
    } else {
      EXPECT_EQ(taken.error().message, copied.error().message);
    }
  }
}

TEST(ParseJson, ParsesDocuments) {
  auto r = ParseJson(R"({"a":[1,2,{"b":null}],"c":"台北"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["a"][1], 2);
  EXPECT_EQ((*r)["c"], "台北");
  EXPECT_TRUE(ParseJson("  42 ").ok());
  EXPECT_TRUE(ParseJson("null").ok());
}

TEST(ParseJson, ErrorsAreDecodeErrorsWithThePosition) {
  auto r = ParseJson("[1,2,x]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kDecode);
  EXPECT_THAT(r.error().message, HasSubstr("invalid JSON"));
  EXPECT_THAT(r.error().message, HasSubstr("column 6"));
  EXPECT_EQ(r.error().raw_body, "[1,2,x]");

  auto truncated = ParseJson(R"({"a":)");
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.error().message, HasSubstr("column 6"));
  EXPECT_THAT(truncated.error().message, HasSubstr("unexpected end of input"));
}

TEST(ParseJson, RejectsEverythingThatIsNotOneJsonDocument) {
  for (const std::string& text :
       {std::string(""), std::string("   "), std::string("{"), std::string("}"),
        std::string("[1,]"), std::string("{'a':1}"), std::string("{\"a\":1} x"), std::string("nul"),
        std::string("01"), std::string("\"\xff\""), std::string("\"a\0b\"", 5),
        std::string("[1] [2]"), std::string("NaN"), std::string("{\"a\":1,}"),
        std::string("\"unterminated")}) {
    auto r = ParseJson(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::kDecode);
    }
  }
}

TEST(ParseJson, RefusesPathologicalNestingWithoutCrashing) {
  auto deep = ParseJson(std::string(100'000, '[') + std::string(100'000, ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().kind, ErrorKind::kDecode);
  EXPECT_THAT(deep.error().message, HasSubstr("nesting"));
  EXPECT_FALSE(ParseJson(std::string(100'000, '[')).ok());
  std::string objects;
  for (int i = 0; i < 10'000; ++i) objects += "{\"a\":";
  objects += "1";
  for (int i = 0; i < 10'000; ++i) objects += "}";
  EXPECT_FALSE(ParseJson(objects).ok());
  // Reasonable depths are fine, and brackets inside strings do not count.
  std::string ok_depth = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok_depth).ok());
  EXPECT_FALSE(ParseJson("[" + ok_depth + "]").ok());
  std::string brackets = "[\"" + std::string(10'000, '[') + "\\\"[\"]";
  auto in_string = ParseJson(brackets);
  ASSERT_TRUE(in_string.ok()) << in_string.error().message;
  EXPECT_EQ((*in_string)[0].get<std::string>().size(), 10'002u);
}

TEST(DecodeJson, ConvertsToModels) {
  auto r = DecodeJson<Item>(R"({"id":"x1","count":3,"tags":["a"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, "x1");
  EXPECT_EQ(r->count, 3);
  EXPECT_EQ(r->tags, std::vector<std::string>{"a"});
}

TEST(DecodeJson, ConversionErrorsAreDecodeErrors) {
  auto missing = DecodeJson<Item>(R"({"count":3})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kDecode);
  EXPECT_THAT(missing.error().message, HasSubstr("'id'"));

  auto wrong_type = DecodeJson<Item>(R"({"id":5,"count":3})");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().kind, ErrorKind::kDecode);
  EXPECT_THAT(wrong_type.error().message, HasSubstr("string"));

  auto not_object = DecodeJson<Item>("[1,2]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().kind, ErrorKind::kDecode);

  auto bad_tags = DecodeJson<Item>(R"({"id":"x","count":1,"tags":"nope"})");
  ASSERT_FALSE(bad_tags.ok());

  auto syntax = DecodeJson<Item>("{");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().kind, ErrorKind::kDecode);
  EXPECT_EQ(syntax.error().raw_body, "{");

  auto scalar = ConvertJson<int>(Json("12"));
  ASSERT_FALSE(scalar.ok());
  EXPECT_EQ(scalar.error().kind, ErrorKind::kDecode);
  EXPECT_EQ(*ConvertJson<int>(Json(12)), 12);
}

TEST(JsonValueOr, NeverThrows) {
  Json j = {{"s", "text"}, {"n", 7}, {"f", 2.5}, {"b", true}, {"z", nullptr}, {"a", {1, 2}}};
  EXPECT_EQ(JsonValueOr<std::string>(j, "s", "fb"), "text");
  EXPECT_EQ(JsonValueOr<int>(j, "n", -1), 7);
  EXPECT_EQ(JsonValueOr<bool>(j, "b", false), true);
  EXPECT_EQ(JsonValueOr<std::string>(j, "missing", "fb"), "fb");
  EXPECT_EQ(JsonValueOr<std::string>(j, "z", "fb"), "fb");  // null
  EXPECT_EQ(JsonValueOr<std::string>(j, "n", "fb"), "fb");  // wrong type
  EXPECT_EQ(JsonValueOr<int>(j, "s", -1), -1);
  EXPECT_EQ(JsonValueOr<bool>(j, "n", false), false);
  EXPECT_EQ(JsonValueOr<std::vector<int>>(j, "a", {}), (std::vector<int>{1, 2}));
  EXPECT_EQ(JsonValueOr<std::vector<int>>(j, "s", {9}), (std::vector<int>{9}));
  // Not an object at all.
  EXPECT_EQ(JsonValueOr<int>(Json::array(), "n", -1), -1);
  EXPECT_EQ(JsonValueOr<int>(Json("n"), "n", -1), -1);
  EXPECT_EQ(JsonValueOr<int>(Json(), "n", -1), -1);
}

TEST(DumpJson, ReplacesInvalidUtf8InsteadOfThrowing) {
  Json j = {{"bad", std::string("a\xff\xfe"
                                "b")},
            {"ok", "台北"}};
  EXPECT_THROW((void)j.dump(), Json::type_error);  // what DumpJson protects against
  std::string out;
  EXPECT_NO_THROW(out = DumpJson(j));
  auto reparsed = ParseJson(out);
  ASSERT_TRUE(reparsed.ok()) << out;
  const auto bad = (*reparsed)["bad"].get<std::string>();
  EXPECT_THAT(bad, HasSubstr("\xEF\xBF\xBD"));  // U+FFFD
  EXPECT_EQ(bad.front(), 'a');
  EXPECT_EQ(bad.back(), 'b');
  EXPECT_EQ((*reparsed)["ok"], "台北");
  EXPECT_EQ(DumpJson(Json{{"a", 1}}, 2), "{\n  \"a\": 1\n}");
  // Truncated multi-byte sequences and lone continuation bytes too.
  for (const std::string& s : {std::string("\xe5\x8f"), std::string("\x80"),
                               std::string("\xf0\x9f\x98"), std::string("x\0y", 3)}) {
    std::string dumped;
    EXPECT_NO_THROW(dumped = DumpJson(Json(s)));
    EXPECT_TRUE(ParseJson(dumped).ok()) << dumped;
  }
}

// DumpJson writes its compact form itself (faster than nlohmann's serialiser): byte for byte
// what nlohmann's dump(-1, ' ', false, replace) gives, for every kind of value.
TEST(DumpJson, CompactFormIsNlohmannsByteForByte) {
  auto nlohmann_dump = [](const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  std::vector<Json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      42,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      0.0,
      -0.0,
      1.0,
      0.1,
      1e20,
      1e-7,
      -2.5e300,
      std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::infinity(),
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t",
      std::string("nul\0x", 5),
      "\x01\x1f\x7f",
      "台北 é 😀",
      std::string("bad \xff\xfe utf8 \xe5\x8f"),
      std::string("\xed\xa0\x80 surrogate, \xc0\xaf overlong, \xf4\x90\x80\x80 too big"),
      Json::array(),
      Json::object(),
      Json::binary({1, 2, 3})};
  Json nested = {{"list", values},
                 {"obj", {{"k\n\"", 1}, {"台", {{"deep", Json::array({Json::object()})}}}}},
                 {std::string("key \xff"), "v"}};
  values.push_back(nested);
  for (const Json& v : values) EXPECT_EQ(DumpJson(v), nlohmann_dump(v)) << nlohmann_dump(v);
}

TEST(MakeWireExact, GivesWhatTheSerialisationReadsBackAs) {
  Json j = {{"n", 5}, {"neg", -5}, {"f", 1.5}, {"s", "台北"}, {"a", {1, Json::object()}}};
  ASSERT_TRUE(MakeWireExact(j));
  auto reparsed = ParseJson(DumpJson(j));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(j, *reparsed);
  EXPECT_TRUE(j["n"].is_number_unsigned());  // as the parser reads a non-negative integer
  EXPECT_TRUE(j["a"][0].is_number_unsigned());
  EXPECT_TRUE(j["neg"].is_number_integer());
  EXPECT_EQ(DumpJson(j), DumpJson(*reparsed));
  // Values that read back differently from their bytes cannot stand in for them.
  Json nan = {{"x", std::numeric_limits<double>::quiet_NaN()}};
  EXPECT_FALSE(MakeWireExact(nan));  // written as null
  Json bad = {{"x", std::string("\xff")}};
  EXPECT_FALSE(MakeWireExact(bad));  // written with U+FFFD
  Json bad_key = {{std::string("\xc0\xaf"), 1}};
  EXPECT_FALSE(MakeWireExact(bad_key));
  Json binary = Json::binary({1});
  EXPECT_FALSE(MakeWireExact(binary));
  Json deep = Json::array();
  for (std::size_t i = 0; i < kMaxJsonDepth; ++i) deep = Json::array({deep});
  EXPECT_FALSE(MakeWireExact(deep));  // ParseJson refuses its bytes
}

// The value's shape with the type of every number (nlohmann's == calls 5 and 5u equal).
std::string JsonShape(const Json& j) {
  std::string out(1, static_cast<char>('0' + static_cast<int>(j.type())));
  if (j.is_structured()) {
    for (const auto& v : j) out += JsonShape(v);
  }
  return out;
}

// DumpWireExact is DumpJson and MakeWireExact in one walk: the same bytes, the same verdict, the
// same value afterwards when it is wire-exact, for such values and for each way of not being so.
TEST(DumpWireExact, IsDumpJsonAndMakeWireExactInOneWalk) {
  Json deep = Json::array();
  for (std::size_t i = 0; i < kMaxJsonDepth; ++i) deep = Json::array({deep});
  const std::vector<Json> values = {
      Json{{"n", 5}, {"neg", -5}, {"f", 1.5}, {"s", "台北 \"q\"\n"}, {"a", {1, Json::object()}}},
      Json{{"x", std::numeric_limits<double>::quiet_NaN()}},
      Json{{"x", std::string("\xff")}},
      Json{{std::string("\xc0\xaf"), 1}},
      Json::array({1, Json::binary({1})}),
      deep,
      Json(7),
      Json()};
  for (const Json& v : values) {
    Json one_walk = v;
    Json two_walks = v;
    bool exact = false;
    const std::string bytes = DumpWireExact(one_walk, exact);
    EXPECT_EQ(bytes, DumpJson(v));
    EXPECT_EQ(exact, MakeWireExact(two_walks)) << bytes.substr(0, 80);
    if (exact) {  // (a value that is not wire-exact stands in for nothing: its form is no matter)
      EXPECT_EQ(JsonShape(one_walk), JsonShape(two_walks));
      auto reparsed = ParseJson(bytes);
      ASSERT_TRUE(reparsed.ok());
      EXPECT_EQ(JsonShape(*reparsed), JsonShape(one_walk));
    }
  }
  // DumpShared: the bytes, and the value beside them only when it may stand in for them.
  std::shared_ptr<const Json> shared;
  EXPECT_EQ(DumpShared(Json{{"a", 1}}, shared), R"({"a":1})");
  ASSERT_NE(shared, nullptr);
  EXPECT_TRUE((*shared)["a"].is_number_unsigned());
  EXPECT_EQ(DumpShared(Json{{"x", std::numeric_limits<double>::infinity()}}, shared),
            R"({"x":null})");
  EXPECT_EQ(shared, nullptr);
}

// ResponseJson and RequestJson (both forms): a message's attached value, read as it is without
// parsing the body, or its body parsed; a decode error when the body is not JSON.
template <typename Message, typename Read, typename ReadInto>
void ExpectAttachedOrParsed(Read read, ReadInto read_into) {
  Message m;
  m.body = R"({"a":1})";
  auto parsed = read(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, Json({{"a", 1}}));
  m.json = SharedWireExact(Json{{"b", 2}});
  ASSERT_NE(m.json, nullptr);
  EXPECT_EQ(*read(m), Json({{"b", 2}}));
  Json scratch;
  EXPECT_EQ(read_into(m, scratch, nullptr), m.json.get());
  m.json.reset();
  m.body = "{";
  auto bad = read(m);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kDecode);
  Error error;
  EXPECT_EQ(read_into(m, scratch, &error), nullptr);
  EXPECT_EQ(error.kind, ErrorKind::kDecode);
}

TEST(ResponseJson, ReadsTheAttachedValueOrParsesTheBody) {
  ExpectAttachedOrParsed<HttpResponse>(
      [](const HttpResponse& r) { return ResponseJson(r); },
      [](const HttpResponse& r, Json& p, Error* e) { return ResponseJson(r, p, e); });
}

TEST(RequestJson, ReadsTheAttachedValueOrParsesTheBody) {
  ExpectAttachedOrParsed<HttpRequest>(
      [](const HttpRequest& r) { return RequestJson(r); },
      [](const HttpRequest& r, Json& p, Error* e) { return RequestJson(r, p, e); });
  // A value that reads back differently from its bytes is not attached at all.
  EXPECT_EQ(SharedWireExact(Json{{"x", std::numeric_limits<double>::infinity()}}), nullptr);
}

TEST(CodePointLength, CountsUnicodeCodePoints) {
  EXPECT_EQ(CodePointLength(""), 0u);
  EXPECT_EQ(CodePointLength("abc"), 3u);
  EXPECT_EQ(CodePointLength("台北市"), 3u);
  EXPECT_EQ(CodePointLength("é"), 1u);   // 2 bytes
  EXPECT_EQ(CodePointLength("😀x"), 2u);  // 4 bytes + 1
  EXPECT_EQ(CodePointLength("a台😀é"), 4u);
}

TEST(CodePointLength, CountsInvalidBytesOneEach) {
  EXPECT_EQ(CodePointLength("\xff"), 1u);
  EXPECT_EQ(CodePointLength("\xff\xfe"), 2u);
  EXPECT_EQ(CodePointLength("\x80\x80"), 2u);  // lone continuation bytes
  EXPECT_EQ(CodePointLength("\xe5\x8f"), 2u);  // truncated 3-byte sequence
  EXPECT_EQ(CodePointLength("\xe5\x8f"
                            "a"),
            3u);
  EXPECT_EQ(CodePointLength("\xf0\x9f\x98"), 3u);  // truncated 4-byte sequence
  EXPECT_EQ(CodePointLength(std::string("a\0b", 3)), 3u);
}

}  // namespace
}  // namespace restbox::core
