"""A reverse proxy on 127.0.0.1 in front of moto that counts, delays and breaks AWS calls.

Used by the reliability tests (throttling, 5xx, dropped connections, latency, per action or
for every call; deterministic by seed; 5xx answers to writes that were applied; new entities
that reads do not see yet) and by the benchmark (calls per account by action, a fixed
latency per call like a real IAM endpoint).
"""

from __future__ import annotations

import collections
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
_CREDENTIAL_RE = re.compile(r"Credential=([A-Z0-9]+)/")
_SIGNED_REGION_RE = re.compile(r"Credential=[A-Z0-9]+/\d{8}/([a-z0-9-]+)/")
ACCESS_DENIED_JSON = ('{"__type":"AccessDeniedException","message":"User is not authorized to perform this '
                      'operation in region %s (an explicit deny in a service control policy)"}')

THROTTLE_BODY = (
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
    "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
)
SERVER_ERROR_BODY = (
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Receiver</Type>'
    "<Code>ServiceUnavailable</Code><Message>Service is unavailable</Message></Error>"
    "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
)
NO_SUCH_ENTITY_BODY = (
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
    "<Code>NoSuchEntity</Code><Message>The %s with name %s cannot be found.</Message></Error>"
    "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
)

# One request as the proxy saw it: the Query-protocol parameters (IAM, STS) and the status
# it was answered with (the injected one, or upstream's).
CallRecord = collections.namedtuple("CallRecord", "action access_key params status fault")


class FaultPlan(object):
    """What to inject: rates in [0, 1] for every call, or only for the named actions.

    ``late_server_error`` forwards the call and then answers 503 instead of upstream's
    answer: the write happened but the caller cannot know, as after a real 5xx or timeout.
    ``limit`` stops injecting into an action after that many faults in it (``limit=1``: only
    the first call of each action fails).
    """

    def __init__(self, throttle=0.0, server_error=0.0, drop=0.0, latency=0.0, actions=None, seed=0,
                 late_server_error=0.0, limit=None):
        self.throttle = throttle
        self.server_error = server_error
        self.drop = drop
        self.late_server_error = late_server_error
        self.latency = latency
        self.actions = set(actions) if actions else None
        self.limit = limit
        self.faults_decided = collections.Counter()  # action -> faults decided for it
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def decide(self, action):
        """``None``, ``throttle``, ``server_error``, ``drop`` or ``late_server_error`` for one call (seeded)."""
        if self.actions is not None and action not in self.actions:
            return None
        with self.lock:
            if self.limit is not None and self.faults_decided[action] >= self.limit:
                return None
            roll = self.random.random()
            for fault, rate in (("drop", self.drop), ("server_error", self.server_error),
                                ("throttle", self.throttle), ("late_server_error", self.late_server_error)):
                if roll < rate:
                    self.faults_decided[action] += 1
                    return fault
                roll -= rate
        return None


class DelayedVisibility(object):
    """IAM's eventual consistency: after a successful ``create_action`` for an entity, the
    next ``hidden_reads`` calls of ``read_action`` for it answer NoSuchEntity. The entity is
    named by the parameter ``key`` of both; a ``read_key`` ending in ``Arn`` names it by
    the ARN's last part (CreatePolicy's PolicyName, AttachRolePolicy's PolicyArn)."""

    def __init__(self, create_action="CreateRole", read_action="GetRole", key="RoleName", hidden_reads=3,
                 read_key=None):
        self.create_action = create_action
        self.read_action = read_action
        self.key = key
        self.read_key = read_key or key
        self.hidden_reads = hidden_reads
        self.remaining = {}  # entity name -> reads still to hide
        self.lock = threading.Lock()

    def created(self, action, params):
        if action == self.create_action and params.get(self.key):
            with self.lock:
                self.remaining[params[self.key]] = self.hidden_reads

    def hides(self, action, params):
        """True when this read must not see the entity yet (and counts it)."""
        if action != self.read_action:
            return False
        name = self._read_name(params)
        with self.lock:
            left = self.remaining.get(name, 0)
            if left <= 0:
                return False
            self.remaining[name] = left - 1
            return True

    def _read_name(self, params):
        value = params.get(self.read_key, "")
        return value.rpartition("/")[2] if self.read_key.endswith("Arn") else value

    def not_found_body(self, params):
        return NO_SUCH_ENTITY_BODY % (self.key[:-len("Name")].lower(), self._read_name(params))


