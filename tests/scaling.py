"""How many examples property tests run: ``scaled(n)``.

Import it as ``from scaling import scaled`` (``tests/`` is on ``sys.path``, see
conftest.py).  It does not live in conftest.py: ``tests/mypy/conftest.py`` takes
the module name ``conftest`` during a whole-suite run.
"""

from __future__ import annotations

import os

#: How many times more examples property tests run under ``FAL_LONG_RUN=1``.
LONG_RUN_FACTOR = 50


def scaled(n: int) -> int:
    """``max_examples`` for a property test: ``n`` in the default suite, ``n *
    LONG_RUN_FACTOR`` when the environment variable ``FAL_LONG_RUN`` is set to
    anything but ``""`` or ``"0"`` (the long run: ``FAL_LONG_RUN=1 pytest ...``).

    A helper rather than a hypothesis profile: an explicit
    ``@settings(max_examples=...)`` on a test overrides any profile.
    """
    return n * LONG_RUN_FACTOR if os.environ.get("FAL_LONG_RUN", "") not in ("", "0") else n
