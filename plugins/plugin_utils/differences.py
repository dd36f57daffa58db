# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What differs between a resource's state and the setup's, in a few short lines: what the
audit keeps of a result's --diff (its before and after), for the account's row.

A fleet audit keeps every account's findings until the report is written, so this keeps at
most ``MAX_LINES`` lines of at most ``MAX_CHARS`` characters per resource, not the documents.
"""

from __future__ import annotations

import json

MAX_LINES = 6
MAX_CHARS = 240


def _short(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 3] + "..."


def _statements(document):
    statements = (document or {}).get("Statement") or []
    return statements if isinstance(statements, list) else [statements]


def _document_lines(key, before, after):
    lines = []
    old, new = _statements(before), _statements(after)
    lines += ["%s: statement to add %s" % (key, _short(statement)) for statement in new if statement not in old]
    lines += ["%s: statement to remove %s" % (key, _short(statement)) for statement in old if statement not in new]
    return lines or ["%s: %s -> %s" % (key, _short(before), _short(after))]


def _is_document(value):
    return isinstance(value, dict) and "Statement" in value


def differences(diff):
    """Short lines of what ``diff`` (a result's ``{before, after}``) changes: per changed key,
    its old and new value; for a policy document, the statements to add and to remove."""
    before, after = (diff or {}).get("before"), (diff or {}).get("after")
    if not isinstance(before, dict) or not isinstance(after, dict) or not before or not after:
        return []  # created or deleted: the finding says so
    lines = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if _is_document(old) or _is_document(new):
            lines += _document_lines(key, old, new)
        else:
            lines.append("%s: %s -> %s" % (key, _short(old), _short(new)))
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES - 1] + ["and %d more differences" % (len(lines) - MAX_LINES + 1)]
    return lines
