// WNCMS mock: pages (index, store, show).

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

const api::Page* Module::FindPageBySlug(const std::string& slug) const {
  auto id = page_slugs_.First(slug);
  return id ? &pages_.at(*id) : nullptr;
}

core::HttpResponse Module::ListPages(const Json& body, const std::string& path) {
  ListParams p = ReadList(body);
  std::vector<ListRow> rows;
  for (const auto& [id, page] : pages_) {
    if (page.status != "published") continue;
    rows.push_back({id, page.created_at, page.updated_at, page.title, page.sort});
  }
  auto text = [this](const ListRow& row) {
    const api::Page& page = pages_.at(row.id);
    return page.title + "\n" + page.content;
  };
  auto render = [this](const ListRow& row) { return Json(pages_.at(row.id)); };
  return Paginate(std::move(rows), p, path, "Successfully fetched pages", text, render);
}

core::HttpResponse Module::StorePage(const Json& body) {
  auto in = core::ConvertJson<api::NewPage>(body);
  if (!in.ok()) return Fail(422, "Validation failed");
  api::Page page;
  page.id = NextId(next_page_id_);
  page.title = in->title;
  page.slug = in->slug && !in->slug->empty()
                  ? *in->slug
                  : UniqueSlug([&](const std::string& s) { return FindPageBySlug(s) != nullptr; });
  page.content = in->content.value_or("");
  page.status = in->status.value_or("published");
  page.sort = in->sort.value_or(0);
  page.created_at = page.updated_at = Now();
  pages_[page.id] = page;
  page_slugs_.Add(page.slug, page.id);
  touched_.pages.insert(page.id);
  return Ok("page #" + std::to_string(page.id) + " created", page);
}

core::HttpResponse Module::ShowPage(const std::string& key) {
  const api::Page* found = nullptr;
  if (auto id = ParseId(key)) {
    auto it = pages_.find(*id);
    if (it != pages_.end()) found = &it->second;
  }
  if (!found) found = FindPageBySlug(key);
  if (!found) return Fail(404, "Page not found");
  return Ok("Successfully fetched data", *found);
}

}  // namespace restbox::mock::wncms
