// The read-only views of the Mock tab: rate-limit windows, webhook deliveries, the journal and
// the state browser.
#include <algorithm>

#include "form.hpp"
#include "imgui.h"
#include "panels/mock/sections.hpp"

namespace restbox::console::mock_tab {

void LimitsSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  const core::Json& limits = link.limits;
  if (!limits.is_object() || !limits.contains("keys")) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  if (!core::JsonValueOr<bool>(limits, "enabled", true)) {
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "Limits are off: windows are not counted.");
  }
  // Grouped by service, in the order the limiter lists its keys.
  std::string current_service;
  bool open = false;
  int index = 0;
  for (const auto& key : limits["keys"]) {
    const std::string service = core::JsonValueOr<std::string>(key, "service", "");
    if (service != current_service || index == 0) {
      if (open) ImGui::TreePop();
      current_service = service;
      std::string label =
          (service.empty() ? std::string("(other)") : service) + "##limits_" + service;
      open = ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_DefaultOpen);
    }
    ++index;
    if (!open) continue;
    form::TextFit(link.Masked(core::JsonValueOr<std::string>(key, "key", "")));
    for (const auto& w : key.contains("windows") ? key["windows"] : core::Json::array()) {
      const auto used = core::JsonValueOr<long long>(w, "used", 0);
      const auto limit = core::JsonValueOr<long long>(w, "limit", 0);
      const float fraction = limit > 0
                                 ? static_cast<float>(std::min<double>(
                                       1.0, static_cast<double>(used) / static_cast<double>(limit)))
                                 : 0.0f;
      const std::string window = core::JsonValueOr<std::string>(w, "name", "");
      // The label above its bar (a centred overlay loses its start in a narrow column); the
      // reset time in the tooltip.
      const std::string label = window + ": " + std::to_string(used) + "/" + std::to_string(limit);
      const std::string resets = "resets " + core::JsonValueOr<std::string>(w, "resets_at", "");
      form::TextFit(label + ", " + resets);
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, fraction >= 1.0f
                                                        ? ImVec4(0.85f, 0.3f, 0.3f, 1.0f)
                                                        : ImVec4(0.3f, 0.6f, 0.9f, 1.0f));
      ImGui::ProgressBar(fraction, ImVec2(-1, ImGui::GetTextLineHeight() * 0.6f), "");
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s, %s", label.c_str(), resets.c_str());
      hook.Item("mock/limits/" + service + "/" + std::to_string(index) + "/" + window);
    }
  }
  if (open) ImGui::TreePop();
  if (index == 0) ImGui::TextDisabled("No key has been counted yet.");
  hook.Set("mock/limits/keys", index);
}

void WebhooksSection::Draw(MockLink& link) {
  const core::Json& state = link.state;
  const core::Json* deliveries = nullptr;
  if (state.is_object() && state.contains("chikage") && state["chikage"].is_object() &&
      state["chikage"].contains("webhook_deliveries") &&
      state["chikage"]["webhook_deliveries"].is_array()) {
    deliveries = &state["chikage"]["webhook_deliveries"];
  }
  if (!deliveries || deliveries->empty()) {
    form::Note(
        "No webhook deliveries. chikage sends one per processed write that carried "
        "X-Webhook-Callback, retried every 60 s of mock time (up to 3 retries).");
    return;
  }
  link.hook().Set("mock/webhooks", deliveries->size());
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##webhooks", 6, flags)) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("event");
    ImGui::TableSetupColumn("URL", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("attempts");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("next retry");
    ImGui::TableHeadersRow();
    for (const auto& d : *deliveries) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%lld", core::JsonValueOr<long long>(d, "id", 0));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(core::JsonValueOr<std::string>(d, "event", "").c_str());
      ImGui::TableNextColumn();
      form::TextFit(link.Masked(core::JsonValueOr<std::string>(d, "url", "")));
      ImGui::TableNextColumn();
      ImGui::Text("%d", core::JsonValueOr<int>(d, "attempts", 0));
      if (ImGui::IsItemHovered() && d.contains("log") && d["log"].is_array()) {
        std::string log;
        for (const auto& a : d["log"]) {
          log += "attempt " + std::to_string(core::JsonValueOr<int>(a, "attempt", 0)) + " at " +
                 core::JsonValueOr<std::string>(a, "at", "") + ": status " +
                 std::to_string(core::JsonValueOr<int>(a, "status", 0)) + "\n";
        }
        ImGui::SetTooltip("%s", log.empty() ? "not tried yet" : log.c_str());
      }
      ImGui::TableNextColumn();
      const std::string delivery = core::JsonValueOr<std::string>(d, "state", "");
      const int last = core::JsonValueOr<int>(d, "last_status", -1);
      const ImVec4 colour = delivery == "delivered" ? ImVec4(0.4f, 0.85f, 0.4f, 1.0f)
                            : delivery == "failed"  ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f)
                                                    : ImVec4(0.9f, 0.8f, 0.4f, 1.0f);
      if (last >= 0) {
        ImGui::TextColored(colour, "%s (last %d)", delivery.c_str(), last);
      } else {
        ImGui::TextColored(colour, "%s", delivery.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          TimeOfDay(core::JsonValueOr<std::string>(d, "next_attempt_at", "")).c_str());
    }
    ImGui::EndTable();
  }
}

