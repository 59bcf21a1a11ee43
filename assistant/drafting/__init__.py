"""Harmonized wording: merge of counterpart clauses with provenance, term generalization, optional
smoothing by a chat model, whole-resolution revision, and citations brought up to date.

May import: ``assistant.align``, ``assistant.index``, ``assistant.text`` and below, and ``ingest``;
never ``assistant.answering`` (a sibling) or anything above.
"""
