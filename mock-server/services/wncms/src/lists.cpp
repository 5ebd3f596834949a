// WNCMS mock: the list routes' parameters (ReadList) and their paging.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

ListParams Module::ReadList(const Json& body) {
  ListParams p;
  p.page = core::JsonValueOr<std::int64_t>(body, "page", 1);
  p.page_size = core::JsonValueOr<std::int64_t>(body, "page_size", api::kDefaultPageSize);
  p.sort = core::JsonValueOr<std::string>(body, "sort", "created_at");
  p.direction = core::JsonValueOr<std::string>(body, "direction", "desc");
  for (auto& k : SplitTrimmed(core::JsonValueOr<std::string>(body, "keywords", ""), ' '))
    p.keywords.push_back(LowerAscii(k));
  p.random = core::JsonValueOr<bool>(body, "is_random", false);
  p.locale = core::JsonValueOr<std::string>(body, "locale", "");
  return p;
}

core::HttpResponse Module::Paginate(std::vector<ListRow> rows, const ListParams& p,
                                    const std::string& path, const std::string& message,
                                    const RowText& text, const RowRender& render) {
  if (!p.keywords.empty()) {
    std::erase_if(rows, [&](const ListRow& row) {
      const std::string searched = LowerAscii(text(row));
      return std::none_of(p.keywords.begin(), p.keywords.end(), [&](const std::string& k) {
        return searched.find(k) != std::string::npos;
      });
    });
  }
  if (p.random) {
    // Fisher-Yates on our own generator: std::shuffle's order differs between standard
    // libraries, and the same seed must give the same order natively and in wasm.
    for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[Draw() % i]);
  } else {
    const bool asc = p.direction == "asc";
    std::stable_sort(rows.begin(), rows.end(), [&](const ListRow& a, const ListRow& b) {
      int c = 0;
      if (p.sort == "updated_at")
        c = a.updated_at.compare(b.updated_at);
      else if (p.sort == "title")
        c = a.title.compare(b.title);
      else if (p.sort == "sort")
        c = a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0;
      else
        c = a.created_at.compare(b.created_at);
      if (c == 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return asc ? c < 0 : c > 0;
    });
  }
  api::Pagination pg;
  pg.total = static_cast<std::int64_t>(rows.size());
  pg.page_size = p.page_size;
  pg.current_page = p.page;
  pg.last_page = std::max<std::int64_t>(1, (pg.total + p.page_size - 1) / p.page_size);
  Json items = Json::array();
  // page and page_size are validated (>= 1, page_size <= 100); the product stays small unless
  // page is huge, which simply gives an empty page.
  if (p.page <= pg.last_page) {
    std::size_t first = static_cast<std::size_t>((p.page - 1) * p.page_size);
    for (std::size_t i = first;
         i < rows.size() && i < first + static_cast<std::size_t>(p.page_size); ++i)
      items.push_back(render(rows[i]));
  }
  pg.count = static_cast<std::int64_t>(items.size());
  pg.has_more = p.page < pg.last_page;
  if (pg.has_more) pg.next = path + "?page=" + std::to_string(p.page + 1);
  if (p.page > 1) pg.previous = path + "?page=" + std::to_string(p.page - 1);
  return Ok(message, {{"data", std::move(items)}, {"pagination", pg}});
}

}  // namespace restbox::mock::wncms
