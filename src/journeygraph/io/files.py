"""The one writer: every file and folder journeygraph writes goes through here.

A target is either left as it was or replaced whole. A file is written to a
temporary file beside it and renamed over it; a folder is built beside its
target and moved in file by file, each move a rename. A write that fails half
way (disk full, a file-size limit, a killed process) leaves the old content.

Before any work, :func:`check_output` applies the overwrite policy that every
command shares:

- an output that is one of the command's inputs is refused, links resolved;
- an existing file is replaced only with ``force``; a device or a pipe
  (``/dev/null``) is written to as it is;
- a symbolic link is never written through: as a file output it counts as an
  existing file (refused without ``force``, even when it points nowhere), and
  ``force`` replaces the link itself, leaving what it points to as it was; as a
  folder output it is refused (give the folder itself);
- a read-only file is never replaced;
- an existing folder is written into only when it is empty, was written by
  journeygraph (it holds :data:`MARKER`), or with ``force``; in a folder
  journeygraph wrote, the files it wrote last time and does not write again
  are removed, and nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from journeygraph.escape import shown as _name
from journeygraph.exceptions import OutputError

__all__ = [
    "MARKER",
    "atomic_path",
    "atomic_write",
    "check_output",
    "is_special",
    "output_folder",
    "reporting",
]

MARKER: Final = ".journeygraph"
"""The file that marks a folder journeygraph wrote and lists what it wrote there."""

_MARKER_HEAD = (
    "# Written by journeygraph, which replaces this folder's files on each run.\n"
    "# The files it wrote (it removes only these):\n"
)


def check_output(
    path: str | Path,
    *,
    inputs: Iterable[str | Path | None] = (),
    force: bool = False,
    folder: bool = False,
) -> None:
    """Refuse ``path`` as an output when writing it could lose something of the user's.

    Parameters
    ----------
    path
        The file (or, with ``folder=True``, the folder) about to be written.
    inputs
        The files and folders the command reads (``None`` entries are skipped).
    force
        Replace an existing file, or write into a folder journeygraph did not write.
    folder
        Whether the output is a folder.

    Raises
    ------
    OutputError
        Saying what is wrong and what to do.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     mine = Path(tmp, "map.yaml")
    ...     _ = mine.write_text("version: 1\\n")
    ...     check_output(mine, inputs=[mine], force=True)
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.OutputError: ...map.yaml is also an input of this command; \
write the output to another path
    """
    target = Path(path)
    for given in inputs:
        if given is None:
            continue
        source = Path(given)
        if _same(target, source) or (target.is_symlink() and _same(target.resolve(), source)):
            raise OutputError(
                f"{_name(target)} is also an input of this command; "
                "write the output to another path"
            )
        if folder and _inside(source, target):
            raise OutputError(
                f"{_name(target)} holds {_name(source)}, an input of this command; "
                "write the output to another folder"
            )
    _check_parents(target)
    if folder:
        _check_folder(target, force)
    else:
        _check_file(target, force)


def _same(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _inside(inner: Path, outer: Path) -> bool:
    return outer.resolve() in inner.resolve().parents


def _check_parents(target: Path) -> None:
    for parent in target.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{_name(target)}: {_name(parent)} is a file, not a folder")
            return


def _check_file(target: Path, force: bool) -> None:
    if target.is_symlink() and not is_special(target):
        if not force:
            raise OutputError(
                f"{_name(target)} is a symbolic link (to {_name(os.readlink(target))}); "
                "choose another name, or pass --force to replace the link itself "
                "(what it points to is left as it is)"
            )
        return
    if target.is_dir():
        raise OutputError(
            f"{_name(target)} is a folder; give a file name, e.g. {_name(target / 'out')}"
        )
    if not target.exists() or is_special(target):
        return
    if _read_only(target):
        raise OutputError(f"{_name(target)} is read-only; journeygraph leaves it as it is")
    if not force:
        raise OutputError(
            f"{_name(target)} exists; choose another name or pass --force to replace it"
        )


def _check_folder(target: Path, force: bool) -> None:
    if target.is_symlink():
        raise OutputError(
            f"{_name(target)} is a symbolic link (to {_name(os.readlink(target))}); "
            "journeygraph does not write through links: give the folder itself"
        )
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{_name(target)} is a file; this output is a folder, so give a folder path"
        )
    if not target.is_dir() or force or (target / MARKER).is_file():
        return
    if any(target.iterdir()):
        raise OutputError(
            f"{_name(target)} is a folder journeygraph did not write; "
            "choose a new or empty folder, or pass --force to write into it "
            "(files of the same name are replaced)"
        )


def is_special(target: Path) -> bool:
    """Whether ``target`` is a device, a pipe or a socket (``/dev/null``, ``/dev/stdout``):
    written to as it is, never replaced, and never a folder.

    A link to a device is special (``/dev/stdout`` is one), and so is a path under
    ``/dev`` or a process's ``/proc/.../fd``, even where it leads to a file (stdout
    redirected to one): it is written to, never replaced. A link to a file, or to
    nothing, is not: the link itself is replaced.
    """
    if _stream(target):
        return True
    return target.exists() and not target.is_file() and not target.is_dir()


def _stream(target: Path) -> bool:
    """Whether ``target`` names a stream of this process (``/dev/stdout``, ``/dev/fd/1``,
    ``/proc/self/fd/1``) rather than a file of the user's."""
    try:
        absolute = Path(os.path.abspath(target))
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return False
    for path in (absolute, resolved):
        parts = path.parts
        if len(parts) > 2 and parts[1] == "dev":
            return True
        if len(parts) > 3 and parts[1] == "proc" and parts[3] == "fd":
            return True
    return False


