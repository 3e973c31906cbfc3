"""The ``asn-match`` command line: demo, example, match, recommend, audit.

Exit codes: 0 success; 2 invalid input or options (every problem listed, no traceback, no output
file written); 1 anything else.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from . import __version__, datasets
from .audit import AGE_BAND, audit
from .errors import DataQualityWarning, InfeasibleError, InputError, InvalidParameterError
from .io import read_employees, read_pairs, read_positions, write_table
from .kernels.jpm import PLACEMENT_CATEGORIES
from .ordinals import category_code
from .placement import assign
from .placement_views import SHADOW_PRICE_MEANING, rounded, summary_text
from .pseudonym import pseudonymize_frame, read_pseudonym_key
from .recommend import recommend, succession
from .rules import PROTECTED_ATTRIBUTES
from .scoring import score

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
OUTPUT_SUFFIXES = (".csv", ".xlsx", ".json")


class _Invalid(Exception):
    """An invalid option found after argument parsing (exit code 2)."""


# Option types: argparse turns their ArgumentTypeError into a usage message and exit code 2.
def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _non_negative_number(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _whole_number(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {text!r}")
        return value

    return parse


def _category_label(text: str) -> str:
    """A placement category, by label in any case or by index: the API's one parser."""
    code = category_code(text, PLACEMENT_CATEGORIES)
    if code is None:
        choices = ", ".join(repr(label) for label in PLACEMENT_CATEGORIES)
        raise argparse.ArgumentTypeError(
            f"expected one of {choices} (best first, any case) or its index 0-"
            f"{len(PLACEMENT_CATEGORIES) - 1}, got {text!r}"
        )
    return PLACEMENT_CATEGORIES[code]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asn-match",
        description="Merit-based placement of civil servants: score every employee against every "
        "position (Job Person Match) and place them optimally.",
    )
    parser.add_argument("--version", action="version", version=f"asn-match {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser(
        "demo",
        help="run the whole job on the embedded example regency",
        description="Score and place the embedded example (about 150 administrator-level officials "
        "of a regency), print a summary and write the placement file.",
    )
    demo.add_argument(
        "-o", "--output", type=Path, default=Path("asn_match_demo_placement.csv"),
        help="placement file to write (.csv, .xlsx or .json; default: %(default)s)",
    )  # fmt: skip
    _add_full_precision(demo)

    example = sub.add_parser(
        "example",
        help="write the example input files",
        description="Write the example employees.csv and positions.csv into DIR "
        "(created if needed).",
    )
    example.add_argument("directory", type=Path, metavar="DIR")
    example.add_argument(
        "--force", action="store_true", help="overwrite employees.csv and positions.csv in DIR"
    )

    match = sub.add_parser(
        "match",
        help="score and place employees from input files",
        description="Validate the inputs, score every employee against every position, place them "
        "to maximise the total merit score, and write one row per employee and per unfilled seat.",
    )
    _add_inputs(match)
    match.add_argument(
        "--objective", choices=("total", "fill_first", "bottleneck"), default="total",
        help="what to maximise: the total score (default), the number of filled seats then the "
        "total, or the worst placed score then the total",
    )  # fmt: skip
    match.add_argument(
        "--min-category", type=_category_label, metavar="LABEL",
        help='place only pairs at or above this JPM category, e.g. "Memenuhi Syarat" (any '
        "case) or its index 0-2, as assign(min_category=...) takes it",
    )  # fmt: skip
    match.add_argument(
        "--min-score", type=_number, metavar="X", help="place only pairs with a merit score >= X"
    )
    match.add_argument(
        "--incumbent-bonus",
        type=_non_negative_number,
        default=0.0,
        metavar="X",
        help="points added to an incumbent's score for staying in their current position",
    )
    match.add_argument(
        "--max-moves",
        type=_whole_number(0),
        metavar="N",
        help="at most N incumbents may leave their current position",
    )
    match.add_argument(
        "--progress",
        action="store_true",
        help="show progress bars of long runs (needs tqdm: pip install 'asn_match[progress]')",
    )
    match.add_argument(
        "--no-prefer-stay",
        dest="prefer_stay",
        action="store_false",
        help="do not prefer keeping incumbents in place among placements with equal totals",
    )
    match.add_argument(
        "--locks", type=Path, metavar="FILE",
        help="CSV with columns employee_id, position_id: pairs that must be placed",
    )  # fmt: skip
    match.add_argument(
        "--forbid", type=Path, metavar="FILE",
        help="CSV with columns employee_id, position_id: pairs that must not be placed",
    )  # fmt: skip
    _add_key_file(match)
    _add_full_precision(match)

    recommend = sub.add_parser(
        "recommend",
        help="ranked candidates per position or positions per employee",
        description="Score every pair and write the best k eligible candidates per position "
        "(or the best k positions per employee).",
    )
    _add_inputs(recommend)
    recommend.add_argument("--by", choices=("position", "employee"), default="position")
    recommend.add_argument(
        "-k", type=_whole_number(1), default=5, help="how many per group (default: 5)"
    )
    _add_key_file(recommend)
    _add_full_precision(recommend)

    fairness = sub.add_parser(
        "audit",
        help="fairness audit of the placement by protected group",
        description="Place the employees as match does (default options), then print the "
        "selection rates by protected group (placed, placed in a higher class, on a succession "
        "list), the ratio to the most-selected group with the four-fifths flag, and Fisher's "
        "exact test; small groups are labelled as such.",
    )
    fairness.add_argument("employees", type=Path, metavar="EMPLOYEES", help="employees file")
    fairness.add_argument("positions", type=Path, metavar="POSITIONS", help="positions file")
    fairness.add_argument(
        "-o", "--output", type=Path, help="also write the audit table (.csv, .xlsx or .json)"
    )
    fairness.add_argument(
        "--by", nargs="+", metavar="ATTRIBUTE", choices=(*PROTECTED_ATTRIBUTES, AGE_BAND),
        help="attributes to audit (default: every protected attribute of the employees, "
        "birth_date as age_band)",
    )  # fmt: skip
    fairness.add_argument(
        "--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
        help="date ages are computed at (default: today); give it for a reproducible audit",
    )  # fmt: skip
    fairness.add_argument(
        "--no-intersections", dest="intersections", action="store_false",
        help="audit each attribute alone, not also every pair of them",
    )  # fmt: skip
    _add_key_file(fairness)

    talent_report = sub.add_parser(
        "report",
        help="the talent report: one self-contained HTML file",
        description="Score and place the employees (default options), map them on the 9-box, "
        "plan their development, and write one HTML file with the placement summary, the "
        "9-box, the competency gaps and the development summary, charts embedded (charts need "
        "matplotlib: pip install 'asn_match[plot]'; --no-charts writes the tables only).",
    )
    talent_report.add_argument("employees", type=Path, metavar="EMPLOYEES", help="employees file")
    talent_report.add_argument("positions", type=Path, metavar="POSITIONS", help="positions file")
    talent_report.add_argument(
        "-o", "--output", type=Path, required=True, help="report file to write (.html)"
    )
    talent_report.add_argument(
        "--lang", choices=("id", "en"), default="id",
        help="language of the report and messages: Indonesian (default) or English",
    )  # fmt: skip
    talent_report.add_argument(
        "--no-charts", dest="charts", action="store_false", help="leave the charts out"
    )
    _add_key_file(talent_report)

    learn = sub.add_parser(
        "learn-weights",
        help="learn the job expectation (competency weights per job family) from history",
        description="Learn from a placement history (levels assessed at placement and the SKP "
        "outcome that followed) which competencies predict performance in each job family, "
        "shrunk toward the weights typed in (or uniform) when evidence is thin. Prints the "
        "per-family table and the held-out gain over the prior, and writes the positions with "
        "the learned <code>_weight columns (needs scikit-learn: pip install "
        "'asn_match[learn]').",
    )
    learn.add_argument("history", type=Path, metavar="HISTORY", help="placement history file")
    learn.add_argument("positions", type=Path, metavar="POSITIONS", help="positions file")
    learn.add_argument(
        "-o", "--output", type=Path, required=True,
        help="positions with the learned weights (.csv, .xlsx or .json)",
    )  # fmt: skip
    learn.add_argument(
        "--families", choices=("standard", "class"), default="standard",
        help="job families by clustering the standard profiles (default) or by the class column",
    )  # fmt: skip
    learn.add_argument(
        "--min-outcomes", type=_whole_number(1), default=200,
        help="fewer outcomes in a family keep its prior weights (default: 200)",
    )  # fmt: skip
    learn.add_argument(
        "--bootstrap", type=_whole_number(0), default=200,
        help="bootstrap resamples for the weight intervals (default: 200; 0: none)",
    )  # fmt: skip
    learn.add_argument(
        "--seed", type=_whole_number(0), default=0, help="seed of the bootstrap and the split"
    )
    return parser


