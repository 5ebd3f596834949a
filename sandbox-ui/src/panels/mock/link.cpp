#include "panels/mock/link.hpp"

#include <algorithm>

#include "form.hpp"
#include "imgui.h"
#include "restbox/core/masking.hpp"

namespace restbox::console::mock_tab {

std::string ErrorText(int status, const core::Json& answer) {
  if (status == 0)
    return "the mock did not answer: " + core::JsonValueOr<std::string>(answer, "error", "");
  std::string message =
      answer.is_object() ? core::JsonValueOr<std::string>(answer, "restbox_error", "") : "";
  if (message.empty())
    message = answer.is_string() ? answer.get<std::string>() : core::DumpJson(answer);
  return std::to_string(status) + ": " + message;
}

void ShowOutcome(TestHook& hook, const char* key, const std::string& message) {
  if (!message.empty()) {
    // Beside the button when the message fits there or a column of 200 px is left for it to wrap
    // in; else on a line of its own (wrapped into a sliver, it would be a letter per line).
    form::SameLineIfFits(std::min(ImGui::CalcTextSize(message.c_str()).x, 200.0f));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
  }
  hook.Set(key, message);
}

std::string TimeOfDay(const std::string& iso) {
  auto t = iso.find('T');
  return t == std::string::npos ? iso : iso.substr(t + 1, 8);
}

const Environment* MockLink::Target() {
  const auto& environments = model_.environments;
  if (model_.draft.environment != followed_environment_) {
    followed_environment_ = model_.draft.environment;
    if (followed_environment_ < environments.size() &&
        environments[followed_environment_].target != TargetKind::kLive &&
        environment_ != followed_environment_) {
      Choose(followed_environment_);
    }
  }
  // Only environments with a mock behind them; fall back to the first in-process one.
  if (environment_ < environments.size() &&
      environments[environment_].target != TargetKind::kLive) {
    return &environments[environment_];
  }
  for (std::size_t i = 0; i < environments.size(); ++i) {
    if (environments[i].target == TargetKind::kInProcess) {
      environment_ = i;
      return &environments[i];
    }
  }
  return nullptr;
}

void MockLink::Choose(std::size_t environment) {
  environment_ = environment;
  fixtures_loaded_ = false;
  Invalidate();
}

void MockLink::Invalidate() {
  ++generation_;
  RefreshSoon();
}

void MockLink::Call(core::Method method, const std::string& path, std::optional<core::Json> body,
                    std::function<void(int, const core::Json&)> done) {
  const Environment* env = Target();
  if (!env) {
    problem = "no environment has a mock behind it";
    return;
  }
  std::weak_ptr<int> alive = alive_;
  model_.Admin(*env, method, path, std::move(body),
               [alive, done = std::move(done)](int status, const core::Json& answer) {
                 if (alive.lock()) done(status, answer);
               });
}

void MockLink::MaybeRefresh() {
  if (ImGui::GetTime() - last_refresh_ >= kRefreshSeconds) Refresh();
}

void MockLink::LoadFixtureSecrets() {
  fixtures_loaded_ = true;
  Call(core::Method::kGet, "/__restbox/fixtures", std::nullopt,
       [this](int status, const core::Json& answer) {
         if (status != 200 || !answer.is_object()) return;
         fixture_secrets_.clear();
         // Every string under a name that says key, secret or token (test_key, api_secret...).
         for (const auto& [service, roles] : answer.items()) {
           if (!roles.is_object()) continue;
           for (const auto& [name, value] : roles.items()) {
             if (core::IsSecretField(name) && value.is_string())
               fixture_secrets_.push_back(value.get<std::string>());
           }
         }
       });
}

void MockLink::Refresh() {
  last_refresh_ = ImGui::GetTime();
  if (in_flight_ > 0) return;
  if (!fixtures_loaded_) LoadFixtureSecrets();
  // `key`: also published to the test hook ("" = not); `then` runs after a new answer is stored.
  auto get = [this](const char* path, core::Json* into, const char* key,
                    const std::function<void()>& then = {}) {
    ++in_flight_;
    Call(core::Method::kGet, path, std::nullopt,
         [this, into, key, then](int status, const core::Json& answer) {
           --in_flight_;
           if (status == 200) {
             *into = answer;
             problem.clear();
             if (key[0] != '\0') hook_.Set(key, answer);
             if (then) then();
           } else {
             problem = ErrorText(status, answer);
           }
         });
  };
  get("/__restbox/faults", &rules, "mock/rules");
  get("/__restbox/limits", &limits, "mock/limits");
  get("/__restbox/config", &config, "mock/config");
  get("/__restbox/journal?limit=50", &journal, "");
  get("/__restbox/snapshots", &snapshots, "mock/snapshots");
  get("/__restbox/state", &state, "", [this] {
    if (on_state) on_state();
  });
  ++in_flight_;
  Call(core::Method::kGet, "/__restbox/clock", std::nullopt,
       [this](int status, const core::Json& answer) {
         --in_flight_;
         if (status == 200) now = core::JsonValueOr<std::string>(answer, "now", "");
       });
}

std::string MockLink::Masked(std::string text) const {
  return model_.Mask(std::move(text), fixture_secrets_);
}

std::string MockLink::Unmasked(std::string text) const {
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

}  // namespace restbox::console::mock_tab
