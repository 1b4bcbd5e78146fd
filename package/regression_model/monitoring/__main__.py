"""``python -m regression_model.monitoring``: the drift report's command line.

The report draws its figures with matplotlib, which the package does not install
for scoring; without it, the command says so in one line and exits 2.
"""

from __future__ import annotations

import sys

MISSING_MATPLOTLIB = "error: the drift report needs matplotlib: pip install matplotlib"


def main() -> int:
    """Run the report's command line, or name what to install and return 2."""
    try:
        import matplotlib
    except ImportError:
        print(MISSING_MATPLOTLIB, file=sys.stderr)
        return 2
    matplotlib.use("Agg")  # files, never a window
    from regression_model.monitoring.report import main as report_main

    return report_main()


if __name__ == "__main__":
    raise SystemExit(main())
