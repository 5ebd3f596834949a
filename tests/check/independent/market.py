"""market (seed 003): a platform between consumers and providers.

- `/market/{project}/{slug}`: the consumer route (the contract's choice). The platform checks the
  consumer key, the project's Public/Online flags, required params and the balance, calls the
  provider backend, and answers only `code`, `result`, `msg` and `credits` (HTTP 200 always).
- `/provider/{slug}`: the demo provider backends themselves (what a provider's hidden backend
  URL would answer), in the provider convention: `code`, `forceDeduct`, `result`, `msg`,
  `creditsDeduct`, plus fields the platform must ignore, and an HTTP status the platform ignores.
"""

import re
import urllib.parse

from common import BREAKS, BadJson, Tokens, is_number, json_response, parse_json

PROVIDER = "/provider/"
PLATFORM = "/market/"
DYNAMIC_CAP = 0.2


def declare_breaks(b):
    b.declare("market-code-out-of-set", "market",
              "the provider answers a busy backend with code 7 (not among 0, 1000-1005)",
              r"^market/provider/200/1003/realistic$", "$.code")
    b.declare("market-code-string", "market",
              "the provider's `code` is a string (\"0\")",
              r"^market/provider/200/realistic$", "$.code")
    b.declare("market-force-deduct-string", "market",
              "`forceDeduct` is the string \"false\"",
              r"^market/provider/200/1002/realistic$", "$.forceDeduct")
    b.declare("market-platform-1004-as-401", "market",
              "the platform answers an unknown consumer key with HTTP 401 (codes ride on HTTP 200)",
              r"^market/call/200/1004/realistic$", "status", ["--allow-writes"])
    b.declare("market-platform-leaks-provider-fields", "market",
              "the platform passes the provider's own fields (forceDeduct, otherField1) to the consumer",
              r"^market/call_get/200/realistic$", "$.forceDeduct")
    b.declare("market-credits-negative", "market",
              "`creditsDeduct` is negative",
              r"^market/provider/200/realistic$", "$.creditsDeduct")


PARAMS_SCHEMA = [
    {"name": "bindId", "desc": "绑定用户ID", "required": True, "defaultValue": "", "type": "string",
     "example": "123"},
    {"name": "productId", "desc": "产品ID", "required": True, "defaultValue": "", "type": "string",
     "example": "123456"},
]


