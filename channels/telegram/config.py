"""``python -m channels.telegram.config``: whether Telegram is on, and in which mode.

The serve script calls it before starting Rasa: it prints one Spanish line, or
exits with 2 and the error naming the variable when the ``TELEGRAM_*``
combination is invalid.  The settings themselves are :class:`settings.channels.TelegramConfig`
(one row per variable in settings/table.py).  No Rasa channel is imported here,
so it answers in a fraction of a second.
"""

from __future__ import annotations

import sys

from settings.channels import TELEGRAM_DISABLED, TelegramConfig, telegram_status
from settings.errors import SettingsError

__all__ = ["TELEGRAM_DISABLED", "TelegramConfig", "main", "telegram_status"]


def main() -> int:
    try:
        print(telegram_status())
    except SettingsError as e:
        print(f"ERROR de configuración de Telegram: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
