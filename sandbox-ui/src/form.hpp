#pragma once
// The request form's logic, kept apart from the drawing so it can be tested without a frame:
// how a parameter value is shown in a text input and read back, the hint line of a field, the live
// validation of a draft (the SDK's own client-side checks, never a second validator), the URL
// preview, the documented statuses of an endpoint (explorer chips, "force status" combo), and
// where a JSON parse error is.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "model.hpp"
#include "restbox/core/endpoint.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::console::form {

// ---- values <-> input text ----

// The text an input shows for a parameter value: strings as they are, anything else as compact
// JSON. Null (and an absent value) shows as "".
std::string ValueText(const core::Json& value);

// The parameter value for the text typed into `field`'s input; nullopt for "" (the field is then
// removed from the parameters, so a "missing" answer can be tested). Text that does not read as
// the field's type is kept as a string, so the validator reports it and it can still be sent:
// - integer/number: a decimal number (integers stay integers), else the text;
// - boolean: "true"/"false", else the text;
// - array: JSON text, else comma-separated items as strings ("a, b" -> ["a", "b"]);
// - object/any: JSON text, else the text;
// - string: the text as it is.
std::optional<core::Json> ValueFromText(core::FieldType type, std::string_view text);

// One line under a field: where it goes, its type and its limits, enum, default and format, e.g.
// "query · integer · 1..100 · default 15".
std::string Hint(const core::FieldSpec& field);

// True when the environment's credential fills this field when it is left empty (the service's
// auth scheme: Authorization for bearer, api_token for body tokens, X-API-Key/X-API-Secret).
bool IsCredentialField(core::AuthScheme scheme, std::string_view field_name);

// ---- JSON text ----

// A JSON parse problem with its 1-based position ("line 3, column 7: ...").
struct JsonProblem {
  int line = 0;
  int column = 0;
  std::string message;
  std::string ToString() const;
};

// Parses the raw parameter text: a JSON object, or where and why it is not one.
struct ParsedParams {
  std::optional<core::Json> params;  // set when the text is a JSON object
  JsonProblem problem;               // otherwise
};
ParsedParams ParseParams(std::string_view text);

// ---- live validation ----

// The problems client-side validation finds in a draft, by field name, exactly as
// services::DynamicClient::Check (and so Send) reports them with the draft's environment's
// credentials applied. Problems on names the form has no row for ("body"...) are in `general`.
struct Problems {
  std::map<std::string, std::string, std::less<>> by_field;
  std::vector<std::string> general;
  std::size_t count() const { return by_field.size() + general.size(); }
};
Problems Check(const Model& model, const Draft& draft);

// The URL the draft goes to: the environment's base URL for the service, the path with its
// placeholders filled (unfilled ones stay "{name}") and the query, as the SDK builds it.
std::string PreviewUrl(const Model& model, const Draft& draft);

// ---- documented statuses ----

struct DocumentedStatus {
  int status = 0;
  std::string code;     // the service's own code, or ""
  std::string trigger;  // what causes it ("" for successes)
  bool success = false;
  // The Prefer header value that makes the mock answer it ("code=429"): the service code when the
  // row has one (several rows may share a status), else the status.
  std::string prefer;
};
// Successes first, then the documented errors in table order (repeated (status, code) rows once).
std::vector<DocumentedStatus> DocumentedStatuses(const core::EndpointSpec& endpoint);

// ---- colours shared by the explorer and the editor ----
// ---- layout ----

// Puts the next item on the current line when `width` more pixels fit there (after the item
// spacing), else leaves it for the next line: rows of buttons wrap in a narrow column instead of
// being cut. Call between two items, in place of ImGui::SameLine().
void SameLineIfFits(float width);
// The width of a button labelled `label` (up to any "##").
float ButtonWidth(const char* label);
// `text` shortened with "..." to fit `width` pixels (whole UTF-8 characters), or as it is when it
// fits. For labels ImGui draws itself (combo previews, selectables).
std::string Ellipsize(const std::string& text, float width);
// Text that is cut with "..." to fit `width` (the whole text in a tooltip when cut).
void TextEllipsis(const std::string& text, float width);
// TextEllipsis to the rest of the line, in `colour` when given (TextDisabled's colour for a hint).
void TextFit(const std::string& text, const ImVec4* colour = nullptr);
void TextDisabledFit(const std::string& text);
// A note in TextDisabled's colour, wrapped at the region's edge (sentences, legends, hints).
void Note(const char* format, ...) IM_FMTARGS(1);

ImVec4 StatusColor(int status);  // 2xx green, 3xx blue, 4xx amber, 5xx red
ImVec4 MethodColor(core::Method method);

}  // namespace restbox::console::form
