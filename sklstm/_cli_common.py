"""What the ``sklstm`` command and its subcommands share.

:mod:`sklstm.cli` (the parser, the registry, ``sklstm diagnose``) and the
subcommands that live in modules of their own (``sklstm demo``:
:mod:`sklstm._demo`) import these from here, so that neither imports the
other. :mod:`sklstm.cli` re-exports :class:`CommandError`, its public home.
"""

import os

__all__ = ["CommandError", "check_output"]


class CommandError(Exception):
    """A user-facing error: printed as ``sklstm NAME: error: MESSAGE``, exit 1.

    Examples
    --------
    >>> from sklstm.cli import CommandError
    >>> str(CommandError("column 'x' not found"))
    "column 'x' not found"
    """


def check_output(path):
    """Fail now, not after minutes of work, if ``--output`` cannot be written.

    Leaves no file behind: one the check had to create is removed again.

    Raises
    ------
    CommandError
        If ``path`` is a directory or cannot be opened for writing.
    """
    if os.path.isdir(path):
        raise CommandError(f"--output {path!r} is a directory; give a file name.")
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write --output {path!r}: {reason}.") from None
    if not existed:
        os.remove(path)
