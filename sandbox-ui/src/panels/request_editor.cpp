#include "panels/request_editor.hpp"

#include <algorithm>
#include <cfloat>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "restbox/services/dynamic_client.hpp"

namespace restbox::console {
namespace {

const ImVec4 kProblemColor(1.0f, 0.42f, 0.42f, 1.0f);
const ImVec4 kValidColor(0.35f, 0.80f, 0.45f, 1.0f);

// Form rows: the path first, then what the request is about (query, body), headers last.
int LocationOrder(core::FieldIn in) {
  switch (in) {
    case core::FieldIn::kPath:
      return 0;
    case core::FieldIn::kQuery:
      return 1;
    case core::FieldIn::kBody:
      return 2;
    case core::FieldIn::kHeader:
      return 3;
  }
  return 4;
}

// The described value ("example" or "default", already parsed) of a field, or nullptr.
const core::Json* DescribedValue(const core::Json* description, std::string_view field,
                                 const char* what) {
  if (!description || !description->contains("fields")) return nullptr;
  for (const auto& f : (*description)["fields"]) {
    if (f.value("name", "") == field && f.contains(what)) return &f[what];
  }
  return nullptr;
}

void Tooltip(const std::string& text) {
  if (text.empty() || !ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

}  // namespace

// ---- state ----

void RequestEditorPanel::Sync() {
  Draft& draft = model_.draft;
  if (draft.service != service_ || draft.endpoint != endpoint_) {
    service_ = draft.service;
    endpoint_ = draft.endpoint;
    new_param_.clear();
    raw_body_text_ = draft.raw_body.value_or("");
    LoadFromParams();
  } else if (draft.params != synced_params_) {
    LoadFromParams();
  }
  if (draft.extra_headers.fields() != synced_headers_) {
    synced_headers_ = draft.extra_headers.fields();
    header_rows_ = synced_headers_;
  }
  if (draft.raw_body && *draft.raw_body != raw_body_text_) raw_body_text_ = *draft.raw_body;
}

void RequestEditorPanel::LoadFromParams() {
  Draft& draft = model_.draft;
  if (!draft.params.is_object()) draft.params = core::Json::object();
  field_text_.clear();
  for (auto it = draft.params.begin(); it != draft.params.end(); ++it) {
    field_text_[it.key()] = form::ValueText(it.value());
  }
  raw_text_ = core::DumpJson(draft.params, 2);
  raw_problem_.reset();
  synced_params_ = draft.params;
}

void RequestEditorPanel::SetParam(const std::string& name, std::optional<core::Json> value) {
  core::Json& params = model_.draft.params;
  if (!params.is_object()) params = core::Json::object();
  if (value) {
    params[name] = std::move(*value);
  } else {
    params.erase(name);
  }
  synced_params_ = params;
  // A form edit rewrites the raw text (it is not being edited: it lives on another tab).
  raw_text_ = core::DumpJson(params, 2);
  raw_problem_.reset();
}

void RequestEditorPanel::Revalidate() {
  const Draft& draft = model_.draft;
  const Environment& env = model_.environment(draft.environment);
  services::Credentials credentials;
  if (auto it = env.credentials.find(draft.service); it != env.credentials.end())
    credentials = it->second;
  // Everything Check depends on; compared each frame (small), checked only when it changed.
  core::Json key = {{"service", draft.service}, {"endpoint", draft.endpoint},
                    {"params", draft.params},   {"raw", draft.raw_body.has_value()},
                    {"key", credentials.key},   {"secret", credentials.secret}};
  if (key != validated_key_) {
    problems_ = form::Check(model_, draft);
    validated_key_ = std::move(key);
  }
  hook_.Set("editor/errors", problems_.count());
}

// ---- drawing ----

void RequestEditorPanel::Draw() {
  Sync();
  const ServiceView* service = model_.FindService(model_.draft.service);
  const core::EndpointSpec* endpoint =
      model_.FindEndpoint(model_.draft.service, model_.draft.endpoint);
  if (!service || !endpoint) {
    ImGui::TextDisabled("Pick an endpoint in the explorer.");
    return;
  }
  Revalidate();
  DrawTopBar(*service, *endpoint);

  if (ImGui::BeginTabBar("##editor_tabs")) {
    struct Tab {
      const char* label;
      const char* hook_id;
    };
    const Tab tabs[] = {{"Form", "editor/tab/form"},
                        {"Raw JSON", "editor/raw"},
                        {"Headers", "editor/tab/headers"},
                        {"Options", "editor/tab/options"}};
    for (std::size_t i = 0; i < std::size(tabs); ++i) {
      std::string label = tabs[i].label;
      if (i == 2 && !model_.draft.extra_headers.empty()) {
        label += " (" + std::to_string(model_.draft.extra_headers.size()) + ")";
      }
      label += "###";
      label += tabs[i].hook_id;
      const bool open = ImGui::BeginTabItem(label.c_str());
      hook_.Item(tabs[i].hook_id);
      if (!open) continue;
      switch (i) {
        case 0:
          DrawForm(*service, *endpoint);
          break;
        case 1:
          DrawRaw(*endpoint);
          break;
        case 2:
          DrawHeaders(*endpoint);
          break;
        default:
          DrawOptions();
          break;
      }
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  // Edits of this frame are checked now, so the count in the test hook is never a frame late.
  Revalidate();
}

void RequestEditorPanel::DrawTopBar(const ServiceView& service,
                                    const core::EndpointSpec& endpoint) {
  Draft& draft = model_.draft;
  ImGui::TextColored(form::MethodColor(endpoint.method), "%.*s",
                     static_cast<int>(core::ToString(endpoint.method).size()),
                     core::ToString(endpoint.method).data());
  ImGui::SameLine();
  // Read-only input: the URL can be selected and copied.
  std::string url = form::PreviewUrl(model_, draft);
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputText("##url", &url, ImGuiInputTextFlags_ReadOnly);
  hook_.TextInput("editor/url");
  Tooltip(service.id + " / " + endpoint.id + ": " + endpoint.summary);

  // Target (the environment this request goes to).
  const Environment& env = model_.environment(draft.environment);
  const std::string target_name = env.name + " (" + std::string(ToString(env.target)) + ")";
  const float combo_width = std::min(260.0f, ImGui::GetContentRegionAvail().x * 0.45f);
  const std::string preview = form::Ellipsize(
      target_name, combo_width - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2);
  ImGui::SetNextItemWidth(combo_width);
  if (ImGui::BeginCombo("##target", preview.c_str())) {
    for (std::size_t i = 0; i < model_.environments.size(); ++i) {
      const Environment& e = model_.environments[i];
      const std::string label =
          e.name + " (" + std::string(ToString(e.target)) + ")##env" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), i == draft.environment)) draft.environment = i;
      hook_.Item("editor/target/" + std::to_string(i));
    }
    ImGui::EndCombo();
  }
  hook_.Item("editor/target");
  Tooltip(target_name + ": this request goes to " + env.BaseUrlFor(service));

  form::SameLineIfFits(form::ButtonWidth("Send"));
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.45f, 0.80f, 1.0f));
  bool send = ImGui::Button("Send##send");
  ImGui::PopStyleColor();
  hook_.Item("editor/send");
  Tooltip("Send through the SDK pipeline (retry, rate limit, auth). Shortcut: Ctrl+Enter.");
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) &&
      (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false))) {
    send = true;
  }
  if (send) model_.Send(draft);

  // A status chip (or the headers tab) asked the mock for a documented status: say so beside
  // Send, with a way out, so a forced 429 is never mistaken for the real answer.
  if (auto prefer = draft.extra_headers.Get("Prefer"); prefer && !prefer->empty()) {
    std::string forced = *prefer;
    if (forced.rfind("code=", 0) == 0) forced = forced.substr(5);
    const std::string badge = "forced: " + forced + " x##forced";
    form::SameLineIfFits(form::ButtonWidth(badge.c_str()));
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.75f, 0.45f, 0.10f, 1.0f));
    if (ImGui::SmallButton(badge.c_str())) {
      draft.extra_headers.Remove("Prefer");
    }
    ImGui::PopStyleColor();
    hook_.Item("editor/forced");
    hook_.Set("editor/forced", forced);
    Tooltip("The request carries \"Prefer: " + *prefer +
            "\": the mock answers that documented status. Click to "
            "remove it.");
  } else {
    hook_.Set("editor/forced", nullptr);
  }

  form::SameLineIfFits(ImGui::CalcTextSize("9 problems (validation off: sent anyway)").x * 0.4f);
  if (problems_.count() == 0) {
    ImGui::TextColored(kValidColor, "valid");
  } else {
    ImGui::TextColored(kProblemColor, "%zu problem%s%s", problems_.count(),
                       problems_.count() == 1 ? "" : "s",
                       model_.client_validation ? "" : " (validation off: sent anyway)");
    std::string all;
    for (const auto& [name, message] : problems_.by_field) all += name + ": " + message + "\n";
    for (const auto& message : problems_.general) all += message + "\n";
    Tooltip(all);
  }
  if (model_.pending() > 0) {
    form::SameLineIfFits(ImGui::CalcTextSize("9 in flight").x);
    ImGui::TextDisabled("%d in flight", model_.pending());
  }
  for (const auto& message : problems_.general)
    ImGui::TextColored(kProblemColor, "%s", message.c_str());
}

