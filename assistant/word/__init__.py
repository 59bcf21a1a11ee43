"""What drafters take away: Word files with real revision marks (insertions, deletions, moves,
comments) for drafts, comparisons and revisions, and a revision's JSON and markdown.

May import: ``assistant.drafting``, ``assistant.align`` and below, and ``ingest``.
"""
