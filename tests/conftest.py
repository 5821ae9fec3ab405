"""The store fixtures (`store`: an empty store of every backend) for the graph tests."""

from tests.stores import *  # noqa: F403
