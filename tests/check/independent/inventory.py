"""inventory app API (seed 002) under /apiV1: items, templates (create, share, revoke, send,
check-ownership), user stats; Bearer inv_ keys, 60 requests a minute per key and a monthly
quota per account."""

import datetime
import re

from common import (BREAKS, BadJson, SlidingWindow, Tokens, code_points, is_int, iso_z_millis,
                    json_response, parse_iso8601, parse_json, seconds_to_next_month)

PREFIX = "/apiV1"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{27}")  # 20 random bytes, base64url: opaque ids
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PER_MINUTE = 60


def declare_breaks(b):
    b.declare("inventory-not-found-code", "inventory",
              "an unknown template answers 404 with code `TEMPLATE_NOT_FOUND`",
              r"^inventory/templates\.get/404/NOT_FOUND/realistic$", "$.error.code")
    b.declare("inventory-pagination-no-total-pages", "inventory",
              "list pagination lacks `totalPages`",
              r"^inventory/items\.list/200/realistic$", "$.data.pagination.totalPages")
    b.declare("inventory-pagination-total-pages-wrong", "inventory",
              "`totalPages` is one more than totalItems / pageSize",
              r"^inventory/templates\.list/200/realistic$", "$.data.pagination.totalPages")
    b.declare("inventory-items-no-created-at", "inventory",
              "listed items lack `createdAt` (the seed's GET /items answer shows it)",
              r"^inventory/items\.list/200/realistic$", "$.data.items")
    b.declare("inventory-items-default-status", "inventory",
              "GET /items without `status` lists pending items too (documented default: active)",
              r"^inventory/items\.list/200/realistic$", "$.data.items")
    b.declare("inventory-share-tags-not-upper", "inventory",
              "share tags are saved as sent (documented: upper-cased)",
              r"^inventory/templates\.share/200/realistic$", "$.data.tags", ["--allow-writes"])
    b.declare("inventory-html-content-type", "inventory",
              "success answers say Content-Type: text/html",
              r"^inventory/user\.stats/200/realistic$", "Content-Type")
    b.declare("inventory-429-bad-retry-after", "inventory",
              "a 429's Retry-After is not a delay in seconds nor an HTTP-date (`soon`)",
              r"^inventory/items\.list/429/RATE_LIMIT_EXCEEDED/realistic$", "Retry-After",
              ["--include-limits"])
    b.declare("inventory-forbidden-as-404", "inventory",
              "another user's template answers 404 NOT_FOUND instead of 403 FORBIDDEN",
              r"^inventory/templates\.get/403/FORBIDDEN/realistic$", "status")


class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        self.status, self.code, self.message, self.headers = status, code, message, headers or []


