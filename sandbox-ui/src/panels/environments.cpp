#include "panels/environments.hpp"

#include <algorithm>
#include <cfloat>
#include <utility>

#include "imgui.h"
#include "imgui_stdlib.h"

namespace restbox::console {
namespace {

const ImVec4 kErrorColor(1.0f, 0.42f, 0.42f, 1.0f);

void Tooltip(const char* text) {
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

const char* BaseUrlHint(TargetKind kind) {
  switch (kind) {
    case TargetKind::kInProcess:
      return "not needed (in-process)";
    case TargetKind::kHttpMock:
      return "http://127.0.0.1:8080";
    case TargetKind::kLive:
      return "empty: documented URLs";
  }
  return "";
}

}  // namespace

EnvironmentsPanel::EnvironmentsPanel(Model& model, TestHook& hook)
    : EnvironmentsPanel(model, hook, SettingsStore::Default()) {}

EnvironmentsPanel::EnvironmentsPanel(Model& model, TestHook& hook, SettingsStore store)
    : Panel(model, hook), store_(std::move(store)) {
  Load();
}

void EnvironmentsPanel::SetMessage(std::string message, bool error) {
  message_ = std::move(message);
  message_is_error_ = error;
  hook_.Set("environments/message", message_);
}

void EnvironmentsPanel::Load() {
  SettingsStore::Loaded loaded = store_.Load();
  if (loaded.settings) {
    model_.environments = std::move(loaded.settings->environments);
    model_.draft.environment = loaded.settings->active_environment;
    saved_active_ = model_.draft.environment;
    remember_ = true;
    SetMessage("Loaded from " + store_.location(), false);
  } else if (!loaded.error.empty()) {
    SetMessage(
        loaded.error + ". The defaults are used; turning \"Remember\" on replaces the stored copy.",
        true);
  }
  hook_.Set("environments/remember", remember_);
}

void EnvironmentsPanel::Save() {
  Settings settings{model_.environments, model_.draft.environment};
  if (std::string error = store_.Save(settings); !error.empty()) {
    SetMessage("Not saved: " + error, true);
  } else {
    SetMessage("Saved to " + store_.location(), false);
  }
  dirty_ = false;
  saved_active_ = model_.draft.environment;
}

bool EnvironmentsPanel::SecretInput(const char* label, const std::string& id, std::string* value) {
  const bool shown = model_.reveal_secrets || revealed_.contains(id);
  ImGui::PushID(id.c_str());
  // Room for the visible label and the "show"/"hide" button on the same line.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float label_width = ImGui::CalcTextSize(label, nullptr, true).x;
  const float button_width =
      model_.reveal_secrets
          ? 0
          : ImGui::CalcTextSize("hide").x + style.FramePadding.x * 2 + style.ItemSpacing.x;
  ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x - label_width -
                                              style.ItemInnerSpacing.x - button_width));
  const bool edited =
      ImGui::InputTextWithHint(label, "(none)", value, shown ? 0 : ImGuiInputTextFlags_Password);
  hook_.TextInput(id, value->empty(), label);
  ImGui::SameLine();
  if (!model_.reveal_secrets) {
    if (ImGui::SmallButton(shown ? "hide" : "show")) {
      if (shown) {
        revealed_.erase(id);
      } else {
        revealed_.insert(id);
      }
    }
    const std::string show_id =
        id.substr(0, id.rfind('/') + 1) + "show_" + id.substr(id.rfind('/') + 1);
    hook_.Item(show_id);
  }
  ImGui::PopID();
  return edited;
}

