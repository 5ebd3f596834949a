"""chikage data endpoints (seed 000): POST /api/v1/data/{slug}, GET/PUT/DELETE
/api/v1/data/{slug}/{record_id}; writes are queued and applied later by a worker."""

import json
import re
import threading
import urllib.parse
import urllib.request

from common import (BREAKS, LOCK, BadJson, Tokens, code_points, is_int, is_number,
                    iso_offset_micros, json_response, parse_json, seconds_to_next_month)

PREFIX = "/api/v1/data"
MAX_BODY = 100 * 1024  # "最大大小: 每次請求 100KB"
WEBHOOK_RETRIES = 3  # "失敗後最多重試3次(間隔60秒)"
WEBHOOK_INTERVAL = 60.0


def declare_breaks(b):
    b.declare("chikage-415-as-400", "chikage",
              "a body without Content-Type: application/json is answered 400, not 415",
              r"^chikage/create/415/realistic$", "status", ["--allow-writes"])
    b.declare("chikage-415-plain-text", "chikage",
              "the 415 is a text/plain page, not the documented JSON error",
              r"^chikage/create/415/realistic$", "Content-Type", ["--allow-writes"])
    b.declare("chikage-create-no-id", "chikage",
              "the 202 of a create has no `id`",
              r"^chikage/create/202/realistic$", "$.id", ["--allow-writes"])
    b.declare("chikage-401-success-true", "chikage",
              "a 401 body says `success: true`",
              r"^chikage/get/401/realistic$", "$.success")
    b.declare("chikage-details-not-array", "chikage",
              "validation `details` is an object keyed by field instead of the documented array",
              r"^chikage/create/400/realistic$", "$.details", ["--allow-writes"])


