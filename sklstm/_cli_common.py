"""What the ``sklstm`` command and its subcommands share.

:mod:`sklstm.cli` (the parser, the registry, ``sklstm diagnose``) and the
subcommands that live in modules of their own (``sklstm demo``:
:mod:`sklstm._demo`) import these from here, so that neither imports the
other. :mod:`sklstm.cli` re-exports :class:`CommandError`, its public home.
"""

import os

__all__ = ["CommandError", "check_output", "write_all"]


class CommandError(Exception):
    """A user-facing error: printed as ``sklstm NAME: error: MESSAGE``, exit 1.

    Examples
    --------
    >>> from sklstm.cli import CommandError
    >>> str(CommandError("column 'x' not found"))
    "column 'x' not found"
    """


def check_output(path, option="--output"):
    """Fail now, not after minutes of work, if ``option``'s file cannot be written.

    Leaves no file behind: one the check had to create is removed again.

    Raises
    ------
    CommandError
        If ``path`` is a directory or cannot be opened for writing.
    """
    if os.path.isdir(path):
        raise CommandError(f"{option} {path!r} is a directory; give a file name.")
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write {option} {path!r}: {reason}.") from None
    if not existed:
        os.remove(path)


def write_all(files):
    """Write every file whole, or none: each to a temporary file, then renamed.

    Parameters
    ----------
    files : list of (str, callable, str)
        ``(path, write, what)``: ``write(temporary_path)`` writes the content;
        ``what`` names the file in an error (``"the forecast"``).

    Raises
    ------
    CommandError
        If a file cannot be written; then no file of ``files`` is written and
        no temporary file is left behind.
    """
    import tempfile

    done = []
    try:
        for path, write, what in files:  # noqa: B007 - the except names them
            folder = os.path.dirname(os.path.abspath(path))
            handle, temporary = tempfile.mkstemp(
                prefix=".sklstm-", suffix=".tmp", dir=folder
            )
            os.close(handle)
            done.append(temporary)
            write(temporary)
    except OSError as exc:
        for temporary in done:
            os.remove(temporary)
        reason = exc.strerror or type(exc).__name__
        raise CommandError(f"cannot write {what} {path!r}: {reason}.") from None
    mode = 0o666 & ~_umask()
    for temporary, (path, _, _) in zip(done, files, strict=True):
        os.chmod(temporary, mode)  # as open() would: mkstemp's files are private
        os.replace(temporary, path)


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
