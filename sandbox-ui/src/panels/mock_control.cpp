#include "panels/mock_control.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <utility>

#include "form.hpp"
#include "imgui.h"
#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"

namespace restbox::console {
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

// ImGui's std::string adapter for InputTextMultiline (imgui_stdlib is not part of the build).
int ResizeString(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* text = static_cast<std::string*>(data->UserData);
    text->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = text->data();
  }
  return 0;
}

bool InputMultiline(const char* label, std::string& text, ImVec2 size) {
  return ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1, size,
                                   ImGuiInputTextFlags_CallbackResize, ResizeString, &text);
}

std::string ErrorText(int status, const core::Json& answer) {
  if (status == 0)
    return "the mock did not answer: " + core::JsonValueOr<std::string>(answer, "error", "");
  std::string message =
      answer.is_object() ? core::JsonValueOr<std::string>(answer, "restbox_error", "") : "";
  if (message.empty())
    message = answer.is_string() ? answer.get<std::string>() : core::DumpJson(answer);
  return std::to_string(status) + ": " + message;
}

// The outcome of an action, beside its button, and for tests under `key`.
void ShowOutcome(TestHook& hook, const char* key, const std::string& message) {
  if (!message.empty()) {
    ImGui::SameLine();
    ImGui::TextWrapped("%s", message.c_str());
  }
  hook.Set(key, message);
}

// "2026-01-01T00:00:05Z" -> "00:00:05" (the date is shown once, with the clock).
std::string TimeOfDay(const std::string& iso) {
  auto t = iso.find('T');
  return t == std::string::npos ? iso : iso.substr(t + 1, 8);
}

}  // namespace

const Environment* MockControlPanel::Target() {
  // One target: the tab follows the request's target whenever that changes to a mock (the combo
  // can still point it elsewhere until the next change).
  if (model_.draft.environment != followed_environment_) {
    followed_environment_ = model_.draft.environment;
    if (followed_environment_ < model_.environments.size() &&
        model_.environments[followed_environment_].target != TargetKind::kLive &&
        environment_ != followed_environment_) {
      environment_ = followed_environment_;
      last_refresh_ = -1e9;
      settings_loaded_for_.clear();
      fixtures_loaded_ = false;
    }
  }
  // Only environments with a mock behind them; fall back to the first in-process one.
  if (environment_ < model_.environments.size() &&
      model_.environments[environment_].target != TargetKind::kLive) {
    return &model_.environments[environment_];
  }
  for (std::size_t i = 0; i < model_.environments.size(); ++i) {
    if (model_.environments[i].target == TargetKind::kInProcess) {
      environment_ = i;
      return &model_.environments[i];
    }
  }
  return nullptr;
}

void MockControlPanel::Call(core::Method method, std::string path, std::optional<core::Json> body,
                            std::function<void(int, const core::Json&)> done) {
  const Environment* env = Target();
  if (!env) {
    problem_ = "no environment has a mock behind it";
    return;
  }
  std::weak_ptr<int> alive = alive_;
  model_.Admin(*env, method, std::move(path), std::move(body),
               [alive, done = std::move(done)](int status, core::Json answer) {
                 if (alive.lock()) done(status, answer);
               });
}

std::string MockControlPanel::Masked(std::string text) const {
  return model_.Mask(std::move(text), fixture_secrets_);
}

std::string MockControlPanel::Unmasked(std::string text) const {
  if (model_.reveal_secrets) return text;
  std::vector<std::string> secrets = fixture_secrets_;
  for (const auto& env : model_.environments) {
    for (const auto& [id, c] : env.credentials) {
      for (const std::string* s : {&c.key, &c.secret}) {
        if (!s->empty()) secrets.push_back(*s);
      }
    }
  }
  for (const auto& secret : secrets) {
    const std::string masked = core::RedactKnownSecrets(secret, {secret});
    if (masked == secret) continue;
    for (std::size_t pos = 0; (pos = text.find(masked, pos)) != std::string::npos;
         pos += secret.size()) {
      text.replace(pos, masked.size(), secret);
    }
  }
  return text;
}

