"""The real servers on free loopback ports: tools/stack.py, shared with `make bench`.

Tests import it from here or from ``tools.stack``; the code lives in tools/ so
that the tools never import from tests/.
"""

from tools.stack import MODEL, ROOT, VENV_BIN, Stack, free_port, http  # noqa: F401  re-exported
