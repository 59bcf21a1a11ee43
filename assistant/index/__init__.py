"""The library: ingest into the store (Chroma) and the state, embeddings (sentence-transformers),
BM25, rank fusion and hybrid retrieval, behind :class:`assistant.index.library.Library`.

May import: ``assistant.text`` and below (settings, errors, caching, chat model) and ``ingest``.
"""