class Api:
    name = "market"

    def __init__(self, clock, opts):
        self.clock = clock
        t = Tokens("market")
        self.consumer_key = "sk-" + t.hex(40)
        self.empty_key = "sk-" + t.hex(40)
        self.low_key = "sk-" + t.hex(40)
        self.consumers = {self.consumer_key: {"balance": 50.0, "calls": {}},
                          self.empty_key: {"balance": 0.0, "calls": {}},
                          self.low_key: {"balance": 0.0015, "calls": {}}}
        self.not_found_id = "P-000404"
        self.busy_id = "P-BUSY-01"
        self.broken_id = "P-CRASH-1"
        self.projects = {
            "acme-data": {"public": True, "online": True, "endpoints": {
                "product-detail": {"params": PARAMS_SCHEMA, "json": None,
                                   "plan": {"type": "per_call", "price": 0.002},
                                   "backend": self.product_backend, "online": True},
                "forecast": {"params": [], "json": [{"name": "city", "required": True, "type": "string"},
                                                    {"name": "days", "required": False, "type": "int"}],
                             "plan": {"type": "dynamic"}, "backend": self.forecast_backend,
                             "online": True},
                "ip-geo": {"params": [{"name": "ip", "required": True, "type": "string"}], "json": None,
                           "plan": {"type": "tiered", "tiers": [{"upTo": 2, "price": 0.01},
                                                                {"upTo": 4, "price": 0.004},
                                                                {"price": 0}]},
                           "backend": self.geo_backend, "online": True},
                "old-catalog": {"params": PARAMS_SCHEMA, "json": None,
                                "plan": {"type": "per_call", "price": 0.002},
                                "backend": self.product_backend, "online": False},
            }},
            "staff-only": {"public": False, "online": True, "endpoints": {
                "payroll": {"params": [], "json": None, "plan": {"type": "per_call", "price": 0.1},
                            "backend": self.product_backend, "online": True}}},
        }
        self.providers = {"product-detail": self.product_backend, "forecast": self.forecast_backend,
                          "ip-geo": self.geo_backend}

    def match(self, path):
        return path.startswith(PROVIDER) or path.startswith(PLATFORM)

    def fixtures(self):
        ep = self.projects["acme-data"]["endpoints"]["product-detail"]
        return {"project": "acme-data", "slug": "product-detail", "consumer_key": self.consumer_key,
                "empty_balance_key": self.empty_key, "low_balance_key": self.low_key,
                "params": {"bindId": "u-778", "productId": "SKU-12345"},
                "params_schema": ep["params"], "price": ep["plan"]["price"],
                "not_found_product_id": self.not_found_id, "busy_product_id": self.busy_id,
                "broken_product_id": self.broken_id,
                "offline_slug": "old-catalog", "private_project": "staff-only",
                "private_slug": "payroll", "dynamic_slug": "forecast",
                "dynamic_params": {"city": "Taipei", "days": 2}, "dynamic_cap": DYNAMIC_CAP,
                "tiered_slug": "ip-geo", "tiered_params": {"ip": "192.0.2.10"},
                "tiered_plan": ep and self.projects["acme-data"]["endpoints"]["ip-geo"]["plan"],
                "consumer_balance": self.consumers[self.consumer_key]["balance"],
                "provider_path": "/provider/product-detail"}

    # ---- provider backends ---------------------------------------------------------------

    def product_backend(self, params):
        """(http_status, body): the provider convention. The HTTP status follows the provider's
        own taste; the platform ignores it."""
        missing = [p["name"] for p in PARAMS_SCHEMA if not params.get(p["name"])]
        if missing:
            return 400, {"code": 1001, "msg": "missing %s" % ", ".join(missing), "forceDeduct": False}
        pid = str(params["productId"])
        if pid == self.not_found_id:
            fd = "false" if BREAKS.on("market-force-deduct-string") else False
            return 404, {"code": 1002, "msg": "product %s does not exist" % pid, "forceDeduct": fd,
                         "traceId": "t-404"}
        if pid == self.busy_id:
            code = 7 if BREAKS.on("market-code-out-of-set") else 1003
            return 503, {"code": code, "msg": "upstream busy, retry later", "retryInMs": 1500}
        if pid == self.broken_id:
            return 500, None  # not JSON at all
        body = {"code": "0" if BREAKS.on("market-code-string") else 0,
                "forceDeduct": False,
                "result": {"productId": pid, "bindId": str(params["bindId"]), "name": "示例商品",
                           "stock": 17, "price": {"amount": 1999, "currency": "TWD"}},
                "msg": "",
                "creditsDeduct": -0.5 if BREAKS.on("market-credits-negative") else 0.002,
                "otherField1": "ignored by the platform"}
        return 200, body

    def forecast_backend(self, params):
        if not params.get("city"):
            return 200, {"code": 1001, "msg": "city is required"}
        days = params.get("days", 1)
        try:
            days = int(days)
        except (TypeError, ValueError):
            return 200, {"code": 1001, "msg": "days must be an integer"}
        return 200, {"code": 0, "result": {"city": params["city"],
                                           "days": [{"day": i + 1, "high": 24 + i, "low": 17}
                                                    for i in range(days)]},
                     "creditsDeduct": round(0.05 * days, 4)}

    def geo_backend(self, params):
        ip = str(params.get("ip", ""))
        if not re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", ip):
            return 200, {"code": 1001, "msg": "ip must be an IPv4 address"}
        return 200, {"code": 0, "result": {"ip": ip, "country": "TW"}}

    # ---- requests --------------------------------------------------------------------------

    @staticmethod
    def params_of(req):
        params = {k: v[-1] for k, v in req.query.items()}
        if req.method == "POST" and req.body:
            body = parse_json(req.body)
            if not isinstance(body, dict):
                raise BadJson("not an object")
            params.update(body)
        return params

    def handle(self, req):
        if req.path.startswith(PROVIDER):
            return self.provider(req)
        return self.platform(req)

    def provider(self, req):
        fn = self.providers.get(req.path[len(PROVIDER):].strip("/"))
        if fn is None:
            return json_response(404, {"code": 1002, "msg": "no such backend"})
        if req.method not in ("GET", "POST"):
            return json_response(405, {"code": 1000, "msg": "method not allowed"},
                                 [("Allow", "GET, POST")])
        try:
            params = self.params_of(req)
        except BadJson:
            return json_response(400, {"code": 1001, "msg": "body is not a JSON object"})
        status, body = fn(params)
        if body is None:
            from common import Response
            return Response(status, b"<html>502 upstream crashed</html>",
                            [("Content-Type", "text/html")])
        return json_response(status, body)

    def platform(self, req):
        def answer(code, msg=None, result=None, credits=None):
            body = {"code": code}
            if result is not None:
                body["result"] = result
            if msg:
                body["msg"] = msg
            if credits is not None:
                body["credits"] = credits
            return json_response(200, body)

        parts = [urllib.parse.unquote(p) for p in req.path[len(PLATFORM):].split("/") if p]
        auth = (req.header("authorization") or "").strip()
        m = re.fullmatch(r"Bearer\s+(\S+)", auth)
        consumer = self.consumers.get(m.group(1)) if m else None
        if consumer is None:
            r = answer(1004, "invalid or missing consumer key")
            if BREAKS.on("market-platform-1004-as-401"):
                r.status = 401
            return r
        if len(parts) != 2:
            return answer(1002, "unknown endpoint")
        project = self.projects.get(parts[0])
        if project is None:
            return answer(1002, "unknown project")
        if not project["public"]:
            return answer(1004, "project is not public")
        ep = project["endpoints"].get(parts[1])
        if ep is None or not project["online"] or not ep["online"]:
            return answer(1002, "endpoint not found or offline")
        if req.method not in ("GET", "POST") or (req.method == "GET" and ep["json"]):
            return answer(1001, "use POST with a JSON body for this endpoint")
        try:
            params = self.params_of(req)
        except BadJson:
            return answer(1001, "body must be a JSON object")
        missing = [p["name"] for p in (ep["params"] + (ep["json"] or []))
                   if p["required"] and params.get(p["name"]) in (None, "")]
        if missing:
            return answer(1001, "missing required parameter: %s" % ", ".join(missing))
        price = self.quote(ep, consumer, parts)
        if price is not None and consumer["balance"] < price:
            return answer(1005, "balance insufficient")
        if consumer["balance"] <= 0:
            return answer(1005, "balance insufficient")
        _, back = ep["backend"](params)
        if not isinstance(back, dict) or not is_int_code(back.get("code")):
            return answer(1000, "provider backend failed")
        code = back["code"] if back["code"] in (0, 1000, 1001, 1002, 1003, 1004, 1005) else 1000
        charged = None
        if back.get("forceDeduct") is True or code == 0:
            charged = self.charge(ep, consumer, parts, back)
        r = answer(code, back.get("msg") if isinstance(back.get("msg"), str) else None,
                   back.get("result"), charged)
        if BREAKS.on("market-platform-leaks-provider-fields"):
            import json as _json
            leaked = _json.loads(r.body)
            leaked.update({k: v for k, v in back.items() if k not in leaked})
            r = json_response(200, leaked)
        return r

    @staticmethod
    def quote(ep, consumer, parts):
        plan = ep["plan"]
        if plan["type"] == "per_call":
            return plan["price"]
        if plan["type"] == "tiered":
            n = consumer["calls"].get(tuple(parts), 0)
            return tier_price(plan["tiers"], n + 1)
        return None  # dynamic: known after the call

    def charge(self, ep, consumer, parts, back):
        plan = ep["plan"]
        key = tuple(parts)
        if plan["type"] == "dynamic":
            cd = back.get("creditsDeduct")
            price = min(float(cd), DYNAMIC_CAP) if is_number(cd) and cd > 0 else 0.0
        else:
            price = self.quote(ep, consumer, parts)
        consumer["calls"][key] = consumer["calls"].get(key, 0) + 1
        consumer["balance"] = round(consumer["balance"] - price, 6)
        return price


def tier_price(tiers, n):
    for t in tiers:
        if "upTo" not in t or n <= t["upTo"]:
            return t["price"]
    return tiers[-1]["price"]


def is_int_code(v):
    return isinstance(v, int) and not isinstance(v, bool)
