"""Reading a log's bytes within its bounds: gzip bombs, truncated gzip, endless text.

Every byte of an XES log, and every byte of a gzipped CSV log, is read through
`open_bytes`: a stream that stops with a `LogError` saying where and what to
do when a gzipped file inflates past `LogLimits.inflated` (or, early, past
`LogLimits.ratio` times the bytes it came from), when the gzip is truncated or
corrupt, or (for XML) when a run of text without markup passes
`LogLimits.text`. `long_lines` finds the lines of a CSV too long to be rows.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from journeygraph.evidence.reading.limits import RATIO_FROM_BYTES, LogLimits
from journeygraph.exceptions import Location, LogError, Problem

__all__ = ["LogStream", "long_lines", "open_bytes", "open_stream"]


def is_gzip(file: Path) -> bool:
    """Whether ``file`` is named as a gzipped log."""
    return file.name.lower().endswith(".gz")


class LogStream(io.RawIOBase):
    """A log's bytes (inflated where gzipped), checked against its limits as they are read.

    ``markup`` (XML) also bounds each run of bytes without a ``<``: no value or
    text of a well-formed log can be longer than that run.
    """

    def __init__(self, file: Path, limits: LogLimits, *, markup: bool = False) -> None:
        super().__init__()
        self.file, self.limits, self.markup = file, limits, markup
        self._raw = file.open("rb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="rb") if is_gzip(file) else None
        self.inflated = 0
        self._offset = 0  # bytes before the current chunk
        self._run = 0  # bytes since the last "<"
        self._run_at = 0  # where that run starts (its line is counted only for a message)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes, as read: not copied into a buffer on their way, for a
        reader of large blocks (a buffered reader of the stream calls `readinto`)."""
        if size is None or size < 0:
            return self.readall()
        return self._read(size)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        if self._gzip is not None:
            self._gzip.close()
        self._raw.close()
        super().close()

    def _read(self, size: int) -> bytes:
        if self._gzip is None:
            data = self._raw.read(size)
        else:
            try:
                data = self._gzip.read(size)
            except (EOFError, OSError, zlib.error) as err:
                raise LogError(
                    [
                        Problem(
                            f"{self.file}: not a whole gzip file ({err}); it may have been cut "
                            "short in copying: copy or export it again"
                        )
                    ]
                ) from None
            self.inflated += len(data)
            self._check_inflated()
        if self.markup and data:
            self._check_runs(data)
        return data

    def _check_inflated(self) -> None:
        limits, read = self.limits, self._raw.tell()
        over = self.inflated > limits.inflated
        bomb = (
            limits.ratio is not None
            and self.inflated > RATIO_FROM_BYTES
            and self.inflated > limits.ratio * max(read, 1)
        )
        if over or bomb:
            why = (
                f"inflates to more than {limits.describe('inflated')}"
                if over
                else f"inflates to more than {limits.ratio} times its size "
                f"({self.inflated:,} bytes from {read:,}), as no log does"
            )
            raise LogError(
                [
                    Problem(
                        f"{self.file}: {why}; a decompression bomb, or a log larger than "
                        f"journeygraph reads by default: {limits.hint('inflated')} (and the "
                        "ratio check) if you trust it"
                    )
                ]
            )

    def _check_runs(self, data: bytes) -> None:
        first, last = data.find(b"<"), data.rfind(b"<")
        run = self._run + (len(data) if first < 0 else first)
        start = self._run_at
        if run <= self.limits.text < last - first:
            # A run inside this chunk (only a limit smaller than a chunk can be passed there).
            inner = re.compile(b"[^<]{%d,}" % (self.limits.text + 1)).search(data, first)
            if inner is not None:
                run = self.limits.text + 1
                start = self._offset + inner.start()
        if run > self.limits.text:
            raise LogError(
                [
                    Problem(
                        f"more than {self.limits.describe('text')} of text without markup, "
                        "from here; no value of an event log is that long: remove it, or "
                        f"{self.limits.hint('text')}",
                        Location(str(self.file), self._line_at(start), 1),
                    )
                ]
            )
        if first >= 0:
            self._run = len(data) - last - 1
            self._run_at = self._offset + last
        else:
            self._run = run
        self._offset += len(data)

    def _line_at(self, offset: int) -> int:
        """The line of the byte at ``offset``, counted by reading the log again: the lines
        of every block read are not counted, as only a message needs one."""
        lines = 1
        with LogStream(self.file, self.limits) as again:
            while offset > 0:
                block = again.read(min(_BLOCK, offset))
                if not block:
                    break
                lines += block.count(b"\n")
                offset -= len(block)
        return lines


def open_bytes(file: Path, limits: LogLimits, *, markup: bool = False) -> IO[bytes]:
    """The bytes of ``file``, inflated when gzipped, read within ``limits``."""
    return io.BufferedReader(open_stream(file, limits, markup=markup), 1 << 16)


def open_stream(file: Path, limits: LogLimits, *, markup: bool = False) -> LogStream:
    """`open_bytes` unbuffered: for a reader of large blocks, which `LogStream.read` gives
    as they are read (a buffer would copy each once more)."""
    if not file.is_file():
        raise LogError([Problem(f"{file}: no such file; check the path")])
    return LogStream(file, limits, markup=markup)


_BLOCK = 1 << 20


def long_lines(file: Path, limits: LogLimits) -> dict[int, int]:
    """The lines of ``file`` longer than ``limits.value`` bytes: their length by line number.

    A line that long holds at least one aligned block of half its length with
    no line break: blocks are searched (in C) for their first and last break
    only, and only such a block's line is measured, so a file of ordinary lines
    costs one pass of ``find``; the lines are counted only up to a long one.
    """
    block = max(1, min(_BLOCK, limits.value // 2))
    starts: dict[int, int] = {}  # where each long line starts, and its length
    start, position = 0, 0  # where the current line started, bytes read
    carry = False  # whether the current line has been seen to be long
    for data, size in _blocks(file, limits, block):
        first = data.find(b"\n", 0, size)
        if first < 0:
            carry = True
        else:
            if carry and position + first - start > limits.value:
                starts[start] = position + first - start
            start = position + data.rfind(b"\n", 0, size) + 1
            carry = False
        position += size
    if carry and position - start > limits.value:
        starts[start] = position - start
    return _numbered(file, limits, starts) if starts else {}


def _blocks(file: Path, limits: LogLimits, block: int) -> Iterator[tuple[bytes | bytearray, int]]:
    """The bytes of ``file`` a block at a time, each with its size: a plain file's read
    into one buffer, over and over (no copy), a gzipped one's through `open_bytes`."""
    if is_gzip(file):
        with open_bytes(file, limits) as handle:
            while data := handle.read(block):
                yield data, len(data)
        return
    buffer = bytearray(block)
    with file.open("rb", buffering=0) as raw:
        while size := raw.readinto(buffer):
            yield buffer, size


def _numbered(file: Path, limits: LogLimits, starts: dict[int, int]) -> dict[int, int]:
    """``starts`` (byte offsets of lines, with their lengths) by line number instead."""
    found: dict[int, int] = {}
    with open_bytes(file, limits) as handle:
        lines, position = 1, 0
        for offset, length in sorted(starts.items()):
            lines += handle.read(offset - position).count(b"\n")
            position = offset
            found[lines] = length
    return found
