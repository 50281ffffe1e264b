"""The full-text index over the archive, in layers (imports point down this list):

    search.py, model.py   the face the web sees: Searcher answers SearchRequests with
                          plain SearchResults (no Whoosh type crosses this line)
    live.py, faults.py    what a Searcher holds open (the live build, the archive) and
                          notices changing; which read errors mean damaged files (503s)
    limits.py             every limit a query is held to (the web quotes the same numbers)
    hits.py               a page's hits from the archive, snippets cut by the premium rule
    rebuild.py, update.py, stats.py, publish.py, commands.py
                          the commands (python -m index.rebuild / .update / .stats /
                          .publish) and their shared one-line failure messages
    maintain/             full parallel rebuild, incremental update, statistics, publishing
                          a build to a replica's data directory (writes), skipping
                          unindexable rows, cleaning up after a failed rebuild
    engine/               the query engine (reads): syntax → query (words looked up,
                          wildcards expanded from vocab within a WorkBudget) → docsets
                          (exact set operations), ranking, facets, snippets, explain
                          (what was searched, in plain words), suggest (did you mean)
    layout.py             the index directory: the `current` link, meta.json, the lock, FORMAT
    ondisk/               the on-disk format: schema, analysis, codec, bulk segment writer,
                          column and postings readers, per-segment vocabulary files (vocab.py);
                          the only code on Whoosh's private APIs

What Whoosh still does: the term dictionary and its files, segment and TOC bookkeeping,
per-document columns and field lengths, query objects, deletions and update_document,
key-term extraction for related articles, and a fallback matcher for any query the engine
does not evaluate itself.

What this package does itself, and why (figures at 200,000 articles, 2 cores):
- Posting blocks are packed arrays decoded by numpy (ondisk/codec.py): Whoosh's pickled
  blocks cost ~0.5 µs per posting to decode, most of a query's time.
- Segments are written whole from in-memory inversion (ondisk/bulk.py, inversion.py) by
  several processes: Whoosh's pooled writer ran ~150 articles/s on the realistic corpus.
  Texts are split a batch at a time by pyarrow (ondisk/chunking.py) and each distinct
  chunk looked up once (ondisk/streams.py): splitting and looking up every word in Python
  was ~40 % of a rebuild. A rebuild now runs ~1,700 articles/s at 200,000 (2 processes).
- Columns are read with one numpy.frombuffer each (ondisk/columns.py): Whoosh's
  value-per-call readers took ~1 s to open a searcher (now ~14 ms).
- Match sets, exact totals and facets are numpy set operations and bincounts
  (engine/docsets.py, setops.py, facets.py): Whoosh's collectors counted at ~6 ms per
  1,000 matches, and `groupedby=` scores every match. A set holding most of the archive
  is counted through the documents outside it (engine/counting.py), and the single-valued
  facets with one bincount of code combinations (engine/joint.py).
- BM25F ranking is numpy over whole posting lists (engine/ranking.py): Whoosh's scorer
  steps through matchers one posting at a time.
- Phrases of common words are answered from indexed word pairs (engine/phrases.py):
  Whoosh's position check took over a second for "police said".
- Segments are not compound: Whoosh copies a compound segment's files into memory.
- Query text is read by engine/syntax.py, not Whoosh's parser: its plus/minus plugin turned
  `-rugby` into "rugby", `x OR -y` into "x AND NOT y", and its fallback on anything odd
  dropped every operator; here a query means what it says or is refused with a reason.
- Wildcards are looked up in vocabulary files (ondisk/vocab.py, engine/vocab.py): Whoosh
  tests every word of the dictionary against a leading `*` (30 s on 605,000 words).
"""
