"""The input guard flags what cannot be read as a question, nothing else."""

import pytest

from actions import constants as c
from nlu_components.input_guard import input_problem


@pytest.mark.parametrize(
    "text, problem",
    [("", c.PROBLEM_EMPTY), ("   \n\t", c.PROBLEM_EMPTY), (None, c.PROBLEM_EMPTY), ("a" * 601, c.PROBLEM_TOO_LONG),
     ("😀😀🎉", c.PROBLEM_NO_WORDS), ("?!... 123", c.PROBLEM_NO_WORDS), ("cuantas mypes?", None), ("ñ", None),
     ("SELECT * FROM users;", None), ("a" * 600, None)],
)
def test_input_problem(text, problem):
    assert input_problem(text, 600) == problem
