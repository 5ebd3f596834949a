#include "panels/explorer.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "form.hpp"
#include "imgui.h"
#include "imgui_stdlib.h"

namespace restbox::console {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Every word of `filter` occurs in `haystack` (both lower case).
bool Matches(const std::vector<std::string>& words, const std::string& haystack) {
  return std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return haystack.find(w) != std::string::npos; });
}

std::vector<std::string> Words(std::string_view filter) {
  std::vector<std::string> words;
  std::string current;
  for (char c : Lower(filter)) {
    if (c == ' ' || c == '\t') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

ImVec4 Darker(ImVec4 c, float f) {
  return ImVec4(c.x * f, c.y * f, c.z * f, c.w);
}

}  // namespace

void ExplorerPanel::Draw() {
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputTextWithHint("##filter", "Filter endpoints", &filter_);
  hook_.TextInput("explorer/filter", filter_.empty());
  if (ImGui::IsItemHovered() && filter_.empty())
    ImGui::SetTooltip("Words to match in the method, path, summary, status or code");
  const std::vector<std::string> words = Words(filter_);

  ImGui::BeginChild("##explorer_list", ImVec2(0, 0), false);
  const ImGuiStyle& style = ImGui::GetStyle();
  int shown = 0;
  for (const ServiceView& service : model_.services()) {
    const core::ServiceSpec& spec = service.spec();
    const std::string service_text = Lower(spec.id + " " + spec.title);
    struct Row {
      const core::EndpointSpec* endpoint;
      std::vector<form::DocumentedStatus> statuses;
    };
    std::vector<Row> rows;
    for (const auto& endpoint : spec.endpoints) {
      Row row{&endpoint, form::DocumentedStatuses(endpoint)};
      std::string haystack = service_text + " " + Lower(core::ToString(endpoint.method)) + " " +
                             Lower(endpoint.path) + " " + Lower(endpoint.id) + " " +
                             Lower(endpoint.summary);
      for (const auto& s : row.statuses)
        haystack += " " + std::to_string(s.status) + " " + Lower(s.code);
      if (Matches(words, haystack)) rows.push_back(std::move(row));
    }
    if (rows.empty()) continue;

    ImGui::PushID(spec.id.c_str());
    ImGui::SetNextItemOpen(true, words.empty() ? ImGuiCond_Once : ImGuiCond_Always);
    const bool open = ImGui::TreeNodeEx("##service", ImGuiTreeNodeFlags_SpanAvailWidth, "%s  %s",
                                        spec.title.c_str(), spec.id.c_str());
    hook_.Item("explorer/" + spec.id);
    if (ImGui::IsItemHovered() && !spec.description.empty()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
      ImGui::TextUnformatted(spec.description.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    const std::string auth = std::string(services::ToString(spec.auth)) + " \xC2\xB7 " +
                             std::to_string(spec.endpoints.size());
    form::SameLineIfFits(ImGui::CalcTextSize(auth.c_str()).x);
    form::TextDisabledFit(auth);
    if (open) {
      for (const Row& row : rows) {
        const core::EndpointSpec& endpoint = *row.endpoint;
        ++shown;
        ImGui::PushID(endpoint.id.c_str());
        const std::string method(core::ToString(endpoint.method));

        // Lay the chips out first: the row's height depends on how many lines they take.
        const float width = ImGui::GetContentRegionAvail().x;
        std::vector<std::string> labels;
        std::vector<ImVec2> offsets;  // chip positions relative to the chips' first line
        float x = 0;
        float y = 0;
        for (const auto& s : row.statuses) {
          labels.push_back(std::to_string(s.status));
          const float w = ImGui::CalcTextSize(labels.back().c_str()).x + style.FramePadding.x * 2;
          if (x > 0 && x + w > width) {
            x = 0;
            y += ImGui::GetTextLineHeight() + style.ItemSpacing.y;
          }
          offsets.emplace_back(x, y);
          x += w + style.ItemInnerSpacing.x;
        }
        const float line = ImGui::GetTextLineHeightWithSpacing();
        const float height = line * 2 + y + ImGui::GetTextLineHeight();

        const ImVec2 start = ImGui::GetCursorPos();
        const bool selected =
            model_.draft.service == spec.id && model_.draft.endpoint == endpoint.id;
        if (ImGui::Selectable("##endpoint", selected, ImGuiSelectableFlags_AllowItemOverlap,
                              ImVec2(0, height))) {
          model_.Select(spec.id, endpoint.id);
        }
        hook_.Item("explorer/" + spec.id + "/" + endpoint.id);
        const ImVec2 end = ImGui::GetCursorPos();

        ImGui::SetCursorPos(start);
        ImGui::TextColored(form::MethodColor(endpoint.method), "%s", method.c_str());
        ImGui::SameLine();
        form::TextFit(endpoint.path);
        form::TextDisabledFit(endpoint.summary);
        const ImVec2 chips = ImGui::GetCursorPos();
        for (std::size_t i = 0; i < row.statuses.size(); ++i) {
          const auto& s = row.statuses[i];
          ImGui::SetCursorPos(ImVec2(chips.x + offsets[i].x, chips.y + offsets[i].y));
          const ImVec4 colour = form::StatusColor(s.status);
          ImGui::PushStyleColor(ImGuiCol_Button, Darker(colour, 0.45f));
          ImGui::PushStyleColor(ImGuiCol_ButtonHovered, Darker(colour, 0.65f));
          ImGui::PushStyleColor(ImGuiCol_ButtonActive, Darker(colour, 0.8f));
          ImGui::PushStyleColor(ImGuiCol_Text, colour);
          ImGui::PushID(static_cast<int>(i));
          const bool clicked = ImGui::SmallButton(labels[i].c_str());
          ImGui::PopID();
          ImGui::PopStyleColor(4);
          hook_.Item("explorer/" + spec.id + "/" + endpoint.id + "/" + labels[i] +
                     (s.code.empty() ? "" : "." + s.code));
          if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::TextColored(colour, "%d%s%s", s.status, s.code.empty() ? "" : "  ",
                               s.code.c_str());
            ImGui::TextUnformatted(s.success ? "documented success" : s.trigger.c_str());
            ImGui::TextDisabled("click: select with Prefer: %s (the mock answers it)",
                                s.prefer.c_str());
            ImGui::EndTooltip();
          }
          if (clicked) {
            model_.Select(spec.id, endpoint.id);
            if (!s.success) model_.draft.extra_headers.Set("Prefer", s.prefer);
          }
        }
        ImGui::SetCursorPos(end);
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  if (shown == 0 && !words.empty())
    ImGui::TextDisabled("No endpoint matches \"%s\".", filter_.c_str());
  hook_.Set("explorer/shown", shown);
  ImGui::EndChild();
}

}  // namespace restbox::console
