#pragma once
// The request editor: a form generated from the endpoint's fields (types, required marks, limits,
// enums, defaults, seed example fill), a raw JSON view kept in sync, live client-side validation
// next to each field, extra headers with a "force documented status" shortcut, the client options,
// the per-request target and Send (button or Ctrl+Enter).
//
// The panel edits Model::draft in place. Drafts changed elsewhere (explorer selection, history
// re-send) are picked up at the next frame: the form and the raw text are reloaded from them.
// Live validation runs services::DynamicClient::Check, the very checks Send applies, whenever the
// draft, its environment or that environment's credential changed (never every frame).
//
// Test hook: editor/url, editor/target (and editor/target/<index> in its list), editor/send,
// editor/tab/form, editor/raw (the Raw JSON tab), editor/tab/headers, editor/tab/options,
// editor/example, editor/defaults, editor/clear, editor/field/<name> (each field's input),
// editor/raw/text, editor/raw/as_body, editor/raw/body, editor/headers/add, editor/headers/force,
// editor/options/attempts, editor/options/validation. State: "editor/errors" (number of live
// problems).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "form.hpp"
#include "panel.hpp"

namespace restbox::console {

class RequestEditorPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Request"; }
  void Draw() override;

  // The live problems of the draft as of the last frame.
  const form::Problems& problems() const { return problems_; }
  // The Raw JSON tab's text and its parse problem (when the text is not applied).
  const std::string& raw_text() const { return raw_text_; }
  const std::optional<form::JsonProblem>& raw_problem() const { return raw_problem_; }

 private:
  // Reloads the inputs when the draft was changed outside this panel.
  void Sync();
  void LoadFromParams();
  // A form edit: sets (or removes, for nullopt) a parameter and rewrites the raw text.
  void SetParam(const std::string& name, std::optional<core::Json> value);
  void Revalidate();

  void DrawTopBar(const ServiceView& service, const core::EndpointSpec& endpoint);
  void DrawForm(const ServiceView& service, const core::EndpointSpec& endpoint);
  void DrawField(const ServiceView& service, const core::FieldSpec& field);
  void DrawOtherParams(const core::EndpointSpec& endpoint);
  void DrawRaw(const core::EndpointSpec& endpoint);
  void DrawHeaders(const core::EndpointSpec& endpoint);
  void DrawOptions();
  void DrawProblem(const std::string& name);

  std::string service_, endpoint_;  // what the inputs show
  core::Json synced_params_;        // draft.params as the inputs last saw them
  std::map<std::string, std::string, std::less<>> field_text_;  // text of each input
  std::string raw_text_;
  std::optional<form::JsonProblem> raw_problem_;
  std::string raw_body_text_;
  std::vector<std::pair<std::string, std::string>> header_rows_;
  std::vector<std::pair<std::string, std::string>> synced_headers_;
  std::string new_param_;

  form::Problems problems_;
  core::Json validated_key_;  // what problems_ was computed for
};

}  // namespace restbox::console
