"""Before a new version is made, the oldest non-default versions go, so that a managed
policy never needs a sixth version (IAM refuses it with LimitExceeded)."""

from __future__ import annotations

import datetime

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.managed_policy import versions_to_delete

START = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def version(number, default=False, seconds=None):
    """Version ``v<number>``, created ``seconds`` after START (by default: in number order)."""
    created = START + datetime.timedelta(seconds=number if seconds is None else seconds)
    return {"VersionId": "v%d" % number, "IsDefaultVersion": default, "CreateDate": created}


def test_with_room_for_one_more_nothing_is_deleted():
    assert versions_to_delete([version(1, default=True)]) == []
    assert versions_to_delete([version(n, default=n == 4) for n in range(1, 5)]) == []


def test_at_five_versions_the_oldest_non_default_one_goes():
    versions = [version(n, default=n == 5) for n in range(1, 6)]
    assert versions_to_delete(versions) == ["v1"]


def test_the_default_version_is_never_deleted_even_when_it_is_the_oldest():
    versions = [version(n, default=n == 1) for n in range(1, 6)]
    assert versions_to_delete(versions) == ["v2"]


def test_the_answer_does_not_depend_on_the_order_iam_lists_the_versions_in():
    versions = [version(n, default=n == 3) for n in (5, 2, 4, 3, 1)]
    assert versions_to_delete(versions) == ["v1"]


def test_the_creation_date_decides_not_the_version_number():
    # A version made later may carry a lower number (v2 was made last here).
    versions = [version(1, default=True), version(2, seconds=50), version(3), version(4), version(5)]
    assert versions_to_delete(versions) == ["v3"]


def test_versions_made_in_the_same_second_go_in_number_order():
    # IAM's dates have whole seconds; v10 is newer than v9, not older.
    versions = [version(n, default=n == 12, seconds=0) for n in (8, 9, 10, 11, 12)]
    assert versions_to_delete(versions) == ["v8"]
    versions = [version(n, default=n == 8, seconds=0) for n in (8, 9, 10, 11, 12)]
    assert versions_to_delete(versions) == ["v9"]


def test_room_for_more_than_one_new_version_deletes_more():
    versions = [version(n, default=n == 5) for n in range(1, 6)]
    assert versions_to_delete(versions, keep_free=2) == ["v1", "v2"]


def test_more_than_five_versions_already_are_brought_back_under_the_limit():
    # Not possible in IAM, but a listing raced by another run must not leave us at six.
    versions = [version(n, default=n == 6) for n in range(1, 7)]
    assert versions_to_delete(versions) == ["v1", "v2"]


def test_dates_as_strings_order_like_dates():
    versions = [dict(v, CreateDate=v["CreateDate"].isoformat()) for v in
                [version(n, default=n == 1) for n in range(1, 6)]]
    assert versions_to_delete(versions) == ["v2"]
