"""``python -m catalogbot``."""

import sys

from catalogbot.cli import main

sys.exit(main())
