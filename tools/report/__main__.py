import sys

from tools.report.cli import main

sys.exit(main())
