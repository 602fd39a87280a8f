"""Follow-through of HMIC 2015 Recommendation 5 (OCG mapping to ROCUs)."""

from __future__ import annotations

import pandas as pd
import pytest

from rocu_compare.piecemeal import (
    ABSENCE_NOTE,
    recommendation_coverage,
    recommendation_deadline,
    recommendation_followthrough,
    whole_months_between,
)

# Deadline "2017-09" -> end of September 2017 = 2017-09-30 (day anchor 30).
# Whole months m: largest m with 2017-09-30 + m months <= completion date
# (dates from /work/shared/reference/recommendation_status.csv, first 'complete' entry):
COMPLETED = {
    # Sussex 2018-05-03: Sep 2017 -> May 2018 is 8 months, but 2018-05-30 > 2018-05-03, so 8 - 1 = 7
    "Sussex": 7,
    # Cumbria 2018-06-11: Sep -> Jun = 9; 2018-06-30 > 2018-06-11 -> 9 - 1 = 8
    "Cumbria": 8,
    # Bedfordshire 2018-07-25: Sep -> Jul = 10; 2018-07-30 > 2018-07-25 -> 10 - 1 = 9
    "Bedfordshire": 9,
    # Dyfed-Powys 2018-08-28: Sep -> Aug = 11; 2018-08-30 > 2018-08-28 -> 11 - 1 = 10
    "Dyfed-Powys": 10,
    # Kent 2018-09-18: Sep -> Sep = 12; 2018-09-30 > 2018-09-18 -> 12 - 1 = 11
    "Kent": 11,
    # Suffolk 2018-09-18: as Kent -> 11
    "Suffolk": 11,
}
# Days past the deadline: Oct 31 + Nov 30 + Dec 31 = 92 days to 2017-12-31;
# Sussex: 92 + Jan 31 + Feb 28 + Mar 31 + Apr 30 + 3 = 92 + 120 + 3 = 215
SUSSEX_DAYS = 215

# Not completed at the last entry: months from 2017-09-30 to the last entry
NOT_COMPLETED = {
    # Gloucestershire 2018-04-26: Sep -> Apr = 7; 2018-04-30 > 04-26 -> 6
    "Gloucestershire": 6,
    # West Midlands 2018-05-08: Sep -> May = 8; 2018-05-30 > 05-08 -> 7
    "West Midlands": 7,
    # Metropolitan Police 2018-11-15: Sep -> Nov = 14; 2018-11-30 > 11-15 -> 13
    "Metropolitan Police": 13,
    # Devon and Cornwall 2018-12-18: Sep -> Dec = 15; 2018-12-30 > 12-18 -> 14
    "Devon and Cornwall": 14,
}


def test_deadline_is_end_of_month(ds):
    assert recommendation_deadline(ds, "ocg-mapping-to-rocus") == pd.Timestamp("2017-09-30")
    with pytest.raises(KeyError):
        recommendation_deadline(ds, "no-such-recommendation")


def test_months_past_deadline_completed(ds):
    ft = recommendation_followthrough(ds).set_index("force")
    done = ft[ft["is_complete"]]
    assert dict(done["months_past_deadline"]) == COMPLETED
    assert done["months_overdue_at_last_entry"].isna().all()
    assert done.at["Sussex", "days_past_deadline"] == SUSSEX_DAYS
    assert done.at["Sussex", "completion_date"] == pd.Timestamp("2018-05-03")
    assert done.at["Sussex", "first_entry_date"] == pd.Timestamp("2018-04-10")
    assert done.at["Dyfed-Powys", "rocu_id"] == "tarian"


def test_months_overdue_not_completed(ds):
    ft = recommendation_followthrough(ds).set_index("force")
    open_ = ft[~ft["is_complete"]]
    assert dict(open_["months_overdue_at_last_entry"]) == NOT_COMPLETED
    assert open_["months_past_deadline"].isna().all() and open_["completion_date"].isna().all()
    assert (open_["last_status"] == "being-progressed").all()
    assert open_.at["Devon and Cornwall", "n_entries"] == 2


def test_coverage_absence_is_not_non_compliance(ds):
    cov = recommendation_coverage(ds).set_index("rocu_id")
    allr = cov.loc["all"]
    assert (allr["n_forces"], allr["n_forces_with_record"], allr["n_complete"]) == (43, 10, 6)
    assert allr["n_forces_without_record"] == 33
    assert cov.drop(index="all")["n_forces"].sum() == 43
    assert cov["absence_is_not_non_compliance"].all()
    assert (cov["note"] == ABSENCE_NOTE).all() and "not evidence of non-compliance" in ABSENCE_NOTE
    # Kent counted under its ROCU at the deadline (ERSOU after the Nov 2016 update)
    assert "Kent" in cov.at["ersou", "forces_with_record"]


@pytest.mark.parametrize(
    "a, b, m",
    [
        ("2017-09-30", "2017-09-30", 0),
        ("2017-09-30", "2017-10-29", 0),
        ("2017-09-30", "2017-10-30", 1),
        ("2017-09-30", "2018-02-28", 5),  # 30 Sep + 5 months clamps to 28 Feb
        ("2017-09-30", "2017-09-01", 0),
        ("2017-09-30", "2017-08-30", -1),
    ],
)
def test_whole_months_between(a, b, m):
    assert whole_months_between(a, b) == m


def test_whole_months_missing():
    assert whole_months_between(None, "2018-01-01") is None