void MockControlPanel::Refresh() {
  last_refresh_ = ImGui::GetTime();
  // One refresh at a time: a slow HTTP mock must not pile requests up.
  if (in_flight_ > 0) return;
  if (!fixtures_loaded_) {
    fixtures_loaded_ = true;
    Call(core::Method::kGet, "/__restbox/fixtures", std::nullopt,
         [this](int status, const core::Json& answer) {
           if (status != 200 || !answer.is_object()) return;
           fixture_secrets_.clear();
           // Every string under a name that says key, secret or token (test_key, api_secret...).
           for (const auto& [service, roles] : answer.items()) {
             if (!roles.is_object()) continue;
             for (const auto& [name, value] : roles.items()) {
               const bool secret = name.find("key") != std::string::npos ||
                                   name.find("secret") != std::string::npos ||
                                   name.find("token") != std::string::npos;
               if (secret && value.is_string())
                 fixture_secrets_.push_back(value.get<std::string>());
             }
           }
         });
  }
  // `key`: also published to the test hook ("" = not); `then` runs after a new answer is stored.
  auto get = [this](const char* path, core::Json* into, const char* key,
                    std::function<void()> then = {}) {
    ++in_flight_;
    Call(core::Method::kGet, path, std::nullopt,
         [this, into, key, then](int status, const core::Json& answer) {
           --in_flight_;
           if (status == 200) {
             *into = answer;
             problem_.clear();
             if (key[0] != '\0') hook_.Set(key, answer);
             if (then) then();
           } else {
             problem_ = ErrorText(status, answer);
           }
         });
  };
  get("/__restbox/faults", &rules_, "mock/rules");
  get("/__restbox/limits", &limits_, "mock/limits");
  get("/__restbox/config", &config_, "mock/config");
  get("/__restbox/journal?limit=50", &journal_, "");
  get("/__restbox/state", &state_, "",
      [this] { state_tree_.Set(std::make_shared<const core::Json>(state_)); });
  ++in_flight_;
  Call(core::Method::kGet, "/__restbox/clock", std::nullopt,
       [this](int status, const core::Json& answer) {
         --in_flight_;
         if (status == 200) now_ = core::JsonValueOr<std::string>(answer, "now", "");
       });
  if (!config_.empty() && !latency_edited_)
    latency_ms_ = core::JsonValueOr<int>(config_, "latency_ms", 0);
}

void MockControlPanel::Draw() {
  if (ImGui::GetTime() - last_refresh_ >= kRefreshSeconds) Refresh();
  hook_.Set("mock/now", now_);

  DrawTarget();
  if (!problem_.empty())
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", problem_.c_str());
  ImGui::Separator();
  ImGui::BeginChild("##mock_scroll", ImVec2(0, 0), false);
  auto section = [this](const char* label, const char* hook, bool open_at_first) {
    const bool open =
        ImGui::CollapsingHeader(label, open_at_first ? ImGuiTreeNodeFlags_DefaultOpen : 0);
    hook_.Item(hook);
    return open;
  };
  if (section("Force a status or a fault", "mock/section/force", true)) {
    DrawForce();
    DrawRules();
  }
  if (section("Clock", "mock/section/clock", true)) DrawClock();
  if (section("Latency and limits", "mock/section/config", true)) DrawConfig();
  if (section("Rate limits and quotas", "mock/section/limits", true)) DrawLimits();
  if (section("Webhooks", "mock/section/webhooks", false)) DrawWebhooks();
  if (section("Journal", "mock/section/journal", false)) DrawJournal();
  if (section("State", "mock/section/state", false)) DrawState();
  if (section("Settings", "mock/section/settings", false)) DrawSettings();
  ImGui::EndChild();
}

void MockControlPanel::DrawTarget() {
  const Environment* env = Target();
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("Mock##mock_target", env ? env->name.c_str() : "(none)")) {
    for (std::size_t i = 0; i < model_.environments.size(); ++i) {
      const Environment& e = model_.environments[i];
      if (e.target == TargetKind::kLive) continue;  // no admin API behind a live service
      std::string label = e.name + "##mock_env" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), i == environment_)) {
        environment_ = i;
        last_refresh_ = -1e9;
        settings_loaded_for_.clear();
        fixtures_loaded_ = false;
      }
    }
    ImGui::EndCombo();
  }
  hook_.Item("mock/target");
  hook_.Set("mock/target", env ? env->name : std::string());
  if (env) {
    const std::string where =
        env->target == TargetKind::kInProcess ? "in this process" : env->base_url;
    form::SameLineIfFits(ImGui::CalcTextSize(where.c_str()).x);
    ImGui::TextDisabled("%s", where.c_str());
  }
  form::SameLineIfFits(form::ButtonWidth("Reset mock"));
  if (ImGui::Button("Reset mock##mock_reset")) {
    Call(core::Method::kPost, "/__restbox/reset", std::nullopt,
         [this](int status, const core::Json& answer) {
           if (status != 200) problem_ = ErrorText(status, answer);
           force_message_.clear();
           settings_loaded_for_.clear();
           latency_edited_ = false;
           Refresh();
         });
  }
  hook_.Item("mock/reset");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Fixtures, settings, rate-limit windows, rules, journal and clock offset back to the "
        "start");
}

