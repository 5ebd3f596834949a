// WNCMS mock: posts (index, store, show), their tags by type and their translations.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

Json Module::RenderPost(const StoredPost& s, const std::string& locale) const {
  api::Post p = s.post;
  p.title = Translated(p.title, s.titles, locale);
  p.categories.clear();
  p.tags.clear();
  for (std::int64_t tid : p.tag_ids) {
    auto it = tags_.find(tid);
    if (it == tags_.end()) continue;
    std::string name = Translated(it->second.tag.name, it->second.names, locale);
    if (it->second.tag.type == "post_category")
      p.categories.push_back(name);
    else if (it->second.tag.type == "post_tag")
      p.tags.push_back(name);
  }
  return p;
}

core::HttpResponse Module::ListPosts(const Json& body, const std::string& path) {
  ListParams p = ReadList(body);
  std::set<std::int64_t> wanted, excluded;
  for (const auto& v : body.value("tags", Json::array())) wanted.insert(v.get<std::int64_t>());
  for (const auto& v : body.value("excluded_post_ids", Json::array()))
    excluded.insert(v.get<std::int64_t>());
  std::optional<std::string> tag_type;
  if (auto it = body.find("tag_type"); it != body.end() && it->is_string())
    tag_type = it->get<std::string>();
  auto tag_counts = [&](std::int64_t tid) {
    auto it = tags_.find(tid);
    if (it == tags_.end()) return false;
    if (tag_type && it->second.tag.type != *tag_type) return false;
    return wanted.empty() || wanted.count(tid) > 0;
  };
  std::vector<ListRow> rows;
  for (const auto& [id, s] : posts_) {
    const api::Post& post = s.post;
    if (post.status != "published" || excluded.count(id)) continue;
    if ((!wanted.empty() || tag_type) &&
        std::none_of(post.tag_ids.begin(), post.tag_ids.end(), tag_counts))
      continue;
    // The title as RenderPost writes it.
    rows.push_back({id, post.created_at, post.updated_at,
                    Translated(post.title, s.titles, p.locale), post.sort});
  }
  auto text = [this](const ListRow& row) {
    const api::Post& post = posts_.at(row.id).post;
    return row.title + "\n" + post.excerpt + "\n" + post.content;
  };
  auto render = [this, &p](const ListRow& row) { return RenderPost(posts_.at(row.id), p.locale); };
  return Paginate(std::move(rows), p, path, "Successfully fetched posts", text, render);
}

const StoredPost* Module::FindPostBySlug(const std::string& slug) const {
  auto id = post_slugs_.First(slug);
  return id ? &posts_.at(*id) : nullptr;
}

// The first post whose title, or one of its translations, is `title`.
StoredPost* Module::FindPostByTitle(const std::string& title) {
  auto id = post_titles_.First(title);
  return id ? &posts_.at(*id) : nullptr;
}

std::string Module::UniqueSlug(const std::function<bool(const std::string&)>& taken) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (;;) {
    std::string slug;
    for (int i = 0; i < 6; ++i) slug.push_back(kAlphabet[Draw() % 36]);
    if (!taken(slug)) return slug;
  }
}

// WNCMS syncTagsWithType: names become tags of `type`, created when new.
std::vector<std::int64_t> Module::TagIdsFor(const std::string& names, const std::string& type) {
  std::vector<std::int64_t> ids;
  for (const auto& name : SplitTrimmed(names, ',')) {
    StoredTag* tag = FindTag(name, type);
    if (!tag) tag = &AddTag(name, Slugify(name), type, std::nullopt, 0, Now());
    if (std::find(ids.begin(), ids.end(), tag->tag.id) == ids.end()) ids.push_back(tag->tag.id);
  }
  return ids;
}

void Module::ApplyPost(api::Post& post, const api::NewPost& in, const std::string& now) {
  post.title = in.title;
  post.content = in.content;
  if (in.slug) post.slug = *in.slug;
  if (in.excerpt) post.excerpt = *in.excerpt;
  post.status = in.status.value_or("published");
  post.visibility = in.visibility.value_or("public");
  if (in.sort) post.sort = *in.sort;
  auto published = in.published_at ? api::ParsePublishedAt(*in.published_at) : std::nullopt;
  post.published_at = published ? core::FormatIso8601(*published) : now;
  if (in.categories || in.tags) {
    std::vector<std::int64_t> ids;
    // Fields not sent keep the post's current tags of that type.
    for (auto [names, type] :
         {std::pair{&in.categories, "post_category"}, std::pair{&in.tags, "post_tag"}}) {
      if (*names) {
        auto add = TagIdsFor(**names, type);
        ids.insert(ids.end(), add.begin(), add.end());
      } else {
        for (std::int64_t tid : post.tag_ids) {
          auto it = tags_.find(tid);
          if (it != tags_.end() && it->second.tag.type == type) ids.push_back(tid);
        }
      }
    }
    post.tag_ids = ids;
  }
  post.updated_at = now;
}

core::HttpResponse Module::StorePost(const Json& body) {
  auto in = core::ConvertJson<api::NewPost>(body);
  if (!in.ok()) return Fail(422, "Validation failed");
  const std::string now = Now();
  if (in->check_title.value_or(false)) {
    if (StoredPost* existing = FindPostByTitle(in->title)) {
      if (!in->update_content_when_duplicated.value_or(false))
        return Ok("Skipped. Duplicated post is found", RenderPost(*existing, ""));
      IndexPost(*existing, false);
      ApplyPost(existing->post, *in, now);
      IndexPost(*existing, true);
      touched_.posts.insert(existing->post.id);
      return Ok("Existing post updated", RenderPost(*existing, ""));
    }
  }
  StoredPost s;
  s.post.id = NextId(next_post_id_);
  s.post.created_at = now;
  s.post.slug =
      UniqueSlug([&](const std::string& slug) { return FindPostBySlug(slug) != nullptr; });
  ApplyPost(s.post, *in, now);
  const std::int64_t id = s.post.id;
  auto& stored = posts_[id] = std::move(s);
  IndexPost(stored, true);
  touched_.posts.insert(id);
  return Ok("post #" + std::to_string(stored.post.id) + " created", RenderPost(stored, ""));
}

core::HttpResponse Module::ShowPost(const std::string& key, const std::string& locale) {
  const StoredPost* found = nullptr;
  if (auto id = ParseId(key)) {
    auto it = posts_.find(*id);
    if (it != posts_.end()) found = &it->second;
  }
  if (!found) found = FindPostBySlug(key);
  if (!found) return Fail(404, "Post not found");
  return Ok("Successfully fetched data", RenderPost(*found, locale));
}

}  // namespace restbox::mock::wncms
