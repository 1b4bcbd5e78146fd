"""regression_model: the house-price Lasso model as an installable, versioned package.

The version lives in one file, ``VERSION``, read here and by the build backend.
Nothing else happens at import: the configuration and the trained pipeline are loaded
by the functions that need them.
"""

from pathlib import Path

__version__ = (Path(__file__).resolve().parent / "VERSION").read_text().strip()
