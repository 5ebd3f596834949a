// WNCMS mock: tags and categories (index, store, exist), two levels of children.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

StoredTag* Module::FindTag(const std::string& name, const std::string& type) {
  auto id = tag_names_.First({name, type});
  return id ? &tags_.at(*id) : nullptr;
}

StoredTag& Module::AddTag(const std::string& name, const std::string& slug, const std::string& type,
                          std::optional<std::int64_t> parent, std::int64_t sort,
                          const std::string& now, Translations names) {
  StoredTag t;
  t.tag.id = NextId(next_tag_id_);
  t.tag.name = name;
  t.tag.slug = slug;
  t.tag.type = type;
  t.tag.parent_id = parent;
  t.tag.sort = sort;
  t.tag.created_at = t.tag.updated_at = now;
  t.names = std::move(names);
  const std::int64_t id = t.tag.id;
  touched_.tags.insert(id);
  StoredTag& stored = tags_[id] = std::move(t);
  IndexTag(stored, true);
  return stored;
}

// WNCMS loads children two levels deep.
Json Module::RenderTag(const StoredTag& t, const std::string& locale, int depth) const {
  api::Tag tag = t.tag;
  tag.name = Translated(tag.name, t.names, locale);
  Json j = tag;
  Json children = Json::array();
  if (depth < 3) {
    for (std::int64_t id : tag_children_.Ids(tag.id))
      children.push_back(RenderTag(tags_.at(id), locale, depth + 1));
  }
  j["children"] = children;
  return j;
}

core::HttpResponse Module::ListTags(const Json& body, const std::string& path) {
  ListParams p = ReadList(body);
  const std::string type = core::JsonValueOr<std::string>(body, "type", "");
  std::vector<ListRow> rows;
  for (const auto& [id, t] : tags_) {
    if (t.tag.type != type || t.tag.parent_id) continue;
    rows.push_back({id, t.tag.created_at, t.tag.updated_at,
                    Translated(t.tag.name, t.names, p.locale), t.tag.sort});
  }
  // The row's title is the tag's name as RenderTag writes it.
  auto text = [this](const ListRow& row) {
    return row.title + "\n" + tags_.at(row.id).tag.description;
  };
  auto render = [this, &p](const ListRow& row) { return RenderTag(tags_.at(row.id), p.locale, 1); };
  return Paginate(std::move(rows), p, path, "Successfully fetched data", text, render);
}

core::HttpResponse Module::StoreTag(const Json& body) {
  auto in = core::ConvertJson<api::NewTag>(body);
  if (!in.ok()) return Fail(422, "Validation failed");
  const std::string type =
      in->type && !in->type->empty() ? *in->type : std::string(api::kDefaultTagType);
  const std::string now = Now();
  auto apply = [&](api::Tag& tag) {
    if (in->slug && !in->slug->empty()) tag.slug = *in->slug;
    if (in->parent_id) tag.parent_id = in->parent_id;
    if (in->description) tag.description = *in->description;
    if (in->icon) tag.icon = *in->icon;
    if (in->sort) tag.sort = *in->sort;
    tag.updated_at = now;
  };
  if (StoredTag* existing = FindTag(in->name, type)) {
    if (!in->update_when_duplicated.value_or(false))
      return Ok("Skipped. Duplicated tag found", RenderTag(*existing, "", 1));
    IndexTag(*existing, false);
    apply(existing->tag);
    IndexTag(*existing, true);
    touched_.tags.insert(existing->tag.id);
    return Ok("Existing tag updated", RenderTag(*existing, "", 1));
  }
  StoredTag& t = AddTag(in->name, Slugify(in->name), type, std::nullopt, 0, now);
  IndexTag(t, false);
  apply(t.tag);
  IndexTag(t, true);
  t.tag.updated_at = t.tag.created_at;
  return Ok("tag #" + std::to_string(t.tag.id) + " created", RenderTag(t, "", 1));
}

core::HttpResponse Module::ExistingTags(const Json& body) {
  Json ids = Json::array();
  std::set<std::int64_t> seen;
  for (const auto& v : body.value("tagIds", Json::array())) {
    std::int64_t id = v.get<std::int64_t>();
    if (tags_.count(id) && seen.insert(id).second) ids.push_back(id);
  }
  return Ok("Successfully fetched data", {{"ids", ids}});
}

}  // namespace restbox::mock::wncms