void MockControlPanel::DrawForce() {
  const core::EndpointSpec* endpoint =
      model_.FindEndpoint(model_.draft.service, model_.draft.endpoint);

  ImGui::SetNextItemWidth(200);
  ImGui::Combo(
      "Action##force_action", &action_,
      [](void*, int i, const char** out) {
        *out = kActions[i].label;
        return true;
      },
      nullptr, kActionCount);
  hook_.Item("mock/force/action");
  const std::string action = kActions[action_].id;
  const bool has_status = action == "status" || action == "fail_first";

  if (has_status) {
    // The selected endpoint's documented statuses, then any number in the field beside.
    std::string preview = std::to_string(force_status_);
    ImGui::SetNextItemWidth(110);
    if (ImGui::BeginCombo("##force_documented", preview.c_str())) {
      if (endpoint) {
        std::set<int> seen;
        for (int s : endpoint->success) {
          if (!seen.insert(s).second) continue;
          std::string label = std::to_string(s) + " (success)##doc" + std::to_string(s);
          if (ImGui::Selectable(label.c_str(), force_status_ == s)) force_status_ = s;
        }
        for (const auto& e : endpoint->errors) {
          if (e.status == 200 || !seen.insert(e.status).second) continue;
          std::string label =
              std::to_string(e.status) + " " + e.code + "##doc" + std::to_string(e.status);
          if (ImGui::Selectable(label.c_str(), force_status_ == e.status)) force_status_ = e.status;
          if (ImGui::IsItemHovered() && !e.trigger.empty())
            ImGui::SetTooltip("%s", e.trigger.c_str());
        }
      } else {
        ImGui::TextDisabled("select an endpoint in the explorer");
      }
      ImGui::EndCombo();
    }
    hook_.Item("mock/force/documented");
    form::SameLineIfFits(110 + ImGui::CalcTextSize("Status").x +
                         ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt("Status##force_status", &force_status_, 0, 0,
                    ImGuiInputTextFlags_AutoSelectAll);
    hook_.Item("mock/force/status");
  }
  if (action == "latency") {
    ImGui::SetNextItemWidth(140);
    ImGui::InputInt("Latency ms##force_latency", &fault_latency_ms_, 100, 1000,
                    ImGuiInputTextFlags_AutoSelectAll);
    hook_.Item("mock/force/latency");
  }

  ImGui::Checkbox("Standing rule##force_standing", &standing_);
  hook_.Item("mock/force/standing");
  if (!standing_) {
    form::SameLineIfFits(110 + ImGui::CalcTextSize("Next N requests").x +
                         ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(110);
    ImGui::InputInt("Next N requests##force_times", &force_times_, 1, 5,
                    ImGuiInputTextFlags_AutoSelectAll);
    hook_.Item("mock/force/times");
  }

  std::string only = endpoint ? "Only " + model_.draft.service + "/" + model_.draft.endpoint +
                                    " (" + std::string(core::ToString(endpoint->method)) + " " +
                                    endpoint->path + ")"
                              : std::string("Only the selected endpoint");
  only += "##force_match";
  // The label wraps: a checkbox with the endpoint's text beside it, on as many lines as it takes.
  ImGui::Checkbox("##force_match", &match_endpoint_);
  hook_.Item("mock/force/match");
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(only.c_str(), only.c_str() + only.find("##"));
  ImGui::PopTextWrapPos();
  ImGui::SetNextItemWidth(200);
  ImGui::InputTextWithHint("Path prefix##force_prefix", "any path", path_prefix_,
                           sizeof path_prefix_);
  hook_.TextInput("mock/force/path", path_prefix_[0] == '\0', "Path prefix##force_prefix");

  if (ImGui::Button("Apply##force_apply")) {
    // Out-of-range numbers are brought back in range when applied, not while they are typed.
    force_status_ = std::clamp(force_status_, 100, 599);
    force_times_ = std::max(force_times_, 1);
    fault_latency_ms_ = std::clamp(fault_latency_ms_, 0, 600'000);
    core::Json rule = {{"action", action}, {"times", standing_ ? -1 : force_times_}};
    if (has_status) rule["status"] = force_status_;
    if (action == "latency") rule["latency_ms"] = fault_latency_ms_;
    if (match_endpoint_ && endpoint) {
      rule["service"] = model_.draft.service;
      rule["endpoint"] = model_.draft.endpoint;
      rule["method"] = std::string(core::ToString(endpoint->method));
    }
    if (path_prefix_[0] != '\0') rule["path_prefix"] = std::string(path_prefix_);
    Call(core::Method::kPost, "/__restbox/faults", rule,
         [this](int status, const core::Json& answer) {
           if (status == 201) {
             force_message_ =
                 "rule " + std::to_string(core::JsonValueOr<long long>(answer, "id", 0)) + " added";
           } else {
             force_message_ = ErrorText(status, answer);
           }
           Refresh();
         });
  }
  hook_.Item("mock/force/apply");
  ShowOutcome(hook_, "mock/force/message", force_message_);
}

void MockControlPanel::DrawRules() {
  if (!rules_.is_array() || rules_.empty()) {
    ImGui::TextDisabled("No active rules.");
    return;
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##rules", 5, flags)) {
    ImGui::TableSetupColumn("id");
    ImGui::TableSetupColumn("rule");
    ImGui::TableSetupColumn("times");
    ImGui::TableSetupColumn("match", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("");
    ImGui::TableHeadersRow();
    for (const auto& rule : rules_) {
      const long long id = core::JsonValueOr<long long>(rule, "id", 0);
      const std::string action = core::JsonValueOr<std::string>(rule, "action", "");
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%lld", id);
      ImGui::TableNextColumn();
      if (action == "latency") {
        ImGui::Text("latency %lld ms", core::JsonValueOr<long long>(rule, "latency_ms", 0));
      } else if (action == "drop") {
        ImGui::TextUnformatted("drop");
      } else {
        ImGui::Text("%s %d", action.c_str(), core::JsonValueOr<int>(rule, "status", 0));
      }
      ImGui::TableNextColumn();
      const int times = core::JsonValueOr<int>(rule, "times", -1);
      if (times < 0) {
        ImGui::TextUnformatted("always");
      } else {
        ImGui::Text("%d more", times);
      }
      ImGui::TableNextColumn();
      std::string match = core::JsonValueOr<std::string>(rule, "service", "");
      const std::string ep = core::JsonValueOr<std::string>(rule, "endpoint", "");
      if (!ep.empty()) match += "/" + ep;
      const std::string prefix = core::JsonValueOr<std::string>(rule, "path_prefix", "");
      if (!prefix.empty()) match += " " + prefix + "*";
      ImGui::TextUnformatted(match.empty() ? "every request" : match.c_str());
      ImGui::TableNextColumn();
      std::string label = "Delete##rule" + std::to_string(id);
      if (ImGui::SmallButton(label.c_str())) {
        Call(core::Method::kDelete, "/__restbox/faults/" + std::to_string(id), std::nullopt,
             [this](int status, const core::Json& answer) {
               if (status != 200) problem_ = ErrorText(status, answer);
               Refresh();
             });
      }
      hook_.Item("mock/rule/" + std::to_string(id) + "/delete");
    }
    ImGui::EndTable();
  }
  if (ImGui::SmallButton("Delete every rule##rules_clear")) {
    Call(core::Method::kDelete, "/__restbox/faults", std::nullopt,
         [this](int status, const core::Json& answer) {
           if (status != 200) problem_ = ErrorText(status, answer);
           Refresh();
         });
  }
  hook_.Item("mock/rules/clear");
}

void MockControlPanel::ApplyConfig(core::Json patch) {
  Call(core::Method::kPost, "/__restbox/config", std::move(patch),
       [this](int status, const core::Json& answer) {
         if (status == 200) {
           config_ = answer;
           latency_edited_ = false;
           latency_ms_ = core::JsonValueOr<int>(config_, "latency_ms", 0);
         } else {
           problem_ = ErrorText(status, answer);
         }
       });
}

void MockControlPanel::DrawConfig() {
  if (!config_.is_object() || config_.empty()) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  ImGui::TextUnformatted("Latency for every answer (ms)");
  ImGui::SetNextItemWidth(140);
  if (ImGui::InputInt("##config_latency", &latency_ms_, 50, 500)) latency_edited_ = true;
  hook_.Item("mock/config/latency");
  if (latency_edited_) {
    form::SameLineIfFits(form::ButtonWidth("Set"));
    if (ImGui::SmallButton("Set##config_latency_set"))
      ApplyConfig({{"latency_ms", std::clamp(latency_ms_, 0, 600'000)}});
    hook_.Item("mock/config/latency/set");
  }
  bool limits = core::JsonValueOr<bool>(config_, "limits_enabled", true);
  if (ImGui::Checkbox("Rate limits and quotas on##config_limits", &limits))
    ApplyConfig({{"limits_enabled", limits}});
  hook_.Item("mock/config/limits");
}

void MockControlPanel::Advance(double seconds) {
  Call(core::Method::kPost, "/__restbox/clock/advance", core::Json{{"seconds", seconds}},
       [this](int status, const core::Json& answer) {
         if (status == 200) {
           now_ = core::JsonValueOr<std::string>(answer, "now", now_);
         } else {
           problem_ = ErrorText(status, answer);
         }
         Refresh();
       });
}

void MockControlPanel::DrawClock() {
  ImGui::Text("Mock time: %s", now_.empty() ? "?" : now_.c_str());
  hook_.Item("mock/clock/now");
  bool first = true;
  for (const Step& step : kClockSteps) {
    std::string label = std::string(step.label) + "##clock" + step.hook;
    if (!first) form::SameLineIfFits(form::ButtonWidth(label.c_str()));
    first = false;
    if (ImGui::Button(label.c_str())) Advance(step.seconds);
    hook_.Item(step.hook);
  }
  form::SameLineIfFits(110 + ImGui::CalcTextSize("s").x + ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::SetNextItemWidth(110);
  ImGui::InputInt("s##clock_custom", &custom_seconds_, 0, 0, ImGuiInputTextFlags_AutoSelectAll);
  hook_.Item("mock/clock/seconds");
  form::SameLineIfFits(form::ButtonWidth("Advance"));
  if (ImGui::Button("Advance##clock_advance")) {
    custom_seconds_ = std::max(custom_seconds_, 0);
    Advance(custom_seconds_);
  }
  hook_.Item("mock/clock/advance");
}

void MockControlPanel::DrawLimits() {
  if (!limits_.is_object() || !limits_.contains("keys")) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  if (!core::JsonValueOr<bool>(limits_, "enabled", true)) {
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "Limits are off: windows are not counted.");
  }
  // Grouped by service, in the order the limiter lists its keys.
  std::string current_service;
  bool open = false;
  int index = 0;
  for (const auto& key : limits_["keys"]) {
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
    const std::string name = Masked(core::JsonValueOr<std::string>(key, "key", ""));
    form::TextEllipsis(name, ImGui::GetContentRegionAvail().x);
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
      form::TextEllipsis(label + ", " + resets, ImGui::GetContentRegionAvail().x);
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, fraction >= 1.0f
                                                        ? ImVec4(0.85f, 0.3f, 0.3f, 1.0f)
                                                        : ImVec4(0.3f, 0.6f, 0.9f, 1.0f));
      ImGui::ProgressBar(fraction, ImVec2(-1, ImGui::GetTextLineHeight() * 0.6f), "");
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s, %s", label.c_str(), resets.c_str());
      hook_.Item("mock/limits/" + service + "/" + std::to_string(index) + "/" + window);
    }
  }
  if (open) ImGui::TreePop();
  if (index == 0) ImGui::TextDisabled("No key has been counted yet.");
  hook_.Set("mock/limits/keys", index);
}

void MockControlPanel::DrawSettings() {
  const auto& services = model_.services();
  if (services.empty()) return;
  settings_service_ = std::clamp(settings_service_, 0, static_cast<int>(services.size()) - 1);
  const std::string& service = services[static_cast<std::size_t>(settings_service_)].id;
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("Service##settings_service", service.c_str())) {
    for (std::size_t i = 0; i < services.size(); ++i) {
      std::string label = services[i].id + "##settings" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == settings_service_))
        settings_service_ = static_cast<int>(i);
    }
    ImGui::EndCombo();
  }
  hook_.Item("mock/settings/service");
  const bool reload = settings_loaded_for_ != service;
  form::SameLineIfFits(form::ButtonWidth("Reload"));
  if (ImGui::SmallButton("Reload##settings_reload") || reload) {
    settings_loaded_for_ = service;
    Call(core::Method::kGet, "/__restbox/settings/" + core::EncodePathSegment(service),
         std::nullopt, [this](int status, const core::Json& answer) {
           if (status == 200) {
             settings_text_ = Masked(answer.dump(2));
             settings_message_.clear();
           } else {
             settings_message_ = ErrorText(status, answer);
           }
         });
  }
  InputMultiline("##settings_text", settings_text_, ImVec2(-1, ImGui::GetTextLineHeight() * 10));
  hook_.Item("mock/settings/text");
  hook_.Set("mock/settings/text", settings_text_);
  if (ImGui::Button("Apply settings##settings_apply")) {
    auto parsed = core::ParseJson(Unmasked(settings_text_));
    if (!parsed.ok()) {
      settings_message_ = "not JSON: " + parsed.error().message;
    } else {
      Call(core::Method::kPost, "/__restbox/settings/" + core::EncodePathSegment(service),
           parsed.value(), [this](int status, const core::Json& answer) {
             if (status == 200) {
               settings_text_ = Masked(answer.dump(2));
               settings_message_ = "applied";
             } else {
               settings_message_ = ErrorText(status, answer);  // the 400's message, nothing applied
             }
           });
    }
  }
  hook_.Item("mock/settings/apply");
  ShowOutcome(hook_, "mock/settings/message", settings_message_);
}

void MockControlPanel::DrawState() {
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##state_filter", "filter (key or value)", state_filter_,
                           sizeof state_filter_);
  hook_.TextInput("mock/state/filter", state_filter_[0] == '\0');
  state_tree_.SetFilter(state_filter_);  // rebuilds only when the text changed
  if (state_tree_.empty()) {
    ImGui::TextDisabled("(waiting for the mock)");
    return;
  }
  state_tree_.Draw("state", ImGui::GetFrameHeightWithSpacing() * 20);
  hook_.Item("mock/state/tree");
  hook_.Set("mock/state/rows", state_tree_.row_count());
  hook_.Set("mock/state/matches", state_tree_.match_count());
}

void MockControlPanel::DrawWebhooks() {
  const core::Json* deliveries = nullptr;
  if (state_.is_object() && state_.contains("chikage") && state_["chikage"].is_object() &&
      state_["chikage"].contains("webhook_deliveries") &&
      state_["chikage"]["webhook_deliveries"].is_array()) {
    deliveries = &state_["chikage"]["webhook_deliveries"];
  }
  if (!deliveries || deliveries->empty()) {
    form::Note(
        "No webhook deliveries. chikage sends one per processed write that carried "
        "X-Webhook-Callback, retried every 60 s of mock time (up to 3 retries).");
    return;
  }
  hook_.Set("mock/webhooks", deliveries->size());
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
      ImGui::TextUnformatted(Masked(core::JsonValueOr<std::string>(d, "url", "")).c_str());
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
      const std::string state = core::JsonValueOr<std::string>(d, "state", "");
      const int last = core::JsonValueOr<int>(d, "last_status", -1);
      ImVec4 colour = state == "delivered" ? ImVec4(0.4f, 0.85f, 0.4f, 1.0f)
                      : state == "failed"  ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f)
                                           : ImVec4(0.9f, 0.8f, 0.4f, 1.0f);
      if (last >= 0) {
        ImGui::TextColored(colour, "%s (last %d)", state.c_str(), last);
      } else {
        ImGui::TextColored(colour, "%s", state.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(
          TimeOfDay(core::JsonValueOr<std::string>(d, "next_attempt_at", "")).c_str());
    }
    ImGui::EndTable();
  }
}

void MockControlPanel::DrawJournal() {
  if (!journal_.is_array() || journal_.empty()) {
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
    for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
      const core::Json& e = *it;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const long long seq = core::JsonValueOr<long long>(e, "seq", 0);
      ImGui::Text("%lld", seq);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(TimeOfDay(core::JsonValueOr<std::string>(e, "time", "")).c_str());
      ImGui::TableNextColumn();
      const std::string request = core::JsonValueOr<std::string>(e, "method", "") + " " +
                                  Masked(core::JsonValueOr<std::string>(e, "url", ""));
      std::string label = request + "##journal" + std::to_string(seq);
      ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) {
        // Bodies are masked by the mock already; Mask also hides this console's own credentials.
        std::string body = Masked(core::JsonValueOr<std::string>(e, "request_body", ""));
        std::string answer = Masked(core::JsonValueOr<std::string>(e, "response_body", ""));
        if (body.size() > 2000) body = body.substr(0, 2000) + "...";
        if (answer.size() > 2000) answer = answer.substr(0, 2000) + "...";
        ImGui::SetTooltip("request body:\n%s\n\nresponse:\n%s", body.c_str(), answer.c_str());
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

}  // namespace restbox::console
