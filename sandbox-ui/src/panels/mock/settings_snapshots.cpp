// The sections that change the mock's world: per-service settings and named snapshots.
#include <algorithm>
#include <cstdio>

#include "form.hpp"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "panels/mock/sections.hpp"
#include "restbox/core/url.hpp"

namespace restbox::console::mock_tab {

void SettingsSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  const auto& services = link.model().services();
  if (services.empty()) return;
  service_ = std::clamp(service_, 0, static_cast<int>(services.size()) - 1);
  const std::string& id = services[static_cast<std::size_t>(service_)].id;
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("Service##settings_service", id.c_str())) {
    for (std::size_t i = 0; i < services.size(); ++i) {
      std::string label = services[i].id + "##settings" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == service_))
        service_ = static_cast<int>(i);
    }
    ImGui::EndCombo();
  }
  hook.Item("mock/settings/service");
  const bool reload = loaded_for_ != id || loaded_generation_ != link.generation();
  form::SameLineIfFits(form::ButtonWidth("Reload"));
  if (ImGui::SmallButton("Reload##settings_reload") || reload) {
    loaded_for_ = id;
    loaded_generation_ = link.generation();
    link.Call(core::Method::kGet, "/__restbox/settings/" + core::EncodePathSegment(id),
              std::nullopt, [this, &link](int status, const core::Json& answer) {
                if (status == 200) {
                  text_ = link.Masked(answer.dump(2));
                  message_.clear();
                } else {
                  message_ = ErrorText(status, answer);
                }
              });
  }
  ImGui::InputTextMultiline("##settings_text", &text_, ImVec2(-1, ImGui::GetTextLineHeight() * 10));
  hook.TextInput("mock/settings/text");
  hook.Set("mock/settings/text", text_);
  if (ImGui::Button("Apply settings##settings_apply")) {
    auto parsed = core::ParseJson(link.Unmasked(text_));
    if (!parsed.ok()) {
      message_ = "not JSON: " + parsed.error().message;
    } else {
      link.Call(core::Method::kPost, "/__restbox/settings/" + core::EncodePathSegment(id),
                parsed.value(), [this, &link](int status, const core::Json& answer) {
                  if (status == 200) {
                    text_ = link.Masked(answer.dump(2));
                    message_ = "applied";
                  } else {
                    message_ = ErrorText(status, answer);  // the 400's message, nothing applied
                  }
                });
    }
  }
  hook.Item("mock/settings/apply");
  ShowOutcome(hook, "mock/settings/message", message_);
}

void SnapshotsSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  form::Note(
      "A snapshot is the whole world of the mock: records, settings, rate-limit counters, "
      "queued writes, webhook deliveries, fault rules and the clock.");
  const float save_width = form::ButtonWidth("Save snapshot");
  ImGui::SetNextItemWidth(std::max(
      120.0f, ImGui::GetContentRegionAvail().x - save_width - ImGui::GetStyle().ItemSpacing.x));
  ImGui::InputTextWithHint("##snapshot_name", "name (letters, digits, . _ -)", name_, sizeof name_);
  hook.TextInput("mock/snapshots/name", name_[0] == '\0');
  form::SameLineIfFits(save_width);
  if (ImGui::Button("Save snapshot##snapshot_save")) {
    const std::string chosen = name_;
    link.Call(core::Method::kPost, "/__restbox/snapshots", core::Json{{"name", chosen}},
              [this, &link, chosen](int status, const core::Json& answer) {
                if (status == 201) {
                  message_ = "saved " + chosen + " (" +
                             std::to_string(core::JsonValueOr<long long>(answer, "bytes", 0)) +
                             " bytes)";
                  name_[0] = '\0';
                } else {
                  message_ = ErrorText(status, answer);  // the name rule, nothing saved
                }
                link.RefreshSoon();
              });
  }
  hook.Item("mock/snapshots/save");
  ShowOutcome(hook, "mock/snapshots/message", message_);

  const core::Json& list = link.snapshots;
  if (!list.is_array() || list.empty()) {
    ImGui::TextDisabled("No snapshot saved.");
    return;
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##snapshots", 4, flags)) {
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("saved");
    ImGui::TableSetupColumn("bytes");
    ImGui::TableSetupColumn("");
    ImGui::TableHeadersRow();
    for (const auto& s : list) {
      const std::string snapshot = core::JsonValueOr<std::string>(s, "name", "");
      const std::string path = "/__restbox/snapshots/" + core::EncodePathSegment(snapshot);
      ImGui::PushID(snapshot.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      form::TextFit(snapshot);
      ImGui::TableNextColumn();
      const std::string saved = core::JsonValueOr<std::string>(s, "created_at", "");
      ImGui::TextUnformatted(TimeOfDay(saved).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", saved.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%lld", core::JsonValueOr<long long>(s, "bytes", 0));
      ImGui::TableNextColumn();
      if (ImGui::SmallButton("Restore")) {
        link.Call(core::Method::kPost, path + "/restore", core::Json::object(),
                  [this, &link, snapshot](int status, const core::Json& answer) {
                    message_ = status == 200
                                   ? "restored " + snapshot + "; mock time " +
                                         core::JsonValueOr<std::string>(answer, "now", "?")
                                   : ErrorText(status, answer);
                    link.Invalidate();  // settings, config and rules are the snapshot's now
                  });
      }
      hook.Item("mock/snapshots/" + snapshot + "/restore");
      ImGui::SameLine();
      if (ImGui::SmallButton("Delete")) {
        link.Call(core::Method::kDelete, path, std::nullopt,
                  [this, &link, snapshot](int status, const core::Json& answer) {
                    message_ = status == 200 ? "deleted " + snapshot : ErrorText(status, answer);
                    link.RefreshSoon();
                  });
      }
      hook.Item("mock/snapshots/" + snapshot + "/delete");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace restbox::console::mock_tab
