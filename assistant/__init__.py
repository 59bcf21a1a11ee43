"""The resolution assistant: retrieval, cited answers, alignment and harmonized drafting.

Subpackages, each importing only those below it (checked by ``lint-imports``, see pyproject.toml):

- ``cli``        the ``resolutions`` command (a shell; the only part that imports ``api``/``evals``)
- ``chat``       routing, agents, tools, conversations
- ``word``       Word files with revision marks; a revision's JSON and markdown
- ``answering``  grounded answers and citation checks  | ``drafting``  merged wording, revisions
- ``align``      clause alignment across resolutions; comparison of two versions
- ``index``      the library: ingest, store, embeddings, BM25, hybrid retrieval
- ``text``       glossary, terms, mentions, references, question analysis, redlines
- ``settings``, ``errors``, ``caching``, ``chat_model``: the base every layer may use

``ingest`` (the parsers) sits below all of it and imports none of it.
"""
