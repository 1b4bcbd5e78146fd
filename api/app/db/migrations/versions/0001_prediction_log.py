"""The prediction log: requests, their predictions, the shadow model's.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prediction_requests",
        sa.Column("request_id", sa.String(32), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model_version", sa.String(40), nullable=False),
        sa.Column("plan_sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
    )
    op.create_index("ix_prediction_requests_at", "prediction_requests", ["at"])
    op.create_table(
        "predictions",
        sa.Column(
            "request_id",
            sa.String(32),
            sa.ForeignKey("prediction_requests.request_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("row", sa.Integer, primary_key=True),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("price", sa.Float, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_table(
        "shadow_predictions",
        sa.Column("request_id", sa.String(32), primary_key=True),
        sa.Column("row", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model_version", sa.String(40), nullable=False),
        sa.Column("plan_sha256", sa.String(64), nullable=False),
        sa.Column("price", sa.Float, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("seconds", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shadow_predictions")
    op.drop_table("predictions")
    op.drop_index("ix_prediction_requests_at", "prediction_requests")
    op.drop_table("prediction_requests")
