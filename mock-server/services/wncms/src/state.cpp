// WNCMS mock: the state as JSON (SaveState, LoadState), its durable rows (Rows, LoadRows,
// Flush) and the indexes rebuilt from it.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

Json Module::SaveState() const {
  Json posts = Json::array();
  for (const auto& [id, p] : posts_) posts.push_back(PostJson(p));
  Json tags = Json::array();
  for (const auto& [id, t] : tags_) tags.push_back(TagJson(t));
  Json pages = Json::array();
  for (const auto& [id, p] : pages_) pages.push_back(p);
  Json menus = Json::array();
  for (const auto& [id, m] : menus_) menus.push_back(m);
  return {{"posts", posts},
          {"tags", tags},
          {"pages", pages},
          {"menus", menus},
          {"settings", Settings()}};
}

std::optional<std::string> Module::LoadState(const Json& state) {
  if (!state.is_object()) return "state must be an object";
  std::map<std::int64_t, StoredPost> posts;
  std::map<std::int64_t, StoredTag> tags;
  std::map<std::int64_t, api::Page> pages;
  std::map<std::int64_t, api::Menu> menus;
  if (auto err = LoadList<api::Post>(state, "posts", [&](api::Post p, const Json& j) {
        const std::int64_t id = p.id;
        posts[id] = {std::move(p), TranslationsFrom(j.value("translations", Json()))};
      })) {
    return err;
  }
  if (auto err = LoadList<api::Tag>(state, "tags", [&](api::Tag t, const Json& j) {
        t.children.clear();
        const std::int64_t id = t.id;
        tags[id] = {std::move(t), TranslationsFrom(j.value("translations", Json()))};
      })) {
    return err;
  }
  if (auto err = LoadList<api::Page>(state, "pages",
                                     [&](api::Page p, const Json&) { pages[p.id] = std::move(p); }))
    return err;
  if (auto err = LoadList<api::Menu>(state, "menus",
                                     [&](api::Menu m, const Json&) { menus[m.id] = std::move(m); }))
    return err;
  if (auto s = state.find("settings"); s != state.end()) {
    if (auto err = ApplySettings(*s)) return err;
  }
  posts_ = std::move(posts);
  tags_ = std::move(tags);
  pages_ = std::move(pages);
  menus_ = std::move(menus);
  RecomputeNextIds();
  Reindex();
  touched_ = {};  // the engine rewrites every row after a load
  return std::nullopt;
}

std::vector<StateRow> Module::Rows() const {
  std::vector<StateRow> rows;
  const std::string service = Spec().id;
  for (const auto& [id, p] : posts_)
    rows.push_back({service, kPostRows, RowKey(id), core::DumpJson(PostJson(p))});
  for (const auto& [id, t] : tags_)
    rows.push_back({service, kTagRows, RowKey(id), core::DumpJson(TagJson(t))});
  for (const auto& [id, p] : pages_)
    rows.push_back({service, kPageRows, RowKey(id), core::DumpJson(Json(p))});
  for (const auto& [id, m] : menus_)
    rows.push_back({service, kMenuRows, RowKey(id), core::DumpJson(Json(m))});
  rows.push_back({service, kMetaRows, "", core::DumpJson(MetaJson())});
  return rows;
}

// The rows become a SaveState() document for LoadState (which validates every record); then
// the counters and the generator continue where they stopped (a restart hands out no id or
// slug again, and random lists go on with the same sequence).
std::optional<std::string> Module::LoadRows(const std::vector<StateRow>& rows) {
  Json state = {{"posts", Json::array()},
                {"tags", Json::array()},
                {"pages", Json::array()},
                {"menus", Json::array()}};
  Json counters = Json::object();
  for (const auto& row : rows) {
    auto parsed = core::ParseJson(row.value);
    if (!parsed.ok() || !parsed.value().is_object())
      return "row " + row.collection + "/" + row.key + " is not a JSON object";
    Json& value = parsed.value();
    if (row.collection == kMetaRows) {
      state["settings"] = value.value("settings", Json::object());
      counters = value.value("counters", Json::object());
      continue;
    }
    const char* list = row.collection == kPostRows   ? "posts"
                       : row.collection == kTagRows  ? "tags"
                       : row.collection == kPageRows ? "pages"
                       : row.collection == kMenuRows ? "menus"
                                                     : nullptr;
    if (!list) return "unknown row collection '" + row.collection + "'";
    auto id = value.find("id");
    if (id == value.end() || !id->is_number_integer() || RowKey(id->get<std::int64_t>()) != row.key)
      return row.collection + " row " + row.key + " does not hold the record with that id";
    state[list].push_back(std::move(value));
  }
  if (!counters.is_object()) return "meta row: counters must be an object";
  if (auto err = LoadState(state)) return err;
  // Counters only grow: ids freed since (a menu's replaced items) are not handed out again.
  for (auto [name, counter] : Counters(*this)) {
    *counter = std::max(*counter, core::JsonValueOr<std::int64_t>(counters, name, 1));
  }
  draws_ = core::JsonValueOr<std::uint64_t>(counters, "rng_draws", 0);
  rng_.seed(seed_ ^ kRngSalt);
  rng_.discard(draws_);
  return std::nullopt;
}

