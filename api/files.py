"""Files written whole or not at all.

Every file quanze writes (reports, exports, the demo workbook) is written to a temporary file beside
it and moved into place with `os.replace` only once it is complete, so a full disk or an error while
writing leaves the file that was there before as it was, and no half-written file or temporary file
behind.

    with atomic_write(Path("gaps.csv"), encoding="utf-8-sig", newline="") as handle:
        handle.write("kind,severity\\n")
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, overload

__all__ = ["atomic_write"]


@overload
def atomic_write(path: Path) -> contextlib.AbstractContextManager[BinaryIO]: ...


@overload
def atomic_write(
    path: Path, *, encoding: str, newline: str | None = None
) -> contextlib.AbstractContextManager[TextIO]: ...


def atomic_write(
    path: Path, *, encoding: str | None = None, newline: str | None = None
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A file to write `path` through: binary, or text in `encoding` (with `newline` as `open` takes it).

    What is written goes to a temporary file in the same folder (`.NAME.XXXXXXXX.tmp`), which
    replaces `path` when the block ends cleanly; when the block raises, the temporary file is
    removed and `path` is left as it was. A file that is replaced keeps its permissions; a new one
    gets those `open` would give it. A path that is not a regular file (`/dev/stdout`, a pipe) cannot
    be replaced: it is written directly.

    Raises `OSError` as `open` and `write` do, naming `path` (not the temporary file) when the
    error is about the file being written: `No space left on device: gaps.csv`.

        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp()) / "report.txt"
        >>> with atomic_write(out, encoding="utf-8") as handle:
        ...     _ = handle.write("整份写入")
        >>> out.read_text(encoding="utf-8")
        '整份写入'
    """
    return _atomic_write(path, encoding, newline)


@contextlib.contextmanager
def _atomic_write(path: Path, encoding: str | None, newline: str | None) -> Iterator[IO[Any]]:
    mode = "wb" if encoding is None else "w"
    if path.exists() and not path.is_file() and not path.is_dir():  # a device or a pipe
        with _naming(path, None), open(path, mode, encoding=encoding, newline=newline) as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))  # through a symbolic link to the file it names, as open() does
    temporary, descriptor = _create_beside(target, path)
    try:
        with _naming(path, temporary):
            with os.fdopen(descriptor, mode, encoding=encoding, newline=newline) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


@contextlib.contextmanager
def _naming(path: Path, temporary: Path | None) -> Iterator[None]:
    """Raise an `OSError` about the file being written (no file named, or the temporary one) as one
    about `path`, the file the user asked for."""
    try:
        yield
    except OSError as error:
        if error.errno is not None and error.filename in (None, str(temporary) if temporary else None):
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise


def _create_beside(target: Path, named: Path) -> tuple[Path, int]:
    """A new temporary file in the folder of `target`, open for writing, with the permissions that
    `target` has (or, when it is new, those the umask gives)."""
    try:
        existing: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        existing = None
    if existing is not None and not os.access(target, os.W_OK):  # as open() refuses a read-only file
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(named))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o666 if existing is None else existing)
        except FileExistsError:
            continue
        except OSError as error:  # the folder is missing or read-only: say so of the file asked for
            raise OSError(error.errno, error.strerror, str(named)) from error
        if existing is not None:
            with contextlib.suppress(OSError):  # the umask may have taken bits the old file had
                os.chmod(descriptor, existing)
        return temporary, descriptor
    raise FileExistsError(f"no free name for a temporary file beside {named}")