void RequestEditorPanel::DrawForm(const ServiceView& service, const core::EndpointSpec& endpoint) {
  Draft& draft = model_.draft;
  const core::Json* description = model_.EndpointDescription(draft.service, draft.endpoint);
  auto replace = [&](core::Json params) {
    draft.params = std::move(params);
    LoadFromParams();
  };
  if (ImGui::SmallButton("Example##example"))
    replace(model_.ExampleParams(draft.service, draft.endpoint));
  hook_.Item("editor/example");
  Tooltip(
      "Fill with the seed's example request, with ids, tokens and params the mock has (credentials "
      "come "
      "from the environment)");
  ImGui::SameLine();
  if (ImGui::SmallButton("Defaults##defaults")) {
    core::Json params = draft.params;
    for (const auto& f : endpoint.fields) {
      if (params.contains(f.name)) continue;
      if (const core::Json* value = DescribedValue(description, f.name, "default"))
        params[f.name] = *value;
    }
    replace(std::move(params));
  }
  hook_.Item("editor/defaults");
  Tooltip("Add each documented default that is not set yet");
  ImGui::SameLine();
  if (ImGui::SmallButton("Clear##clear")) replace(core::Json::object());
  hook_.Item("editor/clear");
  Tooltip("Remove every parameter (to test \"missing\" answers)");
  const char* legend = "* required; right-click an input for empty/null";
  form::SameLineIfFits(ImGui::CalcTextSize(legend).x);
  ImGui::TextDisabled("%s", legend);

  ImGui::BeginChild("##form_scroll", ImVec2(0, 0), false);
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_Resizable;
  if (ImGui::BeginTable("##form", 2, flags)) {
    ImGui::TableSetupColumn("Field", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::GetFontSize() * 10.0f);
    ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch);
    std::vector<const core::FieldSpec*> fields;
    for (const auto& f : endpoint.fields) fields.push_back(&f);
    std::stable_sort(fields.begin(), fields.end(),
                     [](const core::FieldSpec* a, const core::FieldSpec* b) {
                       return LocationOrder(a->in) < LocationOrder(b->in);
                     });
    for (const core::FieldSpec* f : fields) DrawField(service, *f);
    DrawOtherParams(endpoint);
    ImGui::EndTable();
  }
  ImGui::EndChild();
}

