"""``python -m settings.doc``: the README's table of environment variables, printed from the settings table.

tests/unit/test_settings.py fails when the README's copy is not the same.
"""

from __future__ import annotations

from typing import Any

from settings.table import VARIABLES, Var

HEADER = "| variable | por defecto | para qué (lo lee) |\n| --- | --- | --- |"


def _default(var: Var) -> str:
    shown: Any = var.shown_default if var.shown_default is not None else var.default
    return f"`{shown}`" if shown not in (None, "") else "—"


def table() -> str:
    rows = [f"| `{v.name}` | {_default(v)} | {v.help.replace('|', '/')} ({v.group}) |" for v in VARIABLES]
    return "\n".join([HEADER, *rows])


if __name__ == "__main__":
    print(table())
