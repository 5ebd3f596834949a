#include "json_view.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "imgui.h"

namespace restbox::console {
namespace {

bool IsContainer(const core::Json& j) { return j.is_object() || j.is_array(); }

// The first `limit` code points of UTF-8 `text` (byte length of that prefix).
std::size_t PrefixBytes(const std::string& text, std::size_t limit) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (points == limit) return i;
      ++points;
    }
  }
  return text.size();
}

}  // namespace

std::string JsonTreeView::Preview(const core::Json& value) {
  if (value.is_object()) return "{" + std::to_string(value.size()) + "}";
  if (value.is_array()) return "[" + std::to_string(value.size()) + "]";
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    const std::size_t cut = PrefixBytes(s, kPreviewCodePoints);
    // Serialised (quotes and escapes), so newlines and control characters stay on one row.
    std::string shown = core::DumpJson(core::Json(s.substr(0, cut)));
    if (cut < s.size()) {
      shown.pop_back();  // the closing quote
      // Bytes, not code points: counting a 100 KB string on every frame it is visible is waste.
      shown += "...\" (" + std::to_string(s.size()) + " bytes)";
    }
    return shown;
  }
  return core::DumpJson(value);
}

void JsonTreeView::Set(std::shared_ptr<const core::Json> root) {
  root_ = std::move(root);
  rows_.clear();
  drawn_rows_ = 0;
  if (!root_) return;
  rows_.push_back(Row{root_.get(), nullptr, 0, 0, false});
  if (IsContainer(*root_)) Open(0);
}

void JsonTreeView::Open(std::size_t row) {
  Row& r = rows_[row];
  if (r.open || !IsContainer(*r.node)) return;
  r.open = true;
  std::vector<Row> children;
  children.reserve(r.node->size());
  const auto depth = static_cast<std::uint16_t>(std::min<int>(r.depth + 1, std::numeric_limits<std::uint16_t>::max()));
  if (r.node->is_object()) {
    for (auto it = r.node->begin(); it != r.node->end(); ++it) {
      children.push_back(Row{&*it, &it.key(), 0, depth, false});
    }
  } else {
    std::uint32_t index = 0;
    for (const auto& item : *r.node) children.push_back(Row{&item, nullptr, index++, depth, false});
  }
  rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(row) + 1, children.begin(), children.end());
}

void JsonTreeView::Close(std::size_t row) {
  Row& r = rows_[row];
  if (!r.open) return;
  r.open = false;
  std::size_t end = row + 1;
  while (end < rows_.size() && rows_[end].depth > r.depth) ++end;
  rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(row) + 1, rows_.begin() + static_cast<std::ptrdiff_t>(end));
}

bool JsonTreeView::Toggle(std::size_t row) {
  if (row >= rows_.size() || !IsContainer(*rows_[row].node)) return false;
  if (rows_[row].open) {
    Close(row);
  } else {
    Open(row);
  }
  return true;
}

void JsonTreeView::ExpandTo(int depth, std::size_t max_rows) {
  // Front to back: opening a row inserts its children right after it, so they are visited next.
  for (std::size_t i = 0; i < rows_.size() && rows_.size() < max_rows; ++i) {
    if (rows_[i].depth < depth) Open(i);
  }
}

void JsonTreeView::CollapseAll() {
  if (rows_.empty()) return;
  Close(0);
  Open(0);
}

std::string JsonTreeView::Label(std::size_t row) const {
  if (row >= rows_.size()) return {};
  const Row& r = rows_[row];
  std::string label;
  if (r.key) {
    label = *r.key + ": ";
  } else if (row > 0) {
    label = "[" + std::to_string(r.index) + "] ";
  }
  return label + Preview(*r.node);
}

void JsonTreeView::Draw(const char* id) {
  ImGui::PushID(id);
  if (ImGui::SmallButton("Expand 2 levels##tree_expand")) ExpandTo(2);
  ImGui::SameLine();
  if (ImGui::SmallButton("Collapse##tree_collapse")) CollapseAll();
  ImGui::SameLine();
  ImGui::TextDisabled("%zu rows open", rows_.size());

  ImGui::BeginChild("##tree", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float indent = ImGui::GetStyle().IndentSpacing;
  const float base_x = ImGui::GetCursorPosX();
  drawn_rows_ = 0;
  std::optional<std::size_t> toggled;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(std::min<std::size_t>(rows_.size(), std::numeric_limits<int>::max())),
                ImGui::GetFrameHeightWithSpacing());
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto row = static_cast<std::size_t>(i);
      const Row& r = rows_[row];
      ImGui::SetCursorPosX(base_x + indent * static_cast<float>(r.depth));
      ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_NoTreePushOnOpen | ImGuiTreeNodeFlags_FramePadding |
                                 ImGuiTreeNodeFlags_SpanAvailWidth;
      if (!IsContainer(*r.node)) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_Bullet;
      const std::string label = Label(row);
      ImGui::PushID(i);
      // The open state lives in rows_, not in ImGui's storage: rows move when others open.
      ImGui::SetNextItemOpen(r.open, ImGuiCond_Always);
      const bool open = ImGui::TreeNodeEx("##node", flags, "%s", label.c_str());
      if (open != r.open && IsContainer(*r.node)) toggled = row;
      ImGui::PopID();
      ++drawn_rows_;
    }
  }
  clipper.End();
  ImGui::EndChild();
  ImGui::PopID();
  // After drawing: toggling changes rows_ under the loop.
  if (toggled) Toggle(*toggled);
}

}  // namespace restbox::console
