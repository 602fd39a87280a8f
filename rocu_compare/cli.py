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


def cmd_validate(args) -> int:
    ds = _load(args.path, args.fallback)
    print("OK")
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
               progress=print, as_at=args.as_at, scenario=args.scenario, include=_ids(args.include),
               exclude=_ids(args.exclude))
    return 0


def _ids(values) -> list[str] | None:
    """ROCU ids from repeated and/or comma-separated options."""
    if not values:
        return None
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def cmd_build_data(args) -> int:
    from .build.pipeline import DEFAULT_REFERENCE, build_all

    kw = {"out": Path(args.out)} if args.out else {}
    res = build_all(Path(args.reference) if args.reference else DEFAULT_REFERENCE, workforce=args.workforce,
                    population=args.population, **kw)
    for name, n in res["counts"].items():
        print(f"  {name:<24} {n:>6} rows")
    for rec in res.get("refreshes", []):
        print(f"  {rec.table}: vintage {rec.vintage} from {rec.file} (SHA-256 {rec.sha256[:12]}...), "
              f"{rec.rows_added} rows added")
    print(f"  {len(res['set_aside'])} reference rows set aside (data/log/set_aside.csv)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rocu-compare`` command."""
    p = argparse.ArgumentParser(prog="rocu-compare", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check a folder of CSVs or an .xlsx workbook against the schema")
    v.add_argument("path")
    v.add_argument("--fallback", action="store_true", help="take missing tables from the bundled data")
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
    r.add_argument("--as-at", action="append", metavar="DATE",
                   help="analysis date YYYY-MM-DD (repeat for the over-time figure; the first is the snapshot date)")
    r.add_argument("--scenario", metavar="NAME|FILE",
                   help="as-built, aligned, kent-serocu, kent-ersou, or a force,unit CSV/xlsx file")
    r.add_argument("--include", action="append", metavar="IDS", help="only these ROCU ids (comma-separated)")
    r.add_argument("--exclude", action="append", metavar="IDS", help="leave out these ROCU ids (comma-separated)")
    r.set_defaults(func=cmd_report)
    b = sub.add_parser("build-data", help="rebuild data/ from the reference folder and raw files")
    b.add_argument("--reference", default=None)
    b.add_argument("--out", default=None, help="output folder (default: the package's data/)")
    b.add_argument("--workforce", default=None, metavar="FILE",
                   help="a newer Home Office police workforce open data table: added as a new officers vintage")
    b.add_argument("--population", default=None, metavar="FILE",
                   help="a newer ONS mid-year estimate by local authority: adds the years not yet held")
    b.set_defaults(func=cmd_build_data)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except RocuDataError as err:
        print(f"{len(err.problems)} problem(s) in {err.source}:", file=sys.stderr)
        for prob in err.problems:
            print(f"  - {prob}", file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, TypeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
