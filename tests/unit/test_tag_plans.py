"""Tag plans: what to tag and untag to reach the wanted tags, and the tags that result."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.tags import plan_tags, tag_list


def test_tags_not_given_are_left_alone():
    plan = plan_tags({"owner": "ops"}, None, purge=True)
    assert (plan.set, plan.remove, plan.result) == ({}, [], {"owner": "ops"})


def test_equal_tags_need_nothing():
    plan = plan_tags({"owner": "ops", "env": "prod"}, {"env": "prod", "owner": "ops"}, purge=True)
    assert (plan.set, plan.remove) == ({}, [])


def test_new_and_changed_tags_are_set_and_unchanged_ones_are_not():
    plan = plan_tags({"owner": "ops", "env": "test"}, {"owner": "ops", "env": "prod", "team": "mw"}, purge=True)
    assert plan.set == {"env": "prod", "team": "mw"}
    assert plan.result == {"owner": "ops", "env": "prod", "team": "mw"}


def test_with_purge_tags_that_are_not_wanted_are_removed():
    plan = plan_tags({"owner": "ops", "legacy": "yes", "cost": "1"}, {"owner": "ops"}, purge=True)
    assert plan.remove == ["cost", "legacy"]
    assert plan.result == {"owner": "ops"}


def test_without_purge_other_tags_stay():
    plan = plan_tags({"owner": "ops", "legacy": "yes"}, {"team": "mw"}, purge=False)
    assert (plan.set, plan.remove) == ({"team": "mw"}, [])
    assert plan.result == {"owner": "ops", "legacy": "yes", "team": "mw"}


def test_an_empty_mapping_with_purge_removes_every_tag():
    plan = plan_tags({"owner": "ops", "env": "prod"}, {}, purge=True)
    assert plan.remove == ["env", "owner"]
    assert plan.result == {}


def test_values_are_compared_as_iam_stores_them_as_strings():
    # YAML gives numbers and booleans; IAM keeps strings.
    plan = plan_tags({"cost-centre": "42", "critical": "True"}, {"cost-centre": 42, "critical": True}, purge=True)
    assert (plan.set, plan.remove) == ({}, [])


def test_no_current_tags_sets_every_wanted_tag():
    plan = plan_tags(None, {"owner": "ops"}, purge=True)
    assert (plan.set, plan.remove, plan.result) == ({"owner": "ops"}, [], {"owner": "ops"})


def test_the_iam_tag_list_is_sorted_by_key_with_string_values():
    assert tag_list({"team": "mw", "cost": 42}) == [{"Key": "cost", "Value": "42"}, {"Key": "team", "Value": "mw"}]
    assert tag_list(None) == []