class Api:
    name = "chikage"

    def __init__(self, clock, opts):
        self.clock = clock
        self.queue_delay = opts.queue_delay
        t = Tokens("chikage")
        self.keys = {}
        def key(env, **kw):
            k = "tm_%s_%s" % (env, t.alnum(32))
            self.keys[k] = dict(env=env, enabled=True, quota=5000, used=0, **kw)
            return k
        self.test_key = key("test")
        self.live_key = key("live")
        self.disabled_key = key("test", note="disabled by the owner")
        self.keys[self.disabled_key]["enabled"] = False
        self.quota_key = key("test")
        self.keys[self.quota_key].update(quota=300, used=300)
        schema = [
            {"name": "order_id", "type": "string", "required": True},
            {"name": "amount", "type": "number", "required": False},
            {"name": "items", "type": "array", "required": False},
            {"name": "paid", "type": "boolean", "required": False},
        ]
        self.endpoints = {
            "orders": {"schema": schema, "enabled": True, "expired": False},
            "customers": {"schema": [{"name": "email", "type": "string", "required": True},
                                     {"name": "age", "type": "integer", "required": False}],
                          "enabled": True, "expired": False},
            "shipments-2019": {"schema": schema, "enabled": False, "expired": False},
            "trial-feed": {"schema": schema, "enabled": True, "expired": True},
        }
        self.tokens = t
        self.stores = {"test": {s: {} for s in self.endpoints}, "live": {s: {} for s in self.endpoints}}
        self.pending = []  # (due, op, env, slug, rid, data, webhook)
        self.pending_ids = {}  # (env, slug, rid) -> "exists" | "deleted" after the queue runs
        now = clock.now() - 86400
        self.seed_id = self.new_id()
        self.stores["test"]["orders"][self.seed_id] = {
            "data": {"order_id": "ORD-2024-001", "amount": 45000, "items": ["Item A", "Item B"],
                     "paid": True},
            "created_at": now, "updated_at": now}
        self.live_id = self.new_id()
        self.stores["live"]["orders"][self.live_id] = {
            "data": {"order_id": "ORD-LIVE-7", "amount": 120, "items": [], "paid": False},
            "created_at": now, "updated_at": now}
        self.webhook_log = []

    def new_id(self):
        return "rec_" + self.tokens.hex(6) + self.tokens.alnum(14)

    def match(self, path):
        return path == PREFIX or path.startswith(PREFIX + "/")

    def fixtures(self):
        return {
            "slug": "orders", "required_field": "order_id",
            "schema": self.endpoints["orders"]["schema"],
            "test_key": self.test_key, "live_key": self.live_key,
            "disabled_key": self.disabled_key, "quota_exhausted_key": self.quota_key,
            "disabled_slug": "shipments-2019", "expired_slug": "trial-feed",
            "test_record_id": self.seed_id, "live_record_id": self.live_id,
            "max_body_bytes": MAX_BODY, "monthly_quota": self.keys[self.test_key]["quota"],
        }

    # ---- answers -------------------------------------------------------------------------

    def error(self, status, message, details=None, headers=None):
        body = {"success": False, "error": message}
        if status == 401 and BREAKS.on("chikage-401-success-true"):
            body["success"] = True
        if details is not None:
            if BREAKS.on("chikage-details-not-array"):
                body["details"] = {d["field"]: d["error"] for d in details}
            else:
                body["details"] = details
        body["status"] = status  # extra member, not in the documents
        return json_response(status, body, headers)

    def queued(self, rid):
        body = {"success": True, "id": rid, "message": "Request queued"}
        if BREAKS.on("chikage-create-no-id"):
            del body["id"]
        return json_response(202, body)

    # ---- the worker ------------------------------------------------------------------------

    def tick(self, now):
        due = [p for p in self.pending if p[0] <= now]
        if not due:
            return
        self.pending = [p for p in self.pending if p[0] > now]
        for _, op, env, slug, rid, data, hook in due:
            store = self.stores[env][slug]
            result = {"id": rid, "operation": op, "endpoint": slug, "status": "processed"}
            if op == "create":
                store[rid] = {"data": data, "created_at": now, "updated_at": now}
            elif op == "replace":
                if rid in store:
                    store[rid]["data"] = data
                    store[rid]["updated_at"] = now
                else:
                    result["status"] = "failed"
                    result["error"] = "Record not found"
            elif op == "delete":
                if store.pop(rid, None) is None:
                    result["status"] = "failed"
                    result["error"] = "Record not found"
            self.pending_ids.pop((env, slug, rid), None)
            if hook:
                self.deliver(hook, result, 0)

    def deliver(self, hook, result, attempt):
        """POSTs the result to the callback (loopback hosts only); on failure it tries again
        60 s later (scaled by --limit-scale), at most 3 retries."""
        url, auth_header, auth_value = hook

        def run():
            ok = False
            try:
                host = urllib.parse.urlsplit(url).hostname or ""
                if host in ("127.0.0.1", "localhost", "::1"):
                    req = urllib.request.Request(url, data=json.dumps(result).encode(), method="POST",
                                                 headers={"Content-Type": "application/json"})
                    if auth_value:
                        req.add_header(auth_header, auth_value)
                    with urllib.request.urlopen(req, timeout=5) as r:
                        ok = 200 <= r.status < 300
            except Exception:
                ok = False
            with LOCK:
                self.webhook_log.append({"url": url, "attempt": attempt, "ok": ok})
            if not ok and attempt < WEBHOOK_RETRIES:
                timer = threading.Timer(self.clock.window(WEBHOOK_INTERVAL), self.deliver,
                                        (hook, result, attempt + 1))
                timer.daemon = True
                timer.start()

        th = threading.Thread(target=run, daemon=True)
        th.start()

    # ---- requests ---------------------------------------------------------------------------

    def handle(self, req):
        rest = req.path[len(PREFIX):].strip("/")
        parts = rest.split("/") if rest else []
        if len(parts) not in (1, 2) or not all(parts):
            return self.error(404, "Not found")
        allowed = ["POST"] if len(parts) == 1 else ["GET", "PUT", "DELETE"]
        if req.method not in allowed:
            return self.error(405, "Method not allowed", headers=[("Allow", ", ".join(allowed))])

        auth = req.header("authorization") or ""
        m = re.fullmatch(r"Bearer\s+(tm_(?:test|live)_\S+)", auth.strip())
        if not m:
            return self.error(401, "Missing or invalid API key")
        key = self.keys.get(m.group(1))
        if key is None:
            return self.error(401, "Invalid API key")
        if not key["enabled"]:
            return self.error(401, "API key disabled by the endpoint owner")

        slug = parts[0]
        endpoint = self.endpoints.get(slug)
        if endpoint is None:
            return self.error(404, "Endpoint not found")
        if not endpoint["enabled"]:
            return self.error(403, "Endpoint is not enabled")
        if endpoint["expired"]:
            return self.error(403, "Subscription expired")
        now = self.clock.now()
        if key["used"] >= key["quota"]:
            return self.error(429, "Monthly request quota exceeded",
                              headers=[("Retry-After", str(seconds_to_next_month(now)))])
        key["used"] += 1

        env = key["env"]
        store = self.stores[env][slug]
        if req.method in ("POST", "PUT"):
            if len(req.body) > MAX_BODY:
                return self.error(413, "Request body exceeds 100KB")
            if req.content_type() != "application/json":
                if BREAKS.on("chikage-415-as-400"):
                    return self.error(400, "Content-Type must be application/json")
                if BREAKS.on("chikage-415-plain-text"):
                    from common import Response
                    return Response(415, b"Unsupported Media Type",
                                    [("Content-Type", "text/plain; charset=utf-8")])
                return self.error(415, "Content-Type must be application/json")
            try:
                data = parse_json(req.body)
            except BadJson:
                return self.error(400, "Invalid JSON")
            if not isinstance(data, dict):
                return self.error(400, "Body must be a JSON object")
            details = self.validate(endpoint["schema"], data)
            if details:
                return self.error(400, "Validation failed", details)

        if len(parts) == 2:
            rid = parts[1]
            pending = self.pending_ids.get((env, slug, rid))
            exists = rid in store if pending is None else pending == "exists"
            if req.method == "GET":
                rec = store.get(rid)
                if rec is None:
                    return self.error(404, "Record not found")
                return json_response(200, {
                    "success": True, "id": rid, "endpoint": slug, "environment": env,
                    "data": rec["data"], "created_at": iso_offset_micros(rec["created_at"]),
                    "updated_at": iso_offset_micros(rec["updated_at"])})
            if not exists:
                return self.error(404, "Record not found")
            op = "replace" if req.method == "PUT" else "delete"
            self.enqueue(req, op, env, slug, rid, data if op == "replace" else None,
                         "deleted" if op == "delete" else "exists")
            return self.queued(rid)

        rid = self.new_id()
        self.enqueue(req, "create", env, slug, rid, data, "exists")
        return self.queued(rid)

    def enqueue(self, req, op, env, slug, rid, data, state_after):
        hook = None
        callback = req.header("x-webhook-callback")
        if callback:
            hook = (callback, req.header("x-webhook-auth-header") or "Authorization",
                    req.header("x-webhook-auth"))
        self.pending.append((self.clock.now() + self.queue_delay, op, env, slug, rid, data, hook))
        self.pending_ids[(env, slug, rid)] = state_after

    @staticmethod
    def validate(schema, data):
        details = []
        for f in schema:
            name = f["name"]
            if name not in data or data[name] is None:
                if f["required"]:
                    details.append({"field": name, "error": "Required field is missing"})
                continue
            v = data[name]
            ok = {"string": lambda x: isinstance(x, str),
                  "number": is_number,
                  "integer": is_int,
                  "boolean": lambda x: isinstance(x, bool),
                  "array": lambda x: isinstance(x, list),
                  "object": lambda x: isinstance(x, dict)}[f["type"]](v)
            if not ok:
                details.append({"field": name, "error": "Expected %s" % f["type"]})
            elif f["type"] == "string" and code_points(v) > 10000:
                details.append({"field": name, "error": "Too long"})
        return details
