"""Charts (asn_match.plots): each figure holds what its data says, checked against naive counts."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match import plots
from asn_match.talent import NineBoxPolicy, development_plan, nine_box, training_needs
from asn_match.talent.nine_box import PERFORMANCE_BANDS, POTENTIAL_BANDS

pytest.importorskip("matplotlib", reason="charts need the plot extra (matplotlib)")

from matplotlib.figure import Figure  # noqa: E402 - after the skip
from matplotlib.patches import PathPatch, Rectangle  # noqa: E402


@pytest.fixture(scope="module")
def workforce():
    employees_df, positions_df = am.datasets.synthetic_workforce(60, 12, seed=3)
    employees = am.read_employees(employees_df)
    positions = am.read_positions(positions_df)
    scores = am.score(employees, positions)
    return employees, positions, scores, am.assign(scores)


@pytest.fixture(autouse=True)
def no_pyplot():
    """Library charts never touch pyplot (global figure state, GUI backends)."""
    before = "matplotlib.pyplot" in sys.modules
    yield
    if not before:
        assert "matplotlib.pyplot" not in sys.modules


# ----------------------------------------------------------------------------- JPM distribution


def _bar_series(fig: Figure) -> dict[str, list]:
    """Bars of the figure's axes by legend label (category), as (left, width, height)."""
    ax = fig.axes[0]
    series: dict[str, list] = {}
    for container in ax.containers:
        label = container.get_label().rsplit(" (", 1)[0]
        series[label] = [(p.get_x(), p.get_width(), p.get_height()) for p in container.patches]
    return series


def _naive_histogram(jpm, category, label, left, width):
    pairs = zip(jpm, category, strict=True)
    return sum(1 for j, c in pairs if c == label and left <= j < left + width)


def test_jpm_distribution_of_a_placement_counts_every_placed_pair(workforce):
    *_, placement = workforce
    fig = plots.jpm_distribution(placement, bin_width=7.0)
    assert isinstance(fig, Figure)
    frame = placement.to_frame().query("status == 'placed'")
    jpm, category = frame["jpm"].to_numpy(), frame["category"].astype(str).to_numpy()
    series = _bar_series(fig)
    assert list(series) == list(placement.scores.config.category_labels)
    for label, bars in series.items():
        for left, width, height in bars:
            assert height == _naive_histogram(jpm, category, label, left, width)
    assert sum(h for bars in series.values() for *_, h in bars) == placement.summary()["placed"]


def test_jpm_distribution_bars_never_straddle_a_threshold(workforce):
    *_, scores, _ = workforce
    fig = plots.jpm_distribution(scores, bin_width=5.5)
    thresholds = scores.config.category_thresholds
    for bars in _bar_series(fig).values():
        for left, width, _ in bars:
            assert not any(left < t < left + width for t in thresholds)
    # Scores: every pair of the dense scores
    total = sum(h for bars in _bar_series(fig).values() for *_, h in bars)
    assert total == scores.shape[0] * scores.shape[1]


def test_jpm_distribution_of_streamed_scores_counts_the_candidates(workforce):
    employees, positions, *_ = workforce
    streamed = am.score(employees, positions, dense=False, top_k=3)
    fig = plots.jpm_distribution(streamed)
    total = sum(h for bars in _bar_series(fig).values() for *_, h in bars)
    assert total == len(streamed.to_frame())


def test_chart_labels_follow_the_language_and_keep_the_domain_terms(workforce):
    *_, placement = workforce
    english = plots.jpm_distribution(placement, lang="en").axes[0]
    indonesian = plots.jpm_distribution(placement).axes[0]
    assert english.get_title() == "JPM distribution by category"
    assert indonesian.get_title() == "Sebaran JPM per kategori"
    legend = [t.get_text().rsplit(" (", 1)[0] for t in english.get_legend().get_texts()]
    assert legend == list(placement.scores.config.category_labels)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda p: plots.jpm_distribution(p, lang="fr"), "lang"),
        (lambda p: plots.jpm_distribution(p, bin_width=0), "bin_width"),
        (lambda p: plots.jpm_distribution("scores"), "result"),
        (lambda p: plots.placement_flows(p, lang="de"), "lang"),
        (lambda p: plots.unit_flows(p, employees=[1, 2]), "employees"),
        (lambda p: plots.gap_heatmap(pd.DataFrame({"a": [1]})), "data"),
        (lambda p: plots.nine_box_chart(pd.DataFrame({"box": [1]})), "boxes"),
    ],
)
def test_invalid_options_are_named(workforce, call, name):
    *_, placement = workforce
    with pytest.raises(am.InvalidParameterError, match=repr(name)):
        call(placement)


def test_missing_matplotlib_names_the_extra(workforce, monkeypatch):
    *_, placement = workforce
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"asn_match\[plot\]"):
        plots.jpm_distribution(placement)


# ----------------------------------------------------------------------------- placement flows


def _naive_flows(placement, unit_of):
    counts: dict[tuple, int] = {}
    for row in placement.to_frame().itertuples():
        if not isinstance(row.employee_id, str):
            continue  # an unfilled seat
        new = row.unit if row.status == "placed" else None
        key = (unit_of[row.employee_id], new)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _flow_counts(flows):
    return {(r.current_unit, r.new_unit): r.people for r in flows.itertuples()}


