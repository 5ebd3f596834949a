#pragma once
// A JSON value drawn as a collapsible ImGui tree, with a filter. Used by the Mock tab's state
// browser (records, templates, shares, jobs, ledger...) and its settings view.

#include <functional>
#include <string>
#include <string_view>

#include "restbox/core/json.hpp"

namespace restbox::console {

struct JsonTreeOptions {
  // Case-insensitive substring; "" shows everything. A member is shown when its key, its value
  // (leaves) or anything below it matches; ancestors of a match are shown to reach it.
  std::string_view filter;
  // Applied to every member name and leaf text before it is shown (secrets: Model::Mask).
  // Default: as is.
  std::function<std::string(std::string)> mask;
  // Children shown per object/array before a "... N more" line (keeps huge arrays cheap).
  // Default 200.
  std::size_t max_children = 200;
};

// True when `value` or anything below it (keys included) contains `filter` (case-insensitive).
bool JsonMatches(const core::Json& value, std::string_view filter);

// Draws the members of `value` (an object or array; a scalar is drawn as one line) as tree nodes
// at the cursor. `id` makes the nodes' ids unique in the window.
void DrawJsonTree(std::string_view id, const core::Json& value, const JsonTreeOptions& options = {});

}  // namespace restbox::console
