#include "restbox/wncms/client.hpp"

namespace restbox::wncms {
namespace {

using core::Json;

// The base client's factory is only a fallback: Send() validates first, knowing the endpoint (a
// list route answers 400, a write 422), so problems never reach the base client's own check.
core::Error FallbackValidationError(std::vector<core::FieldError> problems) {
  static const core::EndpointSpec kWrite;
  return ClientValidationError(Reject(kWrite, problems));
}

template <typename T>
core::Result<T> Convert(const Json& json, std::string_view what) {
  auto r = core::ConvertJson<T>(json);
  if (!r.ok()) r.error().message = std::string(what) + ": " + r.error().message;
  return r;
}

}  // namespace

Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), options, &ParseError, &FallbackValidationError),
      api_token_(std::move(options.api_token)),
      legacy_posts_path_(options.legacy_posts_path) {}

core::CallSpec Client::Base(std::string_view endpoint, Json body, const RequestOptions& options) const {
  core::CallSpec call;
  call.endpoint = legacy_posts_path_ && endpoint == kPostsIndex ? &PostsIndexAlias() : &Endpoint(endpoint);
  if (!api_token_.empty()) {
    body["api_token"] = api_token_;
    call.secrets = {api_token_};
  }
  call.body = std::move(body);
  call.headers = options.headers;
  call.rate_key = api_token_;
  call.context = options.context;
  return call;
}

template <typename T>
core::Future<T> Client::Send(core::CallSpec call, std::function<core::Result<T>(Envelope)> convert) {
  if (options().client_validation) {
    auto problems = Validate(call);
    auto rules = ServiceRules(*call.endpoint, *call.body);
    problems.insert(problems.end(), rules.begin(), rules.end());
    Rejection rejection = Reject(*call.endpoint, problems);
    if (!rejection.errors.empty()) {
      core::Promise<T> refused;
      refused.Set(ClientValidationError(rejection));
      return refused.GetFuture();
    }
  }
  return Call<T>(std::move(call), [convert = std::move(convert)](const core::HttpResponse& r) -> core::Result<T> {
    auto envelope = DecodeEnvelope(r);
    if (!envelope.ok()) return envelope.error();
    return convert(std::move(envelope.value()));
  });
}

template <typename T>
core::Future<ListResult<T>> Client::List(std::string_view endpoint, Json body, const RequestOptions& options) {
  return Send<ListResult<T>>(Base(endpoint, std::move(body), options),
                             [](Envelope e) -> core::Result<ListResult<T>> {
                               if (!e.data.is_object() || !e.data.contains("data") ||
                                   !e.data.contains("pagination")) {
                                 return core::MakeError(core::ErrorKind::kDecode,
                                                        "list answer without data.data and data.pagination");
                               }
                               auto items = Convert<std::vector<T>>(e.data["data"], "data.data");
                               if (!items.ok()) return items.error();
                               auto pagination = Convert<Pagination>(e.data["pagination"], "data.pagination");
                               if (!pagination.ok()) return pagination.error();
                               return ListResult<T>{std::move(*items), *pagination, std::move(e.message)};
                             });
}

template <typename T>
core::Future<Answer<T>> Client::One(std::string_view endpoint, Json body, const RequestOptions& options,
                                    std::optional<std::string> id) {
  core::CallSpec call = Base(endpoint, std::move(body), options);
  if (id) call.path = {{"id", *id}};
  return Send<Answer<T>>(std::move(call), [](Envelope e) -> core::Result<Answer<T>> {
    auto data = Convert<T>(e.data, "data");
    if (!data.ok()) return data.error();
    return Answer<T>{std::move(*data), std::move(e.message)};
  });
}

namespace {
template <typename T>
Pager<T> PagerOver(ListQuery query, std::function<core::Future<ListResult<T>>(const ListQuery&)> list) {
  std::int64_t first = query.page.value_or(1);
  return Pager<T>([query, list = std::move(list)](std::int64_t page) mutable {
    query.page = page;
    return list(query);
  }, first);
}

Json LocaleBody(const std::optional<std::string>& locale) {
  Json body = Json::object();
  if (locale) body["locale"] = *locale;
  return body;
}
}  // namespace

