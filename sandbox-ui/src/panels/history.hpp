#pragma once
// History (masked), re-send, and export of a request as cURL, C++ SDK code and JavaScript SDK code;
// export of the history as HAR.
//
// The list is newest first and virtualised (only visible rows are drawn); the filter matches the
// row text (id, method, service/endpoint, status, masked URL), ignoring ASCII case. Selecting a
// row shows it in the response viewer. Exports are generated once per (exchange, kind, reveal)
// by the pure functions of export.hpp, masked unless secrets are revealed.

#include <cstdint>
#include <string>
#include <vector>

#include "panel.hpp"

namespace restbox::console {

class HistoryPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "History"; }
  void Draw() override;

  enum class ExportKind { kNone, kCurl, kCpp, kJs };
  // Directory the native build writes HAR files into. Default "" = the current directory.
  void set_export_directory(std::string directory) { export_directory_ = std::move(directory); }
  // The export shown in the box ("" when none).
  const std::string& export_text() const { return export_text_; }
  // Writes the whole history as HAR: natively a file (returns its path, "" on failure, see
  // har_error()); in the browser a download (returns the file name).
  std::string ExportHar();
  const std::string& har_path() const { return har_path_; }
  const std::string& har_error() const { return har_error_; }

 private:
  void DrawList();
  void DrawSelected();
  void UpdateExport();

  char filter_[128] = {};
  std::vector<std::size_t> rows_;  // indexes into Model::history() that pass the filter
  ExportKind export_kind_ = ExportKind::kNone;
  std::uint64_t export_id_ = 0;
  bool export_reveal_ = false;
  std::size_t export_wire_ = 0;
  std::string export_text_;
  std::string export_directory_;
  std::string har_path_;
  std::string har_error_;
};

}  // namespace restbox::console
