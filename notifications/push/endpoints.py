"""Push endpoints only at push services: the guard against server-side request forgery.

A Web Push endpoint is a URL the browser hands us, and the worker POSTs to it.
Anyone can register a device, so without a guard anyone could make the worker
open connections to internal hosts (issue 13: ``https://127.0.0.3:8102/…`` was
accepted). An endpoint's host must be on ``PUSH_ENDPOINT_ALLOW_HOSTS`` (the
browsers' public push services by default; ``*.`` matches subdomains), must not
be an IP literal, and every address it resolves to must be public: not private,
loopback, link-local, shared or reserved. This is checked at registration and
again for every connection the worker opens, which then goes to the address
that was checked (a name re-pointed after registration, DNS rebinding, gets
nowhere). ``PUSH_ENDPOINT_LOCAL_HOSTS`` names hosts allowed without these checks:
the test push service in the test settings and the demo receiver in development.
"""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class EndpointRefused(Exception):
    """The endpoint is not at a public push service; nothing is sent there, ever."""


def _listed(host: str, patterns: list[str]) -> bool:
    for pattern in (pattern.lower().rstrip(".") for pattern in patterns):
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
        if host == pattern:
            return True
    return False


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def host_is_local_exception(host: str) -> bool:
    return _listed(host.lower().rstrip("."), settings.PUSH_ENDPOINT_LOCAL_HOSTS)


def host_check(host: str) -> None:
    """Refuse a host that is not a listed push service, or is an IP literal. No network."""
    host = host.lower().rstrip(".")
    if host_is_local_exception(host):
        return
    if not host or is_ip_literal(host):
        raise EndpointRefused(f"IP address {host}")
    if not _listed(host, settings.PUSH_ENDPOINT_ALLOW_HOSTS):
        raise EndpointRefused(f"{host} is not a push service")


def addresses_check(host: str, addresses: list[str]) -> str:
    """The first address, once every address the host resolved to is public."""
    if not addresses:
        raise EndpointRefused(f"{host} does not resolve")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise EndpointRefused(f"{host} resolves to {ip}, not a public address")
    return addresses[0]


def endpoint_check(endpoint: str) -> None:
    """At registration: refuse an endpoint that is not at a public push service (resolves the name)."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    host_check(host)
    if host_is_local_exception(host):
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise EndpointRefused(f"{host} does not resolve") from error
    addresses_check(host, [info[4][0] for info in infos])


async def connect_address(host: str, port: int) -> str:
    """At send time, for each new connection: the checked address to connect to."""
    host_check(host)
    if host_is_local_exception(host):
        return host
    try:
        infos = await asyncio.get_running_loop().run_in_executor(
            None, lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        )
    except (OSError, UnicodeError) as error:
        raise OSError(f"{host} does not resolve") from error  # transient: DNS may be back soon
    return addresses_check(host, [info[4][0] for info in infos])
