#include "json_tree.hpp"

#include <algorithm>
#include <cctype>

#include "imgui.h"

namespace restbox::console {
namespace {

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

std::string LeafText(const core::Json& value) {
  return value.is_string() ? value.get<std::string>() : core::DumpJson(value);
}

void DrawNode(const std::string& key, const core::Json& value, const JsonTreeOptions& options,
              bool key_matches) {
  const bool matches_below = key_matches || JsonMatches(value, options.filter);
  if (!matches_below) return;
  // Member names can carry credentials too (settings like "key.<api key>.enabled").
  const std::string shown_key = options.mask ? options.mask(key) : key;
  if (value.is_object() || value.is_array()) {
    const std::string label = shown_key + (value.is_object() ? " {" : " [") + std::to_string(value.size()) +
                              (value.is_object() ? "}" : "]");
    // While filtering, open the path to the matches.
    if (!options.filter.empty()) ImGui::SetNextItemOpen(true, ImGuiCond_Always);
    const bool open = ImGui::TreeNodeEx("##node", ImGuiTreeNodeFlags_SpanAvailWidth, "%s", label.c_str());
    if (!open) return;
    std::size_t shown = 0;
    std::size_t index = 0;
    for (auto it = value.begin(); it != value.end(); ++it, ++index) {
      if (shown == options.max_children) {
        ImGui::TextDisabled("... %zu more", value.size() - index);
        break;
      }
      std::string child = value.is_object() ? it.key() : "[" + std::to_string(index) + "]";
      const bool child_key = key_matches || (!options.filter.empty() && ContainsIgnoreCase(child, options.filter));
      if (!child_key && !JsonMatches(*it, options.filter)) continue;
      ImGui::PushID(static_cast<int>(index));
      DrawNode(child, *it, options, child_key);
      ImGui::PopID();
      ++shown;
    }
    ImGui::TreePop();
    return;
  }
  std::string text = LeafText(value);
  if (options.mask) text = options.mask(std::move(text));
  ImGui::Bullet();
  ImGui::SameLine();
  ImGui::TextDisabled("%s:", shown_key.c_str());
  ImGui::SameLine();
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
}

}  // namespace

bool JsonMatches(const core::Json& value, std::string_view filter) {
  if (filter.empty()) return true;
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (ContainsIgnoreCase(it.key(), filter) || JsonMatches(*it, filter)) return true;
    }
    return false;
  }
  if (value.is_array()) {
    return std::any_of(value.begin(), value.end(), [&](const core::Json& v) { return JsonMatches(v, filter); });
  }
  return ContainsIgnoreCase(LeafText(value), filter);
}

void DrawJsonTree(std::string_view id, const core::Json& value, const JsonTreeOptions& options) {
  ImGui::PushID(id.data(), id.data() + id.size());
  if (value.is_object() || value.is_array()) {
    std::size_t index = 0;
    for (auto it = value.begin(); it != value.end(); ++it, ++index) {
      std::string key = value.is_object() ? it.key() : "[" + std::to_string(index) + "]";
      const bool key_matches = !options.filter.empty() && ContainsIgnoreCase(key, options.filter);
      ImGui::PushID(static_cast<int>(index));
      DrawNode(key, *it, options, key_matches);
      ImGui::PopID();
    }
  } else {
    DrawNode("value", value, options, false);
  }
  ImGui::PopID();
}

}  // namespace restbox::console
