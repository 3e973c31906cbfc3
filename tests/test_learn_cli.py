"""``asn-match learn-weights``: the per-family table, the held-out gain, the positions written."""

from __future__ import annotations

import numpy as np

import asn_match as am
from asn_match.cli import main


def test_learn_weights_prints_the_families_and_writes_positions_that_read_back(tmp_path, capsys):
    history, positions, _ = am.datasets.synthetic_history(300, 12, seed=0)
    history.to_csv(tmp_path / "history.csv", index=False)
    positions.to_csv(tmp_path / "positions.csv", index=False)
    out = tmp_path / "weights.csv"
    code = main(
        [
            "learn-weights", str(tmp_path / "history.csv"), str(tmp_path / "positions.csv"),
            "-o", str(out), "--bootstrap", "5", "--min-outcomes", "50",
        ]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "Held-out gain in R^2 over the prior weights" in printed
    assert "Selection bias:" in printed
    for family in ("F1", "F2", "F3"):
        assert family in printed
    learned = am.read_positions(out)
    assert learned.ids.tolist() == positions["position_id"].tolist()
    assert np.isfinite(learned.weights[learned.required]).all()
    assert not np.allclose(learned.weights[learned.required], 1.0)


def test_learn_weights_refuses_bad_history_without_writing(tmp_path, capsys):
    history, positions, _ = am.datasets.synthetic_history(20, 6, seed=0)
    history.loc[3, "position_id"] = "NOWHERE"
    history.to_csv(tmp_path / "history.csv", index=False)
    positions.to_csv(tmp_path / "positions.csv", index=False)
    out = tmp_path / "weights.csv"
    code = main(
        ["learn-weights", str(tmp_path / "history.csv"), str(tmp_path / "positions.csv"),
         "-o", str(out)]
    )  # fmt: skip
    assert code == 2
    assert "row 5, column 'position_id'" in capsys.readouterr().err
    assert not out.exists()
