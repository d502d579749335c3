"""The Telegram connector's configuration, read from environment variables only.

No Rasa import here, so ``python -m channels.telegram_config`` answers in a
fraction of a second: it prints whether Telegram is on and in which mode, and
exits with 2 and the Spanish error when the combination is invalid (the serve
script calls it before starting Rasa).

Why not ``${VAR}`` in credentials.yml: Rasa 3.6 raises when a substituted
variable is unset, which would break every start without Telegram.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

DEFAULT_API_URL = "https://api.telegram.org"
MODES = ("webhook", "polling")
WEBHOOK_PATH = "/webhooks/telegram/webhook"
# Telegram's own rules (Bot API, setWebhook and getUpdates).
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_BOT_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
MAX_POLL_TIMEOUT = 50
STATE_FILE = "telegram.db"  # SQLite; *.db is git-ignored


class TelegramConfigError(ValueError):
    """An invalid combination of TELEGRAM_* variables (message in Spanish)."""


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    mode: str
    api_url: str = DEFAULT_API_URL
    bot_name: Optional[str] = None
    webhook_url: Optional[str] = None
    secret_token: Optional[str] = None
    state_dir: Path = Path(".")
    poll_timeout: int = 25

    @property
    def state_file(self) -> Path:
        return self.state_dir / STATE_FILE

    def describe(self) -> str:
        return f"Telegram activado (modo {self.mode})"

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Optional["TelegramConfig"]:
        """The configuration, or None when TELEGRAM_TOKEN is unset (Telegram off).

        Raises TelegramConfigError naming the variable at fault.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> Optional[str]:
            value = env.get(name, "").strip()
            return value or None

        token = get("TELEGRAM_TOKEN")
        if token is None:
            return None
        if not _TOKEN_RE.match(token):
            raise TelegramConfigError(
                "TELEGRAM_TOKEN no tiene el formato de un token de bot (<número>:<clave>, como lo da @BotFather)."
            )

        webhook_url = get("TELEGRAM_WEBHOOK_URL")
        mode = (get("TELEGRAM_MODE") or ("webhook" if webhook_url else "polling")).lower()
        if mode not in MODES:
            raise TelegramConfigError(f"TELEGRAM_MODE debe ser «webhook» o «polling», no «{env.get('TELEGRAM_MODE')}».")

        secret = get("TELEGRAM_SECRET_TOKEN")
        if mode == "webhook":
            if webhook_url is None:
                raise TelegramConfigError(
                    "TELEGRAM_WEBHOOK_URL no está definido: el modo webhook necesita la URL pública HTTPS "
                    f"que termina en {WEBHOOK_PATH} (o usa TELEGRAM_MODE=polling)."
                )
            if not webhook_url.lower().startswith("https://"):
                raise TelegramConfigError("TELEGRAM_WEBHOOK_URL debe empezar por https:// (Telegram solo llama a webhooks HTTPS).")
            if secret is None:
                raise TelegramConfigError(
                    "TELEGRAM_SECRET_TOKEN no está definido: el modo webhook lo necesita para rechazar "
                    "las actualizaciones que no vienen de Telegram."
                )
        if secret is not None and not _SECRET_RE.match(secret):
            raise TelegramConfigError(
                "TELEGRAM_SECRET_TOKEN solo admite letras, números, «_» y «-», de 1 a 256 caracteres."
            )

        bot_name = get("TELEGRAM_BOT_NAME")
        if bot_name is not None:
            bot_name = bot_name.lstrip("@")
            if not _BOT_NAME_RE.match(bot_name):
                raise TelegramConfigError(f"TELEGRAM_BOT_NAME «{bot_name}» no es un nombre de usuario de Telegram válido.")

        api_url = (get("TELEGRAM_API_URL") or DEFAULT_API_URL).rstrip("/")
        if not re.match(r"^https?://[^/\s]+", api_url):
            raise TelegramConfigError(f"TELEGRAM_API_URL «{api_url}» no es una URL http(s).")

        raw_timeout = get("TELEGRAM_POLL_TIMEOUT") or "25"
        try:
            poll_timeout = int(raw_timeout)
        except ValueError:
            poll_timeout = -1
        if not 0 <= poll_timeout <= MAX_POLL_TIMEOUT:
            raise TelegramConfigError(f"TELEGRAM_POLL_TIMEOUT debe ser un número de segundos entre 0 y {MAX_POLL_TIMEOUT}.")

        return cls(
            token=token,
            mode=mode,
            api_url=api_url,
            bot_name=bot_name,
            webhook_url=webhook_url,
            secret_token=secret,
            state_dir=Path(get("TELEGRAM_STATE_DIR") or "."),
            poll_timeout=poll_timeout,
        )


DISABLED_MESSAGE = "Telegram desactivado: TELEGRAM_TOKEN no está definido"


def status_line(environ: Optional[Mapping[str, str]] = None) -> str:
    """One Spanish line for start-up banners; raises TelegramConfigError."""
    config = TelegramConfig.from_env(environ)
    return DISABLED_MESSAGE if config is None else config.describe()


def main() -> int:
    try:
        print(status_line())
    except TelegramConfigError as e:
        print(f"ERROR de configuración de Telegram: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
