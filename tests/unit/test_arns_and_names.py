"""ARNs are computed for the account's partition; malformed ARNs, names and paths are
refused before any AWS call."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import (
    account_of_arn,
    aws_managed_policy_arn,
    known_account_id,
    parse_iam_arn,
    partition_for_region,
    partition_of_arn,
    policy_arn,
    role_arn,
    validate_account_id,
    validate_name,
    validate_partition,
    validate_path,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_role_and_policy_arns_carry_the_partition(partition):
    assert role_arn(partition, "111122223333", "MwRole") == "arn:%s:iam::111122223333:role/MwRole" % partition
    assert policy_arn(partition, "111122223333", "MwPolicy") == "arn:%s:iam::111122223333:policy/MwPolicy" % partition


def test_arns_carry_the_path():
    assert role_arn("aws", "111122223333", "MwRole", "/maintenance/") == \
        "arn:aws:iam::111122223333:role/maintenance/MwRole"
    assert policy_arn("aws-cn", "111122223333", "MwPolicy", "/a/b/") == \
        "arn:aws-cn:iam::111122223333:policy/a/b/MwPolicy"


@pytest.mark.parametrize("name, arn", [
    ("AmazonSSMFullAccess", "arn:aws-us-gov:iam::aws:policy/AmazonSSMFullAccess"),
    ("service-role/AmazonSSMMaintenanceWindowRole",
     "arn:aws-us-gov:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"),
    ("/service-role/AmazonSSMMaintenanceWindowRole",
     "arn:aws-us-gov:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole"),
    ("arn:aws:iam::111122223333:policy/Own", "arn:aws:iam::111122223333:policy/Own"),
])
def test_aws_managed_policy_names_become_arns_of_the_partition(name, arn):
    assert aws_managed_policy_arn("aws-us-gov", name) == arn


@pytest.mark.parametrize("region, partition", [
    ("us-east-1", "aws"), ("eu-central-1", "aws"), ("ap-southeast-2", "aws"),
    ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"),
    ("us-gov-west-1", "aws-us-gov"), ("us-gov-east-1", "aws-us-gov"),
    (None, "aws"), ("", "aws"),
])
def test_the_partition_follows_the_region(region, partition):
    assert partition_for_region(region) == partition


def test_an_iam_arn_is_split_into_its_parts():
    assert parse_iam_arn("arn:aws-cn:iam::111122223333:role/maintenance/MwRole") == dict(
        partition="aws-cn", account="111122223333", kind="role", path="/maintenance/", name="MwRole")
    assert parse_iam_arn("arn:aws:iam::aws:policy/service-role/AmazonSSMMaintenanceWindowRole", "policy") == dict(
        partition="aws", account="aws", kind="policy", path="/service-role/", name="AmazonSSMMaintenanceWindowRole")


@pytest.mark.parametrize("arn", [
    "arn:aws::iam::111122223333:role/MwRole",  # printed so in some revisions of the guide
    "arn:aws:iam:us-east-1:111122223333:role/MwRole",
    "arn:aws:iam::11112222333:role/MwRole",
    "arn:aws-mars:iam::111122223333:role/MwRole",
    "arn:aws:sts::111122223333:assumed-role/MwRole/session",
    "arn:aws:iam::111122223333:role/",
    "arn:aws:iam::111122223333:role/Mw Role",
    "MwRole",
    "",
    None,
])
def test_malformed_role_arns_are_refused_with_the_right_shape(arn):
    with pytest.raises(InvalidInputError) as raised:
        parse_iam_arn(arn, "role", "assume_role_arn")
    assert raised.value.problem == "assume_role_arn %r is not a valid IAM role ARN" % arn
    assert "arn:PARTITION:iam::ACCOUNT:role/NAME" in raised.value.fix


def test_an_arn_of_another_kind_than_expected_is_refused():
    with pytest.raises(InvalidInputError) as raised:
        parse_iam_arn("arn:aws:iam::111122223333:role/MwRole", "policy", "permissions_boundary")
    assert "arn:PARTITION:iam::ACCOUNT:policy/NAME" in raised.value.fix


def test_account_and_partition_of_any_arn():
    assert account_of_arn("arn:aws-us-gov:sts::111122223333:assumed-role/R/s") == "111122223333"
    assert partition_of_arn("arn:aws-us-gov:sts::111122223333:assumed-role/R/s") == "aws-us-gov"
    assert account_of_arn("not an arn") is None
    assert partition_of_arn(None) is None


@pytest.mark.parametrize("kind, limit", [("role", 64), ("user", 64), ("group", 128), ("policy", 128),
                                         ("inline policy", 128)])
def test_names_up_to_iams_limit_pass_and_longer_ones_are_refused(kind, limit):
    assert validate_name(kind, "n" * limit) == "n" * limit
    with pytest.raises(InvalidInputError) as raised:
        validate_name(kind, "n" * (limit + 1))
    assert "is %d characters long; IAM allows at most %d" % (limit + 1, limit) in raised.value.problem


def test_names_may_use_every_character_iam_allows():
    assert validate_name("role", "Mw_Role+=,.@-1") == "Mw_Role+=,.@-1"


@pytest.mark.parametrize("name", ["Mw Role", "Mw/Role", "MwRolé", "Mw:Role", "Mw*", "Mw\nRole"])
def test_names_with_characters_iam_does_not_allow_are_refused(name):
    with pytest.raises(InvalidInputError) as raised:
        validate_name("role", name)
    assert "has characters IAM does not allow" in raised.value.problem
    assert raised.value.fix == "use only letters, digits and + = , . @ _ -"


@pytest.mark.parametrize("name", ["", None])
def test_an_empty_name_is_refused(name):
    with pytest.raises(InvalidInputError) as raised:
        validate_name("group", name)
    assert raised.value.problem == "the group name is empty"


@pytest.mark.parametrize("path", ["/", "/maintenance/", "/a/b/c/", "/a-b_c.d/"])
def test_valid_paths_pass(path):
    assert validate_path(path) == path


def test_no_path_means_the_root_path():
    assert validate_path(None) == "/"


@pytest.mark.parametrize("path", ["maintenance", "/maintenance", "maintenance/", "", "//", "/main tenance/",
                                  "/" + "p" * 511 + "/"])
def test_invalid_paths_are_refused_with_the_shape_of_a_path(path):
    with pytest.raises(InvalidInputError) as raised:
        validate_path(path, "role")
    assert raised.value.problem == "the IAM path %r for the role is not valid" % path
    assert "starts and ends with '/'" in raised.value.fix


@pytest.mark.parametrize("account_id", ["11112222333", "1111222233334", "11112222333x", 11112222333])
def test_account_ids_other_than_twelve_digits_are_refused(account_id):
    with pytest.raises(InvalidInputError):
        validate_account_id(account_id)


def test_a_twelve_digit_account_id_passes_as_a_string():
    assert validate_account_id("011122223333") == "011122223333"
    assert validate_account_id(None) is None


def test_only_the_three_partitions_pass():
    assert validate_partition("aws-cn") == "aws-cn"
    assert validate_partition(None) is None
    with pytest.raises(InvalidInputError):
        validate_partition("aws-iso")


@pytest.mark.parametrize("assume_role_arn, account_id, known", [
    ("arn:aws:iam::111122223333:role/Admin", "", "111122223333"),
    ("arn:aws:iam::111122223333:role/Admin", "444455556666", "444455556666"),
    ("", "", ""),
    (None, None, ""),
    ("arn:aws:iam::aws:policy/ReadOnlyAccess", "", ""),
    ("not an arn", "", ""),
])
def test_the_account_a_host_names_before_it_connects(assume_role_arn, account_id, known):
    assert known_account_id(assume_role_arn, account_id) == known
