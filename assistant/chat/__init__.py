"""The chat: routing a message to an intent, the offline and the tool-calling agents, their tools,
and conversations with follow-ups.

May import: ``assistant.word``, ``assistant.answering``, ``assistant.drafting`` and below, and
``ingest``; never the shells (``assistant.cli``, ``api``, ``evals``).
"""
