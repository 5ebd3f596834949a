// The mapping idiom of json_mapping.hpp: std::optional's serializer, nlohmann's macro behind the
// declared pair, and the field list with its wire names and rules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "restbox/core/json_codec.hpp"
#include "restbox/core/json_mapping.hpp"

namespace restbox::core {
namespace {

using ::testing::HasSubstr;

// Wire names equal the member names: the macro, forwarded to by the declared pair.
struct Sample {
  std::string id;
  int count = 7;
  std::optional<std::string> note;
  bool operator==(const Sample&) const = default;
};
void to_json(Json& j, const Sample& v);
void from_json(const Json& j, Sample& v);

namespace generated {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Sample, id, count, note)
}  // namespace generated
RESTBOX_JSON_FORWARD(generated, Sample)

// A field list: renamed members and every rule.
struct Widget {
  std::string id;
  std::string display_name = "unnamed";
  std::optional<int> size;
  std::vector<std::string> labels;
  std::optional<std::optional<std::string>> expires;  // absent, null or set
  bool operator==(const Widget&) const = default;
};
void to_json(Json& j, const Widget& v);
void from_json(const Json& j, Widget& v);

constexpr auto kWidgetFields = std::make_tuple(
    Field("id", &Widget::id, kRequired),
    Field("displayName", &Widget::display_name, kNullIsDefault),
    Field("size", &Widget::size, kOmitUnset), Field("labels", &Widget::labels, kOmitUnset),
    Field("expiresAt", &Widget::expires, kOmitUnset));
RESTBOX_JSON_FIELDS(Widget, kWidgetFields)

TEST(JsonMapping, OptionalWritesNullWhenUnsetAndRoundTrips) {
  EXPECT_EQ(Json(std::optional<int>()), Json(nullptr));
  EXPECT_EQ(Json(std::optional<int>(3)), Json(3));
  Sample unset{"a", 1, std::nullopt};
  EXPECT_EQ(Json(unset), Json::parse(R"({"id":"a","count":1,"note":null})"));
  EXPECT_EQ(ConvertJson<Sample>(Json(unset)).value(), unset);
  Sample set{"a", 1, "hi"};
  EXPECT_EQ(Json(set), Json::parse(R"({"id":"a","count":1,"note":"hi"})"));
  EXPECT_EQ(ConvertJson<Sample>(Json(set)).value(), set);
}

TEST(JsonMapping, AbsentAndNullOptionalsReadAsUnset) {
  EXPECT_EQ(ConvertJson<std::optional<std::string>>(Json(nullptr)).value(), std::nullopt);
  auto absent = ConvertJson<Sample>(Json::parse(R"({"id":"a"})"));
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  EXPECT_EQ(absent->note, std::nullopt);
  EXPECT_EQ(absent->count, 7);  // the model's default
  auto null = ConvertJson<Sample>(Json::parse(R"({"id":"a","note":null})"));
  ASSERT_TRUE(null.ok()) << null.error().message;
  EXPECT_EQ(null->note, std::nullopt);
  // Only an optional takes null: the macro's plain members refuse it.
  auto bad = ConvertJson<Sample>(Json::parse(R"({"id":"a","count":null})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kDecode);
}

TEST(JsonMapping, OptionalOfOptionalKeepsAbsentNullAndSetApart) {
  auto read = [](const char* text) {
    return ConvertJson<Widget>(Json::parse(text)).value().expires;
  };
  EXPECT_FALSE(read(R"({"id":"w"})").has_value());
  auto null = read(R"({"id":"w","expiresAt":null})");
  ASSERT_TRUE(null.has_value());
  EXPECT_FALSE(null->has_value());
  EXPECT_EQ(read(R"({"id":"w","expiresAt":"2027"})"), std::optional<std::string>("2027"));
  Widget w{.id = "w"};
  EXPECT_FALSE(Json(w).contains("expiresAt"));
  w.expires.emplace();
  EXPECT_EQ(Json(w)["expiresAt"], Json(nullptr));
}

TEST(JsonMapping, RenamedFieldUsesItsWireName) {
  Widget w{.id = "w1", .display_name = "Lamp"};
  Json j = w;
  EXPECT_EQ(j, Json::parse(R"({"id":"w1","displayName":"Lamp"})"));
  EXPECT_FALSE(j.contains("display_name"));
  EXPECT_EQ(ConvertJson<Widget>(j).value(), w);
}

TEST(JsonMapping, OmitUnsetLeavesOutUnsetOptionalsAndEmptyLists) {
  Widget w{.id = "w1", .size = 0, .labels = {"x"}};
  EXPECT_EQ(Json(w), Json::parse(R"({"id":"w1","displayName":"unnamed","size":0,"labels":["x"]})"));
  EXPECT_EQ(ConvertJson<Widget>(Json(w)).value(), w);
}

TEST(JsonMapping, RequiredMemberMissingIsADecodeErrorNamingTheKey) {
  auto missing = ConvertJson<Widget>(Json::parse(R"({"displayName":"Lamp"})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kDecode);
  EXPECT_THAT(missing.error().message, HasSubstr("key 'id' not found"));
  // A member that is not required keeps its default when absent.
  auto minimal = ConvertJson<Widget>(Json::parse(R"({"id":"w1"})"));
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(minimal->display_name, "unnamed");
}

TEST(JsonMapping, NullIsDefaultKeepsTheDefaultOtherMembersRefuseNull) {
  auto null_name = ConvertJson<Widget>(Json::parse(R"({"id":"w1","displayName":null})"));
  ASSERT_TRUE(null_name.ok()) << null_name.error().message;
  EXPECT_EQ(null_name->display_name, "unnamed");
  auto null_id = ConvertJson<Widget>(Json::parse(R"({"id":null})"));
  ASSERT_FALSE(null_id.ok());
  EXPECT_THAT(null_id.error().message, HasSubstr("null"));
}

TEST(JsonMapping, WrongTypesAndNonObjectsAreDecodeErrors) {
  auto wrong = ConvertJson<Widget>(Json::parse(R"({"id":"w1","size":"big"})"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kDecode);
  for (const char* text : {"[]", "\"w1\"", "null", "3"}) {
    SCOPED_TRACE(text);
    auto r = ConvertJson<Widget>(Json::parse(text));
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("expected a JSON object"));
  }
}

}  // namespace
}  // namespace restbox::core
