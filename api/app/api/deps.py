"""Dependencies the routes share: the settings and the model the app started with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from regression_model.serving.plan import ScoringPlan

from app.core.config import Settings


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
