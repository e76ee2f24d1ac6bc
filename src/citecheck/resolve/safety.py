"""What the link checker may touch: public addresses over http(s), bounded bodies.

Addresses are checked after DNS resolution, by the resolver the connection itself uses,
so a name cannot resolve to a public address for the check and a private one for the
connection. Every redirect hop opens its own connection and passes the same check.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import AsyncIterator, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from citecheck.resolve.urls import is_ip_literal

_METADATA = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ForbiddenAddress(OSError):
    """A host resolves only to addresses the checker must not contact."""


class HostNotFound(OSError):
    """DNS does not know the host (or no resolver answers)."""


@dataclass
class AddressPolicy:
    """Which addresses may be contacted; counts DNS outcomes to tell when the network is down."""

    allow_private: bool = False
    allowed: Collection[str] = ()
    """Addresses allowed even when private (a test's own server)."""
    lookups_ok: int = field(default=0, init=False)
    lookups_failed: int = field(default=0, init=False)
    _literals: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    """Verdicts on host names already seen: "" when allowed, else why not."""

    def permits(self, address: str) -> bool:
        if address in self.allowed:
            return True
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        return self.allow_private or is_public(ip)

    def check_literal(self, host: str) -> None:
        """Refuse a URL whose host is a forbidden IP literal (no DNS lookup happens for it)."""
        verdict = self._literals.get(host)
        if verdict is None:
            forbidden = is_ip_literal(host) and not self.permits(host.strip("[]"))
            verdict = self._literals[host] = f"address {host} is not public" if forbidden else ""
        if verdict:
            raise ForbiddenAddress(verdict)

    def keep(self, addresses: Iterable[str], host: str) -> list[str]:
        allowed = [a for a in addresses if self.permits(a)]
        if not allowed:
            raise ForbiddenAddress(f"{host} resolves only to non-public addresses")
        return allowed


def is_public(ip: IpAddress) -> bool:
    """False for private, loopback, link-local, multicast, unspecified and metadata addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if str(ip) in _METADATA:
        return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or not ip.is_global
    )


class SafeResolver(AbstractResolver):
    """aiohttp resolver that drops forbidden addresses and counts lookups."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            results = await self._inner.resolve(host, port, family)
        except (OSError, UnicodeError) as error:  # UnicodeError: a name IDNA cannot encode
            self._policy.lookups_failed += 1
            raise HostNotFound(f"cannot resolve {host}: {error}") from error
        self._policy.lookups_ok += 1
        allowed = set(self._policy.keep([r["host"] for r in results], host))
        return [r for r in results if r["host"] in allowed]

    async def close(self) -> None:
        await self._inner.close()


class SafeNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore backend (httpx's default transport) resolving and checking before connecting."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            if is_ip_literal(host):
                self._policy.check_literal(host)
                addresses = [host]
            else:
                addresses = self._policy.keep(await self._lookup(host, port), host)
        except ForbiddenAddress as error:  # as a connection error, so httpx passes it on
            raise httpcore.ConnectError(str(error)) from error
        return await self._inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def _lookup(self, host: str, port: int) -> list[str]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as error:
            self._policy.lookups_failed += 1
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        self._policy.lookups_ok += 1
        return [str(info[4][0]) for info in infos]

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


async def decoded_prefix(chunks: AsyncIterator[bytes], encoding: str, cap: int) -> bytes | None:
    """At most ``cap`` decoded bytes of a body; None when the encoding is not one we decode.

    gzip and deflate are inflated with a bound on output, so a compression bomb costs at
    most ``cap`` bytes of memory. Brotli is not requested and not decoded.
    """
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return await _raw_prefix(chunks, cap)
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return None
    inflater = zlib.decompressobj(47 if "gzip" in encoding else zlib.MAX_WBITS)
    out = bytearray()
    async for chunk in chunks:
        data = chunk
        while data and len(out) < cap:
            try:
                out += inflater.decompress(data, cap - len(out))
            except zlib.error:
                return bytes(out)
            data = inflater.unconsumed_tail
        if len(out) >= cap or inflater.eof:
            break
    return bytes(out)


async def _raw_prefix(chunks: AsyncIterator[bytes], cap: int) -> bytes:
    out = bytearray()
    async for chunk in chunks:
        out += chunk[: cap - len(out)]
        if len(out) >= cap:
            break
    return bytes(out)
