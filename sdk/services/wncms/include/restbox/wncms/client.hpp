#pragma once
// The typed wncms client.
//
//   restbox::wncms::ClientOptions o;
//   o.transport = ...; o.api_token = "…";
//   restbox::wncms::Client client(o);
//   auto page = client.ListPosts({.page_size = 20, .keywords = "WNCMS"}).Get();   // native
//   client.StorePost({.title = "Hello", .content = "<p>Hi</p>"}).Then([](auto r) { ... });
//   auto all = client.PostsPager({.tags = {3}}).CollectAll().Get();             // every page
//
// Every call is a POST whose JSON body carries api_token. Answers are the WNCMS envelope; a
// success gives the envelope's data as a typed value, anything else a core::Error whose code is
// the envelope's numeric code ("403", "422"...). The envelope's code and message are in the
// Result's meta(), as for every client: meta().service_code ("200") and meta().service_message,
// which tells a created tag ("tag #12 created") from a skipped duplicate ("Skipped. Duplicated
// tag found"):
//   auto stored = client.StorePost({.title = "Hello", .content = "<p>Hi</p>"}).Get();
//   if (stored) std::cout << stored->id << ": " << stored.meta().service_message << '\n';

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/client.hpp"
#include "restbox/wncms/models.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::wncms {

struct ClientOptions : core::ClientOptions {
  // Sent as `api_token` in every request body; "" sends none (routes whose auth setting is
  // "none"). Masked in logs and error messages. Default "".
  std::string api_token;
  // Send posts.index to the seed's example path POST /api/v1/posts instead of
  // /api/v1/posts/index (both answer the same). Default false.
  bool legacy_posts_path = false;
};

// Per-call options: a context (timeout, cancellation) and extra headers.
using RequestOptions = core::RequestOptions;

// Walks a list route page after page, asynchronously. Copies share one position. A pager works on
// a copy of the client that made it, so it may outlive that client. Call Next() once at a time
// (wait for its result before the next call). With is_random each page is drawn from a new
// shuffle, so a walk may repeat or miss items: use a fixed sort to walk a list.
template <typename T>
class Pager final {
 public:
  using Fetch = std::function<core::Future<ListResult<T>>(std::int64_t page)>;

  Pager(Fetch fetch, std::int64_t first_page) : state_(std::make_shared<State>()) {
    state_->fetch = std::move(fetch);
    state_->next_page = first_page < 1 ? 1 : first_page;
  }

  // True once a page answered has_more = false, or a fetch failed.
  bool done() const {
    std::lock_guard lock(state_->mutex);
    return state_->done;
  }
  // The page Next() fetches.
  std::int64_t next_page() const {
    std::lock_guard lock(state_->mutex);
    return state_->next_page;
  }

  // Fetches the next page and moves past it. After done(): kInvalidArgument, nothing sent.
  core::Future<ListResult<T>> Next() {
    std::int64_t page = 0;
    {
      std::lock_guard lock(state_->mutex);
      if (!state_->done) page = state_->next_page;
    }
    if (page == 0) {
      core::Promise<ListResult<T>> finished;
      finished.Set(
          core::MakeError(core::ErrorKind::kInvalidArgument, "the pager has no more pages"));
      return finished.GetFuture();
    }
    core::Promise<ListResult<T>> promise;
    auto future = promise.GetFuture();
    state_->fetch(page).Then([state = state_, promise](core::Result<ListResult<T>> r) {
      {
        std::lock_guard lock(state->mutex);
        if (!r.ok()) {
          state->done = true;
        } else {
          state->next_page = r->pagination.current_page + 1;
          state->done = !r->pagination.has_more;
        }
      }
      promise.Set(std::move(r));
    });
    return future;
  }

  // Fetches every remaining page in order and resolves with all their items; stops after
  // `max_items` items when it is > 0 (default 0: no limit). The first failing page ends the walk
  // with its error.
  core::Future<std::vector<T>> CollectAll(std::size_t max_items = 0) {
    core::Promise<std::vector<T>> promise;
    auto future = promise.GetFuture();
    Collect(*this, promise, std::make_shared<std::vector<T>>(), max_items);
    return future;
  }