void RequestEditorPanel::DrawProblem(const std::string& name) {
  if (auto it = problems_.by_field.find(name); it != problems_.by_field.end()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kProblemColor, "%s %s", name.c_str(), it->second.c_str());
    ImGui::PopTextWrapPos();
  }
}

void RequestEditorPanel::DrawField(const ServiceView& service, const core::FieldSpec& field) {
  const core::Json& params = model_.draft.params;
  const auto found = params.find(field.name);
  const core::Json* current = found == params.end() ? nullptr : &*found;
  std::string& text = field_text_[field.name];
  ImGui::PushID(field.name.c_str());

  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::AlignTextToFramePadding();
  // A long name ends in "..." in a narrow column; the tooltip has it whole.
  const float star = field.required ? ImGui::CalcTextSize("*").x + 2 : 0.0f;
  const std::string name = form::Ellipsize(field.name, ImGui::GetContentRegionAvail().x - star);
  ImGui::TextUnformatted(name.c_str());
  Tooltip(name == field.name ? field.description : field.name + ": " + field.description);
  if (field.required) {
    ImGui::SameLine(0, 2);
    ImGui::TextColored(kProblemColor, "*");
  }

  ImGui::TableSetColumnIndex(1);
  ImGui::SetNextItemWidth(-FLT_MIN);
  const std::string hook_id = "editor/field/" + field.name;
  if (field.type == core::FieldType::kBoolean) {
    const bool is_bool = current && current->is_boolean();
    bool value = is_bool && current->get<bool>();
    if (ImGui::Checkbox("##value", &value)) {
      SetParam(field.name, core::Json(value));
      text = value ? "true" : "false";
    }
    hook_.Item(hook_id);
    ImGui::SameLine();
    if (!current) {
      ImGui::TextDisabled("(not set)");
    } else if (!is_bool) {
      ImGui::TextDisabled("(%s)", form::ValueText(*current).c_str());
    }
    if (current) {
      ImGui::SameLine();
      if (ImGui::SmallButton("unset")) SetParam(field.name, std::nullopt);
    }
  } else if (!field.enum_values.empty()) {
    const std::string preview = current ? form::ValueText(*current) : std::string("(not set)");
    if (ImGui::BeginCombo("##value", preview.c_str())) {
      if (ImGui::Selectable("(not set)", !current)) SetParam(field.name, std::nullopt);
      for (const auto& option : field.enum_values) {
        const bool selected =
            current && current->is_string() && current->get<std::string>() == option;
        if (ImGui::Selectable(option.c_str(), selected)) SetParam(field.name, core::Json(option));
      }
      ImGui::EndCombo();
    }
    hook_.Item(hook_id);
  } else {
    // The hint fits the input (a long example ends in "..."; the field's tooltip has it whole).
    const std::string placeholder = form::Ellipsize(
        field.example.empty() ? std::string(core::ToString(field.type)) : "e.g. " + field.example,
        ImGui::CalcItemWidth() - ImGui::GetStyle().FramePadding.x * 2);
    bool edited = false;
    if (field.type == core::FieldType::kObject || field.type == core::FieldType::kArray) {
      edited = ImGui::InputTextMultiline("##value", &text,
                                         ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 3.0f));
    } else {
      edited = ImGui::InputTextWithHint("##value", placeholder.c_str(), &text);
    }
    hook_.TextInput(hook_id, text.empty());
    if (edited) SetParam(field.name, form::ValueFromText(field.type, text));
  }
  if (ImGui::BeginPopupContextItem("##menu")) {
    if (ImGui::MenuItem("Send an empty string")) SetParam(field.name, core::Json(""));
    if (ImGui::MenuItem("Send null")) SetParam(field.name, core::Json(nullptr));
    if (ImGui::MenuItem("Remove (missing)", nullptr, false, current != nullptr))
      SetParam(field.name, std::nullopt);
    ImGui::EndPopup();
    if (const auto it = model_.draft.params.find(field.name); it != model_.draft.params.end()) {
      text = form::ValueText(*it);
    } else {
      text.clear();
    }
  }

  ImGui::PushTextWrapPos(0.0f);
  if (!current && form::IsCredentialField(service.spec().auth, field.name)) {
    ImGui::TextDisabled("empty: the environment's credential is sent");
  } else if (!current && field.in == core::FieldIn::kHeader &&
             core::EqualsIgnoreCase(field.name, "Content-Type")) {
    ImGui::TextDisabled("empty: the SDK sends application/json with a body");
  }
  ImGui::TextDisabled("%s", form::Hint(field).c_str());
  ImGui::PopTextWrapPos();
  DrawProblem(field.name);
  ImGui::PopID();
}

