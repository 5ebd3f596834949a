"""Pieces every API module of the independent server shares.

Nothing here knows an API: requests and responses, JSON answers, the sliding-window rate
limiter, timestamps, token generation, and the registry of `--break` rules.
"""

import base64
import collections
import datetime
import json
import math
import random
import threading
import time
import urllib.parse


class Request:
    """One HTTP request as the API modules see it."""

    def __init__(self, method, target, headers, body, base_url):
        self.method = method.upper()
        parts = urllib.parse.urlsplit(target)
        self.raw_path = parts.path
        self.path = urllib.parse.unquote(parts.path)
        self.query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        self.query_string = parts.query
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.base_url = base_url  # http://127.0.0.1:PORT, for absolute links

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[-1] if values else default

    def content_type(self):
        return (self.header("content-type") or "").split(";")[0].strip().lower()


class Response:
    def __init__(self, status, body=b"", headers=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])

    def set_header(self, name, value):
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        self.headers.append((name, value))

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


JSON_TYPE = "application/json; charset=utf-8"


def json_response(status, obj, headers=None, content_type=JSON_TYPE):
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, [("Content-Type", content_type)] + list(headers or []))


class BadJson(Exception):
    pass


def parse_json(body):
    """The body as JSON, or BadJson (empty bodies, bad UTF-8 and syntax errors alike)."""
    try:
        text = body.decode("utf-8")
        if not text.strip():
            raise BadJson("empty body")
        return json.loads(text)
    except (UnicodeDecodeError, ValueError) as e:
        raise BadJson(str(e)) from e


def code_points(s):
    """Length in Unicode code points (Python's len of a str)."""
    return len(s)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool)
            and not (isinstance(v, float) and (math.isnan(v) or math.isinf(v))))


class Clock:
    """Wall time; rate windows are multiplied by `scale` (--limit-scale) so tests can shorten them."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def now(self):
        return time.time()

    def window(self, seconds):
        return seconds * self.scale


def iso_z_millis(ts):
    """2026-02-07T08:00:00.000Z"""
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def iso_offset_micros(ts):
    """2026-02-07T08:00:00.123456+00:00 (RFC 3339 with an offset instead of Z)."""
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).isoformat(timespec="microseconds")


def iso_seconds_z(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso8601(s):
    """A datetime for an ISO 8601 date or date-time string, or None."""
    if not isinstance(s, str) or not s:
        return None
    t = s.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    try:
        return datetime.datetime.fromisoformat(t)
    except ValueError:
        pass
    try:
        return datetime.datetime.strptime(t, "%Y-%m-%d")
    except ValueError:
        return None


def seconds_to_next_month(ts):
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    if d.month == 12:
        nxt = d.replace(year=d.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    else:
        nxt = d.replace(month=d.month + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(1, int(math.ceil(nxt.timestamp() - ts)))


class Tokens:
    """Deterministic random strings: the same seed data (and fixtures) on every start."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def b64url(self, nbytes):
        raw = bytes(self.rng.getrandbits(8) for _ in range(nbytes))
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def hex(self, nchars):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(nchars))

    def alnum(self, nchars):
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(nchars))


class SlidingWindow:
    """At most `limit` requests per key in any `window` seconds (a log of the times admitted).

    `admit` answers (True, 0) and records the request, or (False, retry_after_seconds) when
    the key's window is full; refused requests are not recorded.
    """

    def __init__(self, limit, window_seconds):
        self.limit = limit
        self.window = window_seconds
        self.log = collections.defaultdict(collections.deque)

    def admit(self, key, now):
        q = self.log[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        if len(q) >= self.limit:
            return False, max(1, int(math.ceil(q[0] + self.window - now)))
        q.append(now)
        return True, 0

    def remaining(self, key, now):
        q = self.log[key]
        return max(0, self.limit - sum(1 for t in q if t > now - self.window))


class Breaks:
    """The `--break RULE` switches: each module declares its rules with the row restbox-check
    must fail and the problem path it must name."""

    def __init__(self):
        self.declared = collections.OrderedDict()
        self.active = set()

    def declare(self, name, api, description, row, path, args=()):
        """`row`: a regex for restbox-check's --only naming the row that must fail; `path`: the
        problem path (a JSON path like `$.data.id`, or `status`, `Content-Type`, `Retry-After`)
        that row must report; `args`: extra restbox-check flags the row needs."""
        self.declared[name] = {"name": name, "api": api, "description": description,
                               "row": row, "path": path, "args": list(args)}

    def on(self, name):
        if name not in self.declared:
            raise KeyError(name)
        return name in self.active


BREAKS = Breaks()
LOCK = threading.RLock()
