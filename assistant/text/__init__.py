"""Text of the domain, with no index behind it: the glossary of acronyms and body names, the
term map for drafting, mentions of resolutions in free text, cross-references between resolutions,
the catalog of resolutions a library holds, question analysis (answer types, named bodies) and
word-level redlines.

May import: ``assistant.settings``, ``assistant.errors``, ``assistant.caching`` and ``ingest``.
"""
