"""The packed posting blocks, positions and bulk segment writer against stock Whoosh.

index.ondisk.codec, index.ondisk.formats and index.ondisk.bulk change how postings are written
and stored, never what they are: every term's (doc, weight, positions or frequency) must read
back exactly as stock whoosh3 (its codec, its formats, its SegmentWriter) gives them.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Frequency, Positions
from whoosh.util.numeric import length_to_byte

from bench.synth import generate_articles
from index.ondisk.bulk import BulkSegmentWriter, open_for_writing
from index.ondisk.codec import ArrayLeafMatcher, HeraldCodec
from index.ondisk.formats import PackedPositions, encode_many
from index.ondisk.inversion import PostingTable
from index.ondisk.lists import write_field
from index.ondisk.postings import postings
from index.ondisk.schema import make_schema, to_document
from tests.index_support import article


def _documents() -> list[dict[str, object]]:
    docs = [to_document(a) for a in generate_articles(700, seed=3)]
    # Words far apart, a long body and an unusual title: wide positions, u2 frequencies.
    long_body = " ".join(["filler"] * 70_000 + ["needle", "haystack"])
    docs.append(to_document(article("NEEDLE", body=long_body, title="Needle needle needle")))
    return docs


def _stock(schema: Schema) -> Schema:
    """The same schema with Whoosh's own formats."""
    stock = copy.deepcopy(schema)
    for field in stock._fields.values():  # noqa: SLF001
        if isinstance(field.format, PackedPositions):
            field.format = Positions(field_boost=field.format.field_boost)
        elif type(field.format).__name__ == "FastFrequency":
            field.format = Frequency(field_boost=field.format.field_boost)
    return stock


def _all_postings(ix: whoosh_index.Index) -> dict[tuple[str, bytes], list[tuple]]:
    found = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for fieldname, text in reader.all_terms():
            field = searcher.schema[fieldname]
            m = reader.postings(fieldname, text)
            rows = []
            while m.is_active():
                extra = (
                    tuple(m.value_as("positions"))
                    if field.format.supports("positions")
                    else m.value_as("frequency")
                )
                rows.append((m.id(), m.weight(), extra))
                m.next()
            found[(fieldname, text)] = rows
    return found


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    docs = _documents()
    schema = make_schema(["polic", "said", "govern", "minist"])
    made = {}
    for kind in ("stock", "whoosh_writer", "bulk"):
        path = tmp_path_factory.mktemp(kind)
        ix = whoosh_index.create_in(path, _stock(schema) if kind == "stock" else schema)
        if kind == "bulk":
            ix = open_for_writing(path)
            writer = BulkSegmentWriter(ix)
        else:
            codec = W3Codec() if kind == "stock" else HeraldCodec(blocklimit=64)
            writer = ix.writer(codec=codec)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        made[kind] = whoosh_index.open_dir(path)
    return made


def test_whoosh_writer_with_packed_blocks_reads_back_like_stock(indexes) -> None:
    assert _all_postings(indexes["whoosh_writer"]) == _all_postings(indexes["stock"])


def test_bulk_segment_writer_reads_back_like_stock(indexes) -> None:
    stock = _all_postings(indexes["stock"])
    assert _all_postings(indexes["bulk"]) == stock
    assert max(len(rows) for rows in stock.values()) > 512  # several blocks per list
    with indexes["bulk"].searcher() as bulk, indexes["stock"].searcher() as ref:
        for name in ("content", "title", "standfirst"):
            assert bulk.reader().field_length(name) == ref.reader().field_length(name)
            lengths = [bulk.reader().doc_field_length(d, name) for d in range(bulk.doc_count())]
            assert lengths == [
                ref.reader().doc_field_length(d, name) for d in range(ref.doc_count())
            ]
        assert list(bulk.reader().all_stored_fields()) == list(ref.reader().all_stored_fields())


def test_block_arrays_decode_whole_lists(indexes) -> None:
    with indexes["bulk"].searcher() as searcher:
        m = searcher.reader().postings("content", b"said")
        assert isinstance(m, ArrayLeafMatcher)
        ids, freqs = postings(searcher, "content", "said")
        expected = list(m.items_as("frequency"))
        assert ids.tolist() == [doc for doc, _ in expected]
        assert freqs.tolist() == [float(f) for _, f in expected]
        assert np.all(np.diff(ids) > 0)


def test_skip_to_and_positions_of_wide_documents(indexes) -> None:
    with indexes["bulk"].searcher() as searcher:
        last = searcher.doc_count() - 1
        m = searcher.reader().postings("content", b"needl")
        m.skip_to(last)
        assert m.id() == last
        # Title words, two line breaks (the empty standfirst between), then the body.
        assert m.value_as("positions") == [0, 1, 2, 70_005]
        assert searcher.reader().postings("title", b"needl").weight() == 3.0


