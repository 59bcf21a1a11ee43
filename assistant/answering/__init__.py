"""Grounded answers to questions: evidence from retrieved clauses, answer composition without a
language model, optional wording by a chat model, and citation checks.

May import: ``assistant.align``, ``assistant.index``, ``assistant.text`` and below, and ``ingest``;
never ``assistant.drafting`` (a sibling) or anything above.
"""