 private:
  struct State {
    mutable std::mutex mutex;
    Fetch fetch;
    std::int64_t next_page = 1;
    bool done = false;
  };

  static void Collect(Pager pager, core::Promise<std::vector<T>> promise,
                      std::shared_ptr<std::vector<T>> items, std::size_t max_items) {
    if (pager.done() || (max_items > 0 && items->size() >= max_items)) {
      if (max_items > 0 && items->size() > max_items) items->resize(max_items);
      promise.Set(std::move(*items));
      return;
    }
    pager.Next().Then([pager, promise, items, max_items](core::Result<ListResult<T>> r) {
      if (!r.ok()) {
        promise.Set(core::Result<std::vector<T>>(r.error(), r.meta()));
        return;
      }
      for (auto& item : r->items) items->push_back(std::move(item));
      Collect(pager, promise, items, max_items);
    });
  }

  std::shared_ptr<State> state_;
};

class Client final : public core::ServiceClient {
 public:
  explicit Client(ClientOptions options);

  // ---- posts ----
  core::Future<ListResult<Post>> ListPosts(const ListQuery& query = {},
                                           const RequestOptions& options = {});
  // Pages of ListPosts from query.page (default 1) on.
  Pager<Post> PostsPager(ListQuery query = {}, const RequestOptions& options = {});
  // The stored post; meta().service_message says what happened: "post #N created", or with
  // check_title "Skipped. Duplicated post is found" / "Existing post updated" (the existing post).
  core::Future<Post> StorePost(const NewPost& post, const RequestOptions& options = {});
  core::Future<Post> GetPost(const std::string& id_or_slug,
                             const std::optional<std::string>& locale = std::nullopt,
                             const RequestOptions& options = {});

  // ---- tags ----
  core::Future<ListResult<Tag>> ListTags(const std::string& type, const ListQuery& query = {},
                                         const RequestOptions& options = {});
  Pager<Tag> TagsPager(const std::string& type, ListQuery query = {},
                       const RequestOptions& options = {});
  // meta().service_message: "tag #N created", "Skipped. Duplicated tag found" or "Existing tag
  // updated".
  core::Future<Tag> StoreTag(const NewTag& tag, const RequestOptions& options = {});
  // The subset of `tag_ids` that exist.
  core::Future<std::vector<std::int64_t>> ExistingTagIds(const std::vector<std::int64_t>& tag_ids,
                                                         const RequestOptions& options = {});

  // ---- pages ----
  core::Future<ListResult<Page>> ListPages(const ListQuery& query = {},
                                           const RequestOptions& options = {});
  Pager<Page> PagesPager(ListQuery query = {}, const RequestOptions& options = {});
  core::Future<Page> StorePage(const NewPage& page, const RequestOptions& options = {});
  core::Future<Page> GetPage(const std::string& id_or_slug,
                             const std::optional<std::string>& locale = std::nullopt,
                             const RequestOptions& options = {});

  // ---- menus ----
  core::Future<ListResult<Menu>> ListMenus(const ListQuery& query = {},
                                           const RequestOptions& options = {});
  Pager<Menu> MenusPager(ListQuery query = {}, const RequestOptions& options = {});
  core::Future<Menu> StoreMenu(const MenuInput& menu, const RequestOptions& options = {});
  // Replaces the items of the menu called menu.name (created when missing).
  core::Future<Menu> SyncMenu(const MenuInput& menu, const RequestOptions& options = {});
  core::Future<Menu> GetMenu(std::int64_t id,
                             const std::optional<std::string>& locale = std::nullopt,
                             const RequestOptions& options = {});

 private:
  core::CallSpec Base(std::string_view endpoint, core::Json body,
                      const RequestOptions& options) const;
  template <typename T>
  core::Future<ListResult<T>> List(std::string_view endpoint, core::Json body,
                                   const RequestOptions& options);
  template <typename T>
  core::Future<T> One(std::string_view endpoint, core::Json body, const RequestOptions& options,
                      std::optional<std::string> id = std::nullopt);

  bool legacy_posts_path_ = false;
};

}  // namespace restbox::wncms
