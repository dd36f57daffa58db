# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag plans shared by the role and managed-policy reconcilers."""

from __future__ import annotations

from collections import namedtuple

TagPlan = namedtuple("TagPlan", ["set", "remove", "result"])


def tag_list(tags):
    return [dict(Key=str(key), Value=str(value)) for key, value in sorted((tags or {}).items())]


def plan_tags(current, wanted, purge):
    """What to tag and untag to go from ``current`` to ``wanted`` (``None``: leave alone)."""
    current = dict(current or {})
    if wanted is None:
        return TagPlan({}, [], current)
    wanted = {str(k): str(v) for k, v in wanted.items()}
    to_set = {k: v for k, v in wanted.items() if current.get(k) != v}
    to_remove = sorted(k for k in current if k not in wanted) if purge else []
    result = dict(current)
    result.update(wanted)
    for key in to_remove:
        result.pop(key, None)
    return TagPlan(to_set, to_remove, result)