void JournalSection::Draw(MockLink& link) {
  const core::Json& journal = link.journal;
  if (!journal.is_array() || journal.empty()) {
    ImGui::TextDisabled("The mock has not received any request yet.");
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float height = ImGui::GetTextLineHeightWithSpacing() * 12;
  if (ImGui::BeginTable("##journal", 5, flags, ImVec2(0, height))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("time");
    ImGui::TableSetupColumn("request", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("status");
    ImGui::TableSetupColumn("fault");
    ImGui::TableHeadersRow();
    // The admin API lists oldest first; newest first here.
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
      const core::Json& e = *it;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const long long seq = core::JsonValueOr<long long>(e, "seq", 0);
      ImGui::Text("%lld", seq);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(TimeOfDay(core::JsonValueOr<std::string>(e, "time", "")).c_str());
      ImGui::TableNextColumn();
      const std::string request = core::JsonValueOr<std::string>(e, "method", "") + " " +
                                  link.Masked(core::JsonValueOr<std::string>(e, "url", ""));
      const std::string label = form::Ellipsize(request, ImGui::GetContentRegionAvail().x) +
                                "##journal" + std::to_string(seq);
      ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) {
        // Bodies are masked by the mock already; Mask also hides this console's own credentials.
        std::string body = link.Masked(core::JsonValueOr<std::string>(e, "request_body", ""));
        std::string answer = link.Masked(core::JsonValueOr<std::string>(e, "response_body", ""));
        if (body.size() > 2000) body = body.substr(0, 2000) + "...";
        if (answer.size() > 2000) answer = answer.substr(0, 2000) + "...";
        ImGui::SetTooltip("%s\n\nrequest body:\n%s\n\nresponse:\n%s", request.c_str(), body.c_str(),
                          answer.c_str());
      }
      ImGui::TableNextColumn();
      const int status = core::JsonValueOr<int>(e, "status", 0);
      if (status == 0) {
        ImGui::TextUnformatted("dropped");
      } else {
        ImGui::TextColored(
            status < 400 ? ImVec4(0.4f, 0.85f, 0.4f, 1.0f) : ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%d",
            status);
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(core::JsonValueOr<std::string>(e, "fault", "").c_str());
    }
    ImGui::EndTable();
  }
}

StateSection::StateSection(MockLink& link)
    : tree_([&link](std::string text) { return link.Masked(std::move(text)); }) {
  link.on_state = [this, &link] { tree_.Set(std::make_shared<const core::Json>(link.state)); };
}

void StateSection::Draw(MockLink& link) {
  TestHook& hook = link.hook();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##state_filter", "filter (key or value)", filter_, sizeof filter_);
  hook.TextInput("mock/state/filter", filter_[0] == '\0');
  tree_.SetFilter(filter_);  // rebuilds only when the text changed
  if (tree_.empty()) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  tree_.Draw("state", ImGui::GetFrameHeightWithSpacing() * 20);
  hook.Item("mock/state/tree");
  hook.Set("mock/state/rows", tree_.row_count());
  hook.Set("mock/state/matches", tree_.match_count());
}

}  // namespace restbox::console::mock_tab
