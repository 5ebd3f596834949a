#include "console.hpp"

#include <algorithm>
#include <cmath>
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
  panels_ = {explorer_.get(),     editor_.get(), response_.get(), history_.get(),
             environments_.get(), mock_.get(),   contract_.get()};
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

// A draggable bar between two regions (`vertical`: a column edge, dragged sideways). `value` is
// the position it controls (a width or height), moved by the drag and kept in [lo, hi]. True while
// it moves.
bool Splitter(const char* id, bool vertical, float thickness, float length, float& value, float lo,
              float hi) {
  const ImVec2 size = vertical ? ImVec2(thickness, length) : ImVec2(length, thickness);
  ImGui::InvisibleButton(id, size);
  const bool hovered = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (hovered)
    ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRectFilled(
      min, max,
      ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_SeparatorActive
                         : hovered             ? ImGuiCol_SeparatorHovered
                                               : ImGuiCol_WindowBg));
  if (!ImGui::IsItemActive()) return false;
  const ImVec2 delta = ImGui::GetIO().MouseDelta;
  const float moved = vertical ? delta.x : delta.y;
  if (moved == 0.0f) return false;
  value = std::clamp(value + moved, lo, std::max(lo, hi));
  return true;
}

}  // namespace

void Console::Frame() {
  model_->Pump();
  hook_.BeginFrame();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar;
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

  // Three columns and two rows, each edge a splitter the user can drag. Widths are kept as
  // fractions of the window, so a resize keeps the proportions; minimums keep every column usable.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float gap = style.ItemSpacing.x;
  const float usable = std::max(avail.x - 2 * gap, 3 * kMinColumn);
  float left = std::clamp(left_fraction_ * usable, kMinColumn, usable - 2 * kMinColumn);
  float right = std::clamp(right_fraction_ * usable, kMinColumn, usable - left - kMinColumn);
  const float middle = usable - left - right;

  DrawRegion("##explorer", ImVec2(left, avail.y), *explorer_);
  ImGui::SameLine(0, 0);
  if (Splitter("##split_left", true, gap, avail.y, left, kMinColumn, usable - right - kMinColumn)) {
    left_fraction_ = left / usable;
  }
  hook_.Item("layout/split_left");
  ImGui::SameLine(0, 0);

  ImGui::BeginGroup();
  const float rows = avail.y - style.ItemSpacing.y;
  float editor_height = std::clamp(std::floor(rows * editor_fraction_), kMinRow, rows - kMinRow);
  DrawRegion("##editor", ImVec2(middle, editor_height), *editor_);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - style.ItemSpacing.y);
  if (Splitter("##split_rows", false, style.ItemSpacing.y, middle, editor_height, kMinRow,
               rows - kMinRow)) {
    editor_fraction_ = editor_height / rows;
  }
  hook_.Item("layout/split_rows");
  DrawRegion("##response", ImVec2(middle, rows - editor_height), *response_);
  ImGui::EndGroup();
  ImGui::SameLine(0, 0);
  float middle_edge = left + middle;
  if (Splitter("##split_right", true, gap, avail.y, middle_edge, left + kMinColumn,
               usable - kMinColumn)) {
    right_fraction_ = (usable - middle_edge) / usable;
  }
  hook_.Item("layout/split_right");
  ImGui::SameLine(0, 0);

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
  core::Json summary = {
      {"service", model_->draft.service}, {"endpoint", model_->draft.endpoint},
      {"params", model_->draft.params},   {"environment", model_->draft.environment},
      {"pending", model_->pending()},     {"history", model_->history().size()}};
  if (!model_->history().empty()) {
    const Exchange& last = model_->history().front();
    summary["last"] = {
        {"id", last.id},
        {"done", last.done},
        {"status", last.status},
        {"ok", core::JsonValueOr(last.outcome, "ok", false)},  // outcome is null until done
        {"attempts", last.outcome.contains("attempts") ? last.outcome["attempts"].size() : 0},
        {"endpoint", last.service + "/" + last.endpoint}};
  }
  state["model"] = std::move(summary);
  return state;
}

}  // namespace restbox::console
