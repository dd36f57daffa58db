"""The local AWS (moto's server with the project's additions, ``tests/support/local_aws.py``)
on a free 127.0.0.1 port, started and stopped by the tests, the demo, molecule and the benchmark."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

HOST = "127.0.0.1"  # never another address
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOCAL_AWS = "tests.support.local_aws"


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class MotoServer(object):
    """``with MotoServer() as server: server.url`` -- IAM, STS, Organizations, SSM, ..."""

    def __init__(self, port=None, load_managed_policies=True):
        self.port = port or free_port()
        self.url = "http://%s:%d" % (HOST, self.port)
        self.load_managed_policies = load_managed_policies
        self.process = None

    def start(self, timeout=30):
        env = dict(os.environ)
        env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if self.load_managed_policies else "false"
        # From the repository, where ``-m`` finds the local AWS whatever the caller's directory.
        self.process = subprocess.Popen([sys.executable, "-m", LOCAL_AWS, "-H", HOST, "-p", str(self.port)],
                                        cwd=REPO, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the local AWS exited with %s" % self.process.returncode)
            try:
                urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the local AWS did not answer on %s within %ss" % (self.url, timeout))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def reset(self):
        """Forget every resource (and turn policy evaluation off again)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(request).read()

    def enable_iam_evaluation(self, free_requests=0):
        """Turn on real IAM policy evaluation after ``free_requests`` unauthenticated calls."""
        # A plain-text body: moto reads the raw body, which a form content type would empty.
        request = urllib.request.Request(self.url + "/moto-api/reset-auth", method="POST",
                                         data=str(free_requests).encode(),
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request).read()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