def _read_only(target: Path) -> bool:
    return not target.stat().st_mode & 0o222


_SLICE = 1 << 20
"""Characters of text encoded and written at a time by `atomic_write`."""


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path``: the old file or the whole new one, never half.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = atomic_write(Path(tmp, "a", "b.txt"), "hello")
    ...     out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('hello', ['b.txt'])
    """
    with atomic_path(path) as temporary, reporting(Path(path)), temporary.open("wb") as handle:
        if isinstance(data, str):
            # Encoded a slice at a time: a large audit's text is not held twice,
            # once as text and once as bytes.
            for start in range(0, len(data), _SLICE):
                handle.write(data[start : start + _SLICE].encode("utf-8"))
        else:
            handle.write(data)
        handle.flush()
        if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # not /dev/null or a pipe
            os.fsync(handle.fileno())
    return Path(path)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block ends.

    If the block raises, the temporary file goes and ``path`` is as it was.
    A symbolic link is never written through: the rename replaces the link
    itself, and the file it points to is left as it was.
    The new file keeps the old one's permissions, or gets the usual ones.
    """
    target = Path(path)
    if is_special(target):
        with reporting(target):
            yield target
        return
    with reporting(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = _reserve(target)
    try:
        with reporting(target):
            yield temporary
            if not temporary.exists():
                raise OutputError(f"cannot write {_name(target)}: nothing was written")
            if target.is_file() and not target.is_symlink():
                import shutil  # here: not loaded by the commands that only read

                shutil.copymode(target, temporary)
            os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _reserve(target: Path) -> Path:
    """An empty new file beside ``target``, with the permissions a new file gets here."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 less the umask, as for any file the user creates.
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temporary


@contextlib.contextmanager
def output_folder(path: str | Path) -> Iterator[Path]:
    """A folder to build an output in; moved into ``path`` when the block ends.

    Every file the block writes in the yielded folder lands in ``path`` by a
    rename, ``path`` is marked as journeygraph's (:data:`MARKER`), and the files
    journeygraph wrote there before and did not write now are removed. If the
    block raises, ``path`` is as it was.
    """
    target = Path(path)
    if target.is_symlink():
        raise OutputError(
            f"{_name(target)} is a symbolic link; journeygraph does not write through links: "
            "give the folder itself"
        )
    with reporting(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        building.mkdir()
    try:
        yield building
        with reporting(target):
            _move_in(building, target)
    finally:
        import shutil

        shutil.rmtree(building, ignore_errors=True)


def _move_in(building: Path, target: Path) -> None:
    written = sorted(p.name for p in building.iterdir() if p.name != MARKER)
    # Checked before the first move: a folder in the way would stop the moves half way.
    for name in [*written, MARKER]:
        there = target / name
        if there.is_dir() and not there.is_symlink():
            raise OutputError(
                f"{_name(there)} is a folder where the output has a file; move it away "
                "and run again (nothing in the folder was replaced)"
            )
    (building / MARKER).write_text(_MARKER_HEAD + "".join(f"{n}\n" for n in written), "utf-8")
    if not target.exists():
        building.rename(target)
        return
    before = _listed(target)
    for name in [*written, MARKER]:
        os.replace(building / name, target / name)
    for name in before - set(written):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            (target / name).unlink()


def _listed(folder: Path) -> set[str]:
    """The files journeygraph wrote in ``folder`` last time (plain names only)."""
    try:
        text = (folder / MARKER).read_text("utf-8", errors="replace")
    except FileNotFoundError:
        return set()
    names = {line.strip() for line in text.splitlines() if line and not line.startswith("#")}
    return {n for n in names if n and n == Path(n).name and n not in (".", "..", MARKER)}


@contextlib.contextmanager
def reporting(target: Path) -> Iterator[None]:
    """Turn an operating-system error while writing ``target`` into one clear message.

    For writes that go through a library's own temporary files first.
    """
    try:
        yield
    except OutputError:
        raise
    except OSError as err:
        raise OutputError(_explain(target, err)) from None


def _explain(target: Path, err: OSError) -> str:
    kept = " (the old file is kept)" if target.exists() and not target.is_dir() else ""
    if err.errno == errno.EISDIR:
        return f"{_name(target)} is a folder; give a file name"
    if err.errno == errno.ENOTDIR:
        return f"{_name(target)}: a part of this path is a file, not a folder"
    if err.errno == errno.ENOSPC:
        return f"cannot write {_name(target)}: the disk is full{kept}"
    if err.errno == errno.EFBIG:
        return f"cannot write {_name(target)}: over the size a file may have here{kept}"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {_name(target)}: permission denied{kept}"
    return f"cannot write {_name(target)}: {err.strerror or err}{kept}"
