"""Writing a whole field's posting lists and term dictionary entries at once.

A segment of a realistic archive has hundreds of thousands of terms, most in a document or
two; writing them one list at a time through Whoosh's postings writer cost ~60 µs a term.
Here a field's `PostingTable` (index.ondisk.inversion) is cut into blocks and every
block's ids, weights and value lengths are packed by numpy in one pass; what is left per
block is joining its parts (and zlib for large position sections), per term one
dictionary entry. The bytes are those of index.ondisk.codec's packed blocks and whoosh3's
term dictionary (W3TermInfo in an OrderedHashWriter), so Whoosh reads them as its own.

Private Whoosh APIs (whoosh3 3.54, see index.ondisk): the field writer's `_postfile`,
`_tindex` and `_fieldmap`, and the hash writer's `index`, `buckets` and `lastkey`.
"""

from __future__ import annotations

import struct
from hashlib import md5
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.fields import FieldType
from whoosh.system import pack_ushort
from whoosh.util.numeric import _length_byte_cache

from index.ondisk.blocks import BLOCK_LIMIT, HEADER, pack_values
from index.ondisk.inversion import PostingTable

_BLOCK_SIZE = struct.Struct("!i")
_RECORD = struct.Struct("!ii")  # the hash writer's (key length, value length)
_WEIGHT_SIZE = np.array([0, 1, 2, 4], np.int64)
# W3TermInfo.to_bytes of a list written to the postings file, field by field.
_TERM_INFO = np.dtype(
    [
        ("flags", "u1"),
        ("weight", ">f4"),
        ("df", ">u4"),
        ("minlength", "u1"),
        ("maxlength", "u1"),
        ("maxweight", ">f4"),
        ("minid", ">u4"),
        ("maxid", ">u4"),
        ("offset", ">i8"),
        ("length", ">i4"),
    ]
)
_LENGTH_CACHE = np.array(_length_byte_cache, np.int64)


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """whoosh.util.numeric.length_to_byte of many lengths."""
    found = np.searchsorted(_LENGTH_CACHE, lengths, side="left")
    return np.where(lengths >= 106374, 255, found).astype(np.uint8)


def _put(out: np.ndarray, at: np.ndarray, values: np.ndarray, widths: np.ndarray) -> None:
    """Write each of `values` little-endian in its `widths` (1, 2 or 4) bytes at `at`."""
    values = values.astype(np.int64)
    for k in range(4):
        wide = widths > k
        out[at[wide] + k] = (values[wide] >> (8 * k)) & 0xFF


class _Blocks:
    """A table cut into blocks of at most BLOCK_LIMIT postings of one term, with each
    block's packed ids and weights (section A) and value lengths, all in numpy."""

    def __init__(self, table: PostingTable, lengths: np.ndarray | None, limit: int) -> None:
        term, doc, weight = table.term, table.doc, table.weight
        p = doc.size
        self.term_start = np.flatnonzero(np.diff(term, prepend=-1))
        counts = np.diff(self.term_start, append=p)
        within = np.arange(p) - np.repeat(self.term_start, counts)
        self.start = np.flatnonzero(within % limit == 0)
        self.n = np.diff(self.start, append=p)
        end = self.start + self.n
        self.last = np.isin(end, np.append(self.term_start[1:], p))
        self.first = within[self.start] == 0
        self.last_id = doc[end - 1]
        delta = np.diff(doc, prepend=0)
        delta[self.start] = doc[self.start]
        top = np.maximum.reduceat(delta, self.start)
        self.width = np.where(top < 1 << 8, 1, np.where(top < 1 << 16, 2, 4))
        self.maxweight = np.maximum.reduceat(weight, self.start)
        low = np.minimum.reduceat(weight, self.start)
        whole = (weight == np.round(weight)) & (weight >= 0)
        integral = np.minimum.reduceat(whole.astype(np.int8), self.start).astype(bool)
        top_w = self.maxweight
        self.wkind = np.where(
            (low == 1) & (top_w == 1),
            0,
            np.where(integral & (top_w < 1 << 8), 1, np.where(integral & (top_w < 1 << 16), 2, 3)),
        )
        if lengths is not None:
            doc_lengths = lengths[doc]
            self.minlength = np.minimum.reduceat(doc_lengths, self.start)
            self.maxlength = np.maximum.reduceat(doc_lengths, self.start)
        else:
            self.minlength = self.maxlength = np.zeros(self.start.size, np.uint8)
        self.section_a = self._pack_a(doc.size, delta, weight)

    def _pack_a(self, p: int, delta: np.ndarray, weight: np.ndarray) -> bytes:
        wsize = _WEIGHT_SIZE[self.wkind]
        size = self.n * (self.width + wsize)
        self.a_end = np.cumsum(size)
        self.a_start = self.a_end - size
        out = np.zeros(int(self.a_end[-1]) if size.size else 0, np.uint8)
        within = np.arange(p) - np.repeat(self.start, self.n)
        width = np.repeat(self.width, self.n)
        _put(out, np.repeat(self.a_start, self.n) + within * width, delta, width)
        kind = np.repeat(self.wkind, self.n)
        at = np.repeat(self.a_start + self.n * self.width, self.n) + within * _WEIGHT_SIZE[kind]
        floats = kind == 3
        _put(out, at[~floats], weight[~floats], _WEIGHT_SIZE[kind[~floats]])
        bits = weight[floats].astype("<f4").view("<u4")
        _put(out, at[floats], bits, np.full(bits.size, 4))
        return out.tobytes()


