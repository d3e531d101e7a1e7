"""`python -m sendcase.statutory < case.json`"""

import sys

from sendcase.statutory.cli import main

sys.exit(main())
