"""Fixtures for the network tests: a scripted local web server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.resolve.local_web import Web


@pytest.fixture
def web() -> Iterator[Web]:
    server = Web()
    yield server
    server.close()
