"""The library's state in SQL: documents, files, pending generations, parsed documents, the
state version, the ingest lock and the conversations (issue 18; before it: files in the home).

Revision ID: 0001
Revises:
Create Date: 2026-11-01
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("generation", sa.String(64), nullable=False),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
    )
    op.create_table(
        "pending",
        sa.Column("document_id", sa.String(255), primary_key=True),
        sa.Column("generation", sa.String(64), nullable=False),
    )
    op.create_table(
        "parsed_documents",
        sa.Column("document_id", sa.String(255), primary_key=True),
        sa.Column("generation", sa.String(64), primary_key=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    version = op.create_table(
        "state_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )
    op.create_table(
        "ingest_lock",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_table(
        "conversation_turns",
        sa.Column("conversation", sa.String(100), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("resolved", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    empty = hashlib.sha256(json.dumps([]).encode()).hexdigest()
    op.bulk_insert(version, [{"id": 1, "version": 0, "fingerprint": empty}])


def downgrade() -> None:
    for table in (
        "conversation_turns",
        "ingest_lock",
        "state_version",
        "parsed_documents",
        "pending",
        "files",
        "documents",
    ):
        op.drop_table(table)
