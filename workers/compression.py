"""The journal's compressor: zlib's format, made by ISA-L.

Facts are small (about 380 bytes of JSON), and for inputs that small zlib
spends most of its time setting itself up: compressing was the largest single
cost of ``kronika import`` (docs/benchmarks.md). ISA-L (``isal``) writes the
same zlib streams about twice as fast, at the same size. The format does not
change: what either writes, the other (and the library's own
``ZlibCompressor``) reads, so journals written before or by another program
read alike.
"""

from __future__ import annotations

from eventsourcing.persistence import Compressor
from isal import isal_zlib


class IsalCompressor(Compressor):
    def compress(self, data: bytes) -> bytes:
        return isal_zlib.compress(data)

    def decompress(self, data: bytes) -> bytes:
        return isal_zlib.decompress(data)


TOPIC = f"{__name__}:{IsalCompressor.__qualname__}"
