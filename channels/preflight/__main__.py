"""``python -m channels.preflight``: see the package's docstring."""

import sys

from channels.preflight import main

sys.exit(main())
