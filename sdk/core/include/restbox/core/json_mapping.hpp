#pragma once
// How a model maps to JSON: the one idiom every service folder follows (sdk/README.md, "Mapping
// a model"). Needs only <nlohmann/json_fwd.hpp>: a header that only declares to_json/from_json
// can include this instead of the full json.hpp. The .cpp that defines them includes this and
// json_codec.hpp (the full json, nlohmann's macros, ConvertJson).
//
// 1. Declare the pair next to the model, in its namespace:
//      void to_json(core::Json& j, const Widget& v);
//      void from_json(const core::Json& j, Widget& v);
// 2. Define them in the .cpp, in this order of preference:
//    a. Every wire name equals the member name and no rule below is needed: nlohmann's macro.
//       It defines inline functions, so it goes in a namespace of the .cpp and the declared pair
//       forwards to it:
//         namespace generated {
//         NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Widget, id, size)
//         }  // namespace generated
//         RESTBOX_JSON_FORWARD(generated, Widget)
//       _WITH_DEFAULT: an absent member keeps the model's default; the plain macro requires every
//       member. Either way a present null fails unless the member is an optional (or a Json).
//    b. Otherwise (a wire name differs, a member is required, an unset optional is left out of
//       requests...): a field list, each member once with its wire name and rules:
//         constexpr auto kWidgetFields =
//             std::make_tuple(core::Field("id", &Widget::id, core::kRequired),
//                             core::Field("displayName", &Widget::display_name),
//                             core::Field("size", &Widget::size, core::kOmitUnset));
//         RESTBOX_JSON_FIELDS(Widget, kWidgetFields)
//       Without rules a field reads and writes as under the _WITH_DEFAULT macro.
//    c. Hand-written only when the wire shape is not a field list (an envelope, polymorphic
//       data), with a one-line comment that says so.
//
// std::optional<T> (specialised below): an unset optional is written as null and null reads as
// unset; absent reads as unset through the model's default. An optional of an optional keeps the
// three states of a member that may be absent, null or set: absent -> outer unset, null -> inner
// unset (write it with kOmitUnset so that an outer unset stays absent).

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace restbox::core {

using Json = nlohmann::json;

// How a field of a field list is read and written; combine with |.
enum class JsonRules : std::uint8_t {
  kNone = 0,
  // Read: an absent member is a decode error naming the key ("key 'id' not found").
  kRequired = 1U << 0U,
  // Write: an unset optional, or an empty std::vector / std::map, is left out (requests: the
  // server's defaults apply). No effect on other types.
  kOmitUnset = 1U << 1U,
  // Read: a null member keeps the model's default, as an absent one does (servers that write
  // null for empty columns). Without it null fails unless the member is an optional or a Json.
  kNullIsDefault = 1U << 2U,
};
constexpr JsonRules operator|(JsonRules a, JsonRules b) {
  return static_cast<JsonRules>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr bool Has(JsonRules rules, JsonRules rule) {
  return (static_cast<std::uint8_t>(rules) & static_cast<std::uint8_t>(rule)) != 0;
}
inline constexpr JsonRules kRequired = JsonRules::kRequired;
inline constexpr JsonRules kOmitUnset = JsonRules::kOmitUnset;
inline constexpr JsonRules kNullIsDefault = JsonRules::kNullIsDefault;

// One member of a model on the wire: its JSON key, the member, the rules.
template <typename Model, typename Member>
struct JsonField {
  const char* key;
  Member Model::*member;
  JsonRules rules;
};

template <typename Model, typename Member>
constexpr JsonField<Model, Member> Field(const char* key, Member Model::*member,
                                         JsonRules rules = JsonRules::kNone) {
  return {key, member, rules};
}

namespace detail {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
struct IsList : std::false_type {};
template <typename T, typename A>
struct IsList<std::vector<T, A>> : std::true_type {};
template <typename K, typename V, typename C, typename A>
struct IsList<std::map<K, V, C, A>> : std::true_type {};

// What kOmitUnset leaves out: an unset optional, an empty vector or map.
template <typename T>
bool IsOmitted(const T& value) {
  if constexpr (IsOptional<T>::value) {
    return !value.has_value();
  } else if constexpr (IsList<T>::value) {
    return value.empty();
  } else {
    return false;
  }
}

template <typename BasicJson, typename Model, typename Member>
void WriteField(BasicJson& j, const Model& model, const JsonField<Model, Member>& field) {
  const Member& value = model.*(field.member);
  if (Has(field.rules, kOmitUnset) && IsOmitted(value)) return;
  j[field.key] = value;
}

template <typename BasicJson, typename Model, typename Member>
void ReadField(const BasicJson& j, Model& model, const JsonField<Model, Member>& field) {
  auto it = j.find(field.key);
  if (it == j.end()) {
    if (Has(field.rules, kRequired)) (void)j.at(field.key);  // throws, naming the key
    return;
  }
  if (it->is_null() && Has(field.rules, kNullIsDefault)) return;
  it->get_to(model.*(field.member));
}

}  // namespace detail

// Writes `model` as an object of the listed fields (what RESTBOX_JSON_FIELDS's to_json does).
template <typename BasicJson, typename Model, typename... Fields>
void WriteFields(BasicJson& j, const Model& model, const std::tuple<Fields...>& fields) {
  j = BasicJson::object();
  std::apply([&](const auto&... field) { (detail::WriteField(j, model, field), ...); }, fields);
}

// Reads the listed fields of the object `j` into `model`; throws (ConvertJson and DecodeJson
// catch it) when `j` is not an object, a required member is absent or a member has the wrong
// type.
template <typename BasicJson, typename Model, typename... Fields>
void ReadFields(const BasicJson& j, Model& model, const std::tuple<Fields...>& fields) {
  if (!j.is_object()) {
    throw std::invalid_argument(std::string("expected a JSON object, got ") + j.type_name());
  }
  std::apply([&](const auto&... field) { (detail::ReadField(j, model, field), ...); }, fields);
}

}  // namespace restbox::core

// Defines the declared (not inline) to_json/from_json of `Type` from a field list.
#define RESTBOX_JSON_FIELDS(Type, fields)                                    \
  void to_json(::restbox::core::Json& j, const Type& v) {                    \
    ::restbox::core::WriteFields(j, v, (fields));                            \
  }                                                                          \
  void from_json(const ::restbox::core::Json& j,                             \
                 Type& v) { /* NOLINT(bugprone-macro-parentheses): a type */ \
    ::restbox::core::ReadFields(j, v, (fields));                             \
  }

// Defines the declared to_json/from_json of `Type` as calls of the inline ones that
// NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE[_WITH_DEFAULT] generated in namespace `ns` of the .cpp.
#define RESTBOX_JSON_FORWARD(ns, Type)                                       \
  void to_json(::restbox::core::Json& j, const Type& v) {                    \
    ns::to_json(j, v);                                                       \
  }                                                                          \
  void from_json(const ::restbox::core::Json& j,                             \
                 Type& v) { /* NOLINT(bugprone-macro-parentheses): a type */ \
    ns::from_json(j, v);                                                     \
  }

namespace nlohmann {

// std::optional, as described at the top.
template <typename T>
struct adl_serializer<std::optional<T>> {
  template <typename BasicJson>
  static void to_json(BasicJson& j, const std::optional<T>& value) {
    if (value) {
      j = *value;
    } else {
      j = nullptr;
    }
  }
  template <typename BasicJson>
  static void from_json(const BasicJson& j, std::optional<T>& value) {
    if (j.is_null() && !restbox::core::detail::IsOptional<T>::value) {
      value.reset();
    } else {
      // get_to, not get<T>(): clang decides that a nested struct with member initialisers
      // (inventory's UserStats::Shares) is not default-constructible inside its enclosing class
      // and caches it, which get<T>() requires.
      T read{};
      j.get_to(read);
      value = std::move(read);
    }
  }
};

}  // namespace nlohmann
