// json_codec_fuzz: sdk/core's decode helpers (restbox/core/json_codec.hpp) and every model
// decoder of the five services (from_json of each model in sdk/services/*/models.hpp, through
// core::DecodeJson as the clients use it), plus each service's response interpreter.
// Input: byte 0 picks the decoder (one per model, then the helpers and the interpreters), the
// rest is the body text. Properties beyond "no crash, no throw":
//   - a decoder returns a value or a kDecode error, never throws;
//   - a decoded model encodes (to_json) to text that decodes to an equal model;
//   - ParseJson accepts exactly what nlohmann accepts below the depth limit, and its result
//     dumps (DumpJson) to text that parses to the same document, the very bytes nlohmann's own
//     serialiser writes; MakeWireExact keeps a parsed document as it is;
//   - CodePointLength is at most the byte length, and equal for ASCII;
//   - ParseError / InterpretResponse of every service give an error whose http_status is the
//     response's for any non-success status and body.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "restbox/chikage/models.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/findhelper/models.hpp"
#include "restbox/inventory/models.hpp"
#include "restbox/market/models.hpp"
#include "restbox/services/registry.hpp"
#include "restbox/wncms/models.hpp"

namespace core = restbox::core;

namespace {

template <typename T>
void Model(std::string_view text) {
  core::Result<T> decoded = [&] {
    try {
      return core::DecodeJson<T>(text);
    } catch (...) {
      restbox::fuzz::Fail(__FILE__, __LINE__, "DecodeJson threw");
    }
  }();
  if (!decoded.ok()) {
    FUZZ_CHECK(decoded.error().kind == core::ErrorKind::kDecode);
    return;
  }
  // What was decoded can be sent again: to_json gives text the decoder reads back the same.
  core::Json encoded = *decoded;
  std::string again = core::DumpJson(encoded);
  core::Result<T> redecoded = core::DecodeJson<T>(again);
  FUZZ_CHECK(redecoded.ok());
  if constexpr (std::equality_comparable<T>) FUZZ_CHECK(*redecoded == *decoded);
}

void Helpers(std::string_view text) {
  auto parsed = core::ParseJson(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().kind == core::ErrorKind::kDecode);
    FUZZ_CHECK(parsed.error().raw_body == text);
  } else {
    std::string dumped = core::DumpJson(*parsed);
    auto again = core::ParseJson(dumped);
    FUZZ_CHECK(again.ok());
    // Invalid UTF-8 inside strings is replaced on dump, so only valid documents compare equal.
    bool valid_utf8 = true;
    try {
      (void)parsed->dump();
    } catch (const core::Json::exception&) {
      valid_utf8 = false;
    }
    if (valid_utf8) FUZZ_CHECK(*again == *parsed);
    // DumpJson's own compact writer is nlohmann's serialiser byte for byte.
    FUZZ_CHECK(dumped == parsed->dump(-1, ' ', false, core::Json::error_handler_t::replace));
    // A value made wire-exact reads back from its bytes as itself (what HttpResponse::json
    // relies on).
    core::Json exact = *parsed;
    if (core::MakeWireExact(exact)) FUZZ_CHECK(*again == exact && dumped == core::DumpJson(exact));
    (void)core::DumpJson(*parsed, 2);
    (void)core::JsonValueOr<std::string>(*parsed, "a", "");
    (void)core::JsonValueOr<std::int64_t>(*parsed, "a", 0);
  }
  std::size_t length = core::CodePointLength(text);
  FUZZ_CHECK(length <= text.size());
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) FUZZ_CHECK(length == text.size());
}

// Every endpoint of every service: a status from the first two bytes and the body; the
// interpreter decides success or the typed error.
void Interpret(std::string_view text) {
  if (text.size() < 3) return;
  auto services = restbox::services::AllServices();
  const auto& entry = services[static_cast<unsigned char>(text[0]) % services.size()];
  const auto& endpoints = entry.spec->endpoints;
  const core::EndpointSpec& endpoint =
      endpoints[static_cast<unsigned char>(text[1]) % endpoints.size()];
  static constexpr int kStatuses[] = {200, 201, 202, 204, 301, 400, 401, 402, 403, 404, 405,
                                      409, 410, 413, 415, 422, 429, 500, 502, 503, 504, 0};
  core::HttpResponse response;
  response.status = kStatuses[static_cast<unsigned char>(text[2]) % std::size(kStatuses)];
  if (response.status == 0) response.status = 100 + static_cast<unsigned char>(text[2]) % 500;
  response.body = std::string(text.substr(3));
  response.headers.Add("Content-Type", "application/json");
  if (text.size() > 3 && text[3] == '{') response.headers.Add("Retry-After", "7");
  core::Result<core::Json> result = entry.interpret(endpoint, response);
  if (!result.ok() && !endpoint.AcceptsAsSuccess(response.status)) {
    FUZZ_CHECK(result.error().http_status == response.status);
  }
  if (result.ok()) (void)core::DumpJson(*result);
}

