"""Which web pages may open the widget's socket (``WEBCHAT_ALLOWED_ORIGINS``, parsed by settings.parsers)."""

from __future__ import annotations

from typing import Optional, Text
from urllib.parse import urlsplit

from settings.parsers import webchat_origins as parse_origin_patterns

__all__ = ["origin_allowed", "parse_origin_patterns"]


def origin_allowed(origin: Optional[Text], host: Optional[Text], patterns) -> bool:
    """Whether a browser page at ``origin`` may talk to the bot reached as ``host``.

    No Origin header: not a browser's cross-origin request, allowed.  The bot's
    own origin (the Origin's host:port is the Host header) is always allowed.
    """
    if not origin:
        return True
    try:
        parts = urlsplit(origin)
        scheme, hostname, port = parts.scheme, (parts.hostname or ""), parts.port
    except ValueError:
        return False
    if scheme not in ("http", "https") or not hostname or parts.path or parts.query:
        return False
    if host and parts.netloc.lower() == host.lower():
        return True
    for p_scheme, p_host, p_port in patterns:
        if scheme != p_scheme or hostname != p_host.strip("[]"):
            continue
        if p_port == "*" or (p_port is None and port is None) or (p_port and port == int(p_port)):
            return True
    return False

