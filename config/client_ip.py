"""The visitor's address, read from the proxy's header only when a trusted proxy sent it.

Behind a reverse proxy every request comes from the proxy's address, so django-axes
(which counts login failures per username and address) would lock a staff account for
everyone at once. With TRUSTED_PROXIES set (addresses or networks of the proxies), the
address is taken from X-Forwarded-For, but only when REMOTE_ADDR is one of them: a
client talking to the site directly cannot choose its address by sending the header.
The header is read from the right, skipping trusted proxies, because a client may put
anything on its left and each proxy appends the address it saw.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(_parse(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for part in reversed(forwarded.split(",")):
        address = _parse(part)
        if address is None:
            break  # garbage in the header: trust nothing further left
        if not _trusted(address, networks):
            return str(address)
    return remote
