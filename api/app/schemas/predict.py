"""The body ``POST /api/v1/predict`` takes and the one it answers.

A row is the package's own input schema, ``HouseInput``: the API does not retype the
80 columns, so the package and the API can never disagree on what a row is. The
body declares each row as an object and *shows* that schema (OpenAPI): the package
validates the row, once, when it prices it (:mod:`app.services.pricing`), so FastAPI
does not validate it a second time, on the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator
from regression_model.processing.schema import HouseInput

from app.core.config import Settings
from app.schemas.examples import TEST_CSV_FIRST_ROW

# At most this many errors are listed in one answer; the rest are counted.
MAX_ERRORS = 100

# The model computes in float64, which holds every integer up to 2**53 exactly; a
# larger one (JSON allows any number of digits) cannot even be converted to float.
LARGEST_INTEGER = 2**53


class HouseRow(HouseInput):
    """The package's ``HouseInput``, plus one limit JSON needs: integers fit a float."""

    @field_validator("*")
    @classmethod
    def integer_fits_a_float(cls, value: Any) -> Any:
        """Reject an integer beyond ±2**53, naming the field."""
        if isinstance(value, int) and abs(value) > LARGEST_INTEGER:
            raise ValueError(
                f"an integer this large is not a value (max {LARGEST_INTEGER})"
            )
        return value


# A row as sent: any object (the package validates it), documented as a HouseRow.
SentRow = Annotated[dict[str, Any], WithJsonSchema(HouseRow.model_json_schema())]


class PredictionRequest(BaseModel):
    """Rows to price, each keyed by the Kaggle column names."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"inputs": [TEST_CSV_FIRST_ROW]}]}
    )

    inputs: list[SentRow] = Field(
        min_length=1,
        description=(
            "One object per house, with the columns of the Kaggle test.csv (Id "
            "included). Every column is optional: a missing one is imputed. More "
            "rows than `maxItems` get 413 (the service's HOUSE_PRICES_API_MAX_BATCH"
            "_ROWS, read when it starts)."
        ),
        # documented here, checked before the rows are (app.api.deps)
        json_schema_extra={"maxItems": Settings().max_batch_rows},
    )


class RowError(BaseModel):
    """Why one row got no price."""

    row: int = Field(description="0-based position of the row in `inputs`.")
    column: str = Field(description="The Kaggle column that is wrong.")
    message: str


class PredictionResponse(BaseModel):
    """One price per row, in the order of `inputs`."""

    predictions: list[float | None] = Field(
        description="Sale price in dollars; null for a row listed in `errors`."
    )
    version: str = Field(description="Version of the model that priced the rows.")
    errors: list[RowError] = Field(
        description=f"Why a row has no price; at most {MAX_ERRORS} are listed."
    )
    errors_not_shown: int = Field(
        default=0, ge=0, description="How many more errors there were."
    )
    warnings: list[str] = Field(
        default_factory=list,
        description=(
            "What was read differently from what was sent: ignored keys (with a "
            "'did you mean' for a near miss), absent columns (imputed), labels the "
            "training data never had (treated as missing values)."
        ),
    )

    @classmethod
    def from_result(cls, result: dict[str, Any]) -> Self:
        """The answer for ``make_prediction``'s result: at most MAX_ERRORS errors."""
        errors = result["errors"]
        return cls.model_validate(
            {
                **result,
                "errors": errors[:MAX_ERRORS],
                "errors_not_shown": max(0, len(errors) - MAX_ERRORS),
            }
        )
