"""The errors a user can act on. Shells map only these to a 4xx or exit code 2.

Every message says what is wrong and what to do. Anything else that escapes (a ``KeyError`` from
a bug, say) is an internal error: a 500 in the API, a traceback and exit code 1 in the CLI.
"""

from __future__ import annotations


class AssistantError(Exception):
    """A mistake or a condition the user can fix; the message says how."""

    status = 400  # the HTTP status the API answers with


class NotFoundError(AssistantError, LookupError):
    """A named document, clause or conversation is not in the library."""

    status = 404


class BadRequestError(AssistantError, ValueError):
    """The request cannot be carried out as asked (empty question, nothing to compare, ...)."""

    status = 400


class ConflictError(AssistantError):
    """Another operation holds what this one needs (an ingest is running)."""

    status = 409


class ConfigurationError(AssistantError, ValueError):
    """A setting or a file named by a setting is wrong (a term map, the store's address)."""

    status = 500


class UnavailableError(AssistantError):
    """A configured service cannot be used now (the language model, the embedding model)."""

    status = 503
