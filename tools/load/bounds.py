"""What `make load` refuses before sending anything: a URL off loopback, a setting out of bounds."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_CONVERSATIONS = 10_000
MAX_TURNS = 50
MAX_CONCURRENCY = 500
MAX_DURATION = 3600.0
MAX_TIMEOUT = 600.0


class LoadError(Exception):
    """A setting the load generator refuses (non-loopback URL, out of bounds)."""


def check_loopback(url: str) -> str:
    """``url`` without a trailing slash, or LoadError if it is not http(s) on loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"URL no válida {url!r}: se espera http://127.0.0.1:PUERTO")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise LoadError(f"{url!r}: solo se genera carga contra 127.0.0.1 / ::1 / localhost, no contra {host!r}")
    return url.rstrip("/")


def check_bounds(conversations: int, turns: int, concurrency: int, duration_limit: float,
                 timeout: float = 30.0) -> None:
    for name, value, high in (
        ("--conversations", conversations, MAX_CONVERSATIONS),
        ("--turns", turns, MAX_TURNS),
        ("--concurrency", concurrency, MAX_CONCURRENCY),
    ):
        if not 1 <= value <= high:
            raise LoadError(f"{name} debe estar entre 1 y {high} (es {value})")
    if not 0 < duration_limit <= MAX_DURATION:
        raise LoadError(f"--duration-limit debe estar entre 0 y {MAX_DURATION:g} s (es {duration_limit:g})")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise LoadError(f"--timeout debe estar entre 0 y {MAX_TIMEOUT:g} s (es {timeout:g})")
