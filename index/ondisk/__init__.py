"""The on-disk format: how articles become Whoosh segments, and how those are read back.

The only code in the project that touches Whoosh's private APIs, pinned to whoosh3 3.54
(pyproject: `whoosh3>=3.54,<3.55`; a new Whoosh release means re-running
tests/test_index_codec.py, the oracle tests against stock whoosh3, before moving the pin).

Private APIs used, each in one module:
- codec.py: whoosh3's W3LeafMatcher block state (`_postfile`, `_dataoffset`, `_data`,
  `_blocklength`, ...) and TermInfo totals (`_weight`, `_df`, `_minid`, ...), to write and
  decode packed-array posting blocks.
- bulk.py: SegmentWriter internals (`_check_state`, `_process_posts`, `_finalize_segment`,
  `fieldwriter._postwriter`, ...), to invert in memory and write posting lists whole.
- columns.py: column readers' raw buffers (`_dbfile`, `_basepos`, `_typecode`, `_uniques`,
  ...) and a segment's `_perdoc`, to read whole columns with one numpy.frombuffer.
- postings.py: FilterMatcher's `child`, to read postings of segments with deletions.
- terms.py: Wildcard/Prefix `_btexts`, to enumerate a pattern's terms.
- segments.py: `whoosh.index.TOC`, to commit segments written by several processes.

The pickle rule: Whoosh pickles the schema (with its analyzers and formats) into the table
of contents and the codec into every segment, so the class paths
`index.ondisk.analysis.*`, `index.ondisk.formats.*` and `index.ondisk.codec.HeraldCodec`
are part of the on-disk format. Moving or renaming one is a format change: bump
`index.layout.FORMAT`, so that older builds get "run python -m index.rebuild" instead of an
unpickling error.
"""
