"""``sklstm forecast --save`` and ``--model``: a fitted forecaster kept in a file.

The file holds two pickles one after the other: first a header of plain
Python values (the format, the sklstm version that wrote it and what the
model needs: target, input columns, horizon, m, time step, coverage), then
the model (joblib). The header is read and checked before the model is
unpickled, so that a model written by an incompatible sklstm version gets a
clear message instead of whatever unpickling its classes would raise.
"""

import pickle

from sklstm.cli._common import CommandError

__all__ = ["FORMAT", "compatible", "load_model", "save_model"]

FORMAT = 1  # raise when the header or the model's layout changes


def _release(version):
    """The release a version belongs to: (major, minor)."""
    parts = version.split(".")
    return tuple(parts[:2])


def compatible(saved, current):
    """Whether a model saved by sklstm ``saved`` loads in sklstm ``current``.

    Within one release (same major and minor version) the estimators' pickled
    layout is kept; across releases it may change.

    Examples
    --------
    >>> from sklstm.cli.forecast._model import compatible
    >>> compatible("0.1.0", "0.1.3"), compatible("0.1.0", "0.2.0")
    (True, False)
    """
    return _release(saved) == _release(current)


def save_model(path, model, header):
    """Write the header, then the model, to ``path``."""
    import joblib

    from sklstm import __version__

    header = {"format": FORMAT, "sklstm_version": __version__, **header}
    with open(path, "wb") as file:
        pickle.dump(header, file, protocol=pickle.HIGHEST_PROTOCOL)
        joblib.dump(model, file)


def load_model(path):
    """Return (model, header); CommandError for a file it cannot use."""
    import joblib

    from sklstm import __version__

    try:
        with open(path, "rb") as file:
            header = _read_header(file, path)
            _check_header(header, path, __version__)
            model = joblib.load(file)
    except OSError as exc:
        raise CommandError(
            f"cannot read --model {path!r}: {exc.strerror or exc}."
        ) from None
    return model, header


def _read_header(file, path):
    try:
        header = pickle.load(file)
    except Exception:  # any bytes that are not our header
        header = None
    if not isinstance(header, dict) or "sklstm_version" not in header:
        raise CommandError(
            f"--model {path!r} is not a model saved by `sklstm forecast --save`."
        )
    return header


def _check_header(header, path, version):
    saved = header["sklstm_version"]
    if header.get("format") != FORMAT or not compatible(saved, version):
        raise CommandError(
            f"--model {path!r} was saved by sklstm {saved}; this is sklstm "
            f"{version}, which cannot load it (models load within the release "
            "that saved them). Fit it again: sklstm forecast FILE.csv --target "
            f"{header.get('target', 'COLUMN')} --horizon "
            f"{header.get('horizon', 'H')} --save {path}"
        )
