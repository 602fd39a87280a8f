"""The :class:`Dataset`: every table as a typed DataFrame, plus membership and context."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from dataclasses import replace as with_fields
from pathlib import Path

import numpy as np
import pandas as pd

from .citations import highest_marking
from .dates import parse_date, tolerance_offset
from .errors import Problem, RocuDataError
from .plausibility import check_plausibility
from .readers import RawTable, read_any, read_csv_folder
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
    #: Per table, where each row came from: a frame aligned with the table's index, columns ``origin``
    #: (``"bundled"`` or ``"analyst"``), ``file`` (file or ``workbook.xlsx[sheet]``) and ``row`` (1-based
    #: spreadsheet row). Tables not listed are wholly bundled.
    row_origins: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    #: Notices from loading (e.g. an analyst row that replaced a bundled row with the same key).
    notices: list[str] = field(default_factory=list, repr=False)
    #: How outputs name the data: ``"the bundled public data"`` or the analyst's file name (never a full path).
    data_name: str = "the bundled public data"
    #: Folders that shipped-document paths in ``sources.document`` are relative to.
    document_dirs: tuple = field(default=(DATA_DIR,), repr=False)

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

    # -- provenance of rows -------------------------------------------------------------
    def origins(self, table: str) -> pd.DataFrame:
        """Where each row of ``table`` came from.

        Returns
        -------
        DataFrame
            Aligned with ``self.tables[table].index``; columns ``origin`` (``"bundled"`` or
            ``"analyst"``), ``file`` and ``row`` (the 1-based spreadsheet row in that file).

        Examples
        --------
        >>> load().origins("rocus")["origin"].unique().tolist()
        ['bundled']
        """
        if table in self.row_origins:
            return self.row_origins[table]
        frame = self.tables[table]
        return pd.DataFrame(
            {
                "origin": "bundled",
                "file": self.origin.get(table, f"{table}.csv"),
                "row": pd.array(frame.index, dtype="Int64"),
            },
            index=frame.index,
        )

    def analyst_rows(self, table: str) -> pd.Series:
        """Boolean Series, aligned with the table: True for rows that came from the analyst's data."""
        return self.origins(table)["origin"].eq("analyst")

    @property
    def has_analyst_data(self) -> bool:
        """True when any row of any table came from an analyst's file."""
        return any(self.analyst_rows(t).any() for t in self.tables)

    @property
    def marking(self) -> str | None:
        """The highest protective marking of the sources in the data (``None`` when all are public).

        Every output built on this dataset carries it (image, sidecar, index page, notebooks).
        """
        s = self.tables.get("sources")
        if s is None or "classification" not in s:
            return None
        return highest_marking(s["classification"].dropna())

    def fingerprint(self) -> str:
        """A digest of everything a figure drawn from this dataset can depend on.

        Every table's columns, types and values, where each row came from, the name the
        outputs give the data and the shipped-document folders. Two datasets with the same
        fingerprint draw the same figures (the report's notebooks use it to show the
        figures the report has just drawn instead of drawing them again).

        Examples
        --------
        >>> load().fingerprint() == load().fingerprint()
        True
        """
        h = hashlib.sha256()
        for part, frames in (("table", self.tables), ("origin", self.row_origins)):
            for name in sorted(frames):
                frame = frames[name]
                h.update(f"{part}:{name}:{list(frame.columns)}:{[str(t) for t in frame.dtypes]}".encode())
                h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        h.update(repr((self.data_name, tuple(str(d) for d in self.document_dirs))).encode())
        return h.hexdigest()

    # -- membership ---------------------------------------------------------------------
    def with_membership(self, mapping, unit_names=None, *, description: str | None = None) -> Dataset:
        """This dataset with a given force → unit configuration holding at every date.

        Parameters
        ----------
        mapping : dict, DataFrame, path or Configuration
            Force → unit id: a dict, a DataFrame or a ``.csv``/``.xlsx`` file with columns
            ``force,unit`` (optional ``unit_name`` for designed units), or a
            :class:`~rocu_compare.membership.Configuration` from :mod:`rocu_compare.scenarios`.
        unit_names : dict, optional
            Name of each new (designed) unit id not in ``rocus``.
        description : str, optional
            One line recorded in ``membership.basis`` and ``origin``.

        Returns
        -------
        Dataset
            Every analysis runs on it unchanged.

        Raises
        ------
        RocuDataError
            Every problem at once: unknown force, force in two units, force missing,
            unknown unit without a name.

        Examples
        --------
        >>> ds = load()
        >>> moved = {f: u for f, u in ds.membership_at("2015-06-30").astype(str).values}
        >>> moved["Kent"] = "ersou"
        >>> ds.with_membership(moved).membership_at("2015-06-30").query("force == 'Kent'").rocu_id.item()
        'ersou'
        """
        from .membership import apply_membership

        return apply_membership(self, mapping, unit_names, description=description)

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
        d = parse_date(date).date()

        def spells():  # each spell's first and last day, read once per dataset
            m = self.tables["membership"]
            order = {f: i for i, f in enumerate(self.tables["forces"]["force"].astype(str))}
            return m[["force", "rocu_id"]].assign(
                _start=m["valid_from"].map(lambda s: parse_partial_date(s)[0] if pd.notna(s) else dt.date.min),
                _end=m["valid_to"].map(lambda s: parse_partial_date(s)[0] if pd.notna(s) else dt.date.max),
                _o=m["force"].astype(str).map(order),
            )

        m = derived(self, "membership_spells", spells, ["membership", "forces"])
        hit = m[(m["_start"] <= d) & (d < m["_end"])]
        hit = hit.sort_values("_o")[["force", "rocu_id"]]
        return hit.reset_index(drop=True)

    def forces_context(self, as_at="2015-03-31", *, tolerance_years: int = 1) -> pd.DataFrame:
        """Per-force context measures at a date, each from its nearest available year.

        Columns: ``force``, ``police_region``, ``population_persons`` (+ ``population_year``),
        ``officers_fte`` (+ ``officers_fte_as_at``, ``officers_fte_vintage``),
        ``workforce_fte`` (officers + police staff + PCSOs + designated officers, as first
        published, + ``workforce_fte_as_at``), ``area_km2_approx``,
        ``crime_severity_score`` (total recorded crime, + ``crime_severity_year_ending``).
        Missing inputs stay missing. A series whose nearest value is more than
        ``tolerance_years`` from ``as_at`` is missing (with its date column), never a stale
        number: :meth:`series_used` says which date each series used or why it has none.

        Parameters
        ----------
        as_at : str, date or Timestamp
            ISO ``YYYY-MM-DD`` string, date or Timestamp (see :func:`rocu_compare.dates.parse_date`).
        tolerance_years : int, default 1
            How far (in whole years, either side) a value's reference date may be from ``as_at``.
        """
        ts = parse_date(as_at, "as_at")
        tol = tolerance_offset(tolerance_years)
        f = self.tables["forces"]
        forces = f["force"].astype(str).to_numpy()
        cols: dict[str, object] = {"force": forces, "police_region": f["police_region"].astype(str).to_numpy()}

        def per_force(frame: pd.DataFrame) -> pd.DataFrame:  # one row per force of the table, in its order
            return frame.set_index("force").reindex(forces)

        pop = self._population_mid()
        near = per_force(_nearest(pop, "_mid", ts, "population_persons", "_mid_used", tol))
        cols["population_persons"] = near["population_persons"].array
        cols["population_year"] = pd.to_datetime(near["_mid_used"]).dt.year.astype("Int64").array
        off = self.tables["force_officers_fte"]
        if len(off):
            by_vintage = self._officers_by_vintage()
            vint = _nearest_vintage(by_vintage, ts)
            o = _nearest(by_vintage[vint], "as_at", ts, "officers_fte", "officers_fte_as_at", tol)
            o["officers_fte_vintage"] = vint
            o.loc[o["officers_fte"].isna(), "officers_fte_vintage"] = pd.NA
            o = per_force(o)
            for c in ("officers_fte", "officers_fte_as_at", "officers_fte_vintage"):
                cols[c] = o[c].array
        else:
            for c in ("officers_fte", "officers_fte_as_at", "officers_fte_vintage"):
                cols[c] = pd.NA
        wf_dates = {"2015-03-31": "2015_03_31", "2016-03-31": "2016_03_31"}
        best = min(wf_dates, key=lambda d: abs((pd.Timestamp(d) - ts).days))
        sfx = wf_dates[best]
        parts = [f"{p}_fte_{sfx}" for p in ("officers", "police_staff", "pcso", "designated_officers")]
        if _within(pd.Timestamp(best), ts, tol):
            cols["workforce_fte"] = f[parts].sum(axis=1, skipna=False).values
            cols["workforce_fte_as_at"] = pd.Timestamp(best)
        else:
            cols["workforce_fte"] = float("nan")
            cols["workforce_fte_as_at"] = pd.NaT
        cols["area_km2_approx"] = f["area_km2_approx"].values
        cs = per_force(
            _nearest(
                self._total_crime(),
                "year_ending",
                ts,
                "severity_score",
                "crime_severity_year_ending",
                tol,
            )
        )
        cols["crime_severity_score"] = cs["severity_score"].array
        cols["crime_severity_year_ending"] = cs["crime_severity_year_ending"].array
        return pd.DataFrame(cols)

    def _officers_by_vintage(self) -> dict[str, pd.DataFrame]:
        """``force_officers_fte`` split by vintage (as text), read once per dataset."""
        off = self.tables["force_officers_fte"]

        def build():
            key = off["vintage"].astype(str)
            return {v: off[key == v] for v in sorted(key.unique())}

        return derived(self, "officers_by_vintage", build, ["force_officers_fte"])

    def _total_crime(self) -> pd.DataFrame:
        """The ``Total recorded crime`` rows of ``force_crime_severity``, read once per dataset."""
        cs = self.tables["force_crime_severity"]
        return derived(
            self,
            "total_crime",
            lambda: cs[cs["offence_group"].astype(str) == "Total recorded crime"],
            ["force_crime_severity"],
        )

    def _population_mid(self) -> pd.DataFrame:
        """``force_population`` with ``_mid``, the date each estimate refers to (mid-year: 30 June)."""

        def build():
            pop = self.tables["force_population"]
            return pop.assign(_mid=pd.to_datetime(pop["year"].astype(str) + "-06-30", format="%Y-%m-%d"))

        return derived(self, "population_mid", build, ["force_population"])

    def series_used(self, as_at="2015-06-30", *, tolerance_years: int = 1) -> pd.DataFrame:
        """Which reference date each context series uses at ``as_at``, or why it has none.

        Parameters
        ----------
        as_at : str, date or Timestamp
        tolerance_years : int, default 1

        Returns
        -------
        DataFrame
            One row per series (index ``series``): ``nearest`` (the nearest reference date
            held, any force), ``used`` (that date if within tolerance, else missing),
            ``within_tolerance`` and ``note`` (a sentence, "" when the series is used).

        Examples
        --------
        >>> bool(load().series_used("2024-03-31").loc["population_persons", "within_tolerance"])
        False
        """
        ts = parse_date(as_at, "as_at")
        tol = tolerance_offset(tolerance_years)
        # each series' distinct reference dates, in order of first appearance (a tie goes to the first)
        cand = {
            "population_persons": derived(
                self, "population_dates", lambda: _distinct_dates(self._population_mid()["_mid"]), ["force_population"]
            ),
            "workforce_fte": pd.Series(pd.to_datetime(["2015-03-31", "2016-03-31"])),
        }
        by_vintage = self._officers_by_vintage()
        cand["officers_fte"] = (
            _distinct_dates(by_vintage[_nearest_vintage(by_vintage, ts)]["as_at"])
            if by_vintage
            else pd.Series([], dtype="datetime64[ns]")
        )
        cand["crime_severity_score"] = derived(
            self,
            "crime_severity_dates",
            lambda: _distinct_dates(self._total_crime()["year_ending"]),
            ["force_crime_severity"],
        )
        what = {
            "population_persons": "mid-year population estimate",
            "workforce_fte": "workforce count",
            "officers_fte": "officer count",
            "crime_severity_score": "crime severity year",
        }
        rows = []
        target = np.datetime64(ts.to_datetime64(), "ns")
        for name, dates in cand.items():
            held = pd.Series(dates).dropna()
            if held.empty:
                rows.append((name, pd.NaT, pd.NaT, False, f"{name}: no data held"))
                continue
            # the nearest reference date; on a tie the first held (argmin takes the first minimum)
            near = held.iloc[int(np.argmin(np.abs(held.to_numpy(dtype="datetime64[ns]") - target)))]
            ok = _within(near, ts, tol)
            note = (
                ""
                if ok
                else (
                    f"{name}: no {what[name]} within {tolerance_years} year"
                    f"{'s' if tolerance_years != 1 else ''} of {ts.date()} (nearest "
                    f"{near.date()}); left missing"
                )
            )
            rows.append((name, near, near if ok else pd.NaT, ok, note))
        return pd.DataFrame(
            [r[1:] for r in rows],
            columns=["nearest", "used", "within_tolerance", "note"],
            index=pd.Index([r[0] for r in rows], name="series"),
        )

    def rocu_context(self, as_at="2015-06-30", *, tolerance_years: int = 1) -> pd.DataFrame:
        """One row per ROCU: forces served and force measures aggregated by membership.

        Each series uses its nearest available year to ``as_at`` and says which one it
        used (``*_year``, ``*_as_at`` columns). Sums are taken over member forces with
        ``min_count`` = all members: if any member lacks a value the total is missing,
        never a partial sum. The crime severity score is population-weighted.

        Parameters
        ----------
        as_at : str, date or Timestamp
            Membership date and the target date for each series (ISO ``YYYY-MM-DD``
            string, date or Timestamp).
        tolerance_years : int, default 1
            A series more than this many years from ``as_at`` is missing (see
            :meth:`series_used`), not a stale number.

        Returns
        -------
        DataFrame
            Indexed by ``rocu_id`` (all ten ROCUs, a ROCU with no member forces at the
            date has ``n_forces`` 0 and missing measures).
        """
        as_at = parse_date(as_at, "as_at")
        mem = self.membership_at(as_at)
        unit_of = dict(zip(mem["force"].astype(str), mem["rocu_id"].astype(str)))  # one spell per force
        fc = self.forces_context(as_at, tolerance_years=tolerance_years)
        unit = fc["force"].map(unit_of)
        ctx = fc[unit.notna().to_numpy()].reset_index(drop=True)  # member forces, in the forces table's order
        rocus = list(self.tables["rocus"]["rocu_id"].astype(str))
        slot = {r: i for i, r in enumerate(rocus)}
        group = [slot[u] for u in unit.dropna()]  # each member force's unit, as a row of the output
        n_units = len(rocus)
        summed = ["population_persons", "officers_fte", "workforce_fte", "area_km2_approx"]
        vals = {c: ctx[c].to_numpy(dtype="float64", na_value=np.nan) for c in summed}
        score = ctx["crime_severity_score"].to_numpy(dtype="float64", na_value=np.nan)
        vals["_score_x_pop"] = score * vals["population_persons"]
        sums, gaps = {}, {}
        for c, v in vals.items():  # per-unit sums over the member forces, as pandas' grouped sum adds them
            sums[c], gaps[c] = _unit_sums(v, group, n_units)
        members = np.bincount(np.asarray(group, dtype=np.intp), minlength=n_units)
        empty = members == 0  # a unit with no member forces has no sums: missing, not 0

        firsts = [c for c in ("population_year", "officers_fte_as_at", "workforce_fte_as_at") if c in ctx]
        firsts += [c for c in ("officers_fte_vintage", "crime_severity_year_ending") if c in ctx]
        key = unit.dropna().to_numpy().astype(str)
        first = ctx[firsts].groupby(key, sort=False).first().reindex(rocus)  # the first value held by a member

        cols: dict[str, object] = {}  # built whole, then one frame: no insertion per column
        cols["n_forces"] = members.astype(int)
        force_names = ctx["force"].astype(str)
        names = [[] for _ in rocus]
        for g, f in zip(group, force_names):
            names[g].append(f)
        joined = ["; ".join(n) if n else np.nan for n in names]
        cols["forces"] = pd.Series(joined, index=rocus, dtype=force_names.dtype)
        for col, meta in zip(summed, ("population_year", "officers_fte_as_at", "workforce_fte_as_at", None)):
            cols[col] = pd.array(np.where(gaps[col] | empty, np.nan, sums[col]), dtype="Float64")
            if meta:
                cols[meta] = first[meta]
        if "officers_fte_vintage" in ctx:
            cols["officers_fte_vintage"] = first["officers_fte_vintage"]
        # population-weighted score: missing where any member lacks a score or a population
        with np.errstate(divide="ignore", invalid="ignore"):
            cs = sums["_score_x_pop"] / sums["population_persons"]
        cols["crime_severity_score"] = pd.array(np.where(gaps["_score_x_pop"] | empty, np.nan, cs), dtype="Float64")
        cols["crime_severity_year_ending"] = first["crime_severity_year_ending"]
        cols["population_per_km2"] = cols["population_persons"] / cols["area_km2_approx"]
        cols["officers_per_100k_population"] = cols["officers_fte"] / cols["population_persons"] * 100_000
        out = pd.DataFrame(cols, index=pd.Index(rocus, name="rocu_id"))
        return out

    def citable_url(self, source_id: str) -> str:
        """Where a source can be read: its URL, the shipped document's path, or what it is.

        Examples
        --------
        >>> load().citable_url("hmic-2015-news").startswith("https://")
        True
        >>> load().citable_url("swpcc-response-2015-12").endswith("documents/000_85a5cf008e6fc99c.txt")
        True
        """
        s = self.tables["sources"].set_index("source_id").loc[source_id]
        if pd.notna(s["url"]):
            return str(s["url"])
        if s["url_basis"] == "shipped-document" and pd.notna(s.get("document")):
            for d in self.document_dirs:
                if (Path(d) / str(s["document"])).is_file():
                    return str(Path(d) / str(s["document"]))
        if s["url_basis"] in ("internal", "demonstration"):
            marking = "" if pd.isna(s.get("classification")) else f", {s['classification']}"
            return f"({s['url_basis']}{marking}: no public URL)"
        raise KeyError(f"source {source_id!r} has no URL and no shipped document")