def _iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    return text


def _add_key_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pseudonymize-key-file", type=Path, metavar="FILE",
        help="write every employee id as a keyed pseudonym (HMAC-SHA256, 'P-' and 16 hex "
        "digits) and leave names out; FILE holds the secret key (at least 16 bytes), which is "
        "never written",
    )  # fmt: skip


def _key(args: argparse.Namespace) -> bytes | None:
    """The pseudonymisation key, read before any work so a bad key file fails first."""
    path = args.pseudonymize_key_file
    return None if path is None else read_pseudonym_key(path)


def _add_full_precision(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--full-precision", action="store_true",
        help="write scores with every decimal (default: rounded to 2 decimals, for people)",
    )  # fmt: skip


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employees", type=Path, metavar="EMPLOYEES", help="employees file")
    parser.add_argument("positions", type=Path, metavar="POSITIONS", help="positions file")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="file to write (.csv, .xlsx or .json)"
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="worksheet of an .xlsx EMPLOYEES file (default: the first)"
    )
    parser.add_argument(
        "--positions-sheet", metavar="NAME",
        help="worksheet of an .xlsx POSITIONS file (default: the first)",
    )  # fmt: skip
    parser.add_argument(
        "--no-nip-check", dest="nip_check", action="store_false",
        help="the employee ids are not NIPs: do not refuse ids ending in 000 (Excel's rounding)",
    )  # fmt: skip
    parser.add_argument(
        "--problems", type=Path, metavar="FILE",
        help="when the input is invalid, write every problem to FILE (.csv, .xlsx or .json: "
        "file, row, column, id, message, ...)",
    )  # fmt: skip
    parser.add_argument(
        "--excel", action="store_true",
        help="write a .csv output for Excel in an Indonesian locale: semicolons, decimal comma, "
        "UTF-8 with BOM, ids kept as text",
    )  # fmt: skip


