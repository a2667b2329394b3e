"""``sklstm demo``: the seed's story on a bundled series, measured in the run.

A single series (:mod:`._series`) tells the accuracy ladder; the panel
(``--dataset us_employment``, :mod:`._panel`) one global model against the
classical models per series. :mod:`._figure` draws the figure.
"""

from ._series import add_arguments, run

__all__ = ["add_arguments", "run"]