def test_unit_flows_equal_a_naive_count(workforce):
    employees, _, _, placement = workforce
    flows = plots.unit_flows(placement)
    unit_of = dict(zip(employees.ids, employees.info["unit"], strict=True))
    assert _flow_counts(flows) == _naive_flows(placement, unit_of)
    assert bool((flows["stays"] == (flows["current_unit"] == flows["new_unit"])).all())
    assert flows["people"].is_monotonic_decreasing


def test_unit_flows_take_the_units_given(workforce):
    employees, _, _, placement = workforce
    # Everyone in one unit now: every flow starts there.
    given = pd.DataFrame({"employee_id": list(employees.ids), "unit": "Unit X"})
    flows = plots.unit_flows(placement, given)
    assert set(flows["current_unit"]) == {"Unit X"}
    assert int(flows["people"].sum()) == len(employees)
    with pytest.raises(am.InvalidParameterError, match="no row for 1 of them"):
        plots.unit_flows(placement, given.iloc[1:])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 15),
    m=st.integers(1, 5),
    seed=st.integers(0, 10_000),
    bonus=st.sampled_from([0.0, 5.0]),
)
def test_unit_flows_property(n, m, seed, bonus):
    employees_df, positions_df = am.datasets.synthetic_workforce(n, m, seed=seed)
    scores = am.score(employees_df, positions_df)
    placement = am.assign(scores, incumbent_bonus=bonus)
    unit_of = dict(zip(employees_df["employee_id"], employees_df["unit"], strict=True))
    flows = plots.unit_flows(placement)
    assert _flow_counts(flows) == _naive_flows(placement, unit_of)


def test_placement_flows_draw_one_band_per_flow(workforce):
    *_, placement = workforce
    flows = plots.unit_flows(placement)
    fig = plots.placement_flows(placement, lang="en")
    ax = fig.axes[0]
    bands = [p for p in ax.patches if isinstance(p, PathPatch)]
    assert len(bands) == len(flows)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    sides = flows["current_unit"].nunique(dropna=False) + flows["new_unit"].nunique(dropna=False)
    assert len(bars) == sides
    # Bars are as tall as their people: each side sums to the workforce.
    assert sum(abs(b.get_height()) for b in bars) == 2 * int(flows["people"].sum())
    assert ax.get_title() == "Placement flows: current unit to new unit"


# ----------------------------------------------------------------------------- 9-box


def _cell_texts(fig):
    """{(x, y): [texts]} of the grid cells, by the cell the text sits in."""
    cells: dict[tuple[int, int], list[str]] = {}
    for text in fig.axes[0].texts:
        x, y = text.get_position()
        cells.setdefault((int(x), int(y)), []).append(text.get_text())
    return cells


@pytest.mark.parametrize(
    "policy",
    [None, NineBoxPolicy(performance_cuts=(70, 90), potential_cuts=(70, 90),
                         grid=((7, 8, 9), (4, 5, 6), (1, 2, 3)))],
)  # fmt: skip
def test_nine_box_chart_cells_hold_box_and_naive_count(workforce, policy):
    employees, *_ = workforce
    boxes = nine_box(employees, policy=policy)
    fig = plots.nine_box_chart(boxes, policy=policy)
    used = policy or NineBoxPolicy()
    cells = _cell_texts(fig)
    assert len(cells) == 9
    for x, performance in enumerate(PERFORMANCE_BANDS):
        for y, potential in enumerate(POTENTIAL_BANDS):
            number = used.box(x, y)
            count = sum(
                1
                for row in boxes.itertuples()
                if row.performance_band == performance and row.potential_band == potential
            )
            texts = cells[(x, y)]
            assert str(number) in texts
            assert str(count) in texts
    assert fig.axes[0].get_ylabel() == "Potensi"


def test_nine_box_chart_counts_those_without_a_box():
    employees_df, _ = am.datasets.synthetic_workforce(20, 3, seed=4)
    employees_df = employees_df.astype({"potential": object})
    employees_df.loc[:2, "potential"] = None
    boxes = nine_box(employees_df)
    fig = plots.nine_box_chart(boxes, lang="en")
    assert fig.axes[0].get_title().endswith("without a box (data missing): 3")


# ----------------------------------------------------------------------------- gap heatmap


def test_gap_table_equals_a_naive_sum_of_the_plan(workforce):
    employees, positions, _, placement = workforce
    plan = development_plan(employees, positions, target=placement)
    needs = training_needs(plan, by="unit")
    table = plots.gap_table(needs, value="total_hours")
    assert plots.gap_table(plan, value="total_hours").equals(table)
    for (unit, competency), value in table.stack().items():
        naive = needs[(needs["unit"] == unit) & (needs["competency"] == competency)]
        assert value == pytest.approx(float(naive["total_hours"].sum()))
    totals = table.sum(axis=1).to_numpy()
    assert bool((np.diff(totals) <= 1e-9).all())


def test_gap_heatmap_draws_the_table_and_says_what_it_left_out(workforce):
    employees, positions, *_ = workforce
    needs = training_needs(development_plan(employees, positions))
    table = plots.gap_table(needs, value="people")
    fig = plots.gap_heatmap(needs, value="people", max_units=2, max_competencies=3, lang="en")
    image = fig.axes[0].images[0].get_array()
    shown = table.iloc[:2, :3]
    np.testing.assert_array_equal(np.asarray(image), shown.to_numpy())
    hidden_units, hidden_codes = table.shape[0] - shown.shape[0], table.shape[1] - shown.shape[1]
    assert hidden_codes > 0
    assert f"left out: {hidden_units} units, {hidden_codes} competencies" in (
        fig.axes[0].get_title()
    )
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == list(table.columns[:3])
