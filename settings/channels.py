"""The settings of our channels, built from the table (:mod:`settings.table`) once, at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Mapping, Optional

from settings.errors import SettingsError
from settings.parsers import OriginPattern
from settings.table import value


@dataclass(frozen=True)
class ChannelSettings:
    """What every channel applies (``CHANNEL_*``)."""

    max_message_chars: int = value("CHANNEL_MAX_MESSAGE_CHARS", {})
    reply_timeout: float = value("CHANNEL_REPLY_TIMEOUT", {})

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ChannelSettings":
        """Read and validate; SettingsError names a bad variable."""
        return cls(value("CHANNEL_MAX_MESSAGE_CHARS", environ), value("CHANNEL_REPLY_TIMEOUT", environ))


@dataclass(frozen=True)
class RestSettings:
    """The REST channel's settings (``REST_*`` plus the shared ``CHANNEL_*``)."""

    max_body_bytes: int = value("REST_MAX_BODY_BYTES", {})
    rate_limit: int = value("REST_RATE_LIMIT", {})
    rate_window: float = value("REST_RATE_WINDOW", {})
    channel: ChannelSettings = field(default_factory=ChannelSettings)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "RestSettings":
        """Read and validate; SettingsError names the first bad variable."""
        return cls(
            max_body_bytes=value("REST_MAX_BODY_BYTES", environ),
            rate_limit=value("REST_RATE_LIMIT", environ),
            rate_window=value("REST_RATE_WINDOW", environ),
            channel=ChannelSettings.from_env(environ),
        )


@dataclass(frozen=True)
class WebchatSettings:
    """The web widget's channel: allowed origins (``WEBCHAT_ALLOWED_ORIGINS``) and ``CHANNEL_*``."""

    origin_patterns: List[OriginPattern]
    channel: ChannelSettings = field(default_factory=ChannelSettings)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "WebchatSettings":
        return cls(value("WEBCHAT_ALLOWED_ORIGINS", environ), ChannelSettings.from_env(environ))


WEBHOOK_PATH = "/webhooks/telegram/webhook"
TELEGRAM_STATE_FILE = "telegram.db"  # SQLite; *.db is git-ignored
TELEGRAM_DISABLED = "Telegram desactivado: TELEGRAM_TOKEN no está definido"


@dataclass(frozen=True)
class TelegramConfig:
    """The Telegram connector's ``TELEGRAM_*`` (credentials.yml lists the class with no values).

    Why not ``${VAR}`` in credentials.yml: Rasa 3.6 raises when a substituted
    variable is unset, which would break every start without Telegram.
    """

    token: str
    mode: str
    api_url: str = value("TELEGRAM_API_URL", {})
    bot_name: Optional[str] = None
    webhook_url: Optional[str] = None
    secret_token: Optional[str] = None
    state_dir: Path = Path(".")
    poll_timeout: int = value("TELEGRAM_POLL_TIMEOUT", {})

    @property
    def state_file(self) -> Path:
        return self.state_dir / TELEGRAM_STATE_FILE

    def describe(self) -> str:
        return f"Telegram activado (modo {self.mode})"

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Optional["TelegramConfig"]:
        """The configuration, or None when TELEGRAM_TOKEN is unset (Telegram off; the rest is not read).

        Raises SettingsError naming the variable at fault.
        """
        token = value("TELEGRAM_TOKEN", environ)
        if token is None:
            return None
        webhook_url = value("TELEGRAM_WEBHOOK_URL", environ)
        mode = value("TELEGRAM_MODE", environ) or ("webhook" if webhook_url else "polling")
        secret = value("TELEGRAM_SECRET_TOKEN", environ)
        if mode == "webhook":
            if webhook_url is None:
                raise SettingsError(
                    "TELEGRAM_WEBHOOK_URL no está definido: el modo webhook necesita la URL pública HTTPS "
                    f"que termina en {WEBHOOK_PATH} (o usa TELEGRAM_MODE=polling)."
                )
            if not webhook_url.lower().startswith("https://"):
                raise SettingsError(
                    "TELEGRAM_WEBHOOK_URL debe empezar por https:// (Telegram solo llama a webhooks HTTPS)."
                )
            if secret is None:
                raise SettingsError(
                    "TELEGRAM_SECRET_TOKEN no está definido: el modo webhook lo necesita para rechazar "
                    "las actualizaciones que no vienen de Telegram."
                )
        return cls(
            token=token,
            mode=mode,
            api_url=value("TELEGRAM_API_URL", environ),
            bot_name=value("TELEGRAM_BOT_NAME", environ),
            webhook_url=webhook_url,
            secret_token=secret,
            state_dir=Path(value("TELEGRAM_STATE_DIR", environ)),
            poll_timeout=value("TELEGRAM_POLL_TIMEOUT", environ),
        )


def telegram_status(environ: Optional[Mapping[str, str]] = None) -> str:
    """One Spanish line for start-up banners; raises SettingsError."""
    config = TelegramConfig.from_env(environ)
    return TELEGRAM_DISABLED if config is None else config.describe()