void EnvironmentsPanel::Draw() {
  std::vector<Environment>& environments = model_.environments;
  if (environments.empty())
    environments.push_back(Environment{"In-process mock", TargetKind::kInProcess, "", {}, {}});
  selected_ = std::min(selected_, environments.size() - 1);

  if (ImGui::Checkbox("Remember on this device##remember", &remember_)) {
    if (remember_) {
      Save();
    } else if (std::string error = store_.Remove(); !error.empty()) {
      SetMessage("Could not delete the stored copy: " + error, true);
    } else {
      SetMessage("Not remembered; the stored copy was deleted.", false);
    }
    hook_.Set("environments/remember", remember_);
  }
  hook_.Item("environments/remember");
  const std::string where =
      "Stored at " + store_.location() +
      " (secrets in clear, readable by you only). Off: nothing is written and "
      "the stored copy is deleted.";
  Tooltip(where.c_str());
  if (!message_.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    if (message_is_error_) {
      ImGui::TextColored(kErrorColor, "%s", message_.c_str());
    } else {
      ImGui::TextDisabled("%s", message_.c_str());
    }
    ImGui::PopTextWrapPos();
  }

  // ---- the list ----
  const float row = ImGui::GetTextLineHeightWithSpacing();
  const float list_height =
      row * static_cast<float>(std::min<std::size_t>(environments.size(), 6)) +
      ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild("##env_list", ImVec2(0, list_height), true);
  for (std::size_t i = 0; i < environments.size(); ++i) {
    const Environment& env = environments[i];
    const std::string label = env.name + (i == model_.draft.environment ? "  (requests)" : "") +
                              "##env" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), i == selected_)) selected_ = i;
    hook_.Item("environments/row/" + std::to_string(i));
    ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.6f);
    ImGui::TextDisabled("%.*s", static_cast<int>(ToString(env.target).size()),
                        ToString(env.target).data());
  }
  ImGui::EndChild();

  if (ImGui::SmallButton("Add##add")) {
    Environment env{
        "Environment " + std::to_string(environments.size() + 1), TargetKind::kLive, "", {}, {}};
    for (const auto& service : model_.services()) env.credentials[service.id] = {};
    environments.push_back(std::move(env));
    selected_ = environments.size() - 1;
    dirty_ = true;
  }
  hook_.Item("environments/add");
  ImGui::SameLine();
  if (ImGui::SmallButton("Duplicate##duplicate")) {
    Environment copy = environments[selected_];
    copy.name += " copy";
    environments.push_back(std::move(copy));
    selected_ = environments.size() - 1;
    dirty_ = true;
  }
  hook_.Item("environments/duplicate");
  ImGui::SameLine();
  ImGui::BeginDisabled(environments.size() <= 1);
  if (ImGui::SmallButton("Delete##delete")) {
    model_.DeleteEnvironment(selected_);
    selected_ = std::min(selected_, environments.size() - 1);
    dirty_ = true;
  }
  ImGui::EndDisabled();
  hook_.Item("environments/delete");
  ImGui::SameLine();
  ImGui::BeginDisabled(model_.draft.environment == selected_);
  if (ImGui::SmallButton("Use for requests##use")) model_.draft.environment = selected_;
  ImGui::EndDisabled();
  hook_.Item("environments/use");

  // ---- the selected environment ----
  Environment& env = environments[selected_];
  ImGui::Separator();
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5.0f);
  if (ImGui::InputText("Name##name", &env.name)) dirty_ = true;
  hook_.TextInput("environments/name", env.name.empty(), "Name##name");
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5.0f);
  const std::string kind(ToString(env.target));
  if (ImGui::BeginCombo("Target##target", kind.c_str())) {
    for (TargetKind k : {TargetKind::kInProcess, TargetKind::kHttpMock, TargetKind::kLive}) {
      const std::string name(ToString(k));
      if (ImGui::Selectable(name.c_str(), env.target == k)) {
        env.target = k;
        dirty_ = true;
      }
    }
    ImGui::EndCombo();
  }
  hook_.Item("environments/target");
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 5.0f);
  if (ImGui::InputTextWithHint("Base URL##base_url", BaseUrlHint(env.target), &env.base_url))
    dirty_ = true;
  hook_.TextInput("environments/base_url", env.base_url.empty(), "Base URL##base_url");

  for (const ServiceView& service : model_.services()) {
    const core::ServiceSpec& spec = service.spec();
    ImGui::PushID(service.id.c_str());
    const std::string auth(services::ToString(spec.auth));
    const bool open = ImGui::TreeNodeEx("##service", ImGuiTreeNodeFlags_SpanAvailWidth, "%s  (%s)",
                                        service.id.c_str(), auth.c_str());
    hook_.Item("environments/" + service.id);
    if (open) {
      const std::string prefix = "environments/" + service.id + "/";
      // A temporary copy without the override shows what the default would be.
      Environment without = env;
      without.service_base_url.erase(service.id);
      const std::string fallback = without.BaseUrlFor(service);
      std::string& url = env.service_base_url[service.id];
      ImGui::SetNextItemWidth(
          std::max(80.0f, ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 7.0f));
      if (ImGui::InputTextWithHint("Base URL##url", fallback.c_str(), &url)) dirty_ = true;
      hook_.TextInput(prefix + "base_url", url.empty(), "Base URL##url");
      if (url.empty()) env.service_base_url.erase(service.id);  // no override: keep the map clean

      services::Credentials& c = env.credentials[service.id];
      const char* key_label = spec.auth == core::AuthScheme::kBearer      ? "Bearer key##key"
                              : spec.auth == core::AuthScheme::kBodyToken ? "api_token##key"
                                                                          : "X-API-Key##key";
      if (SecretInput(key_label, prefix + "key", &c.key)) dirty_ = true;
      if (spec.auth == core::AuthScheme::kKeyAndSecret) {
        if (SecretInput("X-API-Secret##secret", prefix + "secret", &c.secret)) dirty_ = true;
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
  }

  // Saved once an edit is complete (no input active), not on every keystroke.
  if (remember_ && (dirty_ || saved_active_ != model_.draft.environment) &&
      !ImGui::IsAnyItemActive())
    Save();
}

}  // namespace restbox::console
