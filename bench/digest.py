"""What the benchmarks compare outputs by (imported by bench/run and bench/group)."""

import hashlib
import os


def digest(folder):
    """Every file under `folder` (dot files too) with the SHA-256 of its bytes: outputs are
    compared by these, so that two outputs need not be on the disk at once."""
    out = {}
    for r, _, fs in os.walk(folder):
        for f in fs:
            p = os.path.join(r, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out