// ---- posts ----
core::Future<ListResult<Post>> Client::ListPosts(ListQuery query, RequestOptions options) {
  return List<Post>(kPostsIndex, Json(query), options);
}

Pager<Post> Client::PostsPager(ListQuery query, RequestOptions options) {
  return PagerOver<Post>(std::move(query), [this, options](const ListQuery& q) { return ListPosts(q, options); });
}

core::Future<Answer<Post>> Client::StorePost(const NewPost& post, RequestOptions options) {
  return One<Post>(kPostsStore, Json(post), options);
}

core::Future<Answer<Post>> Client::GetPost(const std::string& id_or_slug, std::optional<std::string> locale,
                                           RequestOptions options) {
  return One<Post>(kPostsShow, LocaleBody(locale), options, id_or_slug);
}

// ---- tags ----
core::Future<ListResult<Tag>> Client::ListTags(const std::string& type, ListQuery query, RequestOptions options) {
  Json body = query;
  body["type"] = type;
  return List<Tag>(kTagsIndex, std::move(body), options);
}

Pager<Tag> Client::TagsPager(const std::string& type, ListQuery query, RequestOptions options) {
  return PagerOver<Tag>(std::move(query), [this, type, options](const ListQuery& q) { return ListTags(type, q, options); });
}

core::Future<Answer<Tag>> Client::StoreTag(const NewTag& tag, RequestOptions options) {
  return One<Tag>(kTagsStore, Json(tag), options);
}

core::Future<Answer<std::vector<std::int64_t>>> Client::ExistingTagIds(const std::vector<std::int64_t>& tag_ids,
                                                                       RequestOptions options) {
  using Ids = std::vector<std::int64_t>;
  return Send<Answer<Ids>>(Base(kTagsExist, {{"tagIds", tag_ids}}, options),
                           [](Envelope e) -> core::Result<Answer<Ids>> {
                             auto ids = Convert<Ids>(e.data.is_object() ? e.data.value("ids", Json()) : Json(),
                                                     "data.ids");
                             if (!ids.ok()) return ids.error();
                             return Answer<Ids>{std::move(*ids), std::move(e.message)};
                           });
}

// ---- pages ----
core::Future<ListResult<Page>> Client::ListPages(ListQuery query, RequestOptions options) {
  return List<Page>(kPagesIndex, Json(query), options);
}

Pager<Page> Client::PagesPager(ListQuery query, RequestOptions options) {
  return PagerOver<Page>(std::move(query), [this, options](const ListQuery& q) { return ListPages(q, options); });
}

core::Future<Answer<Page>> Client::StorePage(const NewPage& page, RequestOptions options) {
  return One<Page>(kPagesStore, Json(page), options);
}

core::Future<Answer<Page>> Client::GetPage(const std::string& id_or_slug, std::optional<std::string> locale,
                                           RequestOptions options) {
  return One<Page>(kPagesShow, LocaleBody(locale), options, id_or_slug);
}

// ---- menus ----
core::Future<ListResult<Menu>> Client::ListMenus(ListQuery query, RequestOptions options) {
  return List<Menu>(kMenusIndex, Json(query), options);
}

Pager<Menu> Client::MenusPager(ListQuery query, RequestOptions options) {
  return PagerOver<Menu>(std::move(query), [this, options](const ListQuery& q) { return ListMenus(q, options); });
}

core::Future<Answer<Menu>> Client::StoreMenu(const MenuInput& menu, RequestOptions options) {
  return One<Menu>(kMenusStore, Json(menu), options);
}

core::Future<Answer<Menu>> Client::SyncMenu(const MenuInput& menu, RequestOptions options) {
  return One<Menu>(kMenusSync, Json(menu), options);
}

core::Future<Answer<Menu>> Client::GetMenu(std::int64_t id, std::optional<std::string> locale,
                                           RequestOptions options) {
  return One<Menu>(kMenusShow, LocaleBody(locale), options, std::to_string(id));
}

}  // namespace restbox::wncms
