"""The prediction log's tables, declared with SQLAlchemy 2's typed classes.

- ``prediction_requests``: one row per request priced (when, by which model, how
  many rows, the errors and warnings of the answer);
- ``predictions``: one row per house of a request: its inputs as sent, its price
  (``NULL`` when it got none) and its error;
- ``shadow_predictions``: one row per house priced by the shadow model (a
  candidate priced beside the live model, whose prices are never returned).

Inputs, errors and warnings are JSON (``json`` on PostgreSQL, text on SQLite). The
migrations (``migrations/versions/``) create these tables; a change here is a new
migration there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A request id: uuid4's 32 hex digits. A SHA-256: 64 hex digits.
REQUEST_ID_LENGTH = 32
SHA256_LENGTH = 64


class Base(DeclarativeBase):
    """The base of the prediction log's tables (their ``metadata``)."""


class PredictionRequest(Base):
    """One request priced by the live model."""

    __tablename__ = "prediction_requests"

    request_id: Mapped[str] = mapped_column(String(REQUEST_ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    model_version: Mapped[str] = mapped_column(String(40))
    plan_sha256: Mapped[str] = mapped_column(String(SHA256_LENGTH))
    rows: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)


class Prediction(Base):
    """One house of a request: its inputs as sent and the live model's price."""

    __tablename__ = "predictions"

    request_id: Mapped[str] = mapped_column(
        ForeignKey("prediction_requests.request_id", ondelete="CASCADE"),
        primary_key=True,
    )
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    price: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class ShadowPrediction(Base):
    """One house of a request, priced by the shadow model.

    ``request_id`` names the live request (no foreign key: the shadow's prices may
    be written before or without the live request's). A candidate that failed on
    the whole request has ``price`` ``NULL`` and its ``error`` on every row.
    """

    __tablename__ = "shadow_predictions"

    request_id: Mapped[str] = mapped_column(String(REQUEST_ID_LENGTH), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    model_version: Mapped[str] = mapped_column(String(40))
    plan_sha256: Mapped[str] = mapped_column(String(SHA256_LENGTH))
    price: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
