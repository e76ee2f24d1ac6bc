"""Running a coroutine from synchronous code without paying for its result's repr."""

from __future__ import annotations

import asyncio

import pytest

from citecheck.resolve import loop


class Watched:
    """A result that counts how often it is written out with repr()."""

    def __init__(self) -> None:
        self.reprs = 0

    def __repr__(self) -> str:
        self.reprs += 1
        return "Watched()"


async def answer(value: Watched) -> Watched:
    await asyncio.sleep(0)
    return value


def test_the_result_comes_back_without_being_written_out() -> None:
    value = Watched()
    assert loop.run(answer(value)) is value
    assert value.reprs == 0


def test_asyncio_run_writes_the_result_out_when_it_puts_sigint_back() -> None:
    """Why loop.run exists: a plain asyncio.run formats its task's repr, result included."""
    value = Watched()
    assert asyncio.run(answer(value)) is value
    assert value.reprs > 0


def test_errors_pass_through() -> None:
    async def fail() -> None:
        raise LookupError("no such page")

    with pytest.raises(LookupError, match="no such page"):
        loop.run(fail())
