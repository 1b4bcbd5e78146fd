"""Write a file atomically: a reader, or a crash, sees the old file or the new one.

Writing a file in place can leave half of it behind: a full disk, a killed process,
a reader that opens it mid-write. So the bytes go to a temporary file in the same
folder (a rename is atomic only within one file system), are flushed to disk with
``fsync``, and the temporary file is renamed over the old one with ``os.replace``.
If anything fails first, the temporary file is removed and the old file is whole.

The teaching stages keep the same guarantee with the simplest code that gives it;
this is the full-strength version: the new file gets the permissions ``open()``
would give it, and nothing is left behind on any error.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_temporary(path: Path, content: bytes) -> Path:
    """Write ``content`` to a new hidden file beside ``path``, flushed to disk."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            # mkstemp makes the file private (0600): give it the mode open() would
            os.fchmod(file.fileno(), 0o666 & ~_umask())
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` all at once: a reader sees old or new.

    The bytes go to a temporary file in the same folder (a rename is atomic only
    within one file system), are flushed with ``fsync``, and the file is renamed over
    ``path`` with ``os.replace``. If writing fails (a full disk), the temporary file
    is removed and ``path`` is untouched.
    """
    temporary = write_temporary(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
