#include <algorithm>
#include <set>

#include "form.hpp"
#include "imgui.h"
#include "panels/mock/sections.hpp"

namespace restbox::console::mock_tab {
namespace {

struct Action {
  const char* id;  // the admin API's action name
  const char* label;
};
constexpr Action kActions[] = {
    {"status", "Answer a status"},
    {"fail_first", "Fail first N, then pass"},
    {"latency", "Add latency"},
    {"drop", "Drop the connection"},
};
constexpr int kActionCount = static_cast<int>(sizeof kActions / sizeof kActions[0]);

}  // namespace

void ForceSection::Draw(MockLink& link) {
  Model& model = link.model();
  TestHook& hook = link.hook();
  if (generation_ != link.generation()) {
    generation_ = link.generation();
    message_.clear();
  }
  const core::EndpointSpec* endpoint =
      model.FindEndpoint(model.draft.service, model.draft.endpoint);

  ImGui::SetNextItemWidth(200);
  ImGui::Combo(
      "Action##force_action", &action_,
      [](void*, int i, const char** out) {
        *out = kActions[i].label;
        return true;
      },
      nullptr, kActionCount);
  hook.Item("mock/force/action");
  const std::string action_id = kActions[action_].id;
  const bool has_status = action_id == "status" || action_id == "fail_first";

  if (has_status) {
    // The selected endpoint's documented statuses, then any number in the field beside.
    std::string preview = std::to_string(status_);
    ImGui::SetNextItemWidth(110);
    if (ImGui::BeginCombo("##force_documented", preview.c_str())) {
      if (endpoint) {
        std::set<int> seen;
        for (int s : endpoint->success) {
          if (!seen.insert(s).second) continue;
          std::string label = std::to_string(s) + " (success)##doc" + std::to_string(s);
          if (ImGui::Selectable(label.c_str(), status_ == s)) status_ = s;
        }
        for (const auto& e : endpoint->errors) {
          if (e.status == 200 || !seen.insert(e.status).second) continue;
          std::string label =
              std::to_string(e.status) + " " + e.code + "##doc" + std::to_string(e.status);
          if (ImGui::Selectable(label.c_str(), status_ == e.status)) status_ = e.status;
          if (ImGui::IsItemHovered() && !e.trigger.empty())
            ImGui::SetTooltip("%s", e.trigger.c_str());
        }
      } else {
        ImGui::TextDisabled("select an endpoint in the explorer");
      }
      ImGui::EndCombo();
    }
    hook.Item("mock/force/documented");
    form::SameLineIfFits(110 + ImGui::CalcTextSize("Status").x +
                         ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt("Status##force_status", &status_, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
    hook.Item("mock/force/status");
  }
  if (action_id == "latency") {
    ImGui::SetNextItemWidth(140);
    ImGui::InputInt("Latency ms##force_latency", &latency_ms_, 100, 1000,
                    ImGuiInputTextFlags_AutoSelectAll);
    hook.Item("mock/force/latency");
  }

  ImGui::Checkbox("Standing rule##force_standing", &standing_);
  hook.Item("mock/force/standing");
  if (!standing_) {
    form::SameLineIfFits(110 + ImGui::CalcTextSize("Next N requests").x +
                         ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt("Next N requests##force_times", &times_, 1, 5,
                    ImGuiInputTextFlags_AutoSelectAll);
    hook.Item("mock/force/times");
  }

  const std::string only = endpoint ? "Only " + model.draft.service + "/" + model.draft.endpoint +
                                          " (" + std::string(core::ToString(endpoint->method)) +
                                          " " + endpoint->path + ")"
                                    : std::string("Only the selected endpoint");
  // The label wraps: a checkbox with the endpoint's text beside it, on as many lines as it takes.
  ImGui::Checkbox("##force_match", &match_endpoint_);
  hook.Item("mock/force/match");
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(only.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SetNextItemWidth(200);
  ImGui::InputTextWithHint("Path prefix##force_prefix", "any path", path_prefix_,
                           sizeof path_prefix_);
  hook.TextInput("mock/force/path", path_prefix_[0] == '\0', "Path prefix##force_prefix");

  if (ImGui::Button("Apply##force_apply")) {
    // Out-of-range numbers are brought back in range when applied, not while they are typed.
    status_ = std::clamp(status_, 200, 599);
    times_ = std::max(times_, 1);
    latency_ms_ = std::clamp(latency_ms_, 0, 600'000);
    core::Json rule = {{"action", action_id}, {"times", standing_ ? -1 : times_}};
    if (has_status) rule["status"] = status_;
    if (action_id == "latency") rule["latency_ms"] = latency_ms_;
    if (match_endpoint_ && endpoint) {
      rule["service"] = model.draft.service;
      rule["endpoint"] = model.draft.endpoint;
      rule["method"] = std::string(core::ToString(endpoint->method));
    }
    if (path_prefix_[0] != '\0') rule["path_prefix"] = std::string(path_prefix_);
    link.Call(core::Method::kPost, "/__restbox/faults", rule,
              [this, &link](int answer_status, const core::Json& answer) {
                message_ = answer_status == 201
                               ? "rule " +
                                     std::to_string(core::JsonValueOr<long long>(answer, "id", 0)) +
                                     " added"
                               : ErrorText(answer_status, answer);
                link.RefreshSoon();
              });
  }
  hook.Item("mock/force/apply");
  ShowOutcome(hook, "mock/force/message", message_);
  DrawRules(link);
}

void ForceSection::DrawRules(MockLink& link) {
  TestHook& hook = link.hook();
  const core::Json& rules = link.rules;
  if (!rules.is_array() || rules.empty()) {
    ImGui::TextDisabled("No active rules.");
    return;
  }
  const auto refresh = [&link](int answer_status, const core::Json& answer) {
    if (answer_status != 200) link.problem = ErrorText(answer_status, answer);
    link.RefreshSoon();
  };
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##rules", 5, flags)) {
    ImGui::TableSetupColumn("id");
    ImGui::TableSetupColumn("rule");
    ImGui::TableSetupColumn("times");
    ImGui::TableSetupColumn("match", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("");
    ImGui::TableHeadersRow();
    for (const auto& rule : rules) {
      const long long id = core::JsonValueOr<long long>(rule, "id", 0);
      const std::string action_id = core::JsonValueOr<std::string>(rule, "action", "");
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%lld", id);
      ImGui::TableNextColumn();
      if (action_id == "latency") {
        ImGui::Text("latency %lld ms", core::JsonValueOr<long long>(rule, "latency_ms", 0));
      } else if (action_id == "drop") {
        ImGui::TextUnformatted("drop");
      } else {
        ImGui::Text("%s %d", action_id.c_str(), core::JsonValueOr<int>(rule, "status", 0));
      }
      ImGui::TableNextColumn();
      const int left = core::JsonValueOr<int>(rule, "times", -1);
      if (left < 0) {
        ImGui::TextUnformatted("always");
      } else {
        ImGui::Text("%d more", left);
      }
      ImGui::TableNextColumn();
      std::string match = core::JsonValueOr<std::string>(rule, "service", "");
      const std::string ep = core::JsonValueOr<std::string>(rule, "endpoint", "");
      if (!ep.empty()) match += "/" + ep;
      const std::string prefix = core::JsonValueOr<std::string>(rule, "path_prefix", "");
      if (!prefix.empty()) match += " " + prefix + "*";
      form::TextFit(match.empty() ? "every request" : match);
      ImGui::TableNextColumn();
      const std::string label = "Delete##rule" + std::to_string(id);
      if (ImGui::SmallButton(label.c_str())) {
        link.Call(core::Method::kDelete, "/__restbox/faults/" + std::to_string(id), std::nullopt,
                  refresh);
      }
      hook.Item("mock/rule/" + std::to_string(id) + "/delete");
    }
    ImGui::EndTable();
  }
  if (ImGui::SmallButton("Delete every rule##rules_clear")) {
    link.Call(core::Method::kDelete, "/__restbox/faults", std::nullopt, refresh);
  }
  hook.Item("mock/rules/clear");
}

}  // namespace restbox::console::mock_tab
