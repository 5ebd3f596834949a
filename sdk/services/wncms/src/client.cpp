#include "restbox/wncms/client.hpp"

namespace restbox::wncms {
namespace {

using core::Json;

template <typename T>
core::Result<T> Convert(const Json& json, std::string_view what) {
  auto r = core::ConvertJson<T>(json);
  if (!r.ok()) r.error().message = std::string(what) + ": " + r.error().message;
  return r;
}

}  // namespace

Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), options, {std::move(options.api_token), {}}),
      legacy_posts_path_(options.legacy_posts_path) {}

core::CallSpec Client::Base(std::string_view endpoint, Json body,
                            const RequestOptions& options) const {
  core::CallSpec call;
  call.endpoint =
      legacy_posts_path_ && endpoint == kPostsIndex ? &PostsIndexAlias() : &Endpoint(endpoint);
  call.body = std::move(body);
  call.headers = options.headers;
  call.context = options.context;
  return call;
}

template <typename T>
core::Future<ListResult<T>> Client::List(std::string_view endpoint, Json body,
                                         const RequestOptions& options) {
  // The envelope is unwrapped by the service's interpreter: `data` is its data member.
  return Call<ListResult<T>>(
      Base(endpoint, std::move(body), options), [](Json data) -> core::Result<ListResult<T>> {
        if (!data.is_object() || !data.contains("data")) {
          return core::MakeError(core::ErrorKind::kDecode, "list answer without data.data");
        }
        auto items = Convert<std::vector<T>>(data["data"], "data.data");
        if (!items.ok()) return items.error();
        // A server that sends no pagination: this page is the whole list.
        auto found = data.find("pagination");
        if (found == data.end() || found->is_null()) {
          const auto n = static_cast<std::int64_t>(items->size());
          Pagination whole{n, n, n, 1, 1, false, std::nullopt, std::nullopt};
          return ListResult<T>{std::move(*items), whole, false};
        }
        auto pagination = Convert<Pagination>(*found, "data.pagination");
        if (!pagination.ok()) return pagination.error();
        return ListResult<T>{std::move(*items), *pagination, true};
      });
}

template <typename T>
core::Future<T> Client::One(std::string_view endpoint, Json body, const RequestOptions& options,
                            std::optional<std::string> id) {
  core::CallSpec call = Base(endpoint, std::move(body), options);
  if (id) call.path = {{"id", *id}};
  return Call<T>(std::move(call), [](Json data) { return Convert<T>(data, "data"); });
}

namespace {
// `list` captures a copy of the client (see MakePager), never `this`: a pager may outlive it.
template <typename T>
Pager<T> PagerOver(ListQuery query,
                   std::function<core::Future<ListResult<T>>(const ListQuery&)> list) {
  std::int64_t first = query.page.value_or(1);
  return Pager<T>(
      [query, list = std::move(list)](std::int64_t page) mutable {
        query.page = page;
        return list(query);
      },
      first);
}

Json LocaleBody(const std::optional<std::string>& locale) {
  Json body = Json::object();
  if (locale) body["locale"] = *locale;
  return body;
}
}  // namespace

// ---- posts ----
core::Future<ListResult<Post>> Client::ListPosts(const ListQuery& query,
                                                 const RequestOptions& options) {
  return List<Post>(kPostsIndex, Json(query), options);
}

Pager<Post> Client::PostsPager(ListQuery query, const RequestOptions& options) {
  auto self = std::make_shared<Client>(*this);
  return PagerOver<Post>(std::move(query), [self, options](const ListQuery& q) {
    return self->ListPosts(q, options);
  });
}

core::Future<Post> Client::StorePost(const NewPost& post, const RequestOptions& options) {
  return One<Post>(kPostsStore, Json(post), options);
}

core::Future<Post> Client::GetPost(const std::string& id_or_slug,
                                   const std::optional<std::string>& locale,
                                   const RequestOptions& options) {
  return One<Post>(kPostsShow, LocaleBody(locale), options, id_or_slug);
}

// ---- tags ----
core::Future<ListResult<Tag>> Client::ListTags(const std::string& type, const ListQuery& query,
                                               const RequestOptions& options) {
  Json body = query;
  body["type"] = type;
  return List<Tag>(kTagsIndex, std::move(body), options);
}

Pager<Tag> Client::TagsPager(const std::string& type, ListQuery query,
                             const RequestOptions& options) {
  auto self = std::make_shared<Client>(*this);
  return PagerOver<Tag>(std::move(query), [self, type, options](const ListQuery& q) {
    return self->ListTags(type, q, options);
  });
}

core::Future<Tag> Client::StoreTag(const NewTag& tag, const RequestOptions& options) {
  return One<Tag>(kTagsStore, Json(tag), options);
}

core::Future<std::vector<std::int64_t>> Client::ExistingTagIds(
    const std::vector<std::int64_t>& tag_ids, const RequestOptions& options) {
  using Ids = std::vector<std::int64_t>;
  return Call<Ids>(Base(kTagsExist, {{"tagIds", tag_ids}}, options), [](const Json& data) {
    // WNCMS answers {"ids":[…]}; the documents only say "the ids that exist", and a bare array
    // of them is read as well.
    if (data.is_array()) return Convert<Ids>(data, "data");
    return Convert<Ids>(data.is_object() ? data.value("ids", Json()) : Json(), "data.ids");
  });
}

// ---- pages ----
core::Future<ListResult<Page>> Client::ListPages(const ListQuery& query,
                                                 const RequestOptions& options) {
  return List<Page>(kPagesIndex, Json(query), options);
}

Pager<Page> Client::PagesPager(ListQuery query, const RequestOptions& options) {
  auto self = std::make_shared<Client>(*this);
  return PagerOver<Page>(std::move(query), [self, options](const ListQuery& q) {
    return self->ListPages(q, options);
  });
}

core::Future<Page> Client::StorePage(const NewPage& page, const RequestOptions& options) {
  return One<Page>(kPagesStore, Json(page), options);
}

core::Future<Page> Client::GetPage(const std::string& id_or_slug,
                                   const std::optional<std::string>& locale,
                                   const RequestOptions& options) {
  return One<Page>(kPagesShow, LocaleBody(locale), options, id_or_slug);
}

// ---- menus ----
core::Future<ListResult<Menu>> Client::ListMenus(const ListQuery& query,
                                                 const RequestOptions& options) {
  return List<Menu>(kMenusIndex, Json(query), options);
}

Pager<Menu> Client::MenusPager(ListQuery query, const RequestOptions& options) {
  auto self = std::make_shared<Client>(*this);
  return PagerOver<Menu>(std::move(query), [self, options](const ListQuery& q) {
    return self->ListMenus(q, options);
  });
}

core::Future<Menu> Client::StoreMenu(const MenuInput& menu, const RequestOptions& options) {
  return One<Menu>(kMenusStore, Json(menu), options);
}

core::Future<Menu> Client::SyncMenu(const MenuInput& menu, const RequestOptions& options) {
  return One<Menu>(kMenusSync, Json(menu), options);
}

core::Future<Menu> Client::GetMenu(std::int64_t id, const std::optional<std::string>& locale,
                                   const RequestOptions& options) {
  return One<Menu>(kMenusShow, LocaleBody(locale), options, std::to_string(id));
}

}  // namespace restbox::wncms
