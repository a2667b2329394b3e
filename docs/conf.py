"""Sphinx configuration for sklstm's documentation.

Build with ``pip install ".[docs]" && sphinx-build -b html docs docs/_build/html``.
Structure follows scikit-learn-contrib's project template: numpydoc docstrings,
an autosummary API page and a sphinx-gallery built from ``examples/plot_*.py``
(run in their quick mode through ``SKLSTM_QUICK=1`` unless overridden).
"""

import os
import sys
from importlib.metadata import version as _version

sys.path.insert(0, os.path.abspath(".."))

project = "sklstm"
author = "sklstm developers"
copyright = "2026, sklstm developers"
release = _version("sklstm")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
html_theme = "pydata_sphinx_theme"

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
    "pandas": ("https://pandas.pydata.org/docs/", None),
    "sklearn": ("https://scikit-learn.org/stable/", None),
}

os.environ.setdefault("SKLSTM_QUICK", "1")
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "reference_url": {"sklstm": None},
}
