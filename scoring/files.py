"""Reading files a person names, safely: regular files only, sizes bounded before and while
reading, compressed files bounded by what they inflate to.

Used by the ``scorecard`` command (``--values``, ``--framework``, ``--countries``, ``--method``)
and by ``update-data --from-dir`` (``indicators.refresh``). A path that is a FIFO, a device such
as ``/dev/zero``, a socket, a folder, a dangling link or a link loop raises :class:`FileRefused`
with one line saying which; so does a file over its size limit (a :class:`LimitError` naming the
limit and the variable that raises it).

* Opening never blocks (``O_NONBLOCK``, so a FIFO with no writer is refused, not waited on), and
  the kind of file is taken from the open descriptor (``fstat``), so a path swapped for a device
  between a check and the open is still refused.
* Reading stops one byte past the limit, whatever the file's stated size (``/proc`` files say 0).
* ``.gz``, ``.bz2`` and ``.xz`` files are inflated in a stream that stops one byte past the limit:
  the limit bounds the inflated text, not the few kilobytes on disk.
"""

from __future__ import annotations

import bz2
import errno
import gzip
import lzma
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from scoring.limits import LimitError, Limits, megabytes

__all__ = ["FileRefused", "describe", "open_regular", "read_bounded", "read_text_file"]

#: Suffix -> a reader that inflates a binary stream.
DECOMPRESSORS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    ".gz": lambda raw: gzip.GzipFile(fileobj=raw),
    ".bz2": lambda raw: bz2.BZ2File(raw),
    ".xz": lambda raw: lzma.LZMAFile(raw),  # noqa: SIM115 (the caller closes it)
}
#: Compressed forms pandas would also guess from the name, which are refused rather than read.
UNSUPPORTED_COMPRESSION = (".zip", ".zst", ".tar", ".tgz")
_CHUNK = 1 << 20


class FileRefused(ValueError):
    """A path that is not a regular file that can be read; the message says what it is."""


def describe(mode: int) -> str:
    """What a file mode is, in words.

    >>> describe(stat.S_IFIFO), describe(stat.S_IFCHR), describe(stat.S_IFDIR)
    ('a named pipe (FIFO)', 'a device', 'a folder')
    """
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a link"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str], *, follow_links: bool = True) -> BinaryIO:
    """`path` opened for binary reading if it is a regular file; FileRefused otherwise (also
    for a link when `follow_links` is False). OSError (not found, permission) passes through."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused(
                f"{path}: is a link that {'is not followed' if not follow_links else 'loops'}"
            ) from None
        if error.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):  # a socket, a device
            try:
                mode = os.stat(path).st_mode
            except OSError:
                raise error from None
            raise FileRefused(f"{path}: is {describe(mode)}, not a regular file") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"{path}: is {describe(mode)}, not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(
    handle: BinaryIO, limit_bytes: int, what: str, limits: Limits, field: str
) -> bytes:
    """Up to `limit_bytes` from `handle`; LimitError (naming `field` of `limits`) if there is
    more. Reads in chunks, so at most one chunk past the limit is ever held."""
    parts, total = [], 0
    while True:
        chunk = handle.read(min(_CHUNK, limit_bytes + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > limit_bytes:
            raise LimitError(
                limits.refusal(f"{what} is too large", f"more than {megabytes(limit_bytes)}",
                               field)
            )  # fmt: skip


def read_text_file(path: str | os.PathLike[str], limits: Limits) -> bytes:
    """The bytes of a file named on the command line: a regular file within the upload limit,
    inflated first (within the same limit) when it ends in .gz, .bz2 or .xz."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in UNSUPPORTED_COMPRESSION or p.name.lower().endswith(".tar.gz"):
        raise FileRefused(
            f"{path}: compressed as {suffix or '.tar.gz'}, which is not read; unpack it, or "
            f"compress it with gzip (.gz)"
        )
    limit = limits.max_upload_bytes
    with open_regular(p) as raw:
        size = os.fstat(raw.fileno()).st_size
        if size > limit:
            raise LimitError(
                limits.refusal(f"{path} is too large", megabytes(size), "max_upload_mb")
            )
        if suffix not in DECOMPRESSORS:
            return read_bounded(raw, limit, str(path), limits, "max_upload_mb")
        try:
            with DECOMPRESSORS[suffix](raw) as inflated:
                return read_bounded(
                    inflated, limit, f"{path} once decompressed", limits, "max_upload_mb"
                )
        except (OSError, EOFError, lzma.LZMAError) as error:
            raise FileRefused(f"{path}: cannot decompress it as {suffix} ({error})") from None
