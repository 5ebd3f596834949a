// The clock and the config sections: the mock's time, and latency + limits for every answer.
#include <algorithm>

#include "form.hpp"
#include "imgui.h"
#include "panels/mock/sections.hpp"

namespace restbox::console::mock_tab {
namespace {

struct Step {
  const char* label;
  const char* hook;
  double seconds;
};
constexpr Step kClockSteps[] = {
    {"+1 s", "mock/clock/advance/1s", 1},
    {"+1 min", "mock/clock/advance/1min", 60},
    {"+1 h", "mock/clock/advance/1h", 3600},
    {"+1 day", "mock/clock/advance/1d", 86400},
};

}  // namespace

void ClockSection::Advance(MockLink& link, double seconds) {
  link.Call(core::Method::kPost, "/__restbox/clock/advance", core::Json{{"seconds", seconds}},
            [&link](int status, const core::Json& answer) {
              if (status == 200) {
                link.now = core::JsonValueOr<std::string>(answer, "now", link.now);
              } else {
                link.problem = ErrorText(status, answer);
              }
              link.RefreshSoon();
            });
}

void ClockSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  ImGui::Text("Mock time: %s", link.now.empty() ? "?" : link.now.c_str());
  hook.Item("mock/clock/now");
  bool first = true;
  for (const Step& step : kClockSteps) {
    std::string label = std::string(step.label) + "##clock" + step.hook;
    if (!first) form::SameLineIfFits(form::ButtonWidth(label.c_str()));
    first = false;
    if (ImGui::Button(label.c_str())) Advance(link, step.seconds);
    hook.Item(step.hook);
  }
  form::SameLineIfFits(110 + ImGui::CalcTextSize("s").x + ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::SetNextItemWidth(110);
  ImGui::InputInt("s##clock_custom", &custom_seconds_, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
  hook.Item("mock/clock/seconds");
  form::SameLineIfFits(form::ButtonWidth("Advance"));
  if (ImGui::Button("Advance##clock_advance")) {
    custom_seconds_ = std::max(custom_seconds_, 0);
    Advance(link, custom_seconds_);
  }
  hook.Item("mock/clock/advance");
}

void ConfigSection::Apply(MockLink& link, core::Json patch) {
  link.Call(core::Method::kPost, "/__restbox/config", std::move(patch),
            [this, &link](int status, const core::Json& answer) {
              if (status == 200) {
                link.config = answer;
                edited_ = false;
              } else {
                link.problem = ErrorText(status, answer);
              }
            });
}

void ConfigSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  const core::Json& config = link.config;
  if (generation_ != link.generation()) {
    generation_ = link.generation();
    edited_ = false;
  }
  if (!config.is_object() || config.empty()) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  // The mock's value until the user edits the field.
  if (!edited_) latency_ms_ = core::JsonValueOr<int>(config, "latency_ms", 0);
  ImGui::TextUnformatted("Latency for every answer (ms)");
  ImGui::SetNextItemWidth(140);
  if (ImGui::InputInt("##config_latency", &latency_ms_, 50, 500)) edited_ = true;
  hook.Item("mock/config/latency");
  if (edited_) {
    form::SameLineIfFits(form::ButtonWidth("Set"));
    if (ImGui::SmallButton("Set##config_latency_set"))
      Apply(link, {{"latency_ms", std::clamp(latency_ms_, 0, 600'000)}});
    hook.Item("mock/config/latency/set");
  }
  bool limits = core::JsonValueOr<bool>(config, "limits_enabled", true);
  if (ImGui::Checkbox("Rate limits and quotas on##config_limits", &limits))
    Apply(link, {{"limits_enabled", limits}});
  hook.Item("mock/config/limits");
}

}  // namespace restbox::console::mock_tab
