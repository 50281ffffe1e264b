"""Maintaining the index: the full parallel rebuild (build), incremental updates from the
archive's change watermark (incremental) and statistics (report). The commands that run them
are index.rebuild, index.update and index.stats. Writes go through index.ondisk; the query
engine is never imported here.
"""