def test_packed_positions_round_trip() -> None:
    fmt = PackedPositions()
    cases = ([0], [5], [3, 9, 400], [255, 510], [1, 65_535], [2, 65_536, 1_000_000])
    for positions in cases:
        encoded = fmt.encode(positions)
        assert fmt.decode_positions(encoded) == positions
        assert fmt.decode_frequency(encoded) == len(positions)
    assert len(fmt.encode([5])) == 2  # Whoosh's Positions spends ~14 bytes on this
    assert len(fmt.encode([5, 300])) == 5  # a gap of 256 or more: 2-byte positions


@pytest.mark.parametrize(
    "lists",
    [
        [[0], [3, 9, 400], [7], [255, 510]],
        [[1, 65_535], [2, 65_536, 1_000_000], [4]],
        [[9, 12, 13], [300], [0, 255]],
        [],
    ],
)
def test_many_packed_positions_encode_and_decode_at_once(lists) -> None:
    fmt = PackedPositions()
    counts, positions = fmt.decode_many([fmt.encode(p) for p in lists])
    assert counts.tolist() == [len(p) for p in lists]
    assert positions.tolist() == [x for p in lists for x in p]
    flat = np.array([x for p in lists for x in p], np.int64)
    sizes, blob = encode_many(flat, np.array([len(p) for p in lists], np.int64))
    assert blob.tobytes() == b"".join(fmt.encode(p) for p in lists)
    assert sizes.tolist() == [len(fmt.encode(p)) for p in lists]


def _unusual_postings() -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    rnd = np.random.default_rng(7)
    gaps = rnd.choice([1, 2, 200, 300, 70_000, 5_000_000], size=100)
    ids = np.cumsum(gaps).astype(np.int64)
    weights = rnd.choice([1.0, 2.0, 2.5, 300.0, 70_000.0], size=100).astype(np.float32)
    fmt = PackedPositions()
    values = [
        fmt.encode(sorted(set(rnd.integers(0, 100_000, size=int(k)).tolist())))
        for k in rnd.integers(1, 6, size=100)
    ]
    return ids, weights, values


def _write_unusual(storage, ids, weights, values, bulk: bool):
    """One posting list written through Whoosh's writer or index.ondisk.lists; its info."""
    fmt = PackedPositions()
    codec = HeraldCodec(blocklimit=16)
    if not bulk:
        postfile = storage.create_file("postings")
        writer = codec.postings_writer(postfile)
        writer.start_postings(fmt, W3TermInfo())
        for doc, weight, value in zip(ids.tolist(), weights.tolist(), values, strict=True):
            writer.add_posting(doc, weight, value, 5)
        info = writer.finish_postings()
        postfile.close()
        return storage.open_file("postings"), info
    segment = codec.new_segment(storage, "T")
    fieldwriter = codec.field_writer(storage, segment)
    sizes = np.array([len(v) for v in values], np.int64)
    table = PostingTable(
        [b"word"],
        np.zeros(ids.size, np.int64),
        ids,
        weights,
        sizes,
        np.frombuffer(b"".join(values), np.uint8),
    )
    lengths = np.zeros(int(ids[-1]) + 1, np.uint8)
    lengths[ids] = length_to_byte(5)
    field = TEXT(phrase=True)
    field.format = fmt
    write_field(fieldwriter, "f", field, table, lengths, limit=16)
    fieldwriter.close()
    terms = codec.terms_reader(storage, segment)
    return terms._postfile, terms.term_info("f", b"word")  # noqa: SLF001


@pytest.mark.parametrize("bulk", [False, True])
def test_unusual_ids_weights_and_values_round_trip(bulk) -> None:
    ids, weights, values = _unusual_postings()
    postfile, info = _write_unusual(RamStorage(), ids, weights, values, bulk)
    offset, length = info.extent()
    fmt = PackedPositions()
    m = ArrayLeafMatcher(postfile, offset, length, fmt)
    read = []
    while m.is_active():
        read.append((m.id(), m.weight(), m.value()))
        m.next()
    assert read == list(zip(ids.tolist(), weights.tolist(), values, strict=True))
    whole = ArrayLeafMatcher(postfile, offset, length, fmt).all_arrays()
    assert whole[0].tolist() == ids.tolist()
    assert whole[1].tolist() == weights.tolist()
    assert info.doc_frequency() == 100
    assert info.max_weight() == 70_000.0
    assert info.min_length() == info.max_length() == 5


def test_positions_for_some_documents_match_the_matchers_values(indexes) -> None:
    with indexes["bulk"].searcher() as searcher:
        reader = searcher.reader()
        for field, word in (("content", b"said"), ("stops", b"the")):
            m = reader.postings(field, word)
            every = {}
            while m.is_active():
                every[m.id()] = m.value_as("positions")
                m.next()
            assert len(every) > 512  # several blocks
            docs = np.array(sorted(every), np.int64)
            some = np.sort(np.concatenate([docs[::7], [searcher.doc_count_all() + 5]]))
            found, counts, positions = reader.postings(field, word).positions_for(some)
            assert found.tolist() == docs[::7].tolist()  # and not the absent one
            wanted = [p for d in docs[::7].tolist() for p in every[d]]
            assert counts.tolist() == [len(every[d]) for d in docs[::7].tolist()]
            assert positions.tolist() == wanted
