"""Writing outputs atomically: a file or a set of files appears whole, or not at all.

* :func:`write_file` writes one file (``estimate -o``, ``review -o``, ``usage -o``, imported price files)
  to a temporary file in the same folder and renames it into place.
* :func:`write_set` writes a set of files (``design -o DIR``, ``import -o DIR``) into a temporary folder
  inside ``DIR``, then moves every file into place in one step: under an exclusive lock on ``DIR`` (two
  concurrent runs never mix their files; the last one wins whole) and with SIGINT/SIGTERM/SIGHUP held
  back for the few renames (an interrupted run leaves the previous outputs intact). Files of an earlier
  run that this run does not write (e.g. ``diagram.svg`` when Graphviz is gone) are removed in the same
  step, so the folder always holds one run's outputs.

Problems are one line with exit status 2: a path that is a directory where a file is expected (or the
reverse) is an :class:`~cloudwright.errors.InputError`; a read-only folder, a full disk or another
refusal of the operating system is a :class:`~cloudwright.errors.HostError`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from cloudwright.errors import HostError, InputError

_TMP_PREFIX = ".cloudwright-tmp-"
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


def _host_error(action: str, path: Path, exc: OSError) -> HostError:
    reason = exc.strerror or exc.__class__.__name__
    return HostError(f"cannot {action} {path}: {reason}")


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _ensure_dir(path: Path, field: str) -> None:
    if path.exists() and not path.is_dir():
        raise InputError("the output path is a file, not a directory", field=field, value=str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError("a part of the output path is a file", field=field, value=str(path)) from None
    except OSError as exc:
        raise _host_error("create directory", path, exc) from None


def write_file(path: str | Path, data: str | bytes, *, field: str = "--output") -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    target = Path(path)
    if target.is_dir():
        raise InputError("the output path is a directory; give a file name", field=field, value=str(target))
    _ensure_dir(target.parent, field)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_bytes(data))
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _host_error("write", target, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM/SIGHUP for the block (delivered right after it)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - platforms without sigmask
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``directory`` (flock on the folder itself; no lock file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove_stale_temps(directory: Path) -> None:
    """Temporary folders of runs that were killed outright (their process is gone)."""
    for entry in directory.glob(_TMP_PREFIX + "*"):
        pid_text = entry.name[len(_TMP_PREFIX) :].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def write_set(
    out_dir: str | Path,
    files: Mapping[str, str | bytes],
    *,
    owned: Iterable[str] = (),
    field: str = "--output",
) -> list[Path]:
    """Write ``files`` (name → content) into ``out_dir`` as one step; see the module docstring.

    ``owned`` names files an earlier run may have written that are removed when this run does not write
    them. Returns the paths written, in the order given.
    """
    out = Path(out_dir)
    _ensure_dir(out, field)
    _remove_stale_temps(out)
    try:
        tmp = Path(tempfile.mkdtemp(dir=out, prefix=f"{_TMP_PREFIX}{os.getpid()}-"))
    except OSError as exc:
        raise _host_error("write to", out, exc) from None
    try:
        for name, data in files.items():
            try:
                (tmp / name).write_bytes(_bytes(data))
                os.chmod(tmp / name, 0o644 & ~_umask())
            except OSError as exc:
                raise _host_error("write", out / name, exc) from None
        stale = [name for name in owned if name not in files]
        try:
            with _locked(out), _signals_held():
                for name in files:
                    os.replace(tmp / name, out / name)
                for name in stale:
                    with contextlib.suppress(FileNotFoundError):
                        (out / name).unlink()
        except OSError as exc:
            raise _host_error("write to", out, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in files]
