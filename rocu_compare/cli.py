"""Command line: ``rocu-compare validate|template|export|sources|report|build-data``.

Problems with input data are printed one per line, without a traceback, and the command
exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import RocuDataError


def _load(path, args=None):
    from .dataset import load

    with_bundled = bool(getattr(args, "with_bundled", False))
    replace = tuple(getattr(args, "replace", None) or ())
    if path is None:
        return load()
    return load(path, with_bundled=with_bundled, replace=replace)


def _print_notices(ds) -> None:
    for line in ds.notices:
        print(f"  note: {line}")
    if ds.marking:
        print(f"  protective marking: {ds.marking} (every output built on this data carries it)")


def _print_problems(problems, heading: str) -> None:
    print(heading, file=sys.stderr)
    for prob in problems:
        print(f"  - {prob}", file=sys.stderr)


def cmd_validate(args) -> int:
    """Validate; print errors, then warnings apart; write them to ``--problems`` if asked."""
    from dataclasses import replace

    try:
        ds = _load(args.path, args)
        errors, warnings = [], list(ds.warnings)
        source = args.path
    except RocuDataError as err:
        ds, errors, warnings, source = None, list(err.problems), list(err.warnings), err.source
    if args.strict:
        errors += [replace(w, severity="error") for w in warnings]
        warnings = []
    if args.problems:
        from .problems_file import write_problems

        written = write_problems(errors + warnings, args.problems)
    if errors:
        _print_problems(errors, f"{len(errors)} problem(s) in {source}:")
    if warnings:
        _print_problems(warnings, f"{len(warnings)} warning(s) in {source} (not errors; --strict makes them errors):")
    if args.problems:
        print(f"wrote {len(errors) + len(warnings)} row(s) to {written}", file=sys.stderr)
    if errors:
        return 1
    print("OK" + (f" with {len(warnings)} warning(s)" if warnings else ""))
    for name, frame in ds.tables.items():
        n_mine = int(ds.analyst_rows(name).sum())
        if not n_mine:
            where = "bundled" if ds.has_analyst_data or ds.data_name.startswith("the ") else ds.origin[name]
        else:
            where = ds.origin[name] if n_mine == len(frame) else f"{n_mine} yours + {len(frame) - n_mine} bundled"
        print(f"  {name:<24} {len(frame):>6} rows   ({where})")
    _print_notices(ds)
    return 0


def cmd_template(args) -> int:
    from .workbook import write_template

    out = write_template(args.out, force=args.force)
    print(f"wrote {out}")
    print(f"fill it in, then:  rocu-compare validate {args.out} --with-bundled")
    return 0


def cmd_export(args) -> int:
    from .workbook import export

    ds = _load(args.data, args)
    print(f"wrote {export(ds, args.out, force=args.force)}")
    return 0


def cmd_sources(args) -> int:
    ds = _load(args.data, args)
    s = ds.sources
    for r in s.itertuples():
        url = r.url if isinstance(r.url, str) else f"(no URL: {r.url_basis})"
        print(f"{r.source_id}\t{r.title}\t{url}")
    return 0


def cmd_report(args) -> int:
    from .report import run_report

    res = run_report(
        out=Path(args.out),
        data=args.data,
        with_bundled=args.with_bundled,
        replace=tuple(args.replace or ()),
        notebooks=not args.no_notebooks,
        jobs=args.jobs,
        progress=print,
        as_at=args.as_at,
        scenario=args.scenario,
        include=_ids(args.include),
        exclude=_ids(args.exclude),
    )
    for name, err in res["failed_notebooks"]:
        print(f"notebook {name} failed: {err}", file=sys.stderr)
    return 1 if res["failed_notebooks"] else 0


def _ids(values) -> list[str] | None:
    """ROCU ids from repeated and/or comma-separated options."""
    if not values:
        return None
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def _etl():
    """The raw-to-``data/`` pipeline (top-level ``etl/``): it ships with the repository, not the package."""
    import sys

    root = Path(__file__).resolve().parents[1]
    if (root / "etl" / "pipeline.py").is_file() and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        from etl import pipeline
    except ImportError as err:
        raise OSError(
            "build-data rebuilds data/ from a checkout of the repository (its etl/ folder and "
            "../shared/reference): run it there, e.g. `make data`"
        ) from err
    return pipeline


def cmd_build_data(args) -> int:
    pipeline = _etl()
    DEFAULT_REFERENCE, build_all = pipeline.DEFAULT_REFERENCE, pipeline.build_all

    kw = {"out": Path(args.out)} if args.out else {}
    res = build_all(
        Path(args.reference) if args.reference else DEFAULT_REFERENCE,
        workforce=args.workforce,
        population=args.population,
        **kw,
    )
    for name, n in res["counts"].items():
        print(f"  {name:<24} {n:>6} rows")
    for rec in res.get("refreshes", []):
        print(
            f"  {rec.table}: vintage {rec.vintage} from {rec.file} (SHA-256 {rec.sha256[:12]}...), "
            f"{rec.rows_added} rows added"
        )
    print(f"  {len(res['set_aside'])} reference rows set aside (data/log/set_aside.csv)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rocu-compare`` command."""
    p = argparse.ArgumentParser(prog="rocu-compare", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    def data_options(parser, positional=False):
        if not positional:
            parser.add_argument("--data", default=None, help="an analyst's folder or workbook (default: bundled data)")
        parser.add_argument(
            "--with-bundled",
            action="store_true",
            help="add your rows to the bundled public rows (same key: yours replaces it)",
        )
        parser.add_argument("--fallback", dest="with_bundled", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument(
            "--replace",
            action="append",
            metavar="TABLE",
            help="with --with-bundled: take this whole table from your file (repeatable)",
        )

    v = sub.add_parser("validate", help="check a folder of CSVs or an .xlsx workbook against the schema")
    v.add_argument("path")
    data_options(v, positional=True)
    v.add_argument(
        "--strict", action="store_true", help="treat warnings (implausible values, unknown columns) as errors"
    )
    v.add_argument(
        "--problems",
        metavar="FILE",
        default=None,
        help="also write one row per problem (place, rule, value, message, fix) to FILE (.csv or .xlsx)",
    )
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser("template", help="write an empty workbook with one sheet per table")
    t.add_argument("out")
    t.add_argument("--force", action="store_true", help="overwrite an existing file")
    t.set_defaults(func=cmd_template)
    e = sub.add_parser("export", help="write the data (bundled by default) as OUT.xlsx or a CSV folder OUT")
    e.add_argument("out")
    e.add_argument("--force", action="store_true", help="overwrite an existing file or non-empty folder")
    data_options(e)
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("sources", help="list every source with its URL")
    data_options(s)
    s.set_defaults(func=cmd_sources)
    r = sub.add_parser("report", help="write every figure, sidecar, index and executed notebook")
    r.add_argument("--out", default="reports")
    data_options(r)
    r.add_argument("--no-notebooks", action="store_true", help="figures only")
    r.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="figures and notebooks built N at a time (default: the number of cores)",
    )
    r.add_argument(
        "--as-at",
        action="append",
        metavar="DATE",
        help="analysis date YYYY-MM-DD (repeat for the over-time figure; the first is the snapshot date)",
    )
    r.add_argument(
        "--scenario",
        metavar="NAME|FILE",
        help="as-built, aligned, kent-serocu, kent-ersou, or a force,unit CSV/xlsx file",
    )
    r.add_argument("--include", action="append", metavar="IDS", help="only these ROCU ids (comma-separated)")
    r.add_argument("--exclude", action="append", metavar="IDS", help="leave out these ROCU ids (comma-separated)")
    r.set_defaults(func=cmd_report)
    b = sub.add_parser("build-data", help="rebuild data/ from the reference folder and raw files")
    b.add_argument("--reference", default=None)
    b.add_argument("--out", default=None, help="output folder (default: the package's data/)")
    b.add_argument(
        "--workforce",
        default=None,
        metavar="FILE",
        help="a newer Home Office police workforce open data table: added as a new officers vintage",
    )
    b.add_argument(
        "--population",
        default=None,
        metavar="FILE",
        help="a newer ONS mid-year estimate by local authority: adds the years not yet held",
    )
    b.set_defaults(func=cmd_build_data)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except RocuDataError as err:
        _print_problems(err.problems, f"{len(err.problems)} problem(s) in {err.source}:")
        if err.warnings:
            _print_problems(err.warnings, f"{len(err.warnings)} warning(s) in {err.source} (not errors):")
        return 1
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, ValueError, TypeError) as err:  # a path or data problem: a message, not a traceback
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
