"""The client's address, the one function behind every rate limit, lockout and audit event.

Behind a reverse proxy every request arrives from the proxy's address. ``TEILHABE_TRUSTED_PROXIES`` lists the
proxies (addresses or CIDR networks, comma-separated, e.g. ``127.0.0.1,10.0.0.0/8``). Only when the direct
peer is one of them is ``X-Forwarded-For`` read, from the right, skipping further trusted proxies; the first
untrusted address is the client. Without the setting, ``REMOTE_ADDR`` is the client (never a header a client
could forge).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text (``""`` when unknown)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TEILHABE_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return hops[0] if hops else remote


def axes_client_address(request: HttpRequest) -> str:
    """django-axes ``AXES_CLIENT_IP_CALLABLE``: the same address as every other rate limit."""
    return client_address(request)