def derived(ds, key, build, tables):
    """A table derived from ``ds`` alone (no date, no option but ``key``), computed once per dataset.

    A loaded :class:`Dataset` is read as it is: the tables it holds are not edited in
    place. The result is remembered on ``ds`` against the identity and length of each of
    ``tables`` (a table replaced by another frame is seen), and every call gets its own
    copy, so a caller may change what it receives.

    Parameters
    ----------
    ds : Dataset
    key : hashable
        The derivation and its options.
    build : callable
        ``build()`` computes the table (a DataFrame or Series, or a dict of them).
    tables : sequence of str
        The tables of ``ds`` it reads.
    """
    memo = ds.__dict__.setdefault("_derived", {}) if isinstance(ds, Dataset) else None
    if memo is None:
        return build()
    stamp = tuple((t, id(ds.tables.get(t)), len(ds.tables.get(t, ()))) for t in tables)
    hit = memo.get(key)
    if hit is None or hit[0] != stamp:
        hit = memo[key] = (stamp, build())
    value = hit[1]
    return {k: v.copy() for k, v in value.items()} if isinstance(value, dict) else value.copy()


def _unit_sums(values: np.ndarray, group, n_units: int) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the sum of ``values`` over its rows (missing skipped) and whether any was missing.

    ``group`` gives each row's unit (0 to ``n_units - 1``). The sums are compensated (Kahan),
    in row order: a handful of numbers per unit, added in plain Python faster than a pandas
    ``groupby`` can be set up. They agree with pandas' grouped sum to the last bit or two.
    """
    total = [0.0] * n_units
    comp = [0.0] * n_units
    gap = np.zeros(n_units, dtype=bool)
    for g, v in zip(group, values.tolist()):
        if v != v:  # NaN
            gap[g] = True
            continue
        y = v - comp[g]
        t = total[g] + y
        comp[g] = t - total[g] - y
        if comp[g] != comp[g]:
            comp[g] = 0.0
        total[g] = t
    return np.asarray(total, dtype="float64"), gap


def _distinct_dates(dates) -> pd.Series:
    """The distinct dates held (missing dropped), in order of first appearance."""
    d = pd.to_datetime(pd.Series(dates)).dropna()
    return pd.Series(pd.unique(d), dtype=d.dtype)


def _within(when, target: pd.Timestamp, tol: pd.DateOffset) -> bool:
    """True if ``when`` lies within ``tol`` of ``target`` (either side, inclusive)."""
    return bool(pd.notna(when) and target - tol <= pd.Timestamp(when) <= target + tol)


def _nearest(frame: pd.DataFrame, key: str, target, value: str, used: str, tol=None) -> pd.DataFrame:
    """Per force, the value at the key nearest to target (ties: the earlier).

    With ``tol`` (a DateOffset), a nearest key further than ``tol`` from the target gives a
    missing value and a missing key (never a stale number)."""
    if frame.empty:
        return pd.DataFrame(columns=["force", value, used])
    keys = frame[key]
    if pd.api.types.is_datetime64_any_dtype(keys):
        k = keys.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
        k[keys.isna().to_numpy()] = np.nan
        dist = np.abs(k - float(pd.Timestamp(target).as_unit("ns").value))
    else:
        k = keys.astype("float64").to_numpy(na_value=np.nan)
        dist = np.abs(k - float(target))
    # sort by distance, then key (missing last; stable), keep each force's first row, in that order
    order = np.lexsort((np.nan_to_num(k, nan=np.inf), np.nan_to_num(dist, nan=np.inf)))
    forces = frame["force"].astype(str).to_numpy()[order]
    _, first = np.unique(forces, return_index=True)
    pos = order[np.sort(first)]
    out = pd.DataFrame(
        {"force": forces[np.sort(first)], value: frame[value].iloc[pos].values, used: keys.iloc[pos].values}
    )
    if tol is not None:
        t = pd.Timestamp(target)  # date keys (as nanoseconds): the tolerance is a calendar offset
        lo, hi = (float(x.as_unit("ns").value) for x in (t - tol, t + tol))
        with np.errstate(invalid="ignore"):
            far = ~((k[pos] >= lo) & (k[pos] <= hi))  # as _within, for every row (a missing key is far)
        if far.any():
            out[value] = out[value].astype("float64")
            out.loc[far, value] = float("nan")
            out.loc[far, used] = pd.NaT
    return out


def _nearest_vintage(by_vintage: dict[str, pd.DataFrame], ts: pd.Timestamp) -> str:
    """The vintage (in sorted order, the first on a tie) holding the date nearest ``ts``.

    ``by_vintage`` is :meth:`Dataset._officers_by_vintage` (not empty)."""
    best = None
    for v, grp in by_vintage.items():  # sorted by vintage
        d = (grp["as_at"] - ts).abs().min()
        if best is None or (pd.notna(d) and (pd.isna(best[0]) or d < best[0])):
            best = (d, v)
    return best[1]


# -- loading -----------------------------------------------------------------------------


def _bundled_raw() -> dict[str, RawTable]:
    return read_csv_folder(DATA_DIR)


#: The bundled data as last validated in this process, with the files' sizes and times.
_BUNDLED: tuple[tuple, Dataset] | None = None


def _bundled_dataset(pkg: Package) -> Dataset:
    """The bundled dataset, read and validated once per process (again if its files change).

    Every call gets its own copy of the tables, so one caller's edits never reach another.
    """
    global _BUNDLED
    files = [DATA_DIR / "datapackage.json", *sorted(DATA_DIR.glob("*.csv"))]
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())
    if _BUNDLED is None or _BUNDLED[0] != stamp:
        _BUNDLED = (stamp, read_validated(_bundled_raw(), pkg, "bundled data"))
    ds = _BUNDLED[1]
    return with_fields(
        ds,
        tables={k: v.copy(deep=True) for k, v in ds.tables.items()},
        origin=dict(ds.origin),
        warnings=list(ds.warnings),
        row_origins={k: v.copy(deep=True) for k, v in ds.row_origins.items()},
        notices=list(ds.notices),
    )


def read_validated(
    raw: dict[str, RawTable],
    pkg: Package,
    source: str,
    *,
    origins=None,
    problems=(),
    notices=(),
    document_dirs=(DATA_DIR,),
    data_name: str | None = None,
) -> Dataset:
    """Validate raw tables (all problems at once) and convert them to a :class:`Dataset`.

    Parameters
    ----------
    raw : dict of str to RawTable
        The tables to validate.
    pkg : Package
        The schema.
    source : str
        How errors name the input.
    origins : dict of str to list of RowOrigin, optional
        Where each row came from (default: each table's own file, as bundled when ``source``
        is the bundled data, otherwise as the analyst's).
    problems : sequence of Problem
        Problems already found (in an analyst's tables before combination).
    notices : sequence of str
        What loading did, kept on the Dataset.
    document_dirs : sequence of Path
        Folders that shipped-document paths are relative to.
    data_name : str, optional
        How outputs name the data (a file name, never a path).
    """
    from .combine import ANALYST, BUNDLED, own_origins, remap

    bundled = source == "bundled data"
    if origins is None:
        origins = {n: own_origins(t, BUNDLED if bundled else ANALYST) for n, t in raw.items()}
    found: list[Problem] = list(problems)
    for name, t in raw.items():
        if name not in pkg.tables:
            found.append(
                Problem(
                    t.label,
                    None,
                    None,
                    None,
                    "unknown_table",
                    f"no table called {name!r} in the schema (expected one of: {', '.join(pkg.tables)})",
                )
            )
    for name, schema in pkg.tables.items():
        if name not in raw:
            found.append(
                Problem(
                    f"{source}",
                    None,
                    None,
                    name,
                    "missing_table",
                    f"table {name!r} is missing (add it, or load with with_bundled=True to use the bundled rows)",
                )
            )
            continue
        found.extend(check_table(raw[name], schema))
    known = {n: t for n, t in raw.items() if n in pkg.tables}
    found.extend(check_package(known, pkg, base_dir=tuple(document_dirs)))
    found.extend(check_plausibility(known))
    found = remap(found, known, origins)
    warnings = [p for p in found if p.severity == "warning"]
    found = [p for p in found if p.severity != "warning"]
    if found:
        raise RocuDataError(found, source, warnings)

    def column(table, col):
        return [r[raw[table].header.index(col)] for r in raw[table].rows]

    # categories follow the tables they refer to (inspections also grade British Transport Police)
    cats = {"force": column("forces", "force"), "capability": column("capabilities", "capability")}
    tables, row_origins = {}, {}
    for name, schema in pkg.tables.items():
        c = {k: v for k, v in cats.items() if not (name == "inspections" and k == "force")}
        frame = to_frame(raw[name], schema, c)
        org = origins[name]
        single_file = len({o.file for o in org}) <= 1
        if not single_file:  # rows from two files: the spreadsheet row alone no longer names a row
            frame.index = pd.RangeIndex(len(frame), name="row_id")
        tables[name] = frame
        row_origins[name] = pd.DataFrame(
            {
                "origin": [o.origin for o in org],
                "file": [o.file for o in org],
                "row": pd.array([o.row for o in org], dtype="Int64"),
            },
            index=frame.index,
        )
    return Dataset(
        tables,
        {n: raw[n].label for n in tables},
        pkg,
        warnings,
        row_origins=row_origins,
        notices=list(notices),
        data_name=data_name or ("the bundled public data" if bundled else source),
        document_dirs=tuple(Path(d) for d in document_dirs),
    )


def load(
    path: str | Path | None = None, *, with_bundled: bool = False, replace=(), fallback: bool | None = None
) -> Dataset:
    """Load and validate the bundled dataset or an analyst's own.

    Parameters
    ----------
    path : str or Path, optional
        A folder of CSV files named like the tables (``forces.csv`` ...), or an ``.xlsx``
        workbook with one sheet per table (see ``rocu-compare template``). Default: the
        bundled public dataset.
    with_bundled : bool, default False
        Add the analyst's rows to the bundled rows, table by table. An analyst row with the
        same primary key as a bundled row replaces it (each replacement is listed in
        ``Dataset.notices``); tables the analyst leaves out or empty are the bundled ones.
        Every row keeps where it came from (``Dataset.origins(table)``), and a problem in an
        analyst row is reported once, against that row.
    replace : iterable of str
        With ``with_bundled``: tables taken wholly from the analyst's file (e.g. their own
        ``membership``), dropping the bundled rows of those tables.
    fallback : bool, optional
        Former name of ``with_bundled`` (which now combines rows, not whole tables).

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
    ValueError
        If ``replace`` names a table that does not exist.

    Examples
    --------
    >>> ds = load()
    >>> len(ds.forces)
    43
    """
    from .combine import combine

    if fallback is not None:
        with_bundled = with_bundled or bool(fallback)
    pkg = package()
    replace = tuple(replace or ())
    unknown = [t for t in replace if t not in pkg.tables]
    if unknown:
        raise ValueError(f"replace: no table called {', '.join(map(repr, unknown))} (tables: {', '.join(pkg.tables)})")
    if replace and not with_bundled:
        raise ValueError("replace only applies when adding to the bundled data (with_bundled=True)")
    if path is None:
        return _bundled_dataset(pkg)
    path = Path(path)
    raw = read_any(path)
    base = path if path.is_dir() else path.parent
    if not with_bundled:
        return read_validated(raw, pkg, path.name, document_dirs=(base,), data_name=path.name)
    comb = combine(_bundled_raw(), raw, pkg, replace)
    extra = {n: t for n, t in raw.items() if n not in pkg.tables}
    return read_validated(
        {**comb.raw, **extra},
        pkg,
        path.name,
        origins=comb.origins,
        problems=comb.problems,
        notices=comb.notices,
        document_dirs=(base, DATA_DIR),
        data_name=path.name,
    )


def load_from_env() -> Dataset:
    """The dataset a notebook should use, as the environment says.

    ``ROCU_DATA`` (a folder or workbook; unset or blank: the bundled data),
    ``ROCU_WITH_BUNDLED`` (``1``: add its rows to the bundled rows) and ``ROCU_REPLACE``
    (comma-separated tables taken wholly from it). ``rocu-compare report --data`` sets
    them so the notebooks run on the same data as the figures.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("ROCU_DATA", None) and None
    >>> len(load_from_env().forces)
    43
    """
    import os

    path = os.environ.get("ROCU_DATA") or None
    if path is None:
        return load()
    with_bundled = os.environ.get("ROCU_WITH_BUNDLED", "").strip().lower() in ("1", "true", "yes")
    replace = tuple(t.strip() for t in os.environ.get("ROCU_REPLACE", "").split(",") if t.strip())
    return load(path, with_bundled=with_bundled, replace=replace)
