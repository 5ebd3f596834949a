#pragma once
// The one place where JSON exceptions are caught (DESIGN rule 3). Everything else in the SDK and
// the mock decodes through these helpers and gets an Error of kind kDecode instead of a throw.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_mapping.hpp"  // the std::optional serializer, field lists
#include "restbox/core/result.hpp"

namespace restbox::core {

// Deepest nesting of arrays/objects ParseJson accepts. Real payloads stay far below it; deeper
// documents would overflow the stack in the recursive copy and serialisation of nlohmann::json
// (a 100k-deep "[[[...]]]" body must get a 400, not crash the mock).
inline constexpr std::size_t kMaxJsonDepth = 512;

// Parses `text`. On failure: kDecode with the parser's message (byte offset included). Documents
// nested deeper than kMaxJsonDepth are refused the same way.
Result<Json> ParseJson(std::string_view text);

namespace detail {
Error DecodeError(std::string_view what, std::string_view text);
}  // namespace detail

// Converts an already-parsed document with from_json, catching type errors.
template <typename T>
Result<T> ConvertJson(const Json& json) {
  try {
    return json.get<T>();
  } catch (const std::exception& e) {
    return detail::DecodeError(e.what(), {});
  }
}

// ConvertJson for a model with one free-form JSON member (`member`, read from `key`): that member
// is moved out of `json` instead of copied (a record's data). The same result as ConvertJson.
template <typename T>
Result<T> ConvertJsonTaking(Json json, std::string_view key, Json T::*member) {
  Json taken;
  bool found = false;
  if (json.is_object()) {
    if (auto it = json.find(key); it != json.end()) {
      taken = std::move(*it);
      *it = nullptr;  // read as null by from_json, then replaced by the value taken
      found = true;
    }
  }
  Result<T> converted = ConvertJson<T>(json);
  if (converted.ok() && found) (*converted).*member = std::move(taken);
  return converted;
}

// Parses `text` and converts it with from_json. Conversion errors name the offending field when
// nlohmann reports it.
template <typename T>
Result<T> DecodeJson(std::string_view text) {
  auto parsed = ParseJson(text);
  if (!parsed) return parsed.error();
  return ConvertJson<T>(*parsed);
}

// Reads an optional member without throwing: returns `fallback` when absent, null or of the
// wrong type.
template <typename T>
T JsonValueOr(const Json& object, std::string_view key, T fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  try {
    return it->template get<T>();
  } catch (const std::exception&) {
    return fallback;
  }
}

// Serialises without throwing: invalid UTF-8 is replaced by U+FFFD instead of raising.
std::string DumpJson(const Json& json, int indent = -1);

// Makes `json` the value ParseJson(DumpJson(json)) gives, in place (non-negative integers become
// unsigned, as the parser reads them), and returns true; returns false, leaving it partly
// converted, when that value would differ otherwise (a NaN or infinite number, which is written
// as null; a string or key that is not valid UTF-8; binary data; nesting deeper than
// kMaxJsonDepth, which ParseJson refuses). What lets a value stand in for its serialisation
// (HttpResponse::json) without any reader seeing a difference.
bool MakeWireExact(Json& json);

// `json` made wire-exact (MakeWireExact) and shared, to stand beside its serialisation
// (HttpRequest::json, HttpResponse::json); null when it is not wire-exact, and the bytes alone
// must then speak for it.
std::shared_ptr<const Json> SharedWireExact(Json&& json);

// DumpJson(json) and MakeWireExact(json) in one walk of the value: the compact bytes, with
// `exact` telling whether `json` now reads back from them unchanged (when it does not, `json` may
// be partly normalised, and stands in for nothing).
std::string DumpWireExact(Json& json, bool& exact);
// The bytes of `json` (DumpWireExact), and in `shared` the value itself when it is wire-exact
// (null otherwise): what stands beside a body built from a value (HttpRequest::json,
// HttpResponse::json).
std::string DumpShared(Json&& json, std::shared_ptr<const Json>& shared);

// The body of `response` as JSON: its attached value (HttpResponse::json) when it has one,
// otherwise ParseJson(response.body). The same result either way.
Result<Json> ResponseJson(const HttpResponse& response);
// The same without a copy: the attached value, or `parsed` filled from the body (nullptr on a
// decode error, which `error` then holds).
const Json* ResponseJson(const HttpResponse& response, Json& parsed, Error* error);

// The same for a request's body (its attached value, HttpRequest::json, or the parsed bytes):
// what the in-process mock reads instead of parsing again what the client has just serialised.
Result<Json> RequestJson(const HttpRequest& request);
const Json* RequestJson(const HttpRequest& request, Json& parsed, Error* error);

// Number of Unicode code points in UTF-8 text (the unit of every length limit, see API-CONTRACT
// "Across all five"). Invalid bytes count as one each.
std::size_t CodePointLength(std::string_view utf8);

}  // namespace restbox::core