void RequestEditorPanel::DrawOtherParams(const core::EndpointSpec& endpoint) {
  const bool to_body = endpoint.method == core::Method::kPost ||
                       endpoint.method == core::Method::kPut ||
                       endpoint.method == core::Method::kPatch;
  std::vector<std::string> names;
  for (auto it = model_.draft.params.begin(); it != model_.draft.params.end(); ++it) {
    const bool in_table = std::any_of(endpoint.fields.begin(), endpoint.fields.end(),
                                      [&](const core::FieldSpec& f) { return f.name == it.key(); });
    if (!in_table) names.push_back(it.key());
  }
  for (const std::string& name : names) {
    ImGui::PushID(("other/" + name).c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(name.c_str());
    ImGui::SameLine();
    const bool remove = ImGui::SmallButton("x");
    Tooltip("Remove this parameter");
    ImGui::TableSetColumnIndex(1);
    ImGui::SetNextItemWidth(-FLT_MIN);
    std::string& text = field_text_[name];
    const bool edited = ImGui::InputText("##value", &text);
    hook_.TextInput("editor/field/" + name, text.empty());
    ImGui::TextDisabled("%s (not in the table) \xC2\xB7 JSON or text", to_body ? "body" : "query");
    DrawProblem(name);
    ImGui::PopID();
    if (remove) {
      SetParam(name, std::nullopt);
    } else if (edited) {
      SetParam(name, form::ValueFromText(core::FieldType::kAny, text));
    }
  }
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::SetNextItemWidth(-FLT_MIN);
  const bool entered = ImGui::InputTextWithHint("##new_param", "name", &new_param_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  hook_.TextInput("editor/new_param", new_param_.empty());
  ImGui::TableSetColumnIndex(1);
  const bool add = ImGui::SmallButton("Add parameter##add_param");
  hook_.Item("editor/add_param");
  form::Note(to_body ? "Unknown names go to the JSON body." : "Unknown names go to the query.");
  if ((entered || add) && !new_param_.empty() && !model_.draft.params.contains(new_param_)) {
    field_text_[new_param_].clear();
    SetParam(new_param_, core::Json(""));
    new_param_.clear();
  }
}

void RequestEditorPanel::DrawRaw(const core::EndpointSpec& endpoint) {
  Draft& draft = model_.draft;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float avail = ImGui::GetContentRegionAvail().y;
  const bool as_body = draft.raw_body.has_value();
  const float params_height =
      std::max(line * 4, as_body ? (avail - line * 4) * 0.5f : avail - line * 3);
  if (ImGui::InputTextMultiline("##raw_text", &raw_text_, ImVec2(-FLT_MIN, params_height),
                                ImGuiInputTextFlags_AllowTabInput)) {
    form::ParsedParams parsed = form::ParseParams(raw_text_);
    if (parsed.params) {
      // Valid text drives the form; the text itself is kept as typed (no reformatting under the
      // cursor).
      draft.params = std::move(*parsed.params);
      field_text_.clear();
      for (auto it = draft.params.begin(); it != draft.params.end(); ++it) {
        field_text_[it.key()] = form::ValueText(it.value());
      }
      synced_params_ = draft.params;
      raw_problem_.reset();
    } else {
      raw_problem_ = parsed.problem;
    }
  }
  hook_.TextInput("editor/raw/text");
  if (raw_problem_) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kProblemColor, "Not applied: %s", raw_problem_->ToString().c_str());
    ImGui::PopTextWrapPos();
  } else {
    form::Note("The parameters as one JSON object; valid edits update the form.");
  }

  bool raw_body = as_body;
  if (ImGui::Checkbox("Send a raw body instead of the JSON body##as_body", &raw_body)) {
    if (raw_body) {
      auto body = services::DynamicRequest::FromParams(endpoint, draft.params).body;
      raw_body_text_ = body ? core::DumpJson(*body, 2) : std::string();
      draft.raw_body = raw_body_text_;
    } else {
      draft.raw_body.reset();
    }
  }
  hook_.Item("editor/raw/as_body");
  Tooltip(
      "Sent byte for byte (invalid JSON, wrong types...): no credential is injected into it and "
      "client-side validation skips it. Path and query still come from the parameters.");
  if (draft.raw_body) {
    if (ImGui::InputTextMultiline("##raw_body", &raw_body_text_, ImVec2(-FLT_MIN, -FLT_MIN),
                                  ImGuiInputTextFlags_AllowTabInput)) {
      draft.raw_body = raw_body_text_;
    }
    hook_.TextInput("editor/raw/body");
  }
}