class AwsProxy(object):
    """``with AwsProxy(moto.url, FaultPlan(throttle=0.3)) as proxy: proxy.url, proxy.calls``"""

    def __init__(self, upstream, plan=None, visibility=None, on_response=None, denied_regions=()):
        self.upstream = upstream.rstrip("/")
        # JSON-protocol calls (SSM, ...) signed for these regions are answered AccessDeniedException,
        # as under an SCP that denies a region.
        self.denied_regions = set(denied_regions)
        self.plan = plan or FaultPlan()
        self.visibility = visibility  # a DelayedVisibility, or None
        # on_response(action, params, status, body bytes): called with every answer upstream
        # gave (before a late fault replaces it), e.g. to learn the credentials STS issued.
        self.on_response = on_response
        self.calls = collections.Counter()  # action -> requests that reached the proxy
        self.calls_by_key = collections.Counter()  # (access key id, action) -> requests
        self.injected = collections.Counter()  # fault -> how many were injected
        self.records = []  # every request in arrival order, as CallRecord
        self.lock = threading.Lock()
        self.server = None
        self.thread = None
        self.url = None

    # -- bookkeeping ---------------------------------------------------------------------
    def reset_counts(self):
        with self.lock:
            self.calls.clear()
            self.calls_by_key.clear()
            self.injected.clear()
            del self.records[:]

    def total_calls(self):
        with self.lock:
            return sum(self.calls.values())

    def _record(self, action, access_key, fault):
        with self.lock:
            self.calls[action] += 1
            self.calls_by_key[(access_key, action)] += 1
            if fault:
                self.injected[fault] += 1

    def _log(self, action, access_key, params, status, fault):
        with self.lock:
            self.records.append(CallRecord(action, access_key, params, status, fault))

    # -- serving -------------------------------------------------------------------------
    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                action = _action_of(self.path, body, self.headers)
                match = _CREDENTIAL_RE.search(self.headers.get("Authorization", ""))
                access_key = match.group(1) if match else ""
                params = _query_params(self.path, body, self.headers)
                signed = _SIGNED_REGION_RE.search(self.headers.get("Authorization", ""))
                region = signed.group(1) if signed else ""
                if region in proxy.denied_regions and self.headers.get("X-Amz-Target"):
                    proxy._record(action, access_key, "denied_region")
                    proxy._log(action, access_key, params, 400, "denied_region")
                    self._reply(400, {"Content-Type": "application/x-amz-json-1.1"},
                                (ACCESS_DENIED_JSON % region).encode())
                    return
                fault = proxy.plan.decide(action)
                if fault is None and proxy.visibility and proxy.visibility.hides(action, params):
                    fault = "hidden_read"
                proxy._record(action, access_key, fault)
                if proxy.plan.latency:
                    time.sleep(proxy.plan.latency)
                if fault == "drop":
                    proxy._log(action, access_key, params, None, fault)
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                if fault in ("throttle", "server_error", "hidden_read"):
                    status, payload = {
                        "throttle": (400, THROTTLE_BODY),
                        "server_error": (503, SERVER_ERROR_BODY),
                        "hidden_read": (404, proxy.visibility.not_found_body(params) if proxy.visibility else ""),
                    }[fault]
                    proxy._log(action, access_key, params, status, fault)
                    self._reply(status, {"Content-Type": "text/xml"}, payload.encode())
                    return
                # The Host header stays the proxy's: it is signed, and moto checks signatures
                # when its IAM evaluation is on.
                headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None,
                                                 headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, payload = response.status, response.read()
                        reply_headers = dict(response.headers.items())
                except urllib.error.HTTPError as err:
                    status, reply_headers, payload = err.code, dict(err.headers.items()), err.read()
                proxy._log(action, access_key, params, status, fault)
                if proxy.on_response:
                    proxy.on_response(action, params, status, payload)
                if status == 200 and proxy.visibility:
                    proxy.visibility.created(action, params)
                if fault == "late_server_error":
                    # Upstream has done it; the caller only learns that something failed.
                    self._reply(503, {"Content-Type": "text/xml"}, SERVER_ERROR_BODY.encode())
                    return
                self._reply(status, reply_headers, payload)

            def _reply(self, status, headers, payload):
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        return Handler

    def start(self):
        self.server = ThreadingHTTPServer((HOST, 0), self._handler())
        self.server.daemon_threads = True
        self.url = "http://%s:%d" % (HOST, self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, name="aws-proxy", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _query_params(path, body, headers):
    """The Query-protocol parameters of a request (single values); JSON bodies are left out."""
    sources = [urllib.parse.urlparse(path).query]
    if "x-www-form-urlencoded" in (headers.get("Content-Type") or ""):
        sources.append(body.decode("utf-8", "replace"))
    params = {}
    for source in sources:
        for key, values in urllib.parse.parse_qs(source).items():
            params[key] = values[0]
    return params


def _action_of(path, body, headers):
    """The API action of a request: the Query protocol's Action, or the JSON target."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    for source in (body.decode("utf-8", "replace"), urllib.parse.urlparse(path).query):
        values = urllib.parse.parse_qs(source).get("Action")
        if values:
            return values[0]
    return "%s %s" % (headers.get("X-Amz-Target") or "", urllib.parse.urlparse(path).path)
