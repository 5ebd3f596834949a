#pragma once
// A read-only text viewer that stays responsive with a 10 MB body: the text is indexed ONCE into
// rows (split at newlines, and long lines cut into fixed-size chunks, so even a single 10 MB line
// is many short rows), and each frame draws only the rows in view (ImGuiListClipper). Small JSON
// is pretty-printed once when set; large text is shown exactly as received.
//
// Search: a box with next/previous that finds the text byte-exactly (case-sensitive), scrolls the
// match into view and highlights it. Searching runs when asked (Enter or a button), never per
// frame.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace restbox::console {

class TextView final {
 public:
  struct Options {
    // Longest row in bytes; longer lines continue on the next rows (cut on a UTF-8 boundary).
    // Default 256.
    std::size_t chunk_bytes = 256;
    // JSON text up to this size is pretty-printed (indent 2) once in Set(); larger text is shown
    // as received. Default 256 KiB.
    std::size_t pretty_limit = 256 * 1024;
    // Matches counted for "k of N" (counting stops there). Default 100000.
    std::size_t max_counted_matches = 100'000;
  };

  TextView() = default;
  explicit TextView(Options options) : options_(options) {}

  // Shows `text` (shared, not copied unless pretty-printed). `pretty`: pretty-print small JSON.
  // Resets scrolling and search.
  void Set(std::shared_ptr<const std::string> text, bool pretty = true);
  void Clear() { Set(nullptr, false); }

  // Draws the search bar and the rows into the remaining space of the current window. `id` names
  // the scrolling child (unique per window).
  void Draw(const char* id);

  // ---- search ----
  // Finds the next (or previous) occurrence of `needle` after (before) the current match,
  // wrapping around; false when there is none. Scrolls it into view on the next Draw().
  bool Find(std::string_view needle, bool forward = true);
  std::size_t match_count() const { return match_count_; }  // of the last search's needle
  std::size_t match_index() const { return match_index_; }  // 1-based, 0 = no match
  std::size_t match_offset() const { return match_begin_; }

  // ---- state ----
  const std::string& text() const;  // what is shown (pretty-printed or as received)
  bool pretty_printed() const { return static_cast<bool>(pretty_); }
  std::size_t row_count() const { return rows_.size(); }
  std::size_t row_of(std::size_t offset) const;  // the row holding byte `offset`
  std::string_view Row(std::size_t row) const;   // a row's text (no line terminator)
  // Rows drawn by the last Draw() (bounded by the visible height, whatever the text size).
  int drawn_rows() const { return drawn_rows_; }
  std::size_t first_drawn_row() const { return first_drawn_row_; }

 private:
  void Index();

  Options options_;
  std::shared_ptr<const std::string> source_;
  std::unique_ptr<std::string> pretty_;  // set when the source was pretty-printed
  std::vector<std::uint32_t> rows_;      // byte offset where each row starts
  std::size_t widest_row_ = 0;           // in bytes (sizes the horizontal scroll range)
  int drawn_rows_ = 0;
  std::size_t first_drawn_row_ = 0;

  char query_[256] = {};     // the search box
  std::string last_needle_;  // what match_count_ counts
  std::size_t match_count_ = 0;
  std::size_t match_index_ = 0;
  std::size_t match_begin_ = 0;
  std::size_t match_end_ = 0;  // == match_begin_: no match
  bool scroll_to_match_ = false;
};

}  // namespace restbox::console
