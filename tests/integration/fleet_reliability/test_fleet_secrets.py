"""No secret in anything a fleet run shows or writes: the output at -vvv of a preview
(--check --diff) and an apply (--diff), and at -v of an apply again, and every file of
their report directories, hold neither the hub's keys, nor the external id the fleet
assumes its roles with, nor any access key, secret key or session token STS issued for the
accounts. Once with the modules in-process (the default for local account hosts), once
with FLEETIAM_MW_EXECUTION=module; three fresh accounts each.

The issued credentials are read from STS's AssumeRole answers as they pass the proxy.
"""

from __future__ import annotations

import os
import re
import threading

import pytest

from tests.support import aws
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet

HOSTS = ("secrets-1", "secrets-2", "secrets-3")
EXECUTION = {"in_process": None, "module": "module"}  # FLEETIAM_MW_EXECUTION; None: unset
_SECRETS_RE = re.compile(rb"<(AccessKeyId|SecretAccessKey|SessionToken)>([^<]+)</")
EXTERNAL_ID = "fleet-external-id-4f7c2a9e"  # moto's STS accepts any; AWS checks it against the trust


class IssuedCredentials(object):
    """The secret keys and session tokens of every AssumeRole answer that passed the proxy."""

    def __init__(self):
        self.secrets = []
        self.answers = 0
        self.lock = threading.Lock()

    def record(self, action, params, status, body):
        if action == "AssumeRole" and status == 200:
            with self.lock:
                self.answers += 1
                self.secrets += [value.decode() for kind, value in _SECRETS_RE.findall(body)]


@pytest.fixture(scope="module")
def issued():
    return IssuedCredentials()


@pytest.fixture(scope="module")
def proxy(moto, issued):
    with AwsProxy(moto.url, on_response=issued.record) as recording:
        yield recording


@pytest.fixture(scope="module", params=sorted(EXECUTION))
def shown(request, proxy, issued, new_accounts, tmp_path_factory):
    """(runs, every text they showed or wrote, AssumeRole answers seen) in one execution mode."""
    mode = request.param
    fleet = Fleet(tmp_path_factory.mktemp("secrets-%s" % mode), proxy.url, dict(zip(HOSTS, new_accounts(len(HOSTS)))),
                  group_vars=dict(OPERATORS_AND_CONTRACTORS, mw_external_id=EXTERNAL_ID))
    env = dict(FLEETIAM_MW_EXECUTION=EXECUTION[mode])
    answers_before = issued.answers
    runs = [fleet.run("preview", "setup.yml", "--check", "--diff", "-vvv", env=env),
            fleet.run("apply", "setup.yml", "--diff", "-vvv", env=env),
            fleet.run("apply-again", "setup.yml", "-v", env=env)]
    texts = {"output of %s" % " ".join(run.command[-5:]): run.output for run in runs}
    for run in runs:
        for directory, subdirectories, names in os.walk(run.report_dir):
            for name in names:
                with open(os.path.join(directory, name), errors="replace") as handle:
                    texts[os.path.join(directory, name)] = handle.read()
    return mode, runs, texts, issued.answers - answers_before


def compact(text):
    """Without white space, line continuations and quotes: a secret wrapped by YAML is whole again."""
    return re.sub(r"[\s\\'\"]", "", text)


def test_the_runs_succeed_in_the_execution_mode_asked_for(shown):
    mode, runs, answers = shown[0], shown[1], shown[3]
    for run in runs:
        assert run.returncode == 0, run
        # -vvv names each module package it transfers: the collection's only in module mode.
        if "-vvv" in run.command:
            assert ("AnsiballZ_iam_" in run.output) == (mode == "module")
    # One assumed session per account and run (the apply's setup reuses its preflight's).
    assert answers == len(HOSTS) * len(runs)


def test_no_secret_key_or_session_token_is_shown_or_written(shown, issued):
    texts = shown[2]
    secrets = [aws.HUB_CREDENTIALS["aws_secret_access_key"], aws.HUB_CREDENTIALS["aws_access_key_id"],
               EXTERNAL_ID] + issued.secrets
    assert len(issued.secrets) >= 3 * len(HOSTS) * 2
    leaks = sorted({(where, secret[:8] + "...") for where, text in texts.items() for secret in secrets
                    if secret in text or compact(secret) in compact(text)})
    assert not leaks
