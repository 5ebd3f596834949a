// WNCMS mock: menus and their nested items (index, store, sync, show).

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

const api::Menu* Module::FindMenuByName(const std::string& name) const {
  auto id = menu_names_.First(name);
  return id ? &menus_.at(*id) : nullptr;
}

std::vector<api::MenuItem> Module::BuildItems(const std::vector<api::MenuItemInput>& inputs,
                                              std::optional<std::int64_t> parent) {
  std::vector<api::MenuItem> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    api::MenuItem item;
    item.id = NextId(next_menu_item_id_);
    item.parent_id = parent;
    item.name = in.name;
    item.type = in.type.value_or("link");
    item.url = in.url.value_or("");
    item.icon = in.icon.value_or("");
    item.is_new_window = in.is_new_window.value_or(false);
    item.sort = in.sort.value_or(static_cast<std::int64_t>(i));
    item.items = BuildItems(in.children, item.id);
    out.push_back(std::move(item));
  }
  return out;
}

core::HttpResponse Module::ListMenus(const Json& body, const std::string& path) {
  ListParams p = ReadList(body);
  std::vector<ListRow> rows;
  for (const auto& [id, m] : menus_) rows.push_back({id, m.created_at, m.updated_at, m.name, id});
  auto text = [this](const ListRow& row) {
    const api::Menu& m = menus_.at(row.id);
    std::string t = m.name;
    for (const auto& item : m.items) t += "\n" + item.name;
    return t;
  };
  auto render = [this](const ListRow& row) { return Json(menus_.at(row.id)); };
  return Paginate(std::move(rows), p, path, "Successfully fetched menus", text, render);
}

core::HttpResponse Module::StoreMenu(const Json& body, bool sync) {
  auto in = core::ConvertJson<api::MenuInput>(body);
  if (!in.ok()) return Fail(422, "Validation failed");
  const std::string now = Now();
  api::Menu* menu = nullptr;
  bool created = false;
  if (sync) {
    if (auto id = menu_names_.Last(in->name)) menu = &menus_.at(*id);  // the newest of the name
  }
  if (!menu) {
    api::Menu m;
    m.id = NextId(next_menu_id_);
    m.name = in->name;
    m.created_at = now;
    menu = &(menus_[m.id] = m);
    menu_names_.Add(m.name, m.id);
    created = true;
  }
  menu->items = BuildItems(in->menu_items, std::nullopt);
  menu->updated_at = now;
  touched_.menus.insert(menu->id);
  std::string message = !sync     ? "menu #" + std::to_string(menu->id) + " created"
                        : created ? "Successfully created menu"
                                  : "Successfully synced menu";
  return Ok(message, *menu);
}

core::HttpResponse Module::ShowMenu(const std::string& key) {
  auto id = ParseId(key);
  auto it = id ? menus_.find(*id) : menus_.end();
  if (it == menus_.end()) return Fail(404, "Menu not found");
  return Ok("Successfully fetched data", it->second);
}

}  // namespace restbox::mock::wncms
