// Rules on the values of a success answer that the documents state, beyond its shape: pagination
// that adds up, defaults a list applies, values a write must echo or transform. Each rule names
// the passage that decides it; ids, timestamps and messages stay unchecked (they legitimately
// differ).
#include <cmath>
#include <optional>

#include "restbox/check/answer.hpp"
#include "restbox/core/url.hpp"
#include "values.hpp"

namespace restbox::check {
namespace {

using core::Json;

struct Request {
  Json body;                // the JSON body sent (null when none or not JSON)
  core::QueryParams query;  // the query sent
  std::optional<std::string> Query(const std::string& name) const {
    std::optional<std::string> v;
    for (const auto& [k, value] : query)
      if (k == name) v = value;
    return v;
  }
};

Request Read(const core::HttpRequest* request) {
  Request r;
  if (!request) return r;
  if (auto parsed = core::ParseJson(request->body); parsed.ok()) r.body = *parsed;
  if (auto url = core::ParseUrl(request->url)) r.query = core::ParseQuery(url->query);
  return r;
}

const Json* At(const Json& v, const char* pointer) {
  Json::json_pointer p(pointer);
  return v.contains(p) ? &v.at(p) : nullptr;
}

std::optional<std::int64_t> Int(const Json* v) {
  if (!v || !v->is_number()) return std::nullopt;
  double d = v->get<double>();
  if (!std::isfinite(d) || std::floor(d) != d) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

// A requested integer: a JSON number or a numeric string, else `fallback`.
std::int64_t Requested(const Json* v, std::int64_t fallback) {
  if (auto n = Int(v)) return *n;
  if (v && v->is_string()) {
    try {
      return std::stoll(v->get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return fallback;
}

std::int64_t Requested(const std::optional<std::string>& v, std::int64_t fallback) {
  if (!v || v->empty()) return fallback;
  try {
    return std::stoll(*v);
  } catch (const std::exception&) {
    return fallback;
  }
}

std::string Str(std::int64_t n) {
  return std::to_string(n);
}

void Equal(std::vector<Problem>& out, const std::string& path, std::int64_t expected,
           std::int64_t actual, const std::string& why) {
  if (expected != actual) out.push_back({path, Str(expected) + " (" + why + ")", Str(actual)});
}

// How many items page `page` of `total` holds at `size` a page.
std::int64_t OnPage(std::int64_t total, std::int64_t page, std::int64_t size) {
  return std::max<std::int64_t>(0, std::min(size, total - (page - 1) * size));
}

std::int64_t PagesFor(std::int64_t total, std::int64_t size) {
  return size <= 0 ? 0 : (total + size - 1) / size;
}

// wncms lists (seed 001, 分頁): page_size default 15, page default 1; count = 目前頁面的項目數,
// last_page = 最後可用的頁碼, has_more = 是否有更多頁面, next/previous = URL or null (如果沒有則為
// null).
void WncmsList(const Request& req, const Json& body, std::vector<Problem>& out) {
  const Json* items = At(body, "/data/data");
  const Json* p = At(body, "/data/pagination");
  if (!items || !items->is_array() || !p || !p->is_object()) return;
  auto total = Int(At(*p, "/total")), count = Int(At(*p, "/count")),
       size = Int(At(*p, "/page_size")), page = Int(At(*p, "/current_page")),
       last = Int(At(*p, "/last_page"));
  const Json* more = At(*p, "/has_more");
  if (!total || !count || !size || !page || !last || !more || !more->is_boolean()) return;
  const std::string at = "$.data.pagination.";
  auto n = static_cast<std::int64_t>(items->size());
  Equal(out, at + "count", n, *count, "the items on this page");
  Equal(out, at + "current_page", Requested(At(req.body, "/page"), 1), *page, "the page asked for");
  Equal(out, at + "page_size", Requested(At(req.body, "/page_size"), 15), *size,
        "the page_size asked for, default 15");
  Equal(out, "$.data.data (items)", OnPage(*total, *page, *size), n,
        "what page current_page of total at page_size holds");
  std::int64_t pages = PagesFor(*total, *size);
  if (*last != pages && *last != std::max<std::int64_t>(1, pages))
    out.push_back({at + "last_page", Str(std::max<std::int64_t>(1, pages)) + " (total / page_size)",
                   Str(*last)});
  bool has_more = *page < *last;
  if (more->get<bool>() != has_more)
    out.push_back({at + "has_more", has_more ? "true" : "false", more->dump()});
  const Json* next = At(*p, "/next");
  const Json* previous = At(*p, "/previous");
  if (next && (next->is_null() == has_more))
    out.push_back({at + "next", has_more ? "the next page's URL" : "null", next->dump()});
  if (previous && *page == 1 && !previous->is_null())
    out.push_back({at + "previous", "null (page 1)", previous->dump()});
  if (previous && *page > 1 && *page <= *last && previous->is_null())
    out.push_back({at + "previous", "the previous page's URL", "null"});
}

// inventory lists (seed 002): page default 1, pageSize default 20 (最大100); items.list's status
// filter defaults to "active" and type filters (paper, stamp).
void InventoryList(const std::string& endpoint, const Request& req, const Json& body,
                   std::vector<Problem>& out) {
  const char* list = endpoint == "items.list" ? "/data/items" : "/data/templates";
  const Json* items = At(body, list);
  const Json* p = At(body, "/data/pagination");
  if (!items || !items->is_array() || !p || !p->is_object()) return;
  auto page = Int(At(*p, "/page")), size = Int(At(*p, "/pageSize")),
       total = Int(At(*p, "/totalItems")), pages = Int(At(*p, "/totalPages"));
  if (!page || !size || !total || !pages) return;
  const std::string at = "$.data.pagination.";
  auto n = static_cast<std::int64_t>(items->size());
  Equal(out, at + "page", Requested(req.Query("page"), 1), *page, "the page asked for");
  Equal(out, at + "pageSize", Requested(req.Query("pageSize"), 20), *size,
        "the pageSize asked for, default 20");
  std::int64_t expected_pages = PagesFor(*total, *size);
  if (*pages != expected_pages && !(*total == 0 && *pages == 1))
    out.push_back(
        {at + "totalPages", Str(expected_pages) + " (totalItems / pageSize)", Str(*pages)});
  Equal(out, std::string("$") + (list + 1) + " (items)", OnPage(*total, *page, *size), n,
        "what page `page` of totalItems at pageSize holds");
  if (endpoint != "items.list") return;
  std::string status = req.Query("status").value_or("active");
  if (status.empty()) status = "active";
  auto type = req.Query("type");
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Json& item = (*items)[i];
    std::string path = "$.data.items[" + std::to_string(i) + "].";
    if (item.contains("status") && item["status"] != status)
      out.push_back({path + "status", "\"" + status + "\" (the status filter, default active)",
                     item["status"].dump()});
    if (type && !type->empty() && item.contains("type") && item["type"] != *type)
      out.push_back({path + "type", "\"" + *type + "\" (the type filter)", item["type"].dump()});
  }
}

// A write's answer repeats what was sent (as the seed's examples show).
void Echoes(const Request& req, const Json& body, const char* data_pointer,
            std::initializer_list<const char*> members, std::vector<Problem>& out) {
  const Json* data = At(body, data_pointer);
  if (!data || !data->is_object() || !req.body.is_object()) return;
  for (const char* m : members) {
    auto sent = req.body.find(m);
    auto got = data->find(m);
    if (sent == req.body.end() || got == data->end()) continue;
    if (*sent != *got)
      out.push_back({"$" + std::string(data_pointer).replace(0, 1, ".") + "." + m,
                     sent->dump() + " (as sent)", got->dump()});
  }
}

}  // namespace

void CheckDocumentedValues(const std::string& service, const std::string& endpoint,
                           const core::HttpRequest* request, const Json& body,
                           std::vector<Problem>& out) {
  if (!body.is_object()) return;
  Request req = Read(request);
  if (service == "wncms" && endpoint.ends_with(".index")) {
    WncmsList(req, body, out);
  } else if (service == "inventory" && (endpoint == "items.list" || endpoint == "templates.list")) {
    InventoryList(endpoint, req, body, out);
  } else if (service == "inventory" && endpoint == "templates.create") {
    Echoes(req, body, "/data", {"title"}, out);
  } else if (service == "inventory" && endpoint == "templates.share") {
    // "tags ... 搜索标签(1-16个,自动转大写)": saved (and answered) upper-cased; "0 无限制": only
    // an unlimited share has no end.
    const Json* tags = At(body, "/data/tags");
    const Json* sent = req.body.is_object() ? At(req.body, "/tags") : nullptr;
    if (tags && tags->is_array() && sent && sent->is_array()) {
      Json upper = Json::array();
      for (const auto& t : *sent) {
        if (!t.is_string()) return;
        std::string u = t.get<std::string>();
        for (char& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        upper.push_back(u);
      }
      if (*tags != upper)
        out.push_back(
            {"$.data.tags", upper.dump() + " (the tags sent, upper-cased)", tags->dump()});
    }
    const Json* minutes = req.body.is_object() ? At(req.body, "/durationMinutes") : nullptr;
    const Json* expires = At(body, "/data/expiresAt");
    if (auto m = Int(minutes); m && expires) {
      if (*m == 0 && !expires->is_null())
        out.push_back({"$.data.expiresAt", "null (durationMinutes 0: no end)", expires->dump()});
      if (*m > 0 && expires->is_null())
        out.push_back(
            {"$.data.expiresAt", "the end of the share (durationMinutes " + Str(*m) + ")", "null"});
    }
  } else if (service == "findhelper" && endpoint == "jobs.create") {
    // The created job (seed 004's answer): the fields sent, status "published".
    Echoes(req, body, "/data", {"title", "jobType", "city"}, out);
    const Json* status = At(body, "/data/status");
    if (status && *status != "published")
      out.push_back({"$.data.status", "\"published\" (a new job)", status->dump()});
  }
}

}  // namespace restbox::check
