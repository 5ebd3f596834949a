"""findhelper jobs (seed 004): GET /api/jobs, GET /api/jobs/{id}, POST /api/jobs with
X-API-Key + X-API-Secret; 60 requests a minute and 10,000 a day per key."""

import re

from common import (BREAKS, BadJson, SlidingWindow, Tokens, code_points, is_number, iso_z_millis,
                    json_response, parse_json)

PREFIX = "/api/jobs"
STATUSES = ("draft", "published", "assigned", "completed", "cancelled")


def declare_breaks(b):
    b.declare("findhelper-id-string", "findhelper",
              "job ids are strings (\"123\")",
              r"^findhelper/jobs\.get/200/realistic$", "$.data.id")
    b.declare("findhelper-create-no-created-at", "findhelper",
              "a created job has no `createdAt`",
              r"^findhelper/jobs\.create/201/realistic$", "$.data.createdAt", ["--allow-writes"])
    b.declare("findhelper-forbidden-as-404", "findhelper",
              "another account's unpublished job answers 404 NOT_FOUND instead of 403 FORBIDDEN",
              r"^findhelper/jobs\.get/403/FORBIDDEN/realistic$", "status")
    b.declare("findhelper-429-as-503", "findhelper",
              "the per-minute limit answers 503 instead of 429",
              r"^findhelper/jobs\.list/429/TOO_MANY_REQUESTS/realistic$", "status",
              ["--include-limits"])
    b.declare("findhelper-create-status-draft", "findhelper",
              "a created job answers status `draft` (documented: published)",
              r"^findhelper/jobs\.create/201/realistic$", "$.data.status", ["--allow-writes"])
    b.declare("findhelper-error-code-lowercase", "findhelper",
              "401 answers say `unauthorized` instead of `UNAUTHORIZED`",
              r"^findhelper/jobs\.list/401/UNAUTHORIZED/realistic$", "$.error.code")


class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        self.status, self.code, self.message, self.headers = status, code, message, headers or []


