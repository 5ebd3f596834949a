#pragma once
// wncms — the WNCMS v1 CMS API (API-CONTRACT section 2). The endpoint table.
//
// Every route is POST with a JSON body; the credential is `api_token` inside the body
// (AuthScheme::kBodyToken). Every answer is the envelope {code, status, message, data, extra}.
// Error rows carry the envelope's numeric `code` as the Error's code string ("403", "422"...),
// the same value the SDK's ParseError reads back from either error shape.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "restbox/core/endpoint.hpp"

namespace restbox::wncms {

// Endpoint ids ("<resource>.<action>").
inline constexpr std::string_view kPostsIndex = "posts.index";
inline constexpr std::string_view kPostsStore = "posts.store";
inline constexpr std::string_view kPostsShow = "posts.show";
inline constexpr std::string_view kTagsIndex = "tags.index";
inline constexpr std::string_view kTagsStore = "tags.store";
inline constexpr std::string_view kTagsExist = "tags.exist";
inline constexpr std::string_view kPagesIndex = "pages.index";
inline constexpr std::string_view kPagesStore = "pages.store";
inline constexpr std::string_view kPagesShow = "pages.show";
inline constexpr std::string_view kMenusIndex = "menus.index";
inline constexpr std::string_view kMenusStore = "menus.store";
inline constexpr std::string_view kMenusSync = "menus.sync";
inline constexpr std::string_view kMenusShow = "menus.show";

// `POST /api/v1/posts` (the seed's own example) answers exactly like posts.index. It is not a
// separate endpoint of the table (that would double every sweep row for one handler): the mock
// registers it as a router alias, and the client sends posts.index there when
// ClientOptions::legacy_posts_path is set.
inline constexpr std::string_view kPostsIndexAliasPath = "/api/v1/posts";

// Pagination defaults and bounds of every list route.
inline constexpr std::int64_t kDefaultPageSize = 15;
inline constexpr std::int64_t kMaxPageSize = 100;  // [choice] larger values are a 400
inline constexpr std::string_view kDefaultTagType = "post_category";

const core::ServiceSpec& Spec();

// posts.index with its path replaced by kPostsIndexAliasPath (same id, fields and statuses).
const core::EndpointSpec& PostsIndexAlias();

// The route's feature toggle, as WNCMS names it in System Settings -> API:
// "wncms_api_posts_index", "wncms_api_tag_store"... Its auth setting is the same name plus
// kAuthSettingSuffix. Empty for an unknown endpoint id.
std::string_view FeatureKey(std::string_view endpoint_id);
inline constexpr std::string_view kAuthSettingSuffix = "_should_auth";

// True for the list routes (posts.index, tags.index, pages.index, menus.index).
bool IsListEndpoint(std::string_view endpoint_id);

}  // namespace restbox::wncms
