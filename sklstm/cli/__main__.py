"""``python -m sklstm.cli``: the ``sklstm`` command."""

import sys

from sklstm.cli import main

sys.exit(main())