void RequestEditorPanel::DrawHeaders(const core::EndpointSpec& endpoint) {
  bool changed = false;
  // "Force documented status": a Prefer header the mock honours.
  auto prefer = std::find_if(header_rows_.begin(), header_rows_.end(), [](const auto& row) {
    return core::EqualsIgnoreCase(row.first, "Prefer");
  });
  const std::vector<form::DocumentedStatus> statuses = form::DocumentedStatuses(endpoint);
  std::string preview = "(none)";
  if (prefer != header_rows_.end()) preview = prefer->second;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
  if (ImGui::BeginCombo("Force documented status##force", preview.c_str())) {
    if (ImGui::Selectable("(none)", prefer == header_rows_.end()) && prefer != header_rows_.end()) {
      header_rows_.erase(prefer);
      changed = true;
    }
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      const auto& s = statuses[i];
      std::string label = std::to_string(s.status);
      if (!s.code.empty()) label += " " + s.code;
      if (!s.trigger.empty()) label += "  " + s.trigger;
      label += "##status" + std::to_string(i);
      ImGui::PushStyleColor(ImGuiCol_Text, form::StatusColor(s.status));
      const bool selected = prefer != header_rows_.end() && prefer->second == s.prefer;
      if (ImGui::Selectable(label.c_str(), selected)) {
        if (prefer != header_rows_.end()) {
          prefer->second = s.prefer;
        } else {
          header_rows_.emplace_back("Prefer", s.prefer);
        }
        changed = true;
      }
      ImGui::PopStyleColor();
    }
    ImGui::EndCombo();
  }
  hook_.Item("editor/headers/force");
  Tooltip(
      "Adds \"Prefer: code=NNN\": the mock answers that documented status (live services ignore "
      "it).");

  if (ImGui::BeginTable("##headers", 3,
                        ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("##remove", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFrameHeight());
    ImGui::TableHeadersRow();
    std::optional<std::size_t> remove;
    for (std::size_t i = 0; i < header_rows_.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::SetNextItemWidth(-FLT_MIN);
      changed |= ImGui::InputTextWithHint("##name", "Header-Name", &header_rows_[i].first);
      hook_.TextInput("editor/headers/" + std::to_string(i) + "/name",
                      header_rows_[i].first.empty());
      ImGui::TableSetColumnIndex(1);
      ImGui::SetNextItemWidth(-FLT_MIN);
      changed |= ImGui::InputTextWithHint("##value", "value", &header_rows_[i].second);
      hook_.TextInput("editor/headers/" + std::to_string(i) + "/value",
                      header_rows_[i].second.empty());
      ImGui::TableSetColumnIndex(2);
      if (ImGui::SmallButton("x")) remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
    if (remove) {
      header_rows_.erase(header_rows_.begin() + static_cast<std::ptrdiff_t>(*remove));
      changed = true;
    }
  }
  if (ImGui::SmallButton("Add header##add_header")) header_rows_.emplace_back();
  hook_.Item("editor/headers/add");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "Sent as they are. A header set here wins over the environment's credential "
      "header (to test other keys).");
  ImGui::PopTextWrapPos();

  if (changed) {
    core::Headers headers;
    for (const auto& [name, value] : header_rows_) {
      if (!name.empty()) headers.Add(name, value);
    }
    model_.draft.extra_headers = std::move(headers);
    synced_headers_ = model_.draft.extra_headers.fields();
  }
}

void RequestEditorPanel::DrawOptions() {
  core::RetryOptions& retry = model_.retry;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
  if (ImGui::InputInt("Max attempts##attempts", &retry.max_attempts)) {
    retry.max_attempts = std::clamp(retry.max_attempts, 1, 10);
  }
  hook_.Item("editor/options/attempts");
  Tooltip("Total tries including the first (1 = no retry). Applies to every send.");
  int backoff = static_cast<int>(retry.initial_backoff.count());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
  if (ImGui::InputInt("First backoff (ms)##backoff", &backoff, 50, 500)) {
    retry.initial_backoff = core::Duration(std::clamp(backoff, 0, 60'000));
  }
  hook_.Item("editor/options/backoff");
  ImGui::Checkbox("Client-side validation##validation", &model_.client_validation);
  hook_.Item("editor/options/validation");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      model_.client_validation
          ? "On: a request that breaks the endpoint table is refused before sending "
            "(the SDK's default)."
          : "Off: everything is sent, so the server's own 400/422 answers can be tested.");
  ImGui::PopTextWrapPos();
}

}  // namespace restbox::console
