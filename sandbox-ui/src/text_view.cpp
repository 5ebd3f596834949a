#include "text_view.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "form.hpp"
#include "imgui.h"
#include "restbox/core/json_codec.hpp"

namespace restbox::console {
namespace {

const std::string kEmpty;

// Moves `cut` back to the start of a UTF-8 sequence (at most 3 bytes), so a chunk never ends in
// the middle of a character. Never below `floor` + 1, so every chunk holds at least one byte.
std::size_t Utf8Boundary(const std::string& text, std::size_t cut, std::size_t floor) {
  std::size_t back = 0;
  while (cut > floor + 1 && back < 3 && cut < text.size() &&
         (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
    ++back;
  }
  return cut;
}

}  // namespace

void TextView::Set(std::shared_ptr<const std::string> text, bool pretty) {
  source_ = std::move(text);
  pretty_.reset();
  if (pretty && source_ && !source_->empty() && source_->size() <= options_.pretty_limit) {
    const char first = source_->find_first_not_of(" \t\r\n") == std::string::npos
                           ? '\0'
                           : (*source_)[source_->find_first_not_of(" \t\r\n")];
    if (first == '{' || first == '[') {
      if (auto parsed = core::ParseJson(*source_); parsed.ok()) {
        pretty_ = std::make_unique<std::string>(core::DumpJson(*parsed, 2));
      }
    }
  }
  match_count_ = match_index_ = match_begin_ = match_end_ = 0;
  last_needle_.clear();
  scroll_to_match_ = false;
  drawn_rows_ = 0;
  Index();
}

const std::string& TextView::text() const {
  if (pretty_) return *pretty_;
  return source_ ? *source_ : kEmpty;
}

void TextView::Index() {
  rows_.clear();
  widest_row_ = 0;
  const std::string& t = text();
  // Offsets are 32-bit (4 bytes per row even for a text of nothing but newlines); a text beyond
  // 4 GiB is shown up to there.
  const std::size_t size =
      std::min<std::size_t>(t.size(), std::numeric_limits<std::uint32_t>::max());
  if (size == 0) return;
  const std::size_t chunk = std::max<std::size_t>(options_.chunk_bytes, 4);
  rows_.reserve(size / 64 + 1);
  const char* data = t.data();
  std::size_t begin = 0;
  while (begin < size) {
    const void* nl = std::memchr(data + begin, '\n', size - begin);
    const std::size_t line_end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : size;
    std::size_t row = begin;
    // The line, cut into chunks.
    while (true) {
      rows_.push_back(static_cast<std::uint32_t>(row));
      if (line_end - row <= chunk) {
        widest_row_ = std::max(widest_row_, line_end - row);
        break;
      }
      const std::size_t cut = Utf8Boundary(t, row + chunk, row);
      widest_row_ = std::max(widest_row_, cut - row);
      row = cut;
    }
    begin = line_end + 1;
  }
  // A text ending with a newline has no empty last row; one that is only "\n" keeps its row.
}

std::size_t TextView::row_of(std::size_t offset) const {
  if (rows_.empty()) return 0;
  auto it = std::upper_bound(rows_.begin(), rows_.end(),
                             static_cast<std::uint32_t>(std::min<std::size_t>(
                                 offset, std::numeric_limits<std::uint32_t>::max())));
  return it == rows_.begin() ? 0 : static_cast<std::size_t>(it - rows_.begin()) - 1;
}

std::string_view TextView::Row(std::size_t row) const {
  if (row >= rows_.size()) return {};
  const std::string& t = text();
  std::size_t begin = rows_[row];
  std::size_t end =
      row + 1 < rows_.size()
          ? rows_[row + 1]
          : std::min<std::size_t>(t.size(), std::numeric_limits<std::uint32_t>::max());
  // Drop the line terminator the row ends with.
  if (end > begin && t[end - 1] == '\n') --end;
  if (end > begin && t[end - 1] == '\r') --end;
  return std::string_view(t).substr(begin, end - begin);
}

bool TextView::Find(std::string_view needle, bool forward) {
  const std::string& t = text();
  if (needle.empty() || t.empty()) {
    match_count_ = match_index_ = 0;
    match_begin_ = match_end_ = 0;
    last_needle_.clear();
    return false;
  }
  // The next occurrence after (or the last one before) the current match, wrapping around.
  std::size_t found = std::string::npos;
  const bool have = match_end_ > match_begin_ && last_needle_ == needle;
  if (forward) {
    const std::size_t from = have ? match_begin_ + 1 : 0;
    found = t.find(needle, from);
    if (found == std::string::npos && from > 0) found = t.find(needle);
  } else {
    if (have && match_begin_ > 0) found = t.rfind(needle, match_begin_ - 1);
    if (found == std::string::npos) found = t.rfind(needle);  // wrap to the last one
  }
  // One pass counts the matches (up to the cap) and numbers the one found.
  match_count_ = 0;
  match_index_ = 0;
  for (std::size_t pos = t.find(needle);
       pos != std::string::npos && match_count_ < options_.max_counted_matches;
       pos = t.find(needle, pos + 1)) {
    ++match_count_;
    if (pos == found) match_index_ = match_count_;
  }
  last_needle_ = std::string(needle);
  if (found == std::string::npos) {
    match_begin_ = match_end_ = 0;
    return false;
  }
  match_begin_ = found;
  match_end_ = found + needle.size();
  scroll_to_match_ = true;
  return true;
}

void TextView::Draw(const char* id) {
  ImGui::PushID(id);
  // ---- search bar ----
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x * 0.4f));
  const bool entered = ImGui::InputTextWithHint("##find", "Find", query_, sizeof query_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Find in the text: Enter finds the next match");
  ImGui::SameLine();
  const bool next = ImGui::Button("Next##find_next");
  ImGui::SameLine();
  const bool prev = ImGui::Button("Prev##find_prev");
  if (entered || next || prev) {
    Find(query_, !prev);
    if (entered) ImGui::SetKeyboardFocusHere(-1);  // keep typing / pressing Enter in the box
  }
  char status[96];
  if (last_needle_.empty()) {
    std::snprintf(status, sizeof status, "%zu rows, %zu bytes%s", rows_.size(), text().size(),
                  pretty_ ? ", pretty-printed" : "");
  } else if (match_index_ == 0) {
    std::snprintf(status, sizeof status, "no match");
  } else {
    std::snprintf(status, sizeof status, "%zu of %zu%s", match_index_, match_count_,
                  match_count_ >= options_.max_counted_matches ? "+" : "");
  }
  form::SameLineIfFits(ImGui::CalcTextSize(status).x);
  form::TextDisabledFit(status);

  // ---- rows ----
  const float char_width = ImGui::CalcTextSize("M").x;
  const float line_height = ImGui::GetTextLineHeightWithSpacing();
  ImGui::SetNextWindowContentSize(
      ImVec2(static_cast<float>(widest_row_) * char_width + 16.0f, 0.0f));
  ImGui::BeginChild("##rows", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (scroll_to_match_ && match_end_ > match_begin_) {
    const float y = static_cast<float>(row_of(match_begin_)) * line_height;
    ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.4f));
    const std::size_t row = row_of(match_begin_);
    const std::string_view r = Row(row);
    const float x =
        ImGui::CalcTextSize(r.data(), r.data() + std::min(r.size(), match_begin_ - rows_[row])).x;
    if (x < ImGui::GetScrollX() || x > ImGui::GetScrollX() + ImGui::GetWindowWidth() - 40.0f) {
      ImGui::SetScrollX(std::max(0.0f, x - ImGui::GetWindowWidth() * 0.3f));
    }
    scroll_to_match_ = false;
  }
  drawn_rows_ = 0;
  first_drawn_row_ = 0;
  ImGuiListClipper clipper;
  clipper.Begin(
      static_cast<int>(std::min<std::size_t>(rows_.size(), std::numeric_limits<int>::max())),
      line_height);
  const ImU32 highlight = ImGui::GetColorU32(ImGuiCol_TextSelectedBg);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const std::size_t row = static_cast<std::size_t>(i);
      const std::string_view r = Row(row);
      const std::size_t begin = rows_[row];
      const std::size_t end = begin + r.size();
      if (match_end_ > match_begin_ && match_begin_ < end && match_end_ > begin) {
        // Highlight the part of the match on this row.
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const std::size_t a = std::max(match_begin_, begin) - begin;
        const std::size_t b = std::min(match_end_, end) - begin;
        const float x0 = ImGui::CalcTextSize(r.data(), r.data() + a).x;
        const float x1 = ImGui::CalcTextSize(r.data(), r.data() + b).x;
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(pos.x + x0, pos.y), ImVec2(pos.x + x1, pos.y + ImGui::GetTextLineHeight()),
            highlight);
      }
      ImGui::TextUnformatted(r.data(), r.data() + r.size());
      first_drawn_row_ = drawn_rows_ == 0 ? row : std::min(first_drawn_row_, row);
      ++drawn_rows_;
    }
  }
  clipper.End();
  ImGui::EndChild();
  ImGui::PopID();
}

}  // namespace restbox::console