void ServiceHelpers(std::uint8_t which, std::string_view text) {
  core::HttpResponse response{.status = 400 + which % 200, .body = std::string(text)};
  switch (which % 8) {
    case 0:
      FUZZ_CHECK(restbox::chikage::ParseError(response).http_status == response.status);
      break;
    case 1:
      FUZZ_CHECK(restbox::findhelper::ParseError(response).http_status == response.status);
      (void)restbox::findhelper::DecodeData<restbox::findhelper::Job>(text);
      break;
    case 2:
      FUZZ_CHECK(restbox::inventory::ParseError(response).http_status == response.status);
      (void)restbox::inventory::ParseErrorBody(text);
      (void)restbox::inventory::DecodeData<restbox::inventory::Item>(text);
      break;
    case 3:
      FUZZ_CHECK(restbox::market::ParseError(response).http_status == response.status);
      response.status = 200;
      (void)restbox::market::DecodeCallResult(response);
      (void)restbox::market::ParseParamType(text);
      break;
    case 4:
      FUZZ_CHECK(restbox::wncms::ParseError(response).http_status == response.status);
      response.status = 200;
      (void)restbox::wncms::DecodeEnvelope(response);
      (void)restbox::wncms::ParsePublishedAt(text);
      break;
    default:
      response.status = 200;
      (void)restbox::wncms::ParseError(response);
      (void)restbox::inventory::DecodeDataJson(text);
      break;
  }
}

using Decoder = void (*)(std::string_view);
constexpr Decoder kDecoders[] = {
    // chikage
    Model<restbox::chikage::QueuedWrite>,
    Model<restbox::chikage::Record>,
    Model<restbox::chikage::ErrorBody>,
    Model<restbox::chikage::WebhookEvent>,
    Model<restbox::chikage::SchemaField>,
    // findhelper
    Model<restbox::findhelper::Job>,
    Model<restbox::findhelper::NewJob>,
    Model<restbox::findhelper::Pagination>,
    Model<restbox::findhelper::JobPage>,
    Model<restbox::findhelper::ErrorBody>,
    // inventory
    Model<restbox::inventory::Pagination>,
    Model<restbox::inventory::Item>,
    Model<restbox::inventory::ItemList>,
    Model<restbox::inventory::Template>,
    Model<restbox::inventory::TemplateList>,
    Model<restbox::inventory::SharedTemplate>,
    Model<restbox::inventory::SharedTemplateList>,
    Model<restbox::inventory::UserStats>,
    Model<restbox::inventory::CreateTemplateRequest>,
    Model<restbox::inventory::CreatedTemplate>,
    Model<restbox::inventory::ShareRequest>,
    Model<restbox::inventory::Share>,
    Model<restbox::inventory::RevokeRequest>,
    Model<restbox::inventory::RevokeResult>,
    Model<restbox::inventory::SendRequest>,
    Model<restbox::inventory::SendResult>,
    Model<restbox::inventory::OwnershipRequest>,
    Model<restbox::inventory::Ownership>,
    // market
    Model<restbox::market::CallResult>,
    Model<restbox::market::BackendResponse>,
    Model<restbox::market::ParamSpec>,
    Model<restbox::market::PricingPlan>,
    // wncms
    Model<restbox::wncms::Envelope>,
    Model<restbox::wncms::Pagination>,
    Model<restbox::wncms::Post>,
    Model<restbox::wncms::Tag>,
    Model<restbox::wncms::Page>,
    Model<restbox::wncms::MenuItem>,
    Model<restbox::wncms::Menu>,
    Model<restbox::wncms::ListQuery>,
    Model<restbox::wncms::NewPost>,
    Model<restbox::wncms::NewTag>,
    Model<restbox::wncms::NewPage>,
    Model<restbox::wncms::MenuItemInput>,
    Model<restbox::wncms::MenuInput>,
    // sdk/core
    Helpers,
    Interpret,
};
constexpr std::size_t kModels = std::size(kDecoders);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Selectors past the table reach the services' error helpers (8 of them).
  std::size_t which = data[0] % (kModels + 8);
  if (which < kModels)
    kDecoders[which](text);
  else
    ServiceHelpers(static_cast<std::uint8_t>(which - kModels), text);
  return 0;
}