class Api:
    name = "findhelper"

    def __init__(self, clock, opts):
        self.clock = clock
        t = Tokens("findhelper")
        now = clock.now()
        self.minute = SlidingWindow(60, clock.window(60))
        self.day = SlidingWindow(10000, clock.window(86400))
        self.creds = {}
        def cred(account, scopes=("read", "write"), expires=None):
            k, s = "fhk_" + t.alnum(24), "fhs_" + t.alnum(40)
            self.creds[k] = {"secret": s, "account": account, "scopes": set(scopes),
                             "expiresAt": expires}
            return k, s
        self.key, self.secret = cred("A-1001")
        self.partner_key, self.partner_secret = cred("A-2002")
        self.ro_key, self.ro_secret = cred("A-1001", scopes=("read",))
        self.old_key, self.old_secret = cred("A-1001", expires=now - 30 * 86400)
        self.jobs = {}
        self.next_id = 5001
        cities = ["台北市", "新北市", "台中市", "高雄市"]
        types = ["general", "cleaning", "moving", "repair"]
        for i in range(30):
            self.add_job("A-1001" if i % 2 else "A-2002",
                         {"title": "工作 %d" % (i + 1), "jobType": types[i % 4], "city": cities[i % 4],
                          "address": "%s某路%d號" % (cities[i % 4], i + 1),
                          "estimatedAmount": 500 + 100 * i},
                         "published" if i % 7 else "completed", now - (40 - i) * 3600)
        self.own_draft = self.add_job("A-1001", {"title": "草稿工作", "jobType": "general",
                                                 "city": "台北市"}, "draft", now - 600)
        self.partner_draft = self.add_job("A-2002", {"title": "他人的草稿", "jobType": "repair",
                                                     "city": "高雄市"}, "draft", now - 500)

    def add_job(self, account, f, status, ts):
        jid = self.next_id
        self.next_id += 1
        self.jobs[jid] = {"id": jid, "title": f["title"], "jobType": f["jobType"], "city": f["city"],
                          "address": f.get("address"), "estimatedAmount": f.get("estimatedAmount"),
                          "status": status, "accountId": account, "createdAt": ts, "updatedAt": ts}
        return jid

    def match(self, path):
        return path == PREFIX or path.startswith(PREFIX + "/")

    def fixtures(self):
        return {"api_key": self.key, "api_secret": self.secret,
                "expired_key": self.old_key, "expired_secret": self.old_secret,
                "read_only_key": self.ro_key, "read_only_secret": self.ro_secret,
                "second_account_key": self.partner_key, "second_account_secret": self.partner_secret,
                "forbidden_job_id": self.partner_draft, "own_draft_job_id": self.own_draft,
                "job_id": 5002, "not_found_job_id": 777777,
                "requests_per_minute": 60, "requests_per_day": 10000,
                "default_page_size": 20, "max_page_size": 100}

    def view(self, j):
        v = {"id": str(j["id"]) if BREAKS.on("findhelper-id-string") else j["id"],
             "title": j["title"], "jobType": j["jobType"], "city": j["city"],
             "address": j["address"], "estimatedAmount": j["estimatedAmount"],
             "status": j["status"], "accountId": j["accountId"],
             "createdAt": iso_z_millis(j["createdAt"]), "updatedAt": iso_z_millis(j["updatedAt"])}
        return v

    def handle(self, req):
        try:
            return self.dispatch(req)
        except ApiError as e:
            code = e.code.lower() if (e.status == 401 and BREAKS.on("findhelper-error-code-lowercase")) \
                else e.code
            return json_response(e.status, {"success": False,
                                            "error": {"code": code, "message": e.message}}, e.headers)

    def dispatch(self, req):
        now = self.clock.now()
        key = req.header("x-api-key")
        secret = req.header("x-api-secret")
        cred = self.creds.get(key or "")
        if cred is None or secret != cred["secret"]:
            raise ApiError(401, "UNAUTHORIZED", "Invalid API credentials")
        if cred["expiresAt"] is not None and cred["expiresAt"] <= now:
            raise ApiError(401, "UNAUTHORIZED", "API key expired")
        for window, what in ((self.minute, "minute"), (self.day, "day")):
            ok, wait = window.admit(key, now)
            if not ok:
                if window is self.minute and BREAKS.on("findhelper-429-as-503"):
                    raise ApiError(503, "SERVICE_UNAVAILABLE", "try later", [("Retry-After", str(wait))])
                raise ApiError(429, "TOO_MANY_REQUESTS",
                               "Too many requests in a %s; retry later" % what,
                               [("Retry-After", str(wait))])
        rest = req.path[len(PREFIX):].strip("/")
        if rest == "":
            if req.method == "GET":
                return self.list(req, cred)
            if req.method == "POST":
                return self.create(req, cred, now)
            raise ApiError(405, "METHOD_NOT_ALLOWED", "Use GET or POST", [("Allow", "GET, POST")])
        if "/" in rest:
            raise ApiError(404, "NOT_FOUND", "No such resource")
        if req.method != "GET":
            raise ApiError(405, "METHOD_NOT_ALLOWED", "Use GET", [("Allow", "GET")])
        job = self.jobs.get(int(rest)) if re.fullmatch(r"\d{1,18}", rest) else None
        if job is None:
            raise ApiError(404, "NOT_FOUND", "Job not found")
        if job["status"] != "published" and job["accountId"] != cred["account"]:
            if BREAKS.on("findhelper-forbidden-as-404"):
                raise ApiError(404, "NOT_FOUND", "Job not found")
            raise ApiError(403, "FORBIDDEN", "You may not access this job")
        return json_response(200, {"success": True, "data": self.view(job)})

    def list(self, req, cred):
        def num(name, default, hi):
            v = req.arg(name)
            if v in (None, ""):
                return default
            if not re.fullmatch(r"\d+", v) or not 1 <= int(v) <= hi:
                raise ApiError(400, "VALIDATION_ERROR", "%s must be an integer in 1..%d" % (name, hi))
            return int(v)
        page, size = num("page", 1, 10 ** 6), num("pageSize", 20, 100)
        status = req.arg("status")
        if status not in (None, "") and status not in STATUSES:
            raise ApiError(400, "VALIDATION_ERROR", "status must be one of " + ", ".join(STATUSES))
        city, job_type = req.arg("city"), req.arg("jobType")
        rows = [j for j in self.jobs.values()
                if (j["status"] == "published" or j["accountId"] == cred["account"])
                and (not status or j["status"] == status) and (not city or j["city"] == city)
                and (not job_type or j["jobType"] == job_type)]
        rows.sort(key=lambda j: j["id"], reverse=True)
        chunk = rows[(page - 1) * size: page * size]
        return json_response(200, {"success": True, "data": [self.view(j) for j in chunk],
                                   "pagination": {"page": page, "pageSize": size, "total": len(rows),
                                                  "totalPages": -(-len(rows) // size)}})

    def create(self, req, cred, now):
        if "write" not in cred["scopes"]:
            raise ApiError(403, "FORBIDDEN", "This API key may not create jobs")
        try:
            b = parse_json(req.body)
        except BadJson:
            raise ApiError(400, "VALIDATION_ERROR", "Body is not valid JSON")
        if not isinstance(b, dict):
            raise ApiError(400, "VALIDATION_ERROR", "Body must be a JSON object")
        for f in ("title", "jobType", "city"):
            v = b.get(f)
            if not isinstance(v, str) or not v.strip():
                raise ApiError(400, "VALIDATION_ERROR", "%s is required (a non-empty string)" % f)
            if code_points(v) > 200:
                raise ApiError(400, "VALIDATION_ERROR", "%s is too long" % f)
        if b.get("address") is not None and not isinstance(b["address"], str):
            raise ApiError(400, "VALIDATION_ERROR", "address must be a string")
        amount = b.get("estimatedAmount")
        if amount is not None and (not is_number(amount) or amount < 0):
            raise ApiError(400, "VALIDATION_ERROR", "estimatedAmount must be a number >= 0")
        jid = self.add_job(cred["account"], b,
                           "draft" if BREAKS.on("findhelper-create-status-draft") else "published",
                           now)
        view = self.view(self.jobs[jid])
        if BREAKS.on("findhelper-create-no-created-at"):
            del view["createdAt"]
        # 200, not 201: the seed shows the body, not the status.
        return json_response(200, {"success": True, "data": view})
