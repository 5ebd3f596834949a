#include "json_view.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include "imgui.h"

namespace restbox::console {
namespace {

bool IsContainer(const core::Json& j) {
  return j.is_object() || j.is_array();
}

// `needle` is not empty.
bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

// What a leaf is matched and masked as: a string's own text, anything else as JSON.
std::string LeafText(const core::Json& value) {
  return value.is_string() ? value.get_ref<const std::string&>() : core::DumpJson(value);
}

// One step of a row's path: "/name" (JSON Pointer escaping) or "/index".
std::string Segment(const std::string* key, std::uint32_t index) {
  if (!key) return "/" + std::to_string(index);
  std::string segment = "/";
  for (char c : *key) {
    if (c == '~') {
      segment += "~0";
    } else if (c == '/') {
      segment += "~1";
    } else {
      segment += c;
    }
  }
  return segment;
}

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
  PathSet open{""};
  PathSet closed;
  if (!root) {
    unfiltered_open_ = open;
  } else if (root_) {
    open.clear();
    CollectPaths(open, closed);  // before the old document (which rows_ point into) goes
  }
  root_ = std::move(root);
  FindMatches();
  Rebuild(open, closed);
}

void JsonTreeView::SetFilter(std::string_view text) {
  if (text == filter_) return;
  if (filter_.empty() && root_) {  // what to bring back when the filter is cleared
    unfiltered_open_.clear();
    PathSet closed;
    CollectPaths(unfiltered_open_, closed);
  }
  filter_ = std::string(text);
  FindMatches();
  // A new filter opens the way to its matches; no filter, what was open before filtering.
  Rebuild(filter_.empty() ? unfiltered_open_ : PathSet{}, PathSet{});
}

void JsonTreeView::FindMatches() {
  matches_.clear();
  match_parents_.clear();
  if (root_ && !filter_.empty()) FindMatchesBelow(*root_, nullptr);
}

// Recursive: as deep as the document, which core::ParseJson bounds (kMaxJsonDepth). Every child is
// visited (no early return) so that every match and every way to one is recorded.
bool JsonTreeView::FindMatchesBelow(const core::Json& node, const std::string* key) {
  bool self = key && ContainsIgnoreCase(Shown(*key), filter_);
  bool below = false;
  if (IsContainer(node)) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it)
        below = FindMatchesBelow(*it, &it.key()) || below;
    } else {
      for (const auto& item : node) below = FindMatchesBelow(item, nullptr) || below;
    }
    if (below) match_parents_.insert(&node);
  } else {
    self = self || ContainsIgnoreCase(Shown(LeafText(node)), filter_);
  }
  if (self) matches_.insert(&node);
  return self || below;
}

void JsonTreeView::Rebuild(const PathSet& open, const PathSet& closed) {
  rows_.clear();
  drawn_rows_ = 0;
  if (!root_) return;
  rows_.push_back(
      Row{root_.get(), nullptr, 0, 0, false, filter_.empty() || matches_.contains(root_.get())});
  // Front to back: opening a row inserts its children right after it, so they are visited next and
  // `paths[depth]` always holds the path of the current row's ancestor at that depth.
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const Row& r = rows_[i];
    if (!IsContainer(*r.node)) continue;
    paths.resize(r.depth + 1u);
    if (r.depth > 0) paths[r.depth] = paths[r.depth - 1u] + Segment(r.key, r.index);
    const std::string& path = paths[r.depth];
    const bool leads_to_match =
        !filter_.empty() && match_parents_.contains(r.node) && !closed.contains(path);
    if (open.contains(path) || leads_to_match) Open(i);
  }
}

void JsonTreeView::CollectPaths(PathSet& open, PathSet& closed) const {
  std::vector<std::string> paths;
  for (const Row& r : rows_) {
    if (!IsContainer(*r.node)) continue;
    paths.resize(r.depth + 1u);
    if (r.depth > 0) paths[r.depth] = paths[r.depth - 1u] + Segment(r.key, r.index);
    (r.open ? open : closed).insert(paths[r.depth]);
  }
}

