import pickle

import pytest

from asn_match.errors import DataQualityWarning, InfeasibleError, InputError, Problem


def test_problem_text_names_source_row_column_and_id():
    p = Problem(
        "employees.csv",
        "Not a number.",
        row=4,
        column="integritas",
        value="x",
        expected="a whole number from 1 to 5",
        record_id="198609262015051001",
    )
    text = str(p)
    for part in ("employees.csv", "row 4", "'integritas'", "198609262015051001", "from 1 to 5"):
        assert part in text
    assert p.to_dict()["row"] == 4


def test_input_error_is_value_error_and_lists_every_problem():
    problems = [Problem("f.csv", f"bad {i}", row=i + 2) for i in range(3)]
    err = InputError(problems)
    assert isinstance(err, ValueError)
    assert err.problems == tuple(problems)
    assert str(err).startswith("3 problems in the input")
    assert all(f"bad {i}" in str(err) for i in range(3))


def test_input_error_truncates_message_but_keeps_all_problems():
    err = InputError([Problem("f", f"p{i}") for i in range(120)])
    assert len(err.problems) == 120
    assert "and 70 more" in str(err)


def test_input_error_needs_a_problem():
    with pytest.raises(ValueError, match="at least one problem"):
        InputError([])


def test_errors_pickle_with_their_data():
    err = pickle.loads(pickle.dumps(InputError([Problem("f", "x", row=2)])))
    assert err.problems[0].row == 2
    inf = pickle.loads(pickle.dumps(InfeasibleError("no", rows=[1, 2], cols=[0])))
    assert (inf.rows, inf.cols, str(inf)) == ((1, 2), (0,), "no")


def test_data_quality_warning_carries_problems():
    w = DataQualityWarning([Problem("e.csv", "NIP birth date differs", row=3, code="nip_mismatch")])
    assert w.problems[0].code == "nip_mismatch"
    assert "1 data-quality warning" in str(w)
