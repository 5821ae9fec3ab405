"""The store fixtures for every test: `store` (an empty store of each backend), `neo4j_uri`, `neo4j_store`."""

from tests.stores import *  # noqa: F403
