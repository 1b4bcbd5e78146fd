"""The parts of ``/metrics`` that need no app: route names and warning kinds."""

from __future__ import annotations

import pytest
from app.core.metrics import RouteTemplates, warning_kind


def test_route_templates_name_paths_with_parameters() -> None:
    # Given a template with a parameter, an exact one and a mount
    routes = RouteTemplates(["/items/{item_id}", "/health"], mounts=["/static"])

    # When paths are named
    names = [routes.name(p) for p in ["/items/7", "/health", "/static/a.js", "/x"]]

    # Then each gets its template, and an unknown path "other"
    assert names == ["/items/{item_id}", "/health", "/static/{path}", "other"]


@pytest.mark.parametrize(
    ("warning", "kind"),
    [
        ("ignored column 'Colour': not a column of the schema", "ignored_column"),
        (
            "column 'LotArea' is given more than once: the first one is used",
            "repeated_column",
        ),
        ("input has no column ['LotArea']: imputed as missing values", "imputed"),
        (
            "labels the training data never had in Street, treated as ...",
            "unseen_label",
        ),
        ("something new", "other"),
    ],
)
def test_warning_kinds(warning: str, kind: str) -> None:
    # Given / When / Then: a package warning is named by its opening words
    assert warning_kind(warning) == kind