std::string JsonTreeView::Path(std::size_t row) const {
  if (row >= rows_.size()) return {};
  // Walk back to each ancestor: the nearest earlier row one level up.
  std::string path;
  std::uint16_t depth = rows_[row].depth;
  for (std::size_t i = row + 1; i-- > 0 && depth > 0;) {
    if (rows_[i].depth != depth) continue;
    path.insert(0, Segment(rows_[i].key, rows_[i].index));
    --depth;
  }
  return path;
}

void JsonTreeView::Open(std::size_t row) {
  Row& r = rows_[row];
  if (r.open || !IsContainer(*r.node)) return;
  r.open = true;
  const bool all = r.all_children;
  // Without `all`, only the children that match or lead to a match (the filter's view).
  auto listed = [&](const core::Json& child) {
    return all || matches_.contains(&child) || match_parents_.contains(&child);
  };
  std::vector<Row> children;
  children.reserve(all ? r.node->size() : 0);
  const auto depth = static_cast<std::uint16_t>(
      std::min<int>(r.depth + 1, std::numeric_limits<std::uint16_t>::max()));
  if (r.node->is_object()) {
    for (auto it = r.node->begin(); it != r.node->end(); ++it) {
      if (listed(*it))
        children.push_back(Row{&*it, &it.key(), 0, depth, false, all || matches_.contains(&*it)});
    }
  } else {
    std::uint32_t index = 0;
    for (const auto& item : *r.node) {
      if (listed(item))
        children.push_back(
            Row{&item, nullptr, index, depth, false, all || matches_.contains(&item)});
      ++index;
    }
  }
  rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(row) + 1, children.begin(),
               children.end());
}

void JsonTreeView::Close(std::size_t row) {
  Row& r = rows_[row];
  if (!r.open) return;
  r.open = false;
  std::size_t end = row + 1;
  while (end < rows_.size() && rows_[end].depth > r.depth) ++end;
  rows_.erase(rows_.begin() + static_cast<std::ptrdiff_t>(row) + 1,
              rows_.begin() + static_cast<std::ptrdiff_t>(end));
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
    label = Shown(*r.key) + ": ";
  } else if (row > 0) {
    label = "[" + std::to_string(r.index) + "] ";
  }
  if (IsContainer(*r.node) || !mask_) return label + Preview(*r.node);
  // Masked before the preview cuts it: a secret across the cut would otherwise show its start.
  const std::string text = Shown(LeafText(*r.node));
  return label + (r.node->is_string() ? Preview(core::Json(text)) : text);
}

void JsonTreeView::Draw(const char* id, float height) {
  ImGui::PushID(id);
  if (ImGui::SmallButton("Expand 2 levels##tree_expand")) ExpandTo(2);
  ImGui::SameLine();
  if (ImGui::SmallButton("Collapse##tree_collapse")) CollapseAll();
  ImGui::SameLine();
  if (filter_.empty()) {
    ImGui::TextDisabled("%zu rows open", rows_.size());
  } else {
    ImGui::TextDisabled("%zu matches, %zu rows open", matches_.size(), rows_.size());
  }

  ImGui::BeginChild("##tree", ImVec2(0, height), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float indent = ImGui::GetStyle().IndentSpacing;
  const float base_x = ImGui::GetCursorPosX();
  drawn_rows_ = 0;
  std::optional<std::size_t> toggled;
  ImGuiListClipper clipper;
  clipper.Begin(
      static_cast<int>(std::min<std::size_t>(rows_.size(), std::numeric_limits<int>::max())),
      ImGui::GetFrameHeightWithSpacing());
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const auto row = static_cast<std::size_t>(i);
      const Row& r = rows_[row];
      ImGui::SetCursorPosX(base_x + indent * static_cast<float>(r.depth));
      ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_NoTreePushOnOpen |
                                 ImGuiTreeNodeFlags_FramePadding |
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
