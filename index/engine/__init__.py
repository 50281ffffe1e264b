"""The query engine: query text to the exact set of matching documents, ranked, counted,
faceted and quoted. It reads the index through index.ondisk and never writes.

query (parse), docsets (match sets), setops (AND/OR/NOT on doc-number arrays), phrases,
cache (postings held between queries), ranking (BM25F), facets (column counts), requests
(validation and the date drill-down), snippets and suggest (did you mean).
"""