void Module::IndexPost(const StoredPost& s, bool add) {
  auto put = [&](auto& index, const std::string& key) {
    add ? index.Add(key, s.post.id) : index.Remove(key, s.post.id);
  };
  put(post_slugs_, s.post.slug);
  put(post_titles_, s.post.title);
  for (const auto& [locale, title] : s.titles) put(post_titles_, title);
}

void Module::IndexTag(const StoredTag& t, bool add) {
  const std::pair<std::string, std::string> name{t.tag.name, t.tag.type};
  add ? tag_names_.Add(name, t.tag.id) : tag_names_.Remove(name, t.tag.id);
  if (t.tag.parent_id) {
    add ? tag_children_.Add(*t.tag.parent_id, t.tag.id)
        : tag_children_.Remove(*t.tag.parent_id, t.tag.id);
  }
}

void Module::Reindex() {
  post_slugs_.Clear();
  post_titles_.Clear();
  tag_names_.Clear();
  tag_children_.Clear();
  page_slugs_.Clear();
  menu_names_.Clear();
  for (const auto& [id, p] : posts_) IndexPost(p, true);
  for (const auto& [id, t] : tags_) IndexTag(t, true);
  for (const auto& [id, p] : pages_) page_slugs_.Add(p.slug, id);
  for (const auto& [id, m] : menus_) menu_names_.Add(m.name, id);
}

Json Module::PostJson(const StoredPost& p) {
  Json j = p.post;
  j["translations"] = TranslationsJson(p.titles);
  return j;
}

Json Module::TagJson(const StoredTag& t) {
  Json j = t.tag;
  j["translations"] = TranslationsJson(t.names);
  return j;
}

// Fixed-width decimal (a negative id, only from an imported state, keeps its sign), so the
// store lists rows in id order.
std::string Module::RowKey(std::int64_t id) {
  if (id < 0) return std::to_string(id);
  std::string digits = std::to_string(id);
  return std::string(19 - std::min<std::size_t>(19, digits.size()), '0') + digits;
}

Json Module::MetaJson() const {
  Json counters = {{"rng_draws", draws_}};
  for (auto [name, counter] : Counters(*this)) counters[name] = *counter;
  return {{"settings", Settings()}, {"counters", counters}};
}

// Every change of the state marks what it touched; Flush reports those rows (a record that is
// gone is a deleted row) at the end of the request or admin change, nothing without a store.
std::int64_t Module::NextId(std::int64_t& counter) {
  touched_.meta = true;
  return counter++;
}

std::uint64_t Module::Draw() {
  touched_.meta = true;
  ++draws_;
  return rng_();
}

void Module::Flush() {
  if (context_->durable()) {
    FlushRows(kPostRows, touched_.posts, posts_, PostJson);
    FlushRows(kTagRows, touched_.tags, tags_, TagJson);
    FlushRows(kPageRows, touched_.pages, pages_, [](const api::Page& p) { return Json(p); });
    FlushRows(kMenuRows, touched_.menus, menus_, [](const api::Menu& m) { return Json(m); });
    if (touched_.meta) context_->RowChanged(kMetaRows, "", core::DumpJson(MetaJson()));
  }
  touched_ = {};
}

std::int64_t Module::MaxItemId(const std::vector<api::MenuItem>& items) {
  std::int64_t m = 0;
  for (const auto& i : items) m = std::max({m, i.id, MaxItemId(i.items)});
  return m;
}

void Module::RecomputeNextIds() {
  auto next = [](const auto& map) { return map.empty() ? 1 : map.rbegin()->first + 1; };
  next_post_id_ = next(posts_);
  next_tag_id_ = next(tags_);
  next_page_id_ = next(pages_);
  next_menu_id_ = next(menus_);
  next_menu_item_id_ = 1;
  for (const auto& [id, m] : menus_)
    next_menu_item_id_ = std::max(next_menu_item_id_, MaxItemId(m.items) + 1);
}

}  // namespace restbox::mock::wncms
