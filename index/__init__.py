"""The Whoosh index over the archive: schema, rebuild, incremental update and search.

Only this package imports whoosh. The web app uses `index.search.Searcher` and the plain
types of `index.model`.
"""
