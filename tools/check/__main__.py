import sys

from tools.check.cli import main

sys.exit(main())
