"""`python -m compliance.report <cloud-assembly-dir> <output-dir>`."""

import sys

from compliance.report import main

sys.exit(main(sys.argv))
