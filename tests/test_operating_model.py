"""Operating-model evidence: the data table, unit presence and the coded model attributes.

Expected values are worked out by hand from rows of ../shared/reference/rocu_model_attributes.csv
(quoted in the comments) and capability_evidence.csv.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rocu_compare.compare import compare_rocus, group_effect, profiles
from rocu_compare.operating_model import (
    REMIT_CODES,
    REMITS,
    accepted_strengths,
    harmonise_partner,
    model_codes,
    parse_rank,
    unit_presence,
)

AS_AT = "2015-06-30"


def _model(ds, evidence="stated", as_at=AS_AT):
    p = profiles(ds, as_at, evidence=evidence)
    return p.frame[[c for c in p.frame.columns if p.groups[c] == "model"]]


# --- the table ----------------------------------------------------------------------------------


def test_every_model_evidence_row_cites_a_source_with_a_url(ds):
    me = ds.rocu_model_evidence
    assert len(me) > 100
    src = ds.sources.set_index(ds.sources["source_id"].astype(str))
    urls = me["source_id"].astype(str).map(src["url"])
    assert urls.notna().all(), me.loc[urls.isna(), "source_id"].tolist()
    assert urls.astype(str).str.match(r"https?://").all()


def test_unit_rows_and_only_unit_rows_map_to_the_catalogue(ds):
    me = ds.rocu_model_evidence
    units = me["attribute"].astype(str).str.startswith("has_")
    assert me.loc[units, "capability"].notna().all()
    assert me.loc[~units, "capability"].isna().all()
    assert set(me["capability"].dropna().astype(str)) <= set(ds.capabilities["capability"].astype(str))


# --- unit presence: one home for "unit X existed in ROCU Y" ---------------------------------------


def test_unit_presence_reads_both_tables(ds):
    up = unit_presence(ds)
    assert set(up["origin"]) == {"capability_evidence", "rocu_model_evidence"}
    # every capability_evidence row is there, as stated presence
    ce = up[up["origin"] == "capability_evidence"]
    assert len(ce) == len(ds.capability_evidence) and (ce["value"] == "yes").all()
    # Tarian: 'Regional Task Force' only in capability_evidence; 'Government Agency Intelligence Network (GAIN)'
    # only in rocu_model_evidence (has_government_agency_intelligence_network, slidetodoc-gain-wales)
    tarian = set(up.loc[up["rocu_id"] == "tarian", "capability"])
    assert {"Regional Task Force", "Government Agency Intelligence Network (GAIN)"} <= tarian


def test_stated_evidence_drops_indicated_and_implied_rows(ds):
    stated = unit_presence(ds, "stated")
    assert set(stated["evidence_strength"]) == {"stated"}
    # ersou,has_regional_cyber_crime_unit,yes,indicated (ersou-about-current): counted only when asked
    ersou_cyber = lambda up: ((up["rocu_id"] == "ersou") & (up["capability"] == "Regional Cyber Crime Unit")).any()  # noqa: E731
    assert not ersou_cyber(stated)
    assert ersou_cyber(unit_presence(ds, "indicated"))
    # nwrocu,has_regional_cyber_crime_unit,yes,implied: only at "implied"
    nw = lambda up: ((up["rocu_id"] == "nwrocu") & (up["capability"] == "Regional Cyber Crime Unit")).any()  # noqa: E731
    assert not nw(unit_presence(ds, "indicated")) and nw(unit_presence(ds, "implied"))
    assert _model(ds)["catalogue_units_n"]["ersou"] == 1  # RART only (suffolknews-2015-ersou-ace)
    assert _model(ds, "indicated")["catalogue_units_n"]["ersou"] == 2


def test_unknown_evidence_level_is_refused():
    assert accepted_strengths("implied") == ("stated", "indicated", "implied")
    with pytest.raises(ValueError, match="evidence must be one of"):
        accepted_strengths("strong")


# --- coded attributes of three ROCUs, by hand -------------------------------------------------------


def test_tarian_by_hand(ds):
    m = _model(ds).loc["tarian"]
    # senior_lead_rank rows: 'Detective Chief Superintendent (head)' 2023-02-13, 'Detective Superintendent (head)'
    # 2023-02-15 (a conflict), 'Detective Superintendent (co-ordinator)' undated. Dated rows win; 2023-02-13 is the
    # nearer to 30 June 2015 by two days.
    assert m["senior_lead_rank"] == "Detective Chief Superintendent"
    # remit_economic_crime: yes (undated, tarian-teams) and yes (2023-02-15): yes. No other remit row: missing.
    assert m["remit_economic_crime"] == "yes"
    assert pd.isna(m["remit_counter_terrorism"]) and pd.isna(m["remit_major_crime"]) and pd.isna(m["remit_forensics"])
    # partners: 'NCA;HMRC;Border Force;Home Office Immigration (in the RIU)' + 'HMRC;CPS (resource the unit)'
    assert m["partner_agencies_n"] == 5
    # units: capability_evidence (Regional Task Force, Regional Intelligence Unit, RART, Regional Protected Persons
    # Unit) + model rows (RART, Regional Cyber Crime Unit, RPPU, regional prison intelligence unit, GAIN) = 7 distinct
    assert m["catalogue_units_n"] == 7
    assert m["collaboration_instrument"] == "MOU and s22A-23I collaboration" and pd.isna(m["host_model"])


def test_ersou_by_hand_undated_row(ds):
    m = _model(ds).loc["ersou"]
    # the only senior_lead_rank row is undated ('Assistant Chief Constable', peterboroughmatters-ersou-ace): used,
    # because no dated row exists
    assert m["senior_lead_rank"] == "Assistant Chief Constable"
    codes = model_codes(ds, AS_AT).set_index(["rocu_id", "attribute"])
    assert codes.loc[("ersou", "senior_lead_rank"), "dated"] == "undated"
    assert "no dated row" in codes.loc[("ersou", "senior_lead_rank"), "rule"]
    # remit_counter_terrorism: yes 2016-11-10 and yes undated; remit_forensics: no row
    assert m["remit_counter_terrorism"] == "yes" and pd.isna(m["remit_forensics"])
    assert m["partner_agencies_n"] == 3  # 'HMRC;UK Border Force;NCA'
    assert m["host_model"] == "lead force"


def test_swrocu_by_hand_undated_conflict_and_partner_harmonisation(ds):
    m = _model(ds).loc["swrocu"]
    # two undated rank rows disagree ('Superintendent (Head of Zephyr)', 'Assistant Chief Constable'): no value
    assert pd.isna(m["senior_lead_rank"])
    codes = model_codes(ds, AS_AT).set_index(["rocu_id", "attribute"])
    assert codes.loc[("swrocu", "senior_lead_rank"), "value"] is None
    assert codes.loc[("swrocu", "senior_lead_rank"), "rule"].startswith("conflict")
    # 'NCA;HMRC;UK Border Force;NOMS;CPS' and 'SOCA;HMRC;UK Border Agency;South West Trading Standards Enforcement
    # Team;HM Court Service;CPS (work alongside)'. In 2015: SOCA → NCA, UK Border Agency / UK Border Force →
    # Border Force, HM Court Service → HMCTS: NCA, HMRC, Border Force, NOMS, CPS, SW Trading Standards, HMCTS = 7
    assert m["partner_agencies_n"] == 7
    # in mid-2011 SOCA and the UK Border Agency are still separate names: 7 + SOCA + UK Border Agency = 9
    assert _model(ds, as_at="2011-06-30").loc["swrocu", "partner_agencies_n"] == 9


def test_harmonisation_and_rank_parsing():
    assert harmonise_partner("UK Border Agency", "2015-01-01") == "Border Force"
    assert harmonise_partner("UK Border Agency", "2011-01-01") == "UK Border Agency"
    assert harmonise_partner("UK Border Force", "2000-01-01") == "Border Force"
    assert parse_rank("Chief Constable (Warwickshire) overseeing the region's SOC response") == "Chief Constable"
    assert parse_rank("Temporary Assistant Chief Constable") == "Assistant Chief Constable"
    assert parse_rank("Head of unit") is None


# --- missing stays missing -------------------------------------------------------------------------


def test_no_remit_is_no_from_silence(ds):
    m = _model(ds)
    me = ds.rocu_model_evidence
    me = me[me["evidence_strength"].astype(str) == "stated"]
    said_no = {(str(r.rocu_id), str(r.attribute)) for r in me.itertuples() if REMIT_CODES.get(str(r.value)) == "no"}
    has_row = {(str(r.rocu_id), str(r.attribute)) for r in me.itertuples()}
    for attr in REMITS:
        for rid, v in m[attr].items():
            if (rid, attr) not in has_row:
                assert pd.isna(v), (rid, attr)
            if v == "no":
                assert (rid, attr) in said_no, (rid, attr)
    # NWROCU has no remit row at all; SEROCU's counter terrorism is 'aligned' (alongside, not within): no
    assert m.loc["nwrocu", list(REMITS)].isna().all()
    assert m.loc["serocu", "remit_counter_terrorism"] == "no"
    # counts are missing, not zero, without evidence: NWROCU names no partner agency
    assert pd.isna(m.loc["nwrocu", "partner_agencies_n"])


def test_model_group_on_a_dataset_without_model_evidence(ds):
    from rocu_compare import Dataset

    tables = dict(ds.tables)
    tables["rocu_model_evidence"] = ds.rocu_model_evidence.iloc[0:0]
    tables["capability_evidence"] = ds.capability_evidence.iloc[0:0]
    m = _model(Dataset(tables))
    # only the rocus codes remain; nothing is coded 'no' or 0 from the empty tables
    assert m[list(REMITS) + ["senior_lead_rank", "partner_agencies_n", "catalogue_units_n"]].isna().all().all()
    assert m["collaboration_instrument"].notna().sum() == ds.rocus["collaboration_instrument"].notna().sum()


def test_every_model_note_states_its_rule(ds):
    p = profiles(ds, AS_AT)
    model = [c for c in p.frame.columns if p.groups[c] == "model"]
    assert model[:4] == list(REMITS)
    for c in model:
        assert len(p.notes[c]) > 30, c
    assert "never 'no' from silence" in p.notes["remit_forensics"]
    assert "UK Border Agency → Border Force" in p.notes["partner_agencies_n"]
    assert "undated rows only where no dated row exists" in p.notes["senior_lead_rank"]


# --- the comparison ------------------------------------------------------------------------------


def test_compare_rocus_includes_the_model_group(ds):
    c = compare_rocus(ds, n_draws=0)
    assert "model" in c.profiles.group_names
    assert c.profiles.kinds["senior_lead_rank"] == "ordinal"
    # major crime is found for EMSOU only: one observed ROCU cannot separate a pair, so it is left out
    assert "remit_major_crime" not in c.profiles.frame.columns


def test_group_effect_pairs(ds):
    e = group_effect(ds)
    p = e.pairs
    assert len(p) == 45
    assert (p["change"] - (p["distance_with"] - p["distance_without"])).abs().max() < 1e-12
    assert p["change"].abs().is_monotonic_decreasing
    assert "model" not in e.without_group.profiles.group_names
    assert e.dropped == ["remit_major_crime"]
    row = p[(p["unit_a"] == "ersou") & (p["unit_b"] == "serocu")].iloc[0]
    assert "remit_counter_terrorism (yes vs no)" in row["drivers"]


# --- property: whatever evidence is kept, nothing is coded from silence ----------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keep=st.sets(st.integers(min_value=0, max_value=135)),
    as_at=st.sampled_from(["2010-06-30", "2015-06-30", "2023-01-01"]),
)
def test_codes_rest_on_rows_for_any_subset_of_the_evidence(ds, keep, as_at):
    from rocu_compare import Dataset

    me = ds.rocu_model_evidence
    sub = me.iloc[sorted(i for i in keep if i < len(me))]
    tables = dict(ds.tables)
    tables["rocu_model_evidence"] = sub
    tables["capability_evidence"] = ds.capability_evidence.iloc[0:0]
    codes = model_codes(Dataset(tables), as_at)
    rows = {(str(r.rocu_id), str(r.attribute)) for r in sub.itertuples() if str(r.evidence_strength) == "stated"}
    for r in codes.itertuples():
        if r.attribute in REMITS or r.attribute == "senior_lead_rank":
            assert (r.rocu_id, r.attribute) in rows
        if r.attribute == "partner_agencies_n":
            assert (r.rocu_id, "embedded_partner_agencies") in rows and r.value >= 1
        if r.attribute == "catalogue_units_n":
            units = sub[
                (sub["rocu_id"].astype(str) == r.rocu_id)
                & (sub["value"].astype(str) == "yes")
                & (sub["evidence_strength"].astype(str) == "stated")
            ]
            assert r.value == units["capability"].dropna().astype(str).nunique()
