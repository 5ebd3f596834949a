"""wncms CMS API (seed 001): every route a POST with a JSON body under /api/v1/, api_token in
the body, answers in the {code, status, message, data, extra} envelope."""

import random
import re

from common import (BREAKS, BadJson, Tokens, code_points, is_int, iso_seconds_z, json_response,
                    parse_json)

PREFIX = "/api/v1/"
SORTS = ("created_at", "updated_at", "title", "sort")

# route -> feature toggle (the seed names wncms_api_posts_index, wncms_api_posts_store,
# wncms_api_tag_store "等等"; the others follow the same pattern).
ROUTES = {
    "posts/index": "wncms_api_posts_index",
    "posts/store": "wncms_api_posts_store",
    "posts/show": "wncms_api_posts_show",
    "tags/index": "wncms_api_tag_index",
    "tags/store": "wncms_api_tag_store",
    "tags/exist": "wncms_api_tag_exist",
    "pages/index": "wncms_api_pages_index",
    "pages/store": "wncms_api_pages_store",
    "pages/show": "wncms_api_pages_show",
    "menus/index": "wncms_api_menus_index",
    "menus/store": "wncms_api_menus_store",
    "menus/sync": "wncms_api_menus_sync",
    "menus/show": "wncms_api_menus_show",
}


def declare_breaks(b):
    b.declare("wncms-envelope-no-code", "wncms",
              "the success envelope has no `code` member",
              r"^wncms/posts\.index/200/realistic$", "$.code")
    b.declare("wncms-pagination-total-string", "wncms",
              "pagination `total` is a string",
              r"^wncms/posts\.index/200/realistic$", "$.data.pagination.total")
    b.declare("wncms-401-as-200", "wncms",
              "an unknown token is answered HTTP 200 (status fail inside)",
              r"^wncms/posts\.index/401/401/realistic$", "status")
    b.declare("wncms-pagination-count-wrong", "wncms",
              "pagination `count` is the page size, not the items on the page",
              r"^wncms/tags\.index/200/realistic$", "$.data.pagination.count")
    b.declare("wncms-422-errors-flat", "wncms",
              "a validation failure puts the messages in `data` directly, without `errors`",
              r"^wncms/posts\.store/422/422/realistic$", "$.data.errors", ["--allow-writes"])


class Invalid(Exception):
    def __init__(self, errors):
        self.errors = errors


