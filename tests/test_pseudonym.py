"""Pseudonymised outputs: keyed pseudonyms; no input id, no protected attribute in any output."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match import cli
from asn_match.pseudonym import (
    MIN_KEY_BYTES,
    PERSONAL_COLUMNS,
    pseudonymize_frame,
    pseudonymize_text,
    read_pseudonym_key,
)
from asn_match.rules import PROTECTED_ATTRIBUTES

KEY = b"test key: 0123456789abcdef"
PATTERN = re.compile(r"P-[0-9a-f]{16}")


def naive_pseudonym(employee_id: str, key: bytes) -> str:
    """The documented construction, written out: "P-" + 16 hex digits of HMAC-SHA256."""
    return "P-" + hmac.new(key, employee_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


# -- pseudonymize ---------------------------------------------------------------------------------
def test_pseudonym_is_the_documented_hmac():
    ids = ["198609262015051001", "0012", "12", "A 1", "Ñ-7"]
    got = am.pseudonymize(ids, KEY)
    assert got.tolist() == [naive_pseudonym(i, KEY) for i in ids]
    assert all(PATTERN.fullmatch(p) for p in got)
    assert got[1] != got[2]  # ids are text: leading zeros count
    assert am.pseudonymize("0012", KEY) == got[1]


@pytest.mark.parametrize("key", [b"k" * 16, bytes(range(64)), bytes(range(200)), "kunci " * 20])
def test_pseudonym_is_the_hmac_for_keys_of_every_length(key):
    # Keys longer than SHA-256's 64-byte block are hashed first (RFC 2104).
    secret = key.encode("utf-8") if isinstance(key, str) else key
    ids = [str(i) for i in range(1000, 1050)]
    assert am.pseudonymize(ids, key).tolist() == [naive_pseudonym(i, secret) for i in ids]


def test_str_key_is_its_utf8_bytes_and_keys_differ():
    text_key = "kunci rahasia: 0123456789"
    ids = ["198609262015051001", "197001011995031002"]
    assert (
        am.pseudonymize(ids, text_key).tolist()
        == am.pseudonymize(ids, text_key.encode("utf-8")).tolist()
    )
    assert not set(am.pseudonymize(ids, KEY)) & set(am.pseudonymize(ids, KEY + b"!"))


def test_missing_ids_stay_missing_and_numbers_are_read_as_text():
    got = am.pseudonymize(pd.Series(["1001", None, np.nan]), KEY)
    assert got[0] == naive_pseudonym("1001", KEY)
    assert got[1] is None and got[2] is None
    assert am.pseudonymize([1001], KEY)[0] == naive_pseudonym("1001", KEY)
    assert am.pseudonymize([], KEY).shape == (0,)


def test_same_pseudonyms_in_another_process_with_another_hash_seed():
    ids = ["198609262015051001", "197001011995031002"]
    code = f"import asn_match as am; print(','.join(am.pseudonymize({ids!r}, {KEY!r})))"
    seed = "7" if os.environ.get("PYTHONHASHSEED") != "7" else "8"
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    ).stdout.strip()
    assert other == ",".join(am.pseudonymize(ids, KEY))


@pytest.mark.parametrize("key", [b"short", "", "x" * (MIN_KEY_BYTES - 1), 12345, None])
def test_bad_keys_are_refused_without_showing_them(key):
    with pytest.raises(am.InvalidParameterError) as error:
        am.pseudonymize(["1001"], key)
    if isinstance(key, (bytes, str)) and key:
        assert str(key) not in str(error.value) and repr(key) not in str(error.value)
    assert "secrets.token_hex" in str(error.value)


def test_export_refuses_a_short_key_by_its_option_name(tmp_path):
    placement = am.assign(am.score(*am.datasets.synthetic_workforce(12, 4, seed=1)))
    with pytest.raises(am.InvalidParameterError, match="'pseudonymize' parameter of Placement"):
        placement.export(tmp_path / "p.csv", pseudonymize=b"0123")
    assert not (tmp_path / "p.csv").exists()


# -- pseudonymize_frame ---------------------------------------------------------------------------
def naive_frame(frame: pd.DataFrame, ids: list[str], key: bytes) -> pd.DataFrame:
    """Cell by cell: an id becomes its pseudonym; ids inside text are replaced, longest first."""
    mapping = {i: naive_pseudonym(i, key) for i in ids}
    out = {}
    for column in frame.columns:
        if column in PERSONAL_COLUMNS:
            continue
        cells = []
        for value in frame[column].astype(object):
            if isinstance(value, str):
                if value in mapping:
                    value = mapping[value]
                else:
                    words = re.split(r"(\s+)", value)
                    value = "".join(mapping.get(w, w) for w in words)
            cells.append(value)
        out[column] = cells
    return pd.DataFrame(out)


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(
        st.text(alphabet="0123456789ABx-", min_size=1, max_size=6), min_size=1, max_size=8,
        unique=True,
    ),
    picks=st.lists(st.integers(0, 7), min_size=1, max_size=10),
    categorical=st.booleans(),
)  # fmt: skip
def test_frame_against_a_naive_reference(ids, picks, categorical):
    rows = [ids[p % len(ids)] for p in picks]
    frame = pd.DataFrame(
        {
            "employee_id": rows,
            "name": [f"Name {r}" for r in rows],
            "position_id": ["POS-1"] * len(rows),
            "score": np.arange(len(rows), dtype=float),
            "reason": [f"outscored by {ids[(p + 1) % len(ids)]} at POS-1" for p in picks],
        }
    )
    if categorical:
        frame["employee_id"] = frame["employee_id"].astype("category")
        frame["reason"] = frame["reason"].astype("category")
    before = frame.copy()
    got = pseudonymize_frame(frame, ids, KEY)
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not modified
    expected = naive_frame(frame, ids, KEY)
    assert got.columns.tolist() == expected.columns.tolist()
    for column in expected.columns:
        assert got[column].astype(object).tolist() == expected[column].tolist(), column
    assert isinstance(got["employee_id"].dtype, pd.CategoricalDtype) == categorical
    for text in got.astype(str).to_numpy().ravel():
        assert text not in ids


def test_ids_with_separators_inside_text_are_replaced():
    ids = ["A (1)", "A (12)", "B;2"]
    frame = pd.DataFrame({"reason": ["best is A (12), then A (1); also B;2"]})
    got = pseudonymize_frame(frame, ids, KEY)["reason"][0]
    for raw in ids:
        assert naive_pseudonym(raw, KEY) in got
    assert "A (1" not in got and "B;2" not in got


def test_text_replaces_whole_ids_only():
    ids = ["1001", "A 7", "2002"]
    page = '<td>1001</td><td data-id="1001">10012</td> x1001 <p>A 7</p> (1001, 2002)'
    got = pseudonymize_text(page, ids, KEY)
    p1, p7, p2 = (naive_pseudonym(i, KEY) for i in ids)
    assert got == (f'<td>{p1}</td><td data-id="{p1}">10012</td> x1001 <p>{p7}</p> ({p1}, {p2})')
    assert pseudonymize_text("no ids here", ids, KEY) == "no ids here"
    with pytest.raises(am.InvalidParameterError, match="at least 16 bytes"):
        pseudonymize_text(page, ids, b"short")


def test_frame_refuses_a_non_frame():
    with pytest.raises(am.InvalidParameterError, match="'frame' parameter"):
        pseudonymize_frame([["1001"]], ["1001"], KEY)


# -- the key file ---------------------------------------------------------------------------------
def test_key_file_is_stripped(tmp_path):
    path = tmp_path / "key.txt"
    path.write_bytes(KEY + b"\r\n")
    assert read_pseudonym_key(path) == KEY


def test_key_file_problems(tmp_path):
    with pytest.raises(am.InputError) as missing:
        read_pseudonym_key(tmp_path / "nothing.txt")
    assert missing.value.problems[0].code == "key_file"
    short = tmp_path / "short.txt"
    short.write_text("tiny\n")
    with pytest.raises(am.InputError) as error:
        read_pseudonym_key(short)
    assert error.value.problems[0].code == "key_too_short"
    assert "tiny" not in str(error.value)


# -- every output, searched for every input id ----------------------------------------------------
def output_texts(path: Path) -> bytes:
    """What a file holds, readable: the file itself, or each part of an Excel zip, or a
    Parquet table's cells (both formats compress, which would hide an id from a byte search)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return b"\n".join(archive.read(name) for name in archive.namelist())
    if path.suffix == ".parquet":
        buffer = io.StringIO()
        pd.read_parquet(path).astype(str).to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")
    return path.read_bytes()


