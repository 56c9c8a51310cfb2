"""Write a file so that a crash never leaves half of it under its name.

The content goes to a temporary file in the same folder, which then replaces
the target in one step. A temporary file is created readable by its owner
only; it gets the permissions any new file of the user gets (0666 less the
umask) before it takes the name, so every output file is alike.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(out: Path, write: Callable[[str], None]) -> Path:
    """``write(temporary_path)`` fills the file; then it becomes ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
