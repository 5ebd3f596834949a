#include "panels/history.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "export.hpp"
#include "form.hpp"
#include "imgui.h"
#include "restbox/core/masking.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
// Saves `size` bytes as a download named `name` (Blob + <a download>); nothing outside a page.
// EM_JS bodies are JavaScript, not C++: clang-format must not touch them.
// clang-format off
EM_JS(void, RestboxConsoleDownload, (const char* name, const char* data, int size), {
  if (typeof document === 'undefined') return;
  const bytes = HEAPU8.slice(data, data + size);
  const url = URL.createObjectURL(new Blob([bytes], {type : 'application/json'}));
  const a = document.createElement('a');
  a.href = url;
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function() { URL.revokeObjectURL(url); }, 10000);
});
// clang-format on
#endif

namespace restbox::console {
namespace {

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && LowerAscii(text[i + k]) == LowerAscii(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// One history row, masked: "#12  GET  chikage/get  200  3 ms  http://mock/...".
std::string RowLabel(const Exchange& e, const std::vector<std::string>& secrets, bool reveal) {
  char status[32];
  if (!e.done) {
    std::snprintf(status, sizeof status, "...");
  } else if (e.status > 0) {
    std::snprintf(status, sizeof status, "%d", e.status);
  } else {
    std::snprintf(status, sizeof status, "ERR");
  }
  char timing[32];
  std::snprintf(timing, sizeof timing, "%.0f ms", e.total_ms);
  std::string label = "#" + std::to_string(e.id) + "  " + e.method + "  " + e.service + "/" +
                      e.endpoint + "  " + status + "  " + (e.done ? timing : "") + "  " +
                      (reveal ? e.url : core::MaskUrl(e.url));
  return reveal ? label : core::RedactKnownSecrets(std::move(label), secrets);
}

}  // namespace

void HistoryPanel::Draw() {
  DrawList();
  ImGui::Separator();
  DrawSelected();
}

void HistoryPanel::DrawList() {
  auto& history = model_.history();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##history_filter", "Filter (id, method, endpoint, status, URL)",
                           filter_, sizeof filter_);
  hook_.TextInput("history/filter", filter_[0] == '\0');

  // The secrets once per frame (not per row).
  const std::vector<std::string> secrets = model_.KnownSecrets();
  rows_.clear();
  if (filter_[0] == '\0') {
    for (std::size_t i = 0; i < history.size(); ++i) rows_.push_back(i);
  } else {
    for (std::size_t i = 0; i < history.size(); ++i) {
      if (ContainsIgnoreCase(RowLabel(history[i], secrets, model_.reveal_secrets), filter_))
        rows_.push_back(i);
    }
  }
  hook_.Set("history/count", history.size());
  hook_.Set("history/shown", rows_.size());

  const float list_height = std::max(120.0f, ImGui::GetContentRegionAvail().y * 0.45f);
  ImGui::BeginChild("##history_list", ImVec2(0, list_height), true);
  if (history.empty()) ImGui::TextDisabled("Nothing sent yet.");
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows_.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const Exchange& e = history[rows_[static_cast<std::size_t>(i)]];
      const std::string label = RowLabel(e, secrets, model_.reveal_secrets);
      ImGui::PushID(i);
      if (e.done && e.status > 0) {
        const ImVec4 colour = e.status < 300   ? ImVec4(0.40f, 0.85f, 0.45f, 1.0f)
                              : e.status < 400 ? ImVec4(0.45f, 0.75f, 1.00f, 1.0f)
                              : e.status < 500 ? ImVec4(1.00f, 0.65f, 0.20f, 1.0f)
                                               : ImVec4(1.00f, 0.35f, 0.35f, 1.0f);
        ImGui::PushStyleColor(ImGuiCol_Text, colour);
      } else {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(
                                                 e.done ? ImGuiCol_Text : ImGuiCol_TextDisabled));
      }
      // Cut to the row with "..." (the whole line in a tooltip): URLs are long.
      const std::string shown = form::Ellipsize(label, ImGui::GetContentRegionAvail().x);
      if (ImGui::Selectable((shown + "##row").c_str(), e.id == model_.selected_exchange))
        model_.selected_exchange = e.id;
      if (shown.size() != label.size() && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", label.c_str());
      ImGui::PopStyleColor();
      hook_.Item("history/row/" + std::to_string(i));
      ImGui::PopID();
    }
  }
  clipper.End();
  ImGui::EndChild();
}

