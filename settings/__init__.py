"""Every setting read from the environment, in one place (Flask's ``Config.from_prefixed_env`` habit).

- :mod:`settings.table`: one row per variable (name, default, parser, Spanish
  help); blank means default; :func:`value` reads one.
- :mod:`settings.errors`: :class:`SettingsError`, the one error for a bad value.
- :mod:`settings.channels` and :mod:`settings.stores`: the dataclasses each
  channel and store is built from.
- ``python -m settings.doc``: the README's table of variables.

Importing this package opens nothing and reads no variable.
"""

from settings.errors import SettingsError
from settings.table import BY_NAME, VARIABLES, Var, raw_value, value

__all__ = ["BY_NAME", "VARIABLES", "SettingsError", "Var", "raw_value", "value"]