@pytest.fixture(scope="module")
def workforce(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    employees_df, positions_df = am.datasets.tegal_administrators()
    employees_path, positions_path = folder / "employees.csv", folder / "positions.csv"
    am.write_table(employees_df, employees_path)
    am.write_table(positions_df, positions_path)
    key_path = folder / "key.txt"
    key_path.write_bytes(KEY + b"\n")
    return employees_df, positions_df, employees_path, positions_path, key_path


def write_every_output(folder: Path, workforce, key: bytes | None) -> list[Path]:
    """Every output of the API and of the command line, pseudonymised with ``key`` if given."""
    employees_df, positions_df, employees_path, positions_path, key_path = workforce
    folder.mkdir()
    scores = am.score(employees_df, positions_df)
    placement = am.assign(scores)
    streamed = am.assign(am.score(employees_df, positions_df, dense=False, top_k=5))
    written = [
        placement.export(folder / f"placement{suffix}", pseudonymize=key)
        for suffix in (".csv", ".json", ".xlsx", ".parquet")
    ]
    written.append(streamed.export(folder / "streamed.csv", pseudonymize=key))
    audit = am.audit(placement, succession=am.succession(scores), reference_date="2026-01-01")
    written.append(audit.export(folder / "audit.csv", pseudonymize=key))
    for name, table in (
        ("recommend", am.recommend(scores, k=5)),
        ("succession", am.succession(scores, k=5)),
    ):
        if key is not None:
            table = pseudonymize_frame(table, scores.employees.ids, key)
        written.append(am.write_table(table, folder / f"{name}.csv"))
    flag = [] if key is None else ["--pseudonymize-key-file", str(key_path)]
    inputs = [str(employees_path), str(positions_path)]
    for command, out in (
        ("match", "cli_match.csv"),
        ("match", "cli_match.xlsx"),
        ("recommend", "cli_recommend.json"),
        ("audit", "cli_audit.csv"),
        ("report", "cli_report.html"),
    ):
        extra = ["--no-charts"] if command == "report" else []
        assert cli.main([command, *inputs, "-o", str(folder / out), *flag, *extra]) == 0
        written.append(folder / out)
    return written


@pytest.fixture(scope="module")
def plain_outputs(tmp_path_factory, workforce):
    return write_every_output(tmp_path_factory.mktemp("out") / "plain", workforce, None)


def test_pseudonymised_outputs_hold_no_input_id_and_no_key(
    tmp_path, workforce, plain_outputs, capsys
):
    employees_df = workforce[0]
    ids = [str(i).encode() for i in employees_df["employee_id"]]
    names = [str(n).encode("utf-8") for n in employees_df["name"]]
    plain = plain_outputs
    masked = write_every_output(tmp_path / "masked", workforce, KEY)
    capsys.readouterr()
    assert [p.name for p in plain] == [p.name for p in masked]
    # The search can find them: without a key, the ids are there (the audit and the report hold
    # figures of groups and units only).
    for path in plain:
        if "audit" not in path.name and "report" not in path.name:
            assert any(i in output_texts(path) for i in ids), path.name
    pseudonyms = {naive_pseudonym(i.decode(), KEY).encode() for i in ids}
    for path in masked:
        content = output_texts(path)
        found = [i.decode() for i in ids if i in content]
        assert found == [], f"{path.name} holds input ids {found[:3]}"
        assert KEY not in content, path.name
        assert not [n for n in names if n in content], f"{path.name} holds names"
        if "audit" not in path.name and "report" not in path.name:
            assert any(p in content for p in pseudonyms), path.name


def test_pseudonyms_join_back_to_the_input(tmp_path, workforce):
    employees_df, positions_df = workforce[0], workforce[1]
    placement = am.assign(am.score(employees_df, positions_df))
    path = placement.export(tmp_path / "p.csv", pseudonymize=KEY)
    exported = pd.read_csv(path, dtype=str)
    people = exported[exported["status"] != "unfilled"]
    aliases = am.pseudonymize(employees_df["employee_id"], KEY)
    back = dict(zip(aliases, employees_df["employee_id"], strict=True))
    joined = people["employee_id"].map(back)
    assert joined.notna().all()
    original = placement.to_frame()
    original = original[original["status"] != "unfilled"]
    assert joined.tolist() == original["employee_id"].astype(str).tolist()
    assert people["position_id"].fillna("").tolist() == (
        original["position_id"].astype(object).fillna("").astype(str).tolist()
    )


def test_default_exports_hold_no_protected_attribute(workforce, plain_outputs):
    employees_df = workforce[0]
    written = plain_outputs
    birth_dates = [str(d).encode() for d in employees_df["birth_date"].dropna().unique()]
    assert birth_dates
    for path in written:
        if path.suffix in (".csv", ".parquet", ".xlsx"):
            columns = (
                pd.read_excel(path).columns
                if path.suffix == ".xlsx"
                else pd.read_parquet(path).columns
                if path.suffix == ".parquet"
                else pd.read_csv(path, nrows=0).columns
            )
            assert set(columns) & set(PROTECTED_ATTRIBUTES) == set(), path.name
        content = output_texts(path)
        assert not [d for d in birth_dates if d in content], path.name
