"""Command line: ``rocu-compare validate|template|export|sources|report|build-data``.

Problems with input data are printed one per line, without a traceback, and the command
exits with status 1.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import RocuDataError


def _load(path, fallback=False):
    from .dataset import load

    return load(path, fallback=fallback)


def _print_problems(problems, heading: str) -> None:
    print(heading, file=sys.stderr)
    for prob in problems:
        print(f"  - {prob}", file=sys.stderr)


def cmd_validate(args) -> int:
    """Validate; print errors, then warnings apart; write them to ``--problems`` if asked."""
    from dataclasses import replace

    try:
        ds = _load(args.path, args.fallback)
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
        _print_problems(warnings, f"{len(warnings)} warning(s) in {source} (not errors; --strict makes them "
                                  "errors):")
    if args.problems:
        print(f"wrote {len(errors) + len(warnings)} row(s) to {written}", file=sys.stderr)
    if errors:
        return 1
    print("OK" + (f" with {len(warnings)} warning(s)" if warnings else ""))
    for name, frame in ds.tables.items():
        print(f"  {name:<24} {len(frame):>6} rows   ({ds.origin[name]})")
    return 0


def cmd_template(args) -> int:
    from .workbook import write_template

    print(f"wrote {write_template(args.out)}")
    return 0


def cmd_export(args) -> int:
    from .workbook import export

    ds = _load(args.data, args.fallback)
    print(f"wrote {export(ds, args.out)}")
    return 0


def cmd_sources(args) -> int:
    ds = _load(args.data, args.fallback)
    s = ds.sources
    for r in s.itertuples():
        url = r.url if isinstance(r.url, str) else f"(no URL: {r.url_basis})"
        print(f"{r.source_id}\t{r.title}\t{url}")
    return 0


def cmd_report(args) -> int:
    from .report import run_report

    run_report(out=Path(args.out), data=args.data, fallback=args.fallback, notebooks=not args.no_notebooks,
               progress=print)
    return 0


def cmd_build_data(args) -> int:
    from .build.pipeline import DEFAULT_REFERENCE, build_all

    res = build_all(Path(args.reference) if args.reference else DEFAULT_REFERENCE)
    for name, n in res["counts"].items():
        print(f"  {name:<24} {n:>6} rows")
    print(f"  {len(res['set_aside'])} reference rows set aside (data/log/set_aside.csv)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rocu-compare`` command."""
    p = argparse.ArgumentParser(prog="rocu-compare", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check a folder of CSVs or an .xlsx workbook against the schema")
    v.add_argument("path")
    v.add_argument("--fallback", action="store_true", help="take missing tables from the bundled data")
    v.add_argument("--strict", action="store_true", help="treat warnings (implausible values, unknown columns) "
                   "as errors")
    v.add_argument("--problems", metavar="FILE", default=None,
                   help="also write one row per problem (place, rule, value, message, fix) to FILE (.csv or .xlsx)")
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser("template", help="write an empty workbook with one sheet per table")
    t.add_argument("out")
    t.set_defaults(func=cmd_template)
    e = sub.add_parser("export", help="write the data (bundled by default) as OUT.xlsx or a CSV folder OUT")
    e.add_argument("out")
    e.add_argument("--data", default=None)
    e.add_argument("--fallback", action="store_true")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("sources", help="list every source with its URL")
    s.add_argument("--data", default=None)
    s.add_argument("--fallback", action="store_true")
    s.set_defaults(func=cmd_sources)
    r = sub.add_parser("report", help="write every figure, sidecar, index and executed notebook")
    r.add_argument("--out", default="reports")
    r.add_argument("--data", default=None, help="an analyst's folder or workbook (default: bundled data)")
    r.add_argument("--fallback", action="store_true")
    r.add_argument("--no-notebooks", action="store_true", help="figures only")
    r.set_defaults(func=cmd_report)
    b = sub.add_parser("build-data", help="rebuild data/ from the reference folder and raw files")
    b.add_argument("--reference", default=None)
    b.set_defaults(func=cmd_build_data)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except RocuDataError as err:
        _print_problems(err.problems, f"{len(err.problems)} problem(s) in {err.source}:")
        if err.warnings:
            _print_problems(err.warnings, f"{len(err.warnings)} warning(s) in {err.source} (not errors):")
        return 1
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