void HistoryPanel::DrawSelected() {
  Exchange* e = model_.FindExchange(model_.selected_exchange);
  if (!e) {
    ImGui::TextDisabled("Select a request to re-send or export it.");
  } else {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::Text("#%llu %s/%s on %s", static_cast<unsigned long long>(e->id), e->service.c_str(),
                e->endpoint.c_str(), e->environment_name.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Re-send##history_resend")) {
      const Draft draft = e->draft;  // Send adds to history, which may move `e`
      model_.Send(draft);
      e = model_.FindExchange(model_.selected_exchange);
    }
    hook_.Item("history/resend");
    ImGui::SameLine();
    ImGui::TextDisabled("Export:");
    struct Button {
      ExportKind kind;
      const char* label;
      const char* hook_id;
    };
    static constexpr Button kButtons[] = {
        {ExportKind::kCurl, "cURL##export_curl", "history/export/curl"},
        {ExportKind::kCpp, "C++##export_cpp", "history/export/cpp"},
        {ExportKind::kJs, "JavaScript##export_js", "history/export/js"}};
    for (const Button& b : kButtons) {
      ImGui::SameLine();
      if (ImGui::Button(b.label)) {
        export_kind_ = b.kind;
        export_id_ = 0;  // regenerate
      }
      hook_.Item(b.hook_id);
    }
  }
  if (ImGui::Button("Whole history as HAR##export_har")) ExportHar();
  hook_.Item("history/export/har");
  if (!har_path_.empty()) {
    ImGui::SameLine();
    ImGui::TextWrapped("written: %s", har_path_.c_str());
  }

  UpdateExport();
  if (!har_error_.empty())
    ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.35f, 1.0f), "%s", har_error_.c_str());
  if (!export_text_.empty()) {
    if (ImGui::Button("Copy##export_copy")) ImGui::SetClipboardText(export_text_.c_str());
    hook_.Item("history/export/copy");
    ImGui::SameLine();
    ImGui::TextDisabled(model_.reveal_secrets ? "secrets shown in clear" : "secrets masked");
    // Read-only: ImGui never writes into the buffer.
    ImGui::InputTextMultiline("##export_text", export_text_.data(), export_text_.size() + 1,
                              ImVec2(-1, -1), ImGuiInputTextFlags_ReadOnly);
    hook_.TextInput("history/export/text");
  }
}

void HistoryPanel::UpdateExport() {
  const Exchange* e = model_.FindExchange(model_.selected_exchange);
  if (export_kind_ == ExportKind::kNone || !e) {
    export_text_.clear();
    hook_.Set("history/export/kind", "");
    return;
  }
  if (export_id_ == e->id && export_reveal_ == model_.reveal_secrets &&
      export_wire_ == e->wire.size())
    return;
  export_id_ = e->id;
  export_reveal_ = model_.reveal_secrets;
  export_wire_ = e->wire.size();
  ExportOptions options;
  options.reveal_secrets = model_.reveal_secrets;
  options.secrets = model_.KnownSecrets(e->secrets);
  options.public_values = model_.PublicValues();
  options.mock_url = model_.options().http_mock_url;
  for (const auto& env : model_.environments) {
    if (env.target == TargetKind::kHttpMock && !env.base_url.empty()) {
      options.mock_url = env.base_url;  // the first HTTP mock environment, as the user set it
      break;
    }
  }
  const char* kind = "";
  switch (export_kind_) {
    case ExportKind::kCurl:
      export_text_ = ExportCurl(*e, options);
      kind = "curl";
      break;
    case ExportKind::kCpp:
      export_text_ = ExportCpp(*e, options);
      kind = "cpp";
      break;
    case ExportKind::kJs:
      export_text_ = ExportJs(*e, options);
      kind = "js";
      break;
    case ExportKind::kNone:
      break;
  }
  hook_.Set("history/export/kind", kind);
  hook_.Set("history/export/text", export_text_);
}

std::string HistoryPanel::ExportHar() {
  ExportOptions options;
  options.reveal_secrets = model_.reveal_secrets;
  std::vector<std::string> extra;
  for (const auto& e : model_.history())
    extra.insert(extra.end(), e.secrets.begin(), e.secrets.end());
  options.secrets = model_.KnownSecrets(extra);
  const core::Json har = console::ExportHar(model_.history(), options);
  const std::string text = core::DumpJson(har, 2);
  const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const std::string name = "restbox-history-" + std::to_string(stamp) + ".har";
  har_error_.clear();
  hook_.Set("history/har/entries", har["log"]["entries"].size());
#ifdef __EMSCRIPTEN__
  RestboxConsoleDownload(name.c_str(), text.data(), static_cast<int>(text.size()));
  har_path_ = name + " (download)";
  hook_.Set("history/har/path", name);
  return name;
#else
  std::string path = export_directory_.empty() ? name : export_directory_ + "/" + name;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  const bool written = file && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (file && std::fclose(file) != 0) path.clear();
  if (!written || path.empty()) {
    har_error_ = "could not write " + (path.empty() ? name : path);
    har_path_.clear();
    hook_.Set("history/har/path", "");
    return {};
  }
  har_path_ = path;
  hook_.Set("history/har/path", path);
  return path;
#endif
}

}  // namespace restbox::console