class Api:
    name = "wncms"

    def __init__(self, clock, opts):
        self.clock = clock
        t = Tokens("wncms")
        self.token = t.alnum(40)
        self.editor_token = t.alnum(40)
        self.tokens = {self.token: "admin", self.editor_token: "editor"}
        self.toggles = {v: True for v in ROUTES.values()}
        for name in opts.wncms_disable or []:
            self.toggles[name] = False
        base = clock.now() - 30 * 86400
        self.tags = {}
        self.next_tag = 501
        for name, typ in [("新聞", "post_category"), ("教學", "post_category"),
                          ("公告", "post_category"), ("python", "post_tag"), ("api", "post_tag")]:
            self.add_tag({"name": name, "type": typ}, base)
        self.add_tag({"name": "子分類", "type": "post_category", "parent_id": 501}, base)
        self.posts = {}
        self.next_post = 9001
        for i in range(1, 24):
            status = "drafted" if i == 23 else "published"
            self.add_post({"title": "文章 %d" % i, "content": "內容 %d" % i, "status": status,
                           "categories": "新聞" if i % 2 else "教學", "tags": "python"},
                          base + i * 3600)
        self.pages = {}
        self.next_page = 71
        for title in ("關於我們", "聯絡方式", "隱私權政策"):
            pid = self.next_page
            self.next_page += 1
            self.pages[pid] = {"id": pid, "title": title, "slug": "page-%d" % pid,
                               "content": title, "status": "published", "type": "plain",
                               "created_at": base, "updated_at": base}
        self.menus = {}
        self.next_menu = 31
        self.add_menu("主選單", [{"name": "首頁", "url": "/"}], base)
        self.add_menu("頁尾", [], base)

    # ---- seed helpers ----------------------------------------------------------------------

    def add_tag(self, f, now):
        tid = self.next_tag
        self.next_tag += 1
        name = f["name"]
        tag = {"id": tid, "name": name, "slug": f.get("slug") or "tag-%d" % tid,
               "type": f.get("type") or "post_category", "parent_id": f.get("parent_id"),
               "description": f.get("description"), "icon": f.get("icon"),
               "sort": f.get("sort", 0), "created_at": now, "updated_at": now}
        self.tags[tid] = tag
        return tag

    def tag_ids_for(self, names, typ, now):
        ids = []
        for n in [x.strip() for x in (names or "").split(",") if x.strip()]:
            found = [t for t in self.tags.values() if t["name"] == n and t["type"] == typ]
            ids.append(found[0]["id"] if found else self.add_tag({"name": n, "type": typ}, now)["id"])
        return ids

    def add_post(self, f, now):
        pid = self.next_post
        self.next_post += 1
        post = {"id": pid, "title": f["title"], "slug": f.get("slug") or "post-%d" % pid,
                "excerpt": f.get("excerpt"), "content": f["content"],
                "status": f.get("status") or "published",
                "visibility": f.get("visibility") or "public",
                "category_ids": self.tag_ids_for(f.get("categories"), "post_category", now),
                "tag_ids": self.tag_ids_for(f.get("tags"), "post_tag", now),
                "published_at": f.get("published_at") or iso_seconds_z(now),
                "sort": 0, "created_at": now, "updated_at": now}
        self.posts[pid] = post
        return post

    def add_menu(self, name, items, now):
        mid = self.next_menu
        self.next_menu += 1
        self.menus[mid] = {"id": mid, "name": name, "items": self.menu_items(items),
                           "created_at": now, "updated_at": now}
        return self.menus[mid]

    @staticmethod
    def menu_items(items):
        out = []
        for i, it in enumerate(items):
            out.append({"id": i + 1, "name": it.get("name"), "url": it.get("url"),
                        "type": it.get("type", "external_link"), "sort": it.get("sort", i),
                        "children": Api.menu_items(it.get("children") or [])})
        return out

    def match(self, path):
        return path.startswith(PREFIX) or path == "/api/v1/posts"

    def fixtures(self):
        return {"api_token": self.token, "editor_api_token": self.editor_token,
                "post_id": 9001, "draft_post_id": 9023, "page_id": 71, "menu_id": 31,
                "menu_name": "主選單", "tag_id": 501, "child_tag_id": 506,
                "post_tag_id": 504, "tag_type": "post_category",
                "published_posts": sum(1 for p in self.posts.values() if p["status"] == "published"),
                "default_page_size": 15, "unknown_id": 424242}

    # ---- answers -------------------------------------------------------------------------

    def envelope(self, http, message, data=None, extra=None, status=None):
        body = {"code": http, "status": status or ("success" if http < 400 else "fail"),
                "message": message, "data": data, "extra": extra if extra is not None else {}}
        if http == 200 and BREAKS.on("wncms-envelope-no-code"):
            del body["code"]
        return json_response(http, body)

    def fail(self, http, message):
        return self.envelope(http, message, None)

    # ---- requests --------------------------------------------------------------------------

    def route(self, path):
        if path == "/api/v1/posts":
            return "posts/index", None
        rest = path[len(PREFIX):].strip("/")
        if rest in ROUTES:
            return rest, None
        m = re.fullmatch(r"(posts|pages|menus)/([^/]+)", rest)
        if m:
            return m.group(1) + "/show", m.group(2)
        return None, None

    def handle(self, req):
        route, rid = self.route(req.path)
        if route is None:
            return self.fail(404, "Route not found")
        if req.method != "POST":
            r = self.fail(405, "The %s method is not supported for this route. Supported: POST."
                          % req.method)
            r.set_header("Allow", "POST")
            return r
        try:
            body = parse_json(req.body)
        except BadJson:
            return self.fail(400, "Invalid JSON body")
        if not isinstance(body, dict):
            return self.fail(400, "The request body must be a JSON object")
        if not self.toggles[ROUTES[route]]:
            # The seed's second shape of the disabled answer (numeric status, no code).
            return json_response(403, {"status": 403, "message": "API access is disabled"})
        token = body.get("api_token")
        if not isinstance(token, str) or token not in self.tokens:
            r = self.envelope(401, "Invalid token")
            if BREAKS.on("wncms-401-as-200"):
                r.status = 200
            return r
        now = self.clock.now()
        try:
            return getattr(self, route.replace("/", "_"))(req, body, rid, now)
        except Invalid as e:
            if BREAKS.on("wncms-422-errors-flat"):
                return self.envelope(422, "Validation failed", e.errors)
            # The seed's 422 example has no `extra`.
            return json_response(422, {"code": 422, "status": "fail",
                                       "message": "Validation failed",
                                       "data": {"errors": e.errors}})
        except BadParam as e:
            return self.fail(400, str(e))

    # ---- lists -----------------------------------------------------------------------------

    def paged(self, req, body, rows, route_path):
        page_size = int_param(body, "page_size", 15)
        page = int_param(body, "page", 1)
        if page_size < 1 or page < 1:
            raise BadParam("page and page_size must be positive integers")
        page_size = min(page_size, 100)
        sort = body.get("sort")
        if sort is not None and sort not in SORTS:
            raise BadParam("Unsupported sort field: %s" % (sort,))
        direction = body.get("direction", "desc")
        if direction not in ("asc", "desc"):
            raise BadParam("direction must be asc or desc")
        if body.get("is_random") in (True, 1, "1", "true"):
            rows = list(rows)
            random.shuffle(rows)
        else:
            key = sort or "created_at"
            rows = sorted(rows, key=lambda r: (r.get(key) if r.get(key) is not None else 0, r["id"]),
                          reverse=(direction == "desc"))
        total = len(rows)
        last = max(1, -(-total // page_size))
        chunk = rows[(page - 1) * page_size: page * page_size]

        def link(p):
            return "%s/api/v1/%s?page=%d&page_size=%d" % (req.base_url, route_path, p, page_size)
        pagination = {"total": total, "count": len(chunk), "page_size": page_size,
                      "current_page": page, "last_page": last, "has_more": page < last,
                      "next": link(page + 1) if page < last else None,
                      "previous": link(page - 1) if 1 < page <= last + 1 else None}
        if BREAKS.on("wncms-pagination-count-wrong"):
            pagination["count"] = page_size
        if BREAKS.on("wncms-pagination-total-string"):
            pagination["total"] = str(total)
        return chunk, pagination

    def list_answer(self, message, items, pagination):
        return self.envelope(200, message, {"data": items, "pagination": pagination},
                             extra={"generated_at": iso_seconds_z(self.clock.now())})

    def post_view(self, p):
        def tags(ids):
            return [{"id": i, "name": self.tags[i]["name"], "type": self.tags[i]["type"]}
                    for i in ids if i in self.tags]
        return {"id": p["id"], "title": p["title"], "slug": p["slug"], "excerpt": p["excerpt"],
                "content": p["content"], "status": p["status"], "visibility": p["visibility"],
                "categories": tags(p["category_ids"]), "tags": tags(p["tag_ids"]),
                "published_at": p["published_at"], "sort": p["sort"],
                "created_at": iso_seconds_z(p["created_at"]),
                "updated_at": iso_seconds_z(p["updated_at"])}

    def tag_view(self, t):
        v = dict(t)
        v["created_at"] = iso_seconds_z(t["created_at"])
        v["updated_at"] = iso_seconds_z(t["updated_at"])
        return v

    def page_view(self, p):
        return self.tag_view(p)

    def menu_view(self, m):
        return self.tag_view(m)

    def posts_index(self, req, body, _id, now):
        rows = [p for p in self.posts.values() if p["status"] == "published"]
        kw = body.get("keywords")
        if kw not in (None, ""):
            if not isinstance(kw, str):
                raise BadParam("keywords must be a string")
            rows = [p for p in rows if kw in p["title"] or kw in p["content"]]
        tags = body.get("tags")
        if tags not in (None, [], ""):
            ids = tags if isinstance(tags, list) else [tags]
            if not all(is_int(i) or (isinstance(i, str) and i.isdigit()) for i in ids):
                raise BadParam("tags must be tag ids")
            ids = {int(i) for i in ids}
            tag_type = body.get("tag_type")
            def has(p):
                pool = p["category_ids"] + p["tag_ids"]
                return any(i in ids and (not tag_type or self.tags[i]["type"] == tag_type)
                           for i in pool if i in self.tags)
            rows = [p for p in rows if has(p)]
        excl = body.get("excluded_post_ids")
        if excl not in (None, ""):
            if not isinstance(excl, list):
                raise BadParam("excluded_post_ids must be an array")
            rows = [p for p in rows if p["id"] not in excl]
        chunk, pagination = self.paged(req, body, rows, "posts/index")
        return self.list_answer("Successfully fetched posts", [self.post_view(p) for p in chunk],
                                pagination)

    def posts_show(self, req, body, pid, now):
        p = self.posts.get(as_id(pid))
        if p is None:
            return self.fail(404, "Post not found")
        return self.envelope(200, "Successfully fetched post", self.post_view(p))

    def posts_store(self, req, body, _id, now):
        errors = {}
        require_string(body, "title", errors, 255)
        require_string(body, "content", errors, None)
        for f, mx in (("slug", 255), ("excerpt", None), ("categories", None), ("tags", None)):
            optional_string(body, f, errors, mx)
        if body.get("status") is not None and body["status"] not in ("published", "drafted", "trashed"):
            errors["status"] = ["The selected status is invalid."]
        if body.get("visibility") is not None and body["visibility"] not in ("public", "member", "admin"):
            errors["visibility"] = ["The selected visibility is invalid."]
        if body.get("published_at") is not None:
            from common import parse_iso8601
            if parse_iso8601(body["published_at"]) is None:
                errors["published_at"] = ["The published at is not a valid date."]
        if errors:
            raise Invalid(errors)
        if body.get("check_title"):
            same = [p for p in self.posts.values() if p["title"] == body["title"]]
            if same:
                p = same[0]
                if body.get("update_content_when_duplicated"):
                    p["content"] = body["content"]
                    p["updated_at"] = now
                    return self.envelope(200, "Post with the same title updated", self.post_view(p))
                return self.envelope(200, "Post with the same title exists; skipped",
                                     self.post_view(p))
        p = self.add_post({k: body.get(k) for k in ("title", "content", "slug", "excerpt", "status",
                                                     "visibility", "categories", "tags",
                                                     "published_at")}, now)
        return self.envelope(200, "Successfully created post", self.post_view(p))

    def tags_index(self, req, body, _id, now):
        typ = body.get("type")
        if not isinstance(typ, str) or not typ:
            raise Invalid({"type": ["The type field is required."]})
        rows = [t for t in self.tags.values() if t["type"] == typ]
        chunk, pagination = self.paged(req, body, rows, "tags/index")
        return self.list_answer("Successfully fetched tags", [self.tag_view(t) for t in chunk],
                                pagination)

    def tags_store(self, req, body, _id, now):
        errors = {}
        require_string(body, "name", errors, 255)
        optional_string(body, "slug", errors, 255)
        optional_string(body, "type", errors, 50)
        optional_string(body, "description", errors, None)
        optional_string(body, "icon", errors, 255)
        if body.get("sort") is not None and not is_int(body["sort"]):
            errors["sort"] = ["The sort must be an integer."]
        parent = body.get("parent_id")
        if parent is not None and (not is_int(parent) or parent not in self.tags):
            errors["parent_id"] = ["The selected parent id is invalid."]
        if errors:
            raise Invalid(errors)
        typ = body.get("type") or "post_category"
        dup = [t for t in self.tags.values() if t["name"] == body["name"] and t["type"] == typ]
        if dup:
            t = dup[0]
            if body.get("update_when_duplicated"):
                for f in ("slug", "description", "icon", "sort", "parent_id"):
                    if body.get(f) is not None:
                        t[f] = body[f]
                t["updated_at"] = now
                return self.envelope(200, "Tag updated", self.tag_view(t))
            return self.envelope(200, "Tag already exists; skipped", self.tag_view(t))
        fields = {k: body.get(k) for k in ("name", "slug", "description", "icon", "parent_id")}
        fields["type"] = typ
        fields["sort"] = body.get("sort") or 0
        return self.envelope(200, "Successfully created tag", self.tag_view(self.add_tag(fields, now)))

    def tags_exist(self, req, body, _id, now):
        ids = body.get("tagIds")
        if ids is None:
            raise Invalid({"tagIds": ["The tag ids field is required."]})
        if not isinstance(ids, list) or not all(is_int(i) for i in ids):
            raise Invalid({"tagIds": ["The tag ids must be an array of integers."]})
        found = [i for i in ids if i in self.tags]
        return self.envelope(200, "Successfully checked tags", found,
                             extra={"missing": [i for i in ids if i not in self.tags]})

    def pages_index(self, req, body, _id, now):
        rows = [p for p in self.pages.values() if p["status"] == "published"]
        chunk, pagination = self.paged(req, body, rows, "pages/index")
        return self.list_answer("Successfully fetched pages", [self.page_view(p) for p in chunk],
                                pagination)

    def pages_show(self, req, body, pid, now):
        p = self.pages.get(as_id(pid))
        if p is None:
            return self.fail(404, "Page not found")
        return self.envelope(200, "Successfully fetched page", self.page_view(p))

    def pages_store(self, req, body, _id, now):
        errors = {}
        require_string(body, "title", errors, 255)
        optional_string(body, "content", errors, None)
        optional_string(body, "slug", errors, 255)
        if body.get("status") is not None and body["status"] not in ("published", "drafted"):
            errors["status"] = ["The selected status is invalid."]
        if errors:
            raise Invalid(errors)
        pid = self.next_page
        self.next_page += 1
        self.pages[pid] = {"id": pid, "title": body["title"], "slug": body.get("slug") or "page-%d" % pid,
                           "content": body.get("content") or "", "status": body.get("status") or "published",
                           "type": "plain", "created_at": now, "updated_at": now}
        return self.envelope(200, "Successfully created page", self.page_view(self.pages[pid]))

    def menus_index(self, req, body, _id, now):
        chunk, pagination = self.paged(req, body, list(self.menus.values()), "menus/index")
        return self.list_answer("Successfully fetched menus", [self.menu_view(m) for m in chunk],
                                pagination)

    def menus_show(self, req, body, mid, now):
        m = self.menus.get(as_id(mid))
        if m is None:
            return self.fail(404, "Menu not found")
        return self.envelope(200, "Successfully fetched menu", self.menu_view(m))

    def menus_store(self, req, body, _id, now):
        errors = {}
        require_string(body, "name", errors, 255)
        if not errors and any(m["name"] == body["name"] for m in self.menus.values()):
            errors["name"] = ["The name has already been taken."]
        items = body.get("menu_items", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            errors["menu_items"] = ["The menu items must be an array of objects."]
        if errors:
            raise Invalid(errors)
        return self.envelope(200, "Successfully created menu",
                             self.menu_view(self.add_menu(body["name"], items, now)))

    def menus_sync(self, req, body, _id, now):
        errors = {}
        mid = body.get("id", body.get("menu_id"))
        if mid is None:
            errors["id"] = ["The id field is required."]
        elif not is_int(mid):
            errors["id"] = ["The id must be an integer."]
        items = body.get("menu_items", body.get("items"))
        if items is None:
            errors["menu_items"] = ["The menu items field is required."]
        elif not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            errors["menu_items"] = ["The menu items must be an array of objects."]
        if errors:
            raise Invalid(errors)
        m = self.menus.get(mid)
        if m is None:
            return self.fail(404, "Menu not found")
        m["items"] = self.menu_items(items)
        m["updated_at"] = now
        return self.envelope(200, "Successfully synced menu items", self.menu_view(m))


class BadParam(Exception):
    pass


def int_param(body, name, default):
    v = body.get(name)
    if v is None:
        return default
    if is_int(v):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
        return int(v)
    raise BadParam("%s must be an integer" % name)


def as_id(s):
    return int(s) if isinstance(s, str) and s.isdigit() else None


def require_string(body, name, errors, max_len):
    v = body.get(name)
    label = name.replace("_", " ")
    if v is None or (isinstance(v, str) and not v.strip()):
        errors[name] = ["The %s field is required." % label]
    elif not isinstance(v, str):
        errors[name] = ["The %s must be a string." % label]
    elif max_len is not None and code_points(v) > max_len:
        errors[name] = ["The %s may not be greater than %d characters." % (label, max_len)]


def optional_string(body, name, errors, max_len):
    if body.get(name) is not None:
        require_string(body, name, errors, max_len)
