// WNCMS mock: the demo data of a reset (users, settings, posts, tags, pages, menus) and the
// fixtures that name it.

#include "wncms_internal.hpp"

namespace restbox::mock::wncms {

void Module::Reset(std::uint64_t seed) {
  seed_ = seed;
  rng_.seed(seed ^ kRngSalt);
  draws_ = 0;
  users_ = {{kApiToken, "admin"}, {kEditorToken, "editor"}};
  settings_.clear();
  for (const auto& ep : Spec().endpoints) settings_[std::string(api::FeatureKey(ep.id))] = {};
  SeedContent();
  touched_ = {};  // the engine rewrites every row after a reset
}

Json Module::Fixtures() const {
  return {{"api_token", kApiToken},
          {"editor_api_token", kEditorToken},
          {"post_id", 1},
          {"post_slug", "welcome"},
          {"draft_post_id", 19},
          {"published_posts", 19},
          {"tag_id", 1},
          {"child_tag_id", 4},
          {"tag_type", api::kDefaultTagType},
          {"post_tag_id", 5},
          {"page_id", 1},
          {"page_slug", "about"},
          {"menu_id", 1},
          {"menu_name", "Site menu"},
          {"unknown_id", kUnknownId},
          {"default_page_size", api::kDefaultPageSize}};
}

void Module::SeedContent() {
  posts_.clear();
  tags_.clear();
  pages_.clear();
  menus_.clear();
  next_post_id_ = next_tag_id_ = next_page_id_ = next_menu_id_ = next_menu_item_id_ = 1;
  // Fixed dates, so lists and goldens do not depend on when the mock starts.
  const core::TimePoint base = *core::ParseIso8601("2025-12-01T08:00:00Z");
  auto at = [&](int days, int hours = 0) {
    return core::FormatIso8601(base + std::chrono::hours(24 * days + hours));
  };

  AddTag("公告", "announcements", "post_category", std::nullopt, 30, at(0),
         {{"en", "Announcements"}});  // 1
  AddTag("教學", "tutorials", "post_category", std::nullopt, 20, at(0),
         {{"en", "Tutorials"}});                                                       // 2
  AddTag("新聞", "news", "post_category", std::nullopt, 10, at(0), {{"en", "News"}});  // 3
  AddTag("Laravel", "laravel", "post_category", 2, 5, at(0));                          // 4
  AddTag("wncms", "wncms", "post_tag", std::nullopt, 0, at(0));                        // 5
  AddTag("php", "php", "post_tag", std::nullopt, 0, at(0));                            // 6
  AddTag("cms", "cms", "post_tag", std::nullopt, 0, at(0));                            // 7
  AddTag("產品", "products", "product_category", std::nullopt, 0, at(0),
         {{"en", "Products"}});  // 8

  struct Seed {
    const char* title;
    const char* slug;
    Translations titles;
  };
  const std::vector<Seed> seeds = {
      {"歡迎使用 WNCMS", "welcome", {{"en", "Welcome to WNCMS"}}},
      {"Getting started with WNCMS", "getting-started", {{"zh-TW", "WNCMS 入門"}}},
      {"如何安裝主題", "install-a-theme", {{"en", "How to install a theme"}}},
      {"Writing your first plugin", "first-plugin", {}},
      {"Laravel 11 升級指南", "laravel-11-upgrade", {}},
      {"API token best practices", "api-token-best-practices", {}},
      {"多語系網站設定", "multilingual-sites", {{"en", "Setting up a multilingual site"}}},
      {"Caching and performance tips", "caching-tips", {}},
      {"文章分頁與篩選", "pagination-and-filters", {}},
      {"Release notes 5.0", "release-notes-5-0", {}},
      {"標籤與分類的差別", "tags-vs-categories", {}},
      {"Building menus with the API", "menus-with-the-api", {}},
      {"SEO 基礎設定", "seo-basics", {}},
      {"Deploying on a VPS", "deploying-on-a-vps", {}},
      {"常見問題 FAQ", "faq", {}},
      {"Custom post types", "custom-post-types", {}},
      {"網站備份與還原", "backup-and-restore", {}},
      {"Using the REST API from JavaScript", "rest-api-from-javascript", {}},
      {"草稿：尚未發布的文章", "draft", {}},
      {"WNCMS 2026 roadmap", "roadmap-2026", {}},
  };
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    StoredPost s;
    api::Post& p = s.post;
    p.id = next_post_id_++;
    p.title = seeds[i].title;
    p.slug = seeds[i].slug;
    p.excerpt = std::string("Excerpt of ") + seeds[i].slug;
    p.content = "<p>" + p.title + "</p><p>WNCMS demo content #" + std::to_string(n) + "</p>";
    p.status = n == 19 ? "drafted" : "published";
    p.sort = (n * 7) % 10;
    p.tag_ids = {static_cast<std::int64_t>(1 + i % 3), static_cast<std::int64_t>(5 + i % 2)};
    if (n % 5 == 0) p.tag_ids.push_back(7);
    if (n % 4 == 0) p.tag_ids.push_back(4);
    p.created_at = at(n);
    p.published_at = p.created_at;
    p.updated_at = at(n, (n * 5) % 24 + 24 * (n % 3));
    s.titles = seeds[i].titles;
    posts_[p.id] = std::move(s);
  }

  auto page = [&](const char* title, const char* slug, const char* content, const char* status,
                  int day) {
    api::Page p;
    p.id = next_page_id_++;
    p.title = title;
    p.slug = slug;
    p.content = content;
    p.status = status;
    p.sort = p.id;
    p.created_at = p.updated_at = at(day);
    pages_[p.id] = p;
  };
  page("關於我們", "about", "<p>WNCMS 是一套多站點內容管理系統。</p>", "published", 1);
  page("聯絡我們", "contact", "<p>service@example.com</p>", "published", 2);
  page("Privacy Policy", "privacy", "<p>We keep no personal data in this demo.</p>", "published",
       3);
  page("Coming soon", "coming-soon", "<p>Draft page.</p>", "drafted", 4);

  auto item = [](const char* name, const char* url, std::vector<api::MenuItemInput> children = {}) {
    api::MenuItemInput in;
    in.name = name;
    in.url = url;
    in.children = std::move(children);
    return in;
  };
  for (auto [name, items] :
       {std::pair<const char*, std::vector<api::MenuItemInput>>{
            // Not the documents' example name ("Main menu"): their menus.store example creates
            // that one, and must succeed against the seeded mock as it does in the documents.
            "Site menu",
            {item("首頁", "/"),
             item("文章", "/posts", {item("教學", "/tag/tutorials"), item("新聞", "/tag/news")}),
             item("關於我們", "/page/about")}},
        {"Footer", {item("Privacy Policy", "/page/privacy"), item("聯絡我們", "/page/contact")}}}) {
    api::Menu m;
    m.id = next_menu_id_++;
    m.name = name;
    m.items = BuildItems(items, std::nullopt);
    m.created_at = m.updated_at = at(static_cast<int>(m.id));
    menus_[m.id] = m;
  }
  Reindex();
}

}  // namespace restbox::mock::wncms
