#include "panels/mock_control.hpp"

#include "form.hpp"
#include "imgui.h"

namespace restbox::console {

MockControlPanel::MockControlPanel(Model& model, TestHook& hook)
    : Panel(model, hook), link_(model, hook), state_(link_) {}

void MockControlPanel::Draw() {
  link_.MaybeRefresh();
  hook_.Set("mock/now", link_.now);

  DrawTarget();
  if (!link_.problem.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", link_.problem.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Separator();
  ImGui::BeginChild("##mock_scroll", ImVec2(0, 0), false);
  auto section = [this](const char* label, const char* hook, bool open_at_first) {
    const bool open =
        ImGui::CollapsingHeader(label, open_at_first ? ImGuiTreeNodeFlags_DefaultOpen : 0);
    hook_.Item(hook);
    return open;
  };
  if (section("Force a status or a fault", "mock/section/force", true)) force_.Draw(link_);
  if (section("Clock", "mock/section/clock", true)) clock_.Draw(link_);
  if (section("Latency and limits", "mock/section/config", true)) config_.Draw(link_);
  if (section("Rate limits and quotas", "mock/section/limits", true)) limits_.Draw(link_);
  if (section("Snapshots", "mock/section/snapshots", false)) snapshots_.Draw(link_);
  if (section("Webhooks", "mock/section/webhooks", false)) webhooks_.Draw(link_);
  if (section("Journal", "mock/section/journal", false)) journal_.Draw(link_);
  if (section("State", "mock/section/state", false)) state_.Draw(link_);
  if (section("Settings", "mock/section/settings", false)) settings_.Draw(link_);
  ImGui::EndChild();
}

void MockControlPanel::DrawTarget() {
  const Environment* env = link_.Target();
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("Mock##mock_target", env ? env->name.c_str() : "(none)")) {
    for (std::size_t i = 0; i < model_.environments.size(); ++i) {
      const Environment& e = model_.environments[i];
      if (e.target == TargetKind::kLive) continue;  // no admin API behind a live service
      std::string label = e.name + "##mock_env" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), i == link_.environment())) link_.Choose(i);
    }
    ImGui::EndCombo();
  }
  hook_.Item("mock/target");
  hook_.Set("mock/target", env ? env->name : std::string());
  if (env) {
    const std::string where =
        env->target == TargetKind::kInProcess ? "in this process" : env->base_url;
    form::SameLineIfFits(ImGui::CalcTextSize(where.c_str()).x);
    form::TextDisabledFit(where);
  }
  form::SameLineIfFits(form::ButtonWidth("Reset mock"));
  if (ImGui::Button("Reset mock##mock_reset")) {
    link_.Call(core::Method::kPost, "/__restbox/reset", std::nullopt,
               [this](int status, const core::Json& answer) {
                 if (status != 200) link_.problem = mock_tab::ErrorText(status, answer);
                 link_.Invalidate();
               });
  }
  hook_.Item("mock/reset");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Fixtures, settings, rate-limit windows, rules, journal and clock offset back to the "
        "start");
}

}  // namespace restbox::console
