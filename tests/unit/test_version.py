"""The version the user agent sends is galaxy.yml's."""

from __future__ import annotations

import os

import yaml

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.version import (
    COLLECTION_VERSION,
    USER_AGENT,
)

GALAXY_YML = os.path.join(os.path.dirname(__file__), "..", "..", "galaxy.yml")


def test_the_version_constant_is_galaxy_ymls():
    with open(GALAXY_YML) as galaxy:
        assert COLLECTION_VERSION == str(yaml.safe_load(galaxy)["version"])


def test_the_user_agent_names_the_collection_and_its_version():
    assert USER_AGENT == "fleetiam.maintenance_windows/%s" % COLLECTION_VERSION