class Api:
    name = "inventory"

    def __init__(self, clock, opts):
        self.clock = clock
        self.t = Tokens("inventory")
        now = clock.now()
        self.per_minute = opts.inventory_per_minute
        self.minute = SlidingWindow(self.per_minute, clock.window(60))
        self.users = {}
        self.keys = {}
        def user(email, monthly_limit=5000, used=0, enabled=True):
            self.users[email] = {"email": email, "createdAt": now - 400 * 86400,
                                 "apiEnabled": enabled, "monthlyLimit": monthly_limit,
                                 "monthlyUsed": used, "lastUsedAt": None}
            return email
        def key(email, scopes=("read", "write"), expires=None):
            k = "inv_" + self.t.b64url(36)  # 48 characters of base64url after the prefix
            self.keys[k] = {"email": email, "scopes": set(scopes), "expiresAt": expires,
                            "revoked": False}
            return k
        self.owner = user("minji.park@inventory.example")
        self.second = user("tomas.berg@inventory.example")
        self.recipient = user("yuki.sato@inventory.example")
        self.disabled = user("closed.account@inventory.example", enabled=False)
        self.quota_user = user("busy.reseller@inventory.example", monthly_limit=200, used=200)
        self.api_key = key(self.owner)
        self.second_key = key(self.second)
        self.recipient_key = key(self.recipient)
        self.read_only_key = key(self.owner, scopes=("read",))
        self.expired_key = key(self.owner, expires=now - 7 * 86400)
        self.replaced_key = key(self.owner)
        self.keys[self.replaced_key]["revoked"] = True  # regenerated: the old key is revoked
        self.disabled_key = key(self.disabled)
        self.quota_key = key(self.quota_user)

        self.items = {}
        self.templates = {}
        self.shares = {}
        for i in range(25):
            self.add_item(self.owner, "文件 %d" % (i + 1), "paper" if i % 3 else "stamp",
                          "pending" if i % 5 == 4 else "active", ["編號:%d" % i], now - 86400 * (30 - i))
        self.other_item = self.add_item(self.second, "他人的文件", "paper", "active", [], now - 3600)
        self.recipient_item = self.add_item(self.recipient, "收到的文件", "stamp", "active", [], now - 7200)
        self.template = self.add_template(self.owner, {"title": "生日賀卡", "content": "祝你生日快樂",
                                                       "imageUrl": "https://img.example/card.png",
                                                       "keywords": ["日期:@date@", "价格:0"]}, now - 5000)
        self.shared_template = self.add_template(self.owner, {"title": "共享印章",
                                                              "imageUrl": "https://img.example/s.png",
                                                              "commentMode": "shared"}, now - 4000)
        self.share_token = self.share(self.shared_template, ["DEMO"], 1440, now - 100)
        self.revoked_template = self.add_template(self.owner, {"title": "已撤銷",
                                                               "imageUrl": "https://img.example/r.png"},
                                                  now - 3000)
        self.revoked_share = self.share(self.revoked_template, ["OLD"], 0, now - 2000)
        self.shares[self.revoked_share]["active"] = False
        self.other_template = self.add_template(self.second, {"title": "別人的模板",
                                                              "imageUrl": "https://img.example/o.png"},
                                                now - 2500)
        self.other_share = self.share(self.other_template, ["THEIRS"], 0, now - 2400)
        # Well-formed tokens nothing holds (the 404 rows).
        self.unknown_template = self.t.b64url(20)
        self.unknown_item = self.t.b64url(20)
        self.unknown_share = self.t.b64url(20)

    # ---- seed helpers ----------------------------------------------------------------------

    def add_item(self, email, title, typ, status, keywords, ts):
        tok = self.t.b64url(20)
        self.items[tok] = {"token": tok, "owner": email, "title": title, "content": title + "的內容",
                           "type": typ, "status": status, "imageUrl": "https://img.example/%s.png" % tok[:6],
                           "keywords": list(keywords), "createdAt": ts, "updatedAt": ts,
                           "templateToken": None}
        return tok

    def add_template(self, email, f, ts):
        tok = self.t.b64url(20)
        self.templates[tok] = {"token": tok, "owner": email, "title": f["title"],
                               "content": f.get("content", ""), "imageUrl": f["imageUrl"],
                               "commentMode": f.get("commentMode") or "independent",
                               "keywords": list(f.get("keywords") or []),
                               "publishDate": f.get("publishDate"), "validUntil": f.get("validUntil"),
                               "createdAt": ts, "updatedAt": ts, "share": None}
        return tok

    def share(self, tpl_token, tags, minutes, ts):
        st = self.t.b64url(20)
        expires = None if minutes == 0 else ts + minutes * 60
        upper = not BREAKS.on("inventory-share-tags-not-upper")
        self.shares[st] = {"shareToken": st, "template": tpl_token,
                           "tags": [t.upper() if upper else t for t in tags],
                           "expiresAt": expires, "active": True, "copyCount": 0, "createdAt": ts}
        self.templates[tpl_token]["share"] = st
        return st

    def share_live(self, st, now):
        s = self.shares.get(st)
        return s is not None and s["active"] and (s["expiresAt"] is None or s["expiresAt"] > now)

    def is_sharing(self, tpl, now):
        return tpl["share"] is not None and self.share_live(tpl["share"], now)

    def match(self, path):
        return path == PREFIX or path.startswith(PREFIX + "/")

    def fixtures(self):
        return {
            "api_key": self.api_key, "second_user_key": self.second_key,
            "expired_key": self.expired_key, "api_disabled_key": self.disabled_key,
            "read_only_key": self.read_only_key, "recipient_email": self.recipient,
            "recipient_key": self.recipient_key, "quota_exhausted_key": self.quota_key,
            "user_email": self.owner, "second_user_email": self.second,
            "api_disabled_email": self.disabled, "quota_exhausted_email": self.quota_user,
            "unknown_email": "nobody.here@inventory.example",
            "item_token": next(iter(self.items)), "other_item_token": self.other_item,
            "recipient_item_token": self.recipient_item,
            "template_token": self.template, "shared_template_token": self.shared_template,
            "revoked_template_token": self.revoked_template, "other_template_token": self.other_template,
            "share_token": self.share_token, "revoked_share_token": self.revoked_share,
            "other_share_token": self.other_share,
            "unknown_template_token": self.unknown_template, "unknown_item_token": self.unknown_item,
            "unknown_share_token": self.unknown_share,
            "rate_limit_per_minute": PER_MINUTE,
            "monthly_limit": self.users[self.owner]["monthlyLimit"],
        }

    # ---- answers -------------------------------------------------------------------------

    def ok(self, data, status=200, headers=None):
        ct = "text/html; charset=utf-8" if BREAKS.on("inventory-html-content-type") else None
        r = json_response(status, {"success": True, "data": data}, headers)
        if ct:
            r.set_header("Content-Type", ct)
        return r

    @staticmethod
    def err(e):
        return json_response(e.status, {"success": False,
                                        "error": {"code": e.code, "message": e.message}}, e.headers)

    # ---- requests --------------------------------------------------------------------------

    def handle(self, req):
        try:
            return self.dispatch(req)
        except ApiError as e:
            return self.err(e)

    def authenticate(self, req, now):
        auth = (req.header("authorization") or "").strip()
        m = re.fullmatch(r"Bearer\s+(\S+)", auth)
        if not m or not m.group(1).startswith("inv_"):
            raise ApiError(401, "INVALID_API_KEY", "缺少或无效的API密钥")
        key = self.keys.get(m.group(1))
        if key is None:
            raise ApiError(401, "INVALID_API_KEY", "无效的API密钥")
        if key["revoked"] or (key["expiresAt"] is not None and key["expiresAt"] <= now):
            raise ApiError(401, "API_KEY_EXPIRED", "API密钥已过期")
        user = self.users[key["email"]]
        if not user["apiEnabled"]:
            raise ApiError(403, "API_DISABLED", "API访问已禁用")
        admitted, wait = self.minute.admit(m.group(1), now)
        if not admitted:
            retry = "soon" if BREAKS.on("inventory-429-bad-retry-after") else str(wait)
            raise ApiError(429, "RATE_LIMIT_EXCEEDED", "每分钟请求次数已超出限制",
                           [("Retry-After", retry), ("X-RateLimit-Limit", str(self.per_minute)),
                            ("X-RateLimit-Remaining", "0")])
        if user["monthlyUsed"] >= user["monthlyLimit"]:
            retry = "soon" if BREAKS.on("inventory-429-bad-retry-after") else str(
                seconds_to_next_month(now))
            raise ApiError(429, "RATE_LIMIT_EXCEEDED", "本月请求额度已用完", [("Retry-After", retry)])
        user["monthlyUsed"] += 1
        user["lastUsedAt"] = now
        return key, user

    def dispatch(self, req):
        now = self.clock.now()
        key, user = self.authenticate(req, now)
        parts = [p for p in req.path[len(PREFIX):].split("/") if p]
        routes = [
            ("GET", ["items"], self.items_list),
            ("GET", ["items", None], self.items_get),
            ("GET", ["templates"], self.templates_list),
            ("GET", ["templates", "shared"], self.templates_shared),
            ("GET", ["templates", None], self.templates_get),
            ("GET", ["user", "stats"], self.user_stats),
            ("POST", ["templates"], self.templates_create),
            ("POST", ["templates", "revoke"], self.templates_revoke),
            ("POST", ["templates", None, "share"], self.templates_share),
            ("POST", ["templates", None, "send"], self.templates_send),
            ("POST", ["templates", None, "check-ownership"], self.templates_check),
        ]
        path_known = False
        for method, pattern, fn in routes:
            if len(pattern) != len(parts):
                continue
            if not all(p is None or p == q for p, q in zip(pattern, parts)):
                continue
            # A literal route (templates/shared) wins over the {token} one of the same method.
            path_known = True
            if method != req.method:
                continue
            args = [q for p, q in zip(pattern, parts) if p is None]
            if method == "POST":
                if "write" not in key["scopes"]:
                    raise ApiError(403, "SCOPE_DENIED", "此API密钥没有写入权限")
                return fn(req, user, now, *args)
            return fn(req, user, now, *args)
        if path_known:
            raise ApiError(405, "METHOD_NOT_ALLOWED", "不支持的请求方法")
        raise ApiError(404, "NOT_FOUND", "资源未找到")

    def page_args(self, req):
        page = self.int_query(req, "page", 1, 1, None)
        size = self.int_query(req, "pageSize", 20, 1, 100)
        return page, size

    @staticmethod
    def int_query(req, name, default, lo, hi):
        v = req.arg(name)
        if v is None or v == "":
            return default
        if not re.fullmatch(r"\d+", v):
            raise ApiError(400, "VALIDATION_ERROR", "%s 必须是整数" % name)
        n = int(v)
        if n < lo or (hi is not None and n > hi):
            raise ApiError(400, "VALIDATION_ERROR", "%s 超出范围 (%s..%s)" % (name, lo, hi or "∞"))
        return n

    def paginate(self, rows, page, size):
        total = len(rows)
        pagination = {"page": page, "pageSize": size, "totalItems": total,
                      "totalPages": -(-total // size)}
        if BREAKS.on("inventory-pagination-total-pages-wrong"):
            pagination["totalPages"] += 1
        if BREAKS.on("inventory-pagination-no-total-pages"):
            del pagination["totalPages"]
        return rows[(page - 1) * size: page * size], pagination

    def check_token(self, tok):
        if not TOKEN_RE.fullmatch(tok):
            raise ApiError(400, "INVALID_TOKEN", "无效的令牌")

    def own_template(self, tok, user):
        self.check_token(tok)
        tpl = self.templates.get(tok)
        if tpl is None:
            if BREAKS.on("inventory-not-found-code"):
                raise ApiError(404, "TEMPLATE_NOT_FOUND", "模板未找到")
            raise ApiError(404, "NOT_FOUND", "模板未找到")
        if tpl["owner"] != user["email"]:
            if BREAKS.on("inventory-forbidden-as-404"):
                raise ApiError(404, "NOT_FOUND", "模板未找到")
            raise ApiError(403, "FORBIDDEN", "访问被拒绝(非所有者)")
        return tpl

    def item_view(self, it, detail):
        v = {"token": it["token"], "title": it["title"], "content": it["content"], "type": it["type"],
             "status": it["status"], "imageUrl": it["imageUrl"]}
        if detail:
            v["keywords"] = it["keywords"]
            v["templateToken"] = it["templateToken"]
        v["createdAt"] = iso_z_millis(it["createdAt"])
        v["updatedAt"] = iso_z_millis(it["updatedAt"])
        return v

    def template_view(self, tpl, now, detail):
        v = {"token": tpl["token"], "title": tpl["title"], "content": tpl["content"],
             "imageUrl": tpl["imageUrl"], "commentMode": tpl["commentMode"],
             "isSharing": self.is_sharing(tpl, now), "createdAt": iso_z_millis(tpl["createdAt"])}
        if detail:
            v["keywords"] = tpl["keywords"]
            v["publishDate"] = tpl["publishDate"]
            v["validUntil"] = tpl["validUntil"]
            v["updatedAt"] = iso_z_millis(tpl["updatedAt"])
            if v["isSharing"]:
                v["shareToken"] = tpl["share"]
        return v

    # ---- reads -------------------------------------------------------------------------------

    def items_list(self, req, user, now):
        page, size = self.page_args(req)
        status = req.arg("status") or "active"
        default_status = req.arg("status") in (None, "")
        if status not in ("active", "pending"):
            raise ApiError(400, "VALIDATION_ERROR", "status 只能是 active 或 pending")
        typ = req.arg("type")
        if typ not in (None, "", "paper", "stamp"):
            raise ApiError(400, "VALIDATION_ERROR", "type 只能是 paper 或 stamp")
        any_status = default_status and BREAKS.on("inventory-items-default-status")
        rows = [it for it in self.items.values() if it["owner"] == user["email"]
                and (any_status or it["status"] == status) and (not typ or it["type"] == typ)]
        rows.sort(key=lambda it: it["createdAt"], reverse=True)
        chunk, pagination = self.paginate(rows, page, size)
        views = [self.item_view(it, False) for it in chunk]
        if BREAKS.on("inventory-items-no-created-at"):
            for v in views:
                del v["createdAt"]
        return self.ok({"items": views, "pagination": pagination})

    def items_get(self, req, user, now, tok):
        self.check_token(tok)
        it = self.items.get(tok)
        if it is None:
            raise ApiError(404, "NOT_FOUND", "物品未找到")
        if it["owner"] != user["email"]:
            raise ApiError(403, "FORBIDDEN", "访问被拒绝(非所有者)")
        return self.ok(self.item_view(it, True))

    def templates_list(self, req, user, now):
        page, size = self.page_args(req)
        rows = [t for t in self.templates.values() if t["owner"] == user["email"]]
        rows.sort(key=lambda t: t["createdAt"], reverse=True)
        chunk, pagination = self.paginate(rows, page, size)
        return self.ok({"templates": [self.template_view(t, now, False) for t in chunk],
                        "pagination": pagination})

    def templates_get(self, req, user, now, tok):
        return self.ok(self.template_view(self.own_template(tok, user), now, True))

    def templates_shared(self, req, user, now):
        out = []
        for st, s in self.shares.items():
            tpl = self.templates[s["template"]]
            if tpl["owner"] == user["email"] and self.share_live(st, now):
                out.append({"token": tpl["token"], "shareToken": st, "title": tpl["title"],
                            "tags": s["tags"],
                            "expiresAt": iso_z_millis(s["expiresAt"]) if s["expiresAt"] else None,
                            "copyCount": s["copyCount"]})
        return self.ok({"sharedTemplates": out})

    def user_stats(self, req, user, now):
        mine = [it for it in self.items.values() if it["owner"] == user["email"]]
        return self.ok({
            "email": user["email"], "createdAt": iso_z_millis(user["createdAt"]),
            "items": {"total": len(mine), "paper": sum(1 for i in mine if i["type"] == "paper"),
                      "stamp": sum(1 for i in mine if i["type"] == "stamp")},
            "api": {"enabled": user["apiEnabled"], "monthlyLimit": user["monthlyLimit"],
                    "monthlyUsed": user["monthlyUsed"],
                    "lastUsedAt": iso_z_millis(user["lastUsedAt"]) if user["lastUsedAt"] else None}})

    # ---- writes ------------------------------------------------------------------------------

    @staticmethod
    def body(req):
        try:
            b = parse_json(req.body)
        except BadJson:
            raise ApiError(400, "VALIDATION_ERROR", "请求体不是有效的JSON")
        if not isinstance(b, dict):
            raise ApiError(400, "VALIDATION_ERROR", "请求体必须是JSON对象")
        return b

    @staticmethod
    def string_field(b, name, required, max_len=None):
        v = b.get(name)
        if v is None:
            if required:
                raise ApiError(400, "VALIDATION_ERROR", "缺少必填字段 %s" % name)
            return None
        if not isinstance(v, str) or (required and not v.strip()):
            raise ApiError(400, "VALIDATION_ERROR", "%s 必须是非空字符串" % name)
        if max_len is not None and code_points(v) > max_len:
            raise ApiError(400, "VALIDATION_ERROR", "%s 最多 %d 个字符" % (name, max_len))
        return v

    @staticmethod
    def keywords(b, name="keywords"):
        kws = b.get(name)
        if kws is None:
            return []
        if not isinstance(kws, list) or len(kws) > 128:
            raise ApiError(400, "VALIDATION_ERROR", "keywords 必须是最多128个字符串的数组")
        for kw in kws:
            if not isinstance(kw, str) or ":" not in kw or code_points(kw) > 256:
                raise ApiError(400, "VALIDATION_ERROR", "关键词必须是 键:值 格式 (最多256个字符)")
            k, v = kw.split(":", 1)
            if not k or code_points(k) > 8:
                raise ApiError(400, "VALIDATION_ERROR", "关键词键名最多8个字符: %s" % kw)
            if not typed_value_ok(v):
                raise ApiError(400, "VALIDATION_ERROR", "关键词值格式错误: %s" % kw)
        return kws

    def templates_create(self, req, user, now):
        b = self.body(req)
        image = self.string_field(b, "imageUrl", True)
        title = self.string_field(b, "title", True, 32)
        self.string_field(b, "content", False, 1024)
        mode = b.get("commentMode")
        if mode is not None and mode not in ("independent", "shared"):
            raise ApiError(400, "VALIDATION_ERROR", "commentMode 只能是 independent 或 shared")
        self.keywords(b)
        for f in ("publishDate", "validUntil"):
            if b.get(f) is not None and parse_iso8601(b[f]) is None:
                raise ApiError(400, "VALIDATION_ERROR", "%s 必须是 ISO 8601 日期" % f)
        if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", image, re.IGNORECASE):
            raise ApiError(400, "INVALID_IMAGE", "图片URL必须是 http(s) URL")
        tok = self.add_template(user["email"], b, now)
        return self.ok({"token": tok, "title": title, "createdAt": iso_z_millis(now)}, status=201)

    def templates_share(self, req, user, now, tok):
        tpl = self.own_template(tok, user)
        b = self.body(req)
        minutes = b.get("durationMinutes")
        if minutes is None:
            raise ApiError(400, "VALIDATION_ERROR", "缺少必填字段 durationMinutes")
        if not is_int(minutes) or not (minutes == 0 or 60 <= minutes <= 43200):
            raise ApiError(400, "VALIDATION_ERROR", "durationMinutes 必须是 0 或 60-43200")
        tags = b.get("tags")
        if tags is None:
            raise ApiError(400, "VALIDATION_ERROR", "缺少必填字段 tags")
        if (not isinstance(tags, list) or not 1 <= len(tags) <= 16
                or not all(isinstance(t, str) and t.strip() for t in tags)):
            raise ApiError(400, "VALIDATION_ERROR", "tags 必须是1-16个字符串")
        if self.is_sharing(tpl, now):
            raise ApiError(400, "ALREADY_SHARED", "模板已在共享中")
        st = self.share(tok, tags, minutes, now)
        s = self.shares[st]
        return self.ok({"shareToken": st,
                        "expiresAt": iso_z_millis(s["expiresAt"]) if s["expiresAt"] else None,
                        "tags": s["tags"]})

    def templates_revoke(self, req, user, now):
        b = self.body(req)
        st = self.string_field(b, "shareToken", True)
        self.check_token(st)
        s = self.shares.get(st)
        if s is None:
            raise ApiError(404, "NOT_FOUND", "共享未找到")
        if self.templates[s["template"]]["owner"] != user["email"]:
            raise ApiError(403, "FORBIDDEN", "访问被拒绝(非所有者)")
        if not self.share_live(st, now):
            raise ApiError(400, "NOT_SHARED", "模板当前未共享")
        s["active"] = False
        return self.ok({"message": "共享已成功撤销", "shareToken": st})

    def templates_send(self, req, user, now, tok):
        tpl = self.own_template(tok, user)
        b = self.body(req)
        email = self.string_field(b, "recipientEmail", True)
        if not EMAIL_RE.fullmatch(email):
            raise ApiError(400, "VALIDATION_ERROR", "recipientEmail 不是有效的邮箱")
        self.string_field(b, "message", False, 200)
        extra = self.keywords(b)
        if email not in self.users:
            raise ApiError(404, "RECIPIENT_NOT_FOUND", "接收者未找到")
        merged = list(tpl["keywords"])
        for kw in extra:
            k = kw.split(":", 1)[0]
            idx = [i for i, old in enumerate(merged) if old.split(":", 1)[0] == k]
            if idx:
                merged[idx[0]] = kw
            else:
                merged.append(kw)
        it = self.add_item(email, tpl["title"], "stamp", "active", merged, now)
        self.items[it]["templateToken"] = tok
        self.items[it]["imageUrl"] = tpl["imageUrl"]
        return self.ok({"itemToken": it, "recipientEmail": email, "status": "sent"})

    def templates_check(self, req, user, now, tok):
        self.own_template(tok, user)
        b = self.body(req)
        email = self.string_field(b, "email", True)
        keys = b.get("keywordKeys")
        if keys is not None and (not isinstance(keys, list) or not all(isinstance(k, str) for k in keys)):
            raise ApiError(400, "VALIDATION_ERROR", "keywordKeys 必须是字符串数组")
        owned = [it for it in self.items.values() if it["owner"] == email and it["templateToken"] == tok]
        out = {"hasItem": bool(owned)}
        if owned:
            out["itemTokens"] = [it["token"] for it in owned]
        if keys:
            values = {}
            for it in owned:
                for kw in it["keywords"]:
                    k, v = kw.split(":", 1)
                    if k in keys:
                        values[k] = strip_type(v)
            out["keywords"] = values
        return self.ok(out)


def typed_value_ok(v):
    """The seed's typed keyword values: @YYYY-MM-DD@ (or a placeholder like @date@ that a send
    fills in), #phone#, %address%, $<number><CURRENCY>$; anything else is a plain value."""
    if len(v) >= 2 and v[0] == "@" and v[-1] == "@":
        inner = v[1:-1]
        if re.fullmatch(r"[A-Za-z_]+", inner):
            return True
        try:
            datetime.date.fromisoformat(inner)
            return re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner) is not None
        except ValueError:
            return False
    if len(v) >= 2 and v[0] == "$" and v[-1] == "$":
        return re.fullmatch(r"\d+(\.\d+)?[A-Z]{3}", v[1:-1]) is not None
    if len(v) >= 2 and v[0] == "#" and v[-1] == "#":
        return re.fullmatch(r"[+\d][\d \-()]*", v[1:-1]) is not None
    if v.startswith("@") or v.startswith("$"):
        return False
    return True


def strip_type(v):
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "@#%$":
        return v[1:-1]
    return v
