"""Clause-to-clause correspondence between resolutions (the annex, computed) and the
clause-by-clause comparison of two versions of one resolution.

May import: ``assistant.index``, ``assistant.text`` and below, and ``ingest``.
"""
