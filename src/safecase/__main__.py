import sys

from safecase.cli.main import main

sys.exit(main())
