"""The House Prices API: the ``regression_model`` package served over HTTP.

The version lives in one file, ``VERSION`` beside this one, read here (and by
anything else that needs it, such as the release scripts).
"""

from pathlib import Path

__version__ = (Path(__file__).resolve().parent / "VERSION").read_text().strip()
