#pragma once
// The typed-client form of a console call, for ExportCpp: a C++ export calls the typed client of
// its API (restbox::chikage::Client::Get, restbox::wncms::Client::StorePost, ...) with the draft's
// parameters, the way an application would. One recipe per endpoint of the five endpoint tables
// (a test walks every table entry and fails on one without a recipe); a recipe refuses (nullopt)
// when the draft holds a parameter its method does not take, and the export then falls back to
// services::DynamicClient, which takes anything the endpoint table allows.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::console {

// A C++ string literal: printable ASCII and UTF-8 as is, the rest escaped.
std::string CppString(std::string_view text);
// A C++ raw string literal whose delimiter does not occur in `text`.
std::string CppRawString(std::string_view text);

struct TypedCall {
  std::string header;                           // "restbox/chikage/client.hpp"
  std::string ns;                               // "restbox::chikage"
  std::vector<std::string> credential_members;  // options.<member> for the key, then the secret
  std::vector<std::string> setup;               // statements before the call (e.g. query members)
  std::string call;                             // client.Get("orders", "rec_demo000001")
  std::string value;  // what is printed of a success: "*result", "result->items"
};

// The typed call of `endpoint` of `service` with `params` (the draft's parameters, credentials
// already removed), or nullopt when the service has no typed client, the endpoint no recipe, or
// the parameters hold something the typed method cannot take.
std::optional<TypedCall> TypedCallOf(std::string_view service, std::string_view endpoint,
                                     const core::Json& params);

// Whether a recipe exists for `endpoint` of `service` (the walk over the endpoint tables).
bool HasTypedRecipe(std::string_view service, std::string_view endpoint);

}  // namespace restbox::console