def _value_sections(
    blocks: _Blocks, table: PostingTable, fixed: int | None
) -> tuple[np.ndarray, list[bytes] | None]:
    """Each block's values kind and its section B before compression (None: no values)."""
    count = blocks.start.size
    if table.vsize is None or fixed == 0:
        return np.zeros(count, np.int64), None
    vsize = table.vsize
    value_end = np.cumsum(vsize)
    first = value_end[blocks.start] - vsize[blocks.start]
    last = value_end[blocks.start + blocks.n - 1]
    blob = table.blob.tobytes()  # type: ignore[union-attr]
    if fixed is not None and fixed > 0:
        return np.ones(count, np.int64), [
            blob[a:b] for a, b in zip(first.tolist(), last.tolist(), strict=False)
        ]
    top = np.maximum.reduceat(vsize, blocks.start)
    vkind = np.where(top < 1 << 8, 3, np.where(top < 1 << 16, 2, 4))
    lsize = np.where(vkind == 3, 1, vkind)
    size = blocks.n * lsize
    l_end = np.cumsum(size)
    packed = np.zeros(int(l_end[-1]), np.uint8)
    within = np.arange(vsize.size) - np.repeat(blocks.start, blocks.n)
    width = np.repeat(lsize, blocks.n)
    _put(packed, np.repeat(l_end - size, blocks.n) + within * width, vsize, width)
    lens = packed.tobytes()
    sections = [
        lens[c - s : c] + blob[a:b]
        for s, c, a, b in zip(
            size.tolist(), l_end.tolist(), first.tolist(), last.tolist(), strict=False
        )
    ]
    return vkind, sections


def write_field(
    fieldwriter: object,
    name: str,
    field: FieldType,
    table: PostingTable,
    lengths: np.ndarray | None,
    limit: int = BLOCK_LIMIT,
) -> None:
    """Write `table` as field `name`'s posting lists and term entries. `lengths` is each
    document's field length byte (None for fields without lengths)."""
    if not len(table):
        return
    fieldwriter.start_field(name, field)  # type: ignore[attr-defined]
    postfile = fieldwriter._postfile  # type: ignore[attr-defined]  # noqa: SLF001
    blocks = _Blocks(table, lengths, limit)
    fixed = field.format.fixed_value_size()
    vkinds, sections = _value_sections(blocks, table, fixed)
    compress = getattr(field.format, "compress", True)
    base = postfile.tell()
    parts: list[bytes] = []
    written = 0
    block_end = np.zeros(blocks.start.size, np.int64)
    a = blocks.section_a
    rows = zip(
        blocks.n.tolist(),
        blocks.last_id.tolist(),
        blocks.maxweight.tolist(),
        blocks.minlength.tolist(),
        blocks.maxlength.tolist(),
        blocks.width.tolist(),
        blocks.wkind.tolist(),
        vkinds.tolist(),
        blocks.a_start.tolist(),
        blocks.a_end.tolist(),
        blocks.first.tolist(),
        blocks.last.tolist(),
        strict=True,
    )
    for i, (n, last_id, maxweight, mn, mx, width, wkind, vkind, a0, a1, first, last) in enumerate(
        rows
    ):
        section_b = sections[i] if sections is not None else b""
        section_b, flags = pack_values(section_b) if compress else (section_b, 0)
        info = dumps((n, last_id, maxweight, 0, mn, mx), 2)
        header = HEADER.pack(width, wkind, vkind, flags, a1 - a0, len(section_b))
        size = len(info) + len(header) + a1 - a0 + len(section_b)
        if first:
            parts.append(WHOOSH3_HEADER_MAGIC)
            written += len(WHOOSH3_HEADER_MAGIC)
        parts += (_BLOCK_SIZE.pack(-size if last else size), info, header, a[a0:a1], section_b)
        written += _BLOCK_SIZE.size + size
        block_end[i] = written
    postfile.write(b"".join(parts))
    _write_terms(fieldwriter, table, blocks, block_end, base)
    fieldwriter.finish_field()  # type: ignore[attr-defined]


def _write_terms(
    fieldwriter: object, table: PostingTable, blocks: _Blocks, block_end: np.ndarray, base: int
) -> None:
    """One term dictionary entry per term: whoosh3's W3TermInfo, in the hash writer."""
    starts = blocks.term_start
    term_blocks = np.flatnonzero(blocks.first)
    last_block = np.append(term_blocks[1:], blocks.start.size) - 1
    offset = base + np.append(0, block_end[:-1])[term_blocks]
    info = np.zeros(starts.size, _TERM_INFO)
    info["weight"] = np.add.reduceat(table.weight.astype(np.float64), starts)
    info["df"] = np.diff(starts, append=table.doc.size)
    info["minlength"] = np.minimum.reduceat(blocks.minlength, term_blocks)
    info["maxlength"] = np.maximum.reduceat(blocks.maxlength, term_blocks)
    info["maxweight"] = np.maximum.reduceat(blocks.maxweight, term_blocks)
    info["minid"] = table.doc[starts]
    info["maxid"] = blocks.last_id[last_block]
    info["offset"] = offset
    info["length"] = base + block_end[last_block] - offset
    values = info.tobytes()
    size = _TERM_INFO.itemsize
    prefix = pack_ushort(fieldwriter._fieldid)  # type: ignore[attr-defined]  # noqa: SLF001
    tindex = fieldwriter._tindex  # type: ignore[attr-defined]  # noqa: SLF001
    dbfile = tindex.dbfile
    position = dbfile.tell()
    records: list[bytes] = []
    buckets = tindex.buckets
    index = tindex.index
    for i, text in enumerate(table.terms):
        key = prefix + text
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        buckets[h & 255].append((h, position))
        index.append(position)
        records += (_RECORD.pack(len(key), size), key, values[i * size : (i + 1) * size])
        position += _RECORD.size + len(key) + size
    dbfile.write(b"".join(records))
    tindex.lastkey = prefix + table.terms[-1]