def _read_inputs(args: argparse.Namespace):
    """The employees and positions of a command with the input options of ``_add_inputs``."""
    return (
        read_employees(args.employees, sheet=args.sheet, nip_check=args.nip_check),
        read_positions(args.positions, sheet=args.positions_sheet),
    )


def _csv_dialect(args: argparse.Namespace) -> str:
    return "excel-id" if getattr(args, "excel", False) else "standard"


def _report_problems(args: argparse.Namespace, exc: InputError) -> str:
    """The terminal text of invalid input; with --problems, every problem also goes to a file."""
    text = str(exc)
    path = getattr(args, "problems", None)
    if path is None:
        if len(exc.problems) > InputError.max_shown:
            hint = "(--problems FILE writes them all)"
            text = text.replace("(see the .problems attribute)", hint)
        return text
    table = pd.DataFrame(
        [
            {
                "file": p.source,
                "row": p.row,
                "column": p.column,
                "id": p.record_id,
                "message": p.message,
                "value": None if p.value is None else str(p.value),
                "expected": p.expected,
                "code": p.code,
            }
            for p in exc.problems
        ]
    )
    try:
        written = write_table(table, path)
    except (InvalidParameterError, OSError) as error:
        return f"{text}\n(the problems file could not be written: {error})"
    text = text.replace("(see the .problems attribute)", "(all of them in the problems file)")
    return f"{text}\nall {len(exc.problems)} problems written to {written.resolve()}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            try:
                code = _COMMANDS[args.command](args)
            finally:
                # Also before an error: a warning (e.g. title rows skipped) may explain it.
                for w in caught:
                    if issubclass(w.category, DataQualityWarning):
                        print(f"warning: {w.message}", file=sys.stderr)
        return code
    except InputError as exc:
        text = _report_problems(args, exc)
        print(f"asn-match {args.command}: invalid input\n{text}", file=sys.stderr)
        return EXIT_INVALID
    except (InfeasibleError, InvalidParameterError, _Invalid) as exc:
        print(f"asn-match {args.command}: invalid input\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - the CLI reports, never shows a traceback
        print(f"asn-match {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _check_output(path: Path) -> None:
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise _Invalid(
            f"output file {str(path)!r} has an unsupported extension; use one of "
            f"{', '.join(OUTPUT_SUFFIXES)}"
        )
    if not path.parent.exists():
        raise _Invalid(f"output directory {str(path.parent)!r} does not exist; create it first")


def _pairs(path: Path | None, what: str) -> list[tuple[str, str]] | None:
    """Read an (employee_id, position_id) pairs file; ids stay strings."""
    if path is None:
        return None
    return read_pairs(path, what=what)


def _demo(args: argparse.Namespace) -> int:
    _check_output(args.output)
    employees_df, positions_df = datasets.tegal_administrators()
    placement = _place(employees_df, positions_df, **DEMO_POLICY)
    placement.export(args.output, decimals=None if args.full_precision else 2)
    print(
        "the job a BKPSDM runs: fill the vacancies and fix the misfits, keeping incumbents who "
        f"fit\npolicy: {placement.options['minimum']}, and {DEMO_POLICY['incumbent_bonus']:g} "
        "points for staying in post (a move must gain more than that)"
    )
    print(_summary_text(placement))
    print(f"placement written to {args.output.resolve()}")
    print(_LEGEND)
    print(_DEMO_NEXT_STEPS.format(program=_program()))
    return EXIT_OK


_LEGEND = (
    "columns: reason says why, in words; next_available_id is the best candidate placed "
    f"nowhere;\n  {SHADOW_PRICE_MEANING} (shadow_price)"
)

#: The demo's policy, the README's Python example's too: fill vacancies and fix misfits.
DEMO_POLICY = {"min_category": "Masih Memenuhi Syarat", "incumbent_bonus": 5.0}

_DEMO_NEXT_STEPS = """
next: the same job from files, then the full reshuffle on merit alone (no bonus for staying,
no minimum: it moves most incumbents):
  {program} example data
  {program} match data/employees.csv data/positions.csv -o placement.csv \\
      --min-category "Masih Memenuhi Syarat" --incumbent-bonus 5
  {program} match data/employees.csv data/positions.csv -o reshuffle.csv"""


def _program() -> str:
    """The command as the user ran it (e.g. ``.venv/bin/asn-match``), for lines to copy."""
    typed = sys.argv[0] if sys.argv else ""
    return typed if Path(typed).name == "asn-match" else "asn-match"


def _place(employees, positions, **options):
    emp = read_employees(employees)
    pos = read_positions(positions)
    return assign(score(emp, pos, progress=options.get("progress", False)), **options)


def _summary_text(placement) -> str:
    return summary_text(placement.summary())


_EXAMPLE_FILES = ("employees.csv", "positions.csv")


def _example(args: argparse.Namespace) -> int:
    if args.directory.exists() and not args.directory.is_dir():
        raise _Invalid(f"{str(args.directory)!r} exists and is not a directory")
    existing = [name for name in _EXAMPLE_FILES if (args.directory / name).exists()]
    if existing and not args.force:
        raise _Invalid(
            f"{', '.join(existing)} already exist in {str(args.directory)!r}; pass --force to "
            "overwrite them, or give another directory"
        )
    args.directory.mkdir(parents=True, exist_ok=True)
    employees_df, positions_df = datasets.tegal_administrators()
    for name, frame in zip(_EXAMPLE_FILES, (employees_df, positions_df), strict=True):
        write_table(frame, args.directory / name)
        print(f"wrote {args.directory / name} ({len(frame)} rows)")
    return EXIT_OK


def _match(args: argparse.Namespace) -> int:
    _check_output(args.output)
    key = _key(args)
    options = {
        "objective": args.objective,
        "incumbent_bonus": args.incumbent_bonus,
        "prefer_stay": args.prefer_stay,
        "progress": args.progress,
    }
    if args.max_moves is not None:
        options["max_moves"] = args.max_moves
    if args.min_category is not None:
        options["min_category"] = args.min_category
    if args.min_score is not None:
        options["min_score"] = args.min_score
    locked = _pairs(args.locks, "locks")
    forbidden = _pairs(args.forbid, "forbidden pairs")
    if locked:
        options["locked"] = locked
    if forbidden:
        options["forbidden"] = forbidden
    placement = _place(*_read_inputs(args), **options)
    placement.export(
        args.output,
        pseudonymize=key,
        decimals=None if args.full_precision else 2,
        csv_dialect=_csv_dialect(args),
    )
    print(_summary_text(placement))
    print(f"placement written to {args.output.resolve()}")
    return EXIT_OK


def _recommend(args: argparse.Namespace) -> int:
    _check_output(args.output)
    key = _key(args)
    scores = score(*_read_inputs(args))
    table: pd.DataFrame = recommend(scores, k=args.k, by=args.by)
    if key is not None:
        table = pseudonymize_frame(table, scores.employees.ids, key)
    table = rounded(table, None if args.full_precision else 2)
    write_table(table, args.output, csv_dialect=_csv_dialect(args))
    print(f"{len(table)} recommendations written to {args.output.resolve()}")
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    if args.output is not None:
        _check_output(args.output)
    key = _key(args)
    employees = read_employees(args.employees)
    scores = score(employees, read_positions(args.positions))
    try:
        result = audit(
            assign(scores),
            employees,
            by=args.by,
            intersections=args.intersections,
            succession=succession(scores),
            reference_date=args.reference_date,
        )
    except InvalidParameterError as exc:  # e.g. --by birth_date: a usage error, exit code 2
        raise _Invalid(str(exc)) from None
    print(result)
    if args.output is not None:
        result.export(args.output, pseudonymize=key)
        print(f"audit written to {args.output.resolve()}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from ._i18n import translator
    from .report import REPORT_SUFFIXES, report

    if args.output.suffix.lower() not in REPORT_SUFFIXES:
        raise _Invalid(f"output file {str(args.output)!r} must end in .html")
    if not args.output.parent.exists():
        raise _Invalid(
            f"output directory {str(args.output.parent)!r} does not exist; create it first"
        )
    key = _key(args)
    try:
        report(
            args.employees,
            args.positions,
            args.output,
            lang=args.lang,
            charts=args.charts,
            pseudonymize=key,
        )
    except InvalidParameterError as exc:  # e.g. charts without matplotlib: the fix is named
        raise _Invalid(str(exc)) from None
    tr = translator(args.lang, "asn-match report")
    print(tr("cli_written", path=args.output.resolve()))
    return EXIT_OK


def _learn_weights(args: argparse.Namespace) -> int:
    _check_output(args.output)
    try:
        from .learn import learn_expectation
    except ImportError as exc:  # scikit-learn missing: the message names the extra
        raise _Invalid(str(exc)) from None
    learned = learn_expectation(
        args.history,
        args.positions,
        families=args.families,
        min_outcomes=args.min_outcomes,
        n_bootstrap=args.bootstrap,
        random_state=args.seed,
    )
    write_table(learned.positions, args.output)
    print(learned.to_text())
    print(f"\npositions with the learned weights written to {args.output.resolve()}")
    return EXIT_OK


_COMMANDS = {
    "demo": _demo,
    "example": _example,
    "match": _match,
    "recommend": _recommend,
    "audit": _audit,
    "report": _report,
    "learn-weights": _learn_weights,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
