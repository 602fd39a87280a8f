"""The :class:`Dataset`: every table as a typed DataFrame, plus membership and context."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Problem, RocuDataError
from .readers import RawTable, read_any, read_csv_folder
from .plausibility import check_plausibility
from .schema import DATA_DIR, Package, package
from .validate import check_package, check_table, parse_partial_date, to_frame


@dataclass
class Dataset:
    """All tables of one dataset, validated and typed.

    Attributes
    ----------
    tables : dict of str to DataFrame
        One typed frame per table of ``data/datapackage.json``; the index is the
        spreadsheet row number of each row in its file.
    origin : dict of str to str
        Where each table came from (a file, a sheet, or ``bundled``).
    warnings : list of Problem
        What the loader doubts but did not reject (``severity="warning"``): columns
        not in the schema, implausible values (see :mod:`rocu_compare.plausibility`).
    """

    tables: dict[str, pd.DataFrame]
    origin: dict[str, str] = field(default_factory=dict)
    schema: Package = field(default_factory=package, repr=False)
    warnings: list[Problem] = field(default_factory=list, repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"Dataset({counts})"

    # -- membership ---------------------------------------------------------------------
    def membership_at(self, date) -> pd.DataFrame:
        """Which ROCU each force belongs to on a date.

        A spell covers ``date`` when ``valid_from <= date < valid_to``. A partial date
        (``2009``, ``2013-10``) starts on the first day of that period; a blank
        ``valid_from`` is open to the past (the start is not published) and a blank
        ``valid_to`` is open to the future.

        Parameters
        ----------
        date : str, date or Timestamp

        Returns
        -------
        DataFrame
            Columns ``force`` and ``rocu_id``, one row per force with a spell covering
            the date, in the order of the forces table.

        Examples
        --------
        >>> ds = load()
        >>> m = ds.membership_at("2015-06-30")
        >>> m.loc[m.force == "Kent", "rocu_id"].item()
        'serocu'
        """
        d = pd.Timestamp(date).date()
        m = self.tables["membership"]
        start = m["valid_from"].map(lambda s: parse_partial_date(s)[0] if pd.notna(s) else dt.date.min)
        end = m["valid_to"].map(lambda s: parse_partial_date(s)[0] if pd.notna(s) else dt.date.max)
        hit = m[(start <= d) & (d < end)][["force", "rocu_id"]]
        order = {f: i for i, f in enumerate(self.tables["forces"]["force"].astype(str))}
        hit = hit.assign(_o=hit["force"].astype(str).map(order)).sort_values("_o").drop(columns="_o")
        return hit.reset_index(drop=True)

    def forces_context(self, as_at="2015-03-31") -> pd.DataFrame:
        """Per-force context measures at a date, each from its nearest available year.

        Columns: ``force``, ``police_region``, ``population_persons`` (+ ``population_year``),
        ``officers_fte`` (+ ``officers_fte_as_at``, ``officers_fte_vintage``),
        ``workforce_fte`` (officers + police staff + PCSOs + designated officers, as first
        published, + ``workforce_fte_as_at``), ``area_km2_approx``,
        ``crime_severity_score`` (total recorded crime, + ``crime_severity_year_ending``).
        Missing inputs stay missing.
        """
        ts = pd.Timestamp(as_at)
        f = self.tables["forces"]
        out = pd.DataFrame({"force": f["force"].astype(str).values,
                            "police_region": f["police_region"].astype(str).values})
        pop = self.tables["force_population"]
        pop = pop.assign(_mid=pd.to_datetime(pop["year"].astype(str) + "-06-30"))  # mid-year = 30 June
        near = _nearest(pop, "_mid", ts, "population_persons", "_mid_used")
        near["population_year"] = pd.to_datetime(near["_mid_used"]).dt.year
        out = out.merge(near.drop(columns="_mid_used"), on="force", how="left")
        off = self.tables["force_officers_fte"]
        if len(off):
            vint = _nearest_vintage(off, ts)
            o = _nearest(off[off["vintage"].astype(str) == vint], "as_at", ts, "officers_fte", "officers_fte_as_at")
            o["officers_fte_vintage"] = vint
            out = out.merge(o, on="force", how="left")
        else:
            out[["officers_fte", "officers_fte_as_at", "officers_fte_vintage"]] = pd.NA
        wf_dates = {"2015-03-31": "2015_03_31", "2016-03-31": "2016_03_31"}
        best = min(wf_dates, key=lambda d: abs((pd.Timestamp(d) - ts).days))
        sfx = wf_dates[best]
        parts = [f"{p}_fte_{sfx}" for p in ("officers", "police_staff", "pcso", "designated_officers")]
        out["workforce_fte"] = f[parts].sum(axis=1, skipna=False).values
        out["workforce_fte_as_at"] = pd.Timestamp(best)
        out["area_km2_approx"] = f["area_km2_approx"].values
        cs = self.tables["force_crime_severity"]
        cs = cs[cs["offence_group"].astype(str) == "Total recorded crime"]
        out = out.merge(_nearest(cs, "year_ending", ts, "severity_score", "crime_severity_year_ending")
                        .rename(columns={"severity_score": "crime_severity_score"}), on="force", how="left")
        return out

    def rocu_context(self, as_at="2015-06-30") -> pd.DataFrame:
        """One row per ROCU: forces served and force measures aggregated by membership.

        Each series uses its nearest available year to ``as_at`` and says which one it
        used (``*_year``, ``*_as_at`` columns). Sums are taken over member forces with
        ``min_count`` = all members: if any member lacks a value the total is missing,
        never a partial sum. The crime severity score is population-weighted.

        Parameters
        ----------
        as_at : str, date or Timestamp
            Membership date and the target date for each series.

        Returns
        -------
        DataFrame
            Indexed by ``rocu_id`` (all ten ROCUs, a ROCU with no member forces at the
            date has ``n_forces`` 0 and missing measures).
        """
        mem = self.membership_at(as_at)
        ctx = self.forces_context(as_at).merge(mem, on="force", how="inner")
        rocus = list(self.tables["rocus"]["rocu_id"].astype(str))
        g = ctx.groupby("rocu_id", observed=True, sort=False)

        def total(col):
            return g[col].apply(lambda s: s.sum() if s.notna().all() else pd.NA)

        def one(col):
            return g[col].apply(lambda s: s.dropna().iloc[0] if s.notna().any() else pd.NA)

        out = pd.DataFrame(index=pd.Index(rocus, name="rocu_id"))
        out["n_forces"] = g.size().reindex(rocus).fillna(0).astype(int)
        out["forces"] = g["force"].apply(lambda s: "; ".join(s)).reindex(rocus)
        for col, meta in (("population_persons", "population_year"), ("officers_fte", "officers_fte_as_at"),
                          ("workforce_fte", "workforce_fte_as_at"), ("area_km2_approx", None)):
            out[col] = pd.to_numeric(total(col), errors="coerce").reindex(rocus).astype("Float64")
            if meta:
                out[meta] = one(meta).reindex(rocus)
        if "officers_fte_vintage" in ctx:
            out["officers_fte_vintage"] = one("officers_fte_vintage").reindex(rocus)
        w = ctx.assign(_w=ctx["crime_severity_score"] * ctx["population_persons"])
        gw = w.groupby("rocu_id", observed=True)
        cs = gw.apply(lambda s: (s["_w"].sum() / s["population_persons"].sum())
                      if s[["_w", "population_persons"]].notna().all().all() else pd.NA, include_groups=False)
        out["crime_severity_score"] = pd.to_numeric(cs, errors="coerce").reindex(rocus).astype("Float64")
        out["crime_severity_year_ending"] = one("crime_severity_year_ending").reindex(rocus)
        out["population_per_km2"] = out["population_persons"] / out["area_km2_approx"]
        out["officers_per_100k_population"] = out["officers_fte"] / out["population_persons"] * 100_000
        out.loc[out["n_forces"] == 0, ["population_persons", "officers_fte", "workforce_fte", "area_km2_approx"]] = pd.NA
        return out

    def citable_url(self, source_id: str) -> str:
        """Where a source can be read: its URL, or the shipped document named in its notes.

        Examples
        --------
        >>> load().citable_url("hmic-2015-news").startswith("https://")
        True
        >>> load().citable_url("swpcc-response-2015-12")
        'data/documents/000_85a5cf008e6fc99c.txt'
        """
        s = self.tables["sources"].set_index("source_id").loc[source_id]
        if pd.notna(s["url"]):
            return str(s["url"])
        if s["url_basis"] == "shipped-document" and "data/documents/" in str(s["notes"]):
            return "data/documents/" + str(s["notes"]).split("data/documents/")[1].rstrip(".")
        raise KeyError(f"source {source_id!r} has no URL and no shipped document")


def _nearest(frame: pd.DataFrame, key: str, target, value: str, used: str) -> pd.DataFrame:
    """Per force, the value at the key nearest to target (ties: the earlier)."""
    if frame.empty:
        return pd.DataFrame(columns=["force", value, used])
    keys = frame[key]
    if pd.api.types.is_datetime64_any_dtype(keys):
        dist = (keys - pd.Timestamp(target)).abs()
    else:
        dist = (keys.astype("float64") - float(target)).abs()
    pick = frame.assign(_d=dist.values, _k=keys.values).sort_values(["_d", "_k"], kind="mergesort")
    pick = pick.drop_duplicates("force")
    return pd.DataFrame({"force": pick["force"].astype(str).values, value: pick[value].values,
                         used: pick[key].values})


def _nearest_vintage(off: pd.DataFrame, ts: pd.Timestamp) -> str:
    best = None
    for v, grp in off.groupby(off["vintage"].astype(str)):
        d = (grp["as_at"] - ts).abs().min()
        if best is None or d < best[0]:
            best = (d, v)
    return best[1]


# -- loading -----------------------------------------------------------------------------

def _bundled_raw() -> dict[str, RawTable]:
    return read_csv_folder(DATA_DIR)


def read_validated(raw: dict[str, RawTable], pkg: Package, source: str) -> Dataset:
    """Validate raw tables (all problems at once) and convert them to a :class:`Dataset`."""
    problems: list[Problem] = []
    for name, t in raw.items():
        if name not in pkg.tables:
            problems.append(Problem(t.label, None, None, None, "unknown_table",
                                    f"no table called {name!r} in the schema (expected one of: {', '.join(pkg.tables)})"))
    for name, schema in pkg.tables.items():
        if name not in raw:
            problems.append(Problem(f"{source}", None, None, name, "missing_table",
                                    f"table {name!r} is missing (add it, or load with fallback=True to use the bundled one)"))
            continue
        problems.extend(check_table(raw[name], schema))
    known = {n: t for n, t in raw.items() if n in pkg.tables}
    problems.extend(check_package(known, pkg))
    problems.extend(check_plausibility(known))
    warnings = [p for p in problems if p.severity == "warning"]
    problems = [p for p in problems if p.severity != "warning"]
    if problems:
        raise RocuDataError(problems, source, warnings)
    def column(table, col):
        return [r[raw[table].header.index(col)] for r in raw[table].rows]

    # categories follow the tables they refer to (inspections also grade British Transport Police)
    cats = {"force": column("forces", "force"), "capability": column("capabilities", "capability")}
    tables = {}
    for name, schema in pkg.tables.items():
        c = {k: v for k, v in cats.items() if not (name == "inspections" and k == "force")}
        tables[name] = to_frame(raw[name], schema, c)
    return Dataset(tables, {n: raw[n].label for n in tables}, pkg, warnings)


def load(path: str | Path | None = None, *, fallback: bool = False) -> Dataset:
    """Load and validate the bundled dataset or an analyst's own.

    Parameters
    ----------
    path : str or Path, optional
        A folder of CSV files named like the tables (``forces.csv`` ...), or an ``.xlsx``
        workbook with one sheet per table (see ``rocu-compare template``). Default: the
        bundled public dataset.
    fallback : bool, default False
        Tables missing from ``path``, or present with headers but no rows, are taken
        from the bundled dataset only if True (``origin`` says which were).
        The combined set is validated as one (foreign keys across both).

    Returns
    -------
    Dataset

    Raises
    ------
    RocuDataError
        Listing every problem: file or sheet, 1-based row, column, value and rule.
        A file that cannot be read at all (empty, damaged, ``.xls``/``.ods``, not UTF-8,
        not a folder or workbook) gives one problem naming it.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> ds = load()
    >>> len(ds.forces)
    43
    """
    pkg = package()
    if path is None:
        return read_validated(_bundled_raw(), pkg, "bundled data")
    raw = read_any(Path(path))
    if fallback:
        bundled = _bundled_raw()
        for name in pkg.tables:
            if name not in raw or (not raw[name].rows and not raw[name].problems):
                bundled[name].label = f"bundled {bundled[name].label}"
                raw[name] = bundled[name]
    return read_validated(raw, pkg, str(path))
