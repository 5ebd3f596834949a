#include "console.hpp"

#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "panels/contract_runner.hpp"
#include "panels/environments.hpp"
#include "panels/explorer.hpp"
#include "panels/history.hpp"
#include "panels/mock_control.hpp"
#include "panels/request_editor.hpp"
#include "panels/response_viewer.hpp"

namespace restbox::console {

Console::Console(Model::Options options) : model_(std::make_shared<Model>(std::move(options))) {
  explorer_ = std::make_unique<ExplorerPanel>(*model_, hook_);
  editor_ = std::make_unique<RequestEditorPanel>(*model_, hook_);
  environments_ = std::make_unique<EnvironmentsPanel>(*model_, hook_);
  response_ = std::make_unique<ResponseViewerPanel>(*model_, hook_);
  history_ = std::make_unique<HistoryPanel>(*model_, hook_);
  mock_ = std::make_unique<MockControlPanel>(*model_, hook_);
  contract_ = std::make_unique<ContractRunnerPanel>(*model_, hook_);
  panels_ = {explorer_.get(), editor_.get(), response_.get(), history_.get(),
             environments_.get(), mock_.get(), contract_.get()};
}

Console::~Console() = default;

namespace {

// A bordered child region with the panel's title on top.
void DrawRegion(const char* id, ImVec2 size, Panel& panel) {
  ImGui::BeginChild(id, size, true);
  ImGui::TextDisabled("%.*s", static_cast<int>(panel.Title().size()), panel.Title().data());
  ImGui::Separator();
  panel.Draw();
  ImGui::EndChild();
}

}  // namespace

void Console::Frame() {
  model_->Pump();
  hook_.BeginFrame();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_MenuBar;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("restbox console", nullptr, flags);
  ImGui::PopStyleVar();

  if (ImGui::BeginMenuBar()) {
    ImGui::TextUnformatted("restbox");
    ImGui::Separator();
    ImGui::Checkbox("Reveal secrets", &model_->reveal_secrets);
    hook_.Item("top/reveal");
    ImGui::Separator();
    ImGui::Text("%d in flight", model_->pending());
    ImGui::Separator();
    ImGui::Text("%.0f fps", static_cast<double>(ImGui::GetIO().Framerate));
    ImGui::EndMenuBar();
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float left = std::min(left_width_, avail.x * 0.3f);
  const float right = std::max(260.0f, (avail.x - left) * right_fraction_);
  const float middle = std::max(200.0f, avail.x - left - right - 2 * style.ItemSpacing.x);

  DrawRegion("##explorer", ImVec2(left, avail.y), *explorer_);
  ImGui::SameLine();

  ImGui::BeginGroup();
  const float editor_height = std::floor((avail.y - style.ItemSpacing.y) * 0.45f);
  DrawRegion("##editor", ImVec2(middle, editor_height), *editor_);
  DrawRegion("##response", ImVec2(middle, avail.y - editor_height - style.ItemSpacing.y), *response_);
  ImGui::EndGroup();
  ImGui::SameLine();

  ImGui::BeginChild("##tools", ImVec2(0, avail.y), true);
  if (ImGui::BeginTabBar("tools")) {
    struct Entry {
      Tab tab;
      Panel* panel;
      const char* hook_id;
    };
    const Entry entries[] = {{Tab::kHistory, history_.get(), "tabs/history"},
                             {Tab::kEnvironments, environments_.get(), "tabs/environments"},
                             {Tab::kMock, mock_.get(), "tabs/mock"},
                             {Tab::kContract, contract_.get(), "tabs/contract"}};
    for (const Entry& e : entries) {
      ImGuiTabItemFlags tab_flags = 0;
      if (requested_tab_ && *requested_tab_ == e.tab) tab_flags |= ImGuiTabItemFlags_SetSelected;
      std::string label(e.panel->Title());
      const bool open = ImGui::BeginTabItem(label.c_str(), nullptr, tab_flags);
      hook_.Item(e.hook_id);
      if (open) {
        hook_.Set("tabs/active", label);
        ImGui::BeginChild("##tab", ImVec2(0, 0), false);
        e.panel->Draw();
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  requested_tab_.reset();
  ImGui::EndChild();

  ImGui::End();
}

core::Json Console::TestState() const {
  core::Json state = hook_.ToJson();
  core::Json summary = {{"service", model_->draft.service},
                        {"endpoint", model_->draft.endpoint},
                        {"params", model_->draft.params},
                        {"environment", model_->draft.environment},
                        {"pending", model_->pending()},
                        {"history", model_->history().size()}};
  if (!model_->history().empty()) {
    const Exchange& last = model_->history().front();
    summary["last"] = {{"id", last.id}, {"done", last.done}, {"status", last.status},
                       {"ok", core::JsonValueOr(last.outcome, "ok", false)},  // outcome is null until done
                       {"attempts", last.outcome.contains("attempts") ? last.outcome["attempts"].size() : 0},
                       {"endpoint", last.service + "/" + last.endpoint}};
  }
  state["model"] = std::move(summary);
  return state;
}

}  // namespace restbox::console
