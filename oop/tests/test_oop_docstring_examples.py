"""The Examples sections of the transformers' docstrings run and print what they say."""

from __future__ import annotations

import doctest

import pytest

from oop.transformers import encoding, imputation, selection, transformation


@pytest.mark.parametrize(
    "module",
    [encoding, imputation, selection, transformation],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_give_the_printed_results(module):
    # Given a module whose docstrings hold examples
    # When they run
    result = doctest.testmod(module)
    # Then there were examples and every one printed what its docstring says
    assert result.attempted > 0
    assert result.failed == 0
