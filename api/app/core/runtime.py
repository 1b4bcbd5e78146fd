"""The interpreter tuned for a server that prices batches while it answers others.

One process, one GIL: while a thread prices a 1000-row batch, the event loop (which
answers ``/health`` and accepts connections) runs only when it gets the GIL back.
Two of CPython's defaults make it wait long:

- the switch interval (5 ms): how long a thread waiting for the GIL lets the
  running one go on before it asks for it. Each step of a request on the loop may
  wait that long, several times per request; 1 ms cuts that wait fivefold for a
  small cost in throughput;
- the garbage collector: a batch allocates hundreds of thousands of objects, which
  triggers full collections that scan every object of the process (the modules,
  the model, the other requests in flight) while holding the GIL: ~80 ms each here.
  :func:`gc.freeze` moves what start-up made out of the collector's reach, and a
  larger first-generation threshold makes collections rarer. Nothing this service
  builds forms reference cycles that need prompt collection.

Measured by ``api/scripts/benchmark_api.py`` (``/health`` while 4 clients post
1000-row ``/explain`` batches), see api/README.md.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001
GC_THRESHOLDS = (50_000, 20, 100)


def tune_for_serving() -> None:
    """Set the switch interval and the collector's thresholds; freeze what exists.

    Called once the model is loaded, so the model is among what is frozen.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
