#pragma once
// The console's one JSON tree (response bodies, the Mock tab's state browser): a collapsible tree
// that draws only what is on screen. The document is parsed once (by the caller) and kept; the tree
// is a flat list of the rows that are currently expanded, updated only when a node is opened or
// closed, the filter text changes or a new document is set, and each frame draws the visible slice
// of it (ImGuiListClipper). Opening an array of 100000 items adds 100000 rows once; scrolling them
// costs the same as scrolling ten.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::console {

class JsonTreeView final {
 public:
  // Longest string value shown on a row, in code points (the rest is elided with its length).
  static constexpr std::size_t kPreviewCodePoints = 160;

  // Applied to every member name and leaf value before it is drawn or matched against the filter
  // (secrets: Model::Mask). It runs for each drawn row on every frame (a screenful, not the
  // document), and for every node when a filter is applied. An empty function shows text as is.
  using MaskFunction = std::function<std::string(std::string)>;

  JsonTreeView() = default;
  explicit JsonTreeView(MaskFunction mask) : mask_(std::move(mask)) {}

  // Shows `root`. The first document (after construction or Set(nullptr)) opens with its first
  // level open. A later one keeps open the nodes that were open, and closed the ones that were
  // closed, wherever their path (member names and item indexes from the root) still exists: a view
  // refreshed with new data every half second does not collapse under the user. nullptr clears the
  // view and forgets which nodes were open.
  void Set(std::shared_ptr<const core::Json> root);
  bool empty() const { return !root_; }

  // Filters the rows: a case-insensitive (ASCII) substring of member names and leaf values, as
  // masked. "" (the default) lists everything. With a filter only matching nodes, their ancestors
  // (opened, to reach them) and everything below a matching member are listed. The rows are
  // rebuilt only when `text` differs from the current filter, so calling this every frame costs a
  // comparison. Clearing the filter brings back the nodes open before filtering began. A change of
  // what the mask hides shows in the matches at the next Set() or filter change.
  void SetFilter(std::string_view text);
  const std::string& filter() const { return filter_; }
  // Nodes whose own name or value matches the filter (0 without a filter).
  std::size_t match_count() const { return matches_.size(); }

  // Replaces the mask (see MaskFunction); drawn rows use it from the next frame.
  void SetMask(MaskFunction mask) { mask_ = std::move(mask); }

  // Draws a small toolbar and the rows; `id` names the scrolling child, `height` is its height in
  // pixels (0: the remaining space of the current window).
  void Draw(const char* id, float height = 0);

  // Opens or closes row `row` (a container). Returns false for a scalar or an out-of-range row.
  bool Toggle(std::size_t row);
  // Opens every container down to `depth` levels below the root (depth 1 = the root's children).
  // Stops adding rows past `max_rows` (so a huge document cannot be expanded by accident).
  void ExpandTo(int depth, std::size_t max_rows = 200'000);
  void CollapseAll();

  std::size_t row_count() const { return rows_.size(); }
  int drawn_rows() const { return drawn_rows_; }
  // "key: preview" of a row, as drawn (masked).
  std::string Label(std::size_t row) const;
  bool IsOpen(std::size_t row) const { return row < rows_.size() && rows_[row].open; }
  // The row's path from the root, "/"-separated member names ("~" and "/" escaped as in a JSON
  // Pointer) and item indexes: "" for the root, "/items/0/id".
  std::string Path(std::size_t row) const;

  // The one-line preview of a value: {3}, [100], "text..." (N bytes), 12.5, true, null.
  static std::string Preview(const core::Json& value);

 private:
  struct Row {
    const core::Json* node = nullptr;
    const std::string* key = nullptr;  // the member name (objects), into the document
    std::uint32_t index = 0;           // the item index (arrays)
    std::uint16_t depth = 0;
    bool open = false;
    bool all_children = true;  // no filter, or this node or an ancestor matches it
  };
  using PathSet = std::unordered_set<std::string>;

  void Open(std::size_t row);
  void Close(std::size_t row);
  // Recomputes matches_ and match_parents_ for filter_ over the current document.
  void FindMatches();
  bool FindMatchesBelow(const core::Json& node, const std::string* key);
  // The rows of the current document, opening the containers whose path is in `open`, and (with a
  // filter) those leading to a match unless their path is in `closed`.
  void Rebuild(const PathSet& open, const PathSet& closed);
  // The paths of the listed containers that are open / closed.
  void CollectPaths(PathSet& open, PathSet& closed) const;
  std::string Shown(std::string text) const { return mask_ ? mask_(std::move(text)) : text; }

  std::shared_ptr<const core::Json> root_;
  std::vector<Row> rows_;
  int drawn_rows_ = 0;
  MaskFunction mask_;

  std::string filter_;
  std::unordered_set<const core::Json*> matches_;        // nodes matching by their own name/value
  std::unordered_set<const core::Json*> match_parents_;  // containers with a match below
  PathSet unfiltered_open_{""};  // the open paths when filtering began (restored when cleared)
};

}  // namespace restbox::console
