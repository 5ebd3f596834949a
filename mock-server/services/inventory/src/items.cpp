// Inventory mock: items (list, get).

#include "inventory_internal.hpp"

namespace restbox::mock::inventory {

core::HttpResponse Module::ListItems(const MockRequest& r, const std::string& email) const {
  const std::string status = r.QueryValue("status").value_or("active");
  const std::string type = r.QueryValue("type").value_or("");
  // The matching items are paged by reference: only the page's items are copied into the answer.
  std::vector<const api::Item*> matching;
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (!SameEmail(it->owner, email) || it->item.status != status) continue;
    if (!type.empty() && it->item.type != type) continue;
    matching.push_back(&it->item);
  }
  auto [page, pagination] =
      Paginate(matching, QueryInt(r, "page", 1), QueryInt(r, "pageSize", api::kDefaultPageSize));
  std::vector<api::Item> items;
  items.reserve(page.size());
  for (const api::Item* item : page) {
    items.push_back(*item);
    items.back().keywords.reset();  // the list shows no keywords (seed); the detail does
  }
  return Ok(Json(api::ItemList{std::move(items), pagination}));
}

core::HttpResponse Module::GetItem(const std::string& token, const std::string& email) const {
  for (const auto& i : items_) {
    if (i.item.token == token && SameEmail(i.owner, email)) {
      api::Item detail = i.item;
      if (!detail.keywords) detail.keywords = std::vector<std::string>{};
      return Ok(Json(detail));
    }
  }
  return Error(404, api::kNotFound, "Item not found");
}

}  // namespace restbox::mock::inventory
