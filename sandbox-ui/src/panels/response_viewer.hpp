#pragma once
// The response viewer: status, headers, timing, the attempt timeline, the typed SDK error, a
// collapsible JSON tree and a virtualised raw view that stays responsive with 10 MB bodies.
//
// Everything derived from the body (the row index of the raw view, the pretty-printed text of a
// small body, the parsed tree) is built once, when the exchange shown changes or completes (or
// secrets are revealed/hidden), never per frame. Bodies over kTreeLimit get no tree unless asked
// (a button): parsing 10 MB takes longer than a frame.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "json_view.hpp"
#include "panel.hpp"
#include "text_view.hpp"

namespace restbox::console {

class ResponseViewerPanel final : public Panel {
 public:
  // Largest body whose JSON tree is built without asking. 1 MiB.
  static constexpr std::size_t kTreeLimit = 1024 * 1024;
  // Rows a new answer opens at most when it opens its first two levels.
  static constexpr std::size_t kTreeOpenRows = 400;

  using Panel::Panel;
  std::string_view Title() const override { return "Response"; }
  void Draw() override;

  // For tests and benchmarks: the views of the exchange shown.
  TextView& raw_view() { return raw_; }
  JsonTreeView& tree_view() { return tree_; }
  // Builds the tree of a large body (what the "Build tree" button does).
  void BuildTree();
  // Selects a tab on the next frame.
  enum class Tab { kBody, kRaw, kHeaders, kTimeline, kError, kRequest };
  void ShowTab(Tab tab) { requested_tab_ = tab; }

 private:
  void Refresh(const Exchange& exchange);
  void DrawStatus(const Exchange& exchange);
  void DrawBody();
  void DrawHeaders(const Exchange& exchange);
  void DrawTimeline(const Exchange& exchange);
  void DrawError(const Exchange& exchange);
  void DrawRequest(const Exchange& exchange);

  // What the views were built from.
  std::uint64_t shown_id_ = 0;
  bool shown_done_ = false;
  bool shown_reveal_ = false;
  std::size_t shown_wire_ = 0;
  std::shared_ptr<const std::string> body_;  // masked unless revealed
  TextView raw_;
  JsonTreeView tree_;
  enum class TreeState { kNone, kBuilt, kTooLarge, kNotJson } tree_state_ = TreeState::kNone;
  // The Request tab's text per attempt (masked once, not per frame).
  struct WireText {
    std::string title, url, headers;
    std::shared_ptr<const std::string> body;
  };
  std::vector<WireText> wire_text_;
  TextView request_body_;
  int request_attempt_ = 0;
  std::optional<Tab> requested_tab_;
};

}  // namespace restbox::console
