"""Dependencies the routes share: the settings, the model, and the counted body.

They check only cheap things. ``counted_batch`` runs on the event loop (it is
``async``), so it counts the rows and nothing more: validating them is the
package's work, in the route's thread (:mod:`app.services.pricing`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from regression_model.serving.plan import ScoringPlan

from app.core.config import Settings
from app.schemas.predict import PredictionRequest


def get_settings(request: Request) -> Settings:
    """The settings the running application was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_model(request: Request) -> ScoringPlan:
    """The scoring plan the app loaded when it started (see ``app.main.lifespan``)."""
    model: ScoringPlan = request.app.state.model
    return model


SettingsDep = Annotated[Settings, Depends(get_settings)]
ModelDep = Annotated[ScoringPlan, Depends(get_model)]


async def counted_batch(
    body: PredictionRequest, settings: SettingsDep
) -> PredictionRequest:
    """The body, once its number of rows is within the limit (else 413).

    FastAPI has parsed the body and checked its shape (``inputs``, a non-empty list
    of objects); no row has been validated yet, so the answer is the same for
    valid and invalid rows.
    """
    if len(body.inputs) > settings.max_batch_rows:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=(
                f"inputs: {len(body.inputs)} rows is more than the "
                f"{settings.max_batch_rows} rows one request may send; split the batch"
            ),
        )
    return body


BatchDep = Annotated[PredictionRequest, Depends(counted_batch)]
