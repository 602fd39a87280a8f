"""Display names of the ROCUs (rc.labels)."""

import rocu_compare as rc
from rocu_compare.labels import ROCU_LABELS, rocu_label, rocu_labels


def test_every_bundled_rocu_has_a_display_name():
    ids = set(rc.load().rocus["rocu_id"].astype(str))
    assert ids == set(ROCU_LABELS)
    assert all(rocu_label(r) and rocu_label(r) != r for r in ids)  # a name, not the id again
    assert len(set(ROCU_LABELS.values())) == len(ROCU_LABELS)  # no two units share a name


def test_unknown_ids_show_as_they_are():
    assert rocu_label("my-unit") == "my-unit"
    assert rocu_labels(["tarian", "x"]) == ["Tarian", "x"]


def test_labels_are_exposed_as_rc_labels_and_kept_in_the_catalogue():
    from rocu_compare.report import catalog

    assert rc.labels.ROCU_LABELS is ROCU_LABELS
    assert catalog.rocu_label is rocu_label and catalog.ROCU_LABELS is ROCU_LABELS
