#pragma once
// A collapsible JSON tree that draws only what is on screen. The document is parsed once (by the
// caller) and kept; the tree is a flat list of the rows that are currently expanded, updated only
// when a node is opened or closed, and each frame draws the visible slice of it
// (ImGuiListClipper). Opening an array of 100000 items adds 100000 rows once; scrolling them costs
// the same as scrolling ten.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/json.hpp"

namespace restbox::console {

class JsonTreeView final {
 public:
  // Longest string value shown on a row, in code points (the rest is elided with its length).
  static constexpr std::size_t kPreviewCodePoints = 160;

  // Shows `root` with its first level open. nullptr clears the view.
  void Set(std::shared_ptr<const core::Json> root);
  bool empty() const { return !root_; }

  // Draws the rows into the remaining space of the current window; `id` names the scrolling child.
  void Draw(const char* id);

  // Opens or closes row `row` (a container). Returns false for a scalar or an out-of-range row.
  bool Toggle(std::size_t row);
  // Opens every container down to `depth` levels below the root (depth 1 = the root's children).
  // Stops adding rows past `max_rows` (so a huge document cannot be expanded by accident).
  void ExpandTo(int depth, std::size_t max_rows = 200'000);
  void CollapseAll();

  std::size_t row_count() const { return rows_.size(); }
  int drawn_rows() const { return drawn_rows_; }
  // "key: preview" of a row, as drawn.
  std::string Label(std::size_t row) const;
  bool IsOpen(std::size_t row) const { return row < rows_.size() && rows_[row].open; }

  // The one-line preview of a value: {3}, [100], "text..." (N bytes), 12.5, true, null.
  static std::string Preview(const core::Json& value);

 private:
  struct Row {
    const core::Json* node = nullptr;
    const std::string* key = nullptr;  // the member name (objects), into the document
    std::uint32_t index = 0;           // the item index (arrays)
    std::uint16_t depth = 0;
    bool open = false;
  };
  void Open(std::size_t row);
  void Close(std::size_t row);

  std::shared_ptr<const core::Json> root_;
  std::vector<Row> rows_;
  int drawn_rows_ = 0;
};

}  // namespace restbox::console
