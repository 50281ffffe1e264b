"""`python -m crawler.archive`: see crawler.archive.cli."""

import sys

from crawler.archive.cli import main

sys.exit(main())
