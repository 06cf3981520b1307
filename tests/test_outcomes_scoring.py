"""Outcome instruments against their published sources: band edges, scoring rules, response and remission."""

import pytest

from photodose.errors import PhotodoseInputError
from photodose.outcomes import (change_from_baseline, get_instrument, instrument_ids, is_remission, is_response,
                                score_items, score_total)
from photodose.outcomes.change import is_clinically_important_change


def items_with_total(total: int, n: int, item_max: int = 3) -> list[int]:
    """n item scores 0..item_max whose plain sum is ``total`` (filled greedily)."""
    items = []
    for _ in range(n):
        take = min(item_max, total)
        items.append(take)
        total -= take
    assert total == 0
    return items


# (total, band) at every band edge: PHQ-9 Kroenke et al. 2001; QIDS-SR16 Rush et al. 2003; HAM-D17 unsourced
PHQ9_EDGES = [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
              (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe")]
QIDS_EDGES = [(0, "none"), (5, "none"), (6, "mild"), (10, "mild"), (11, "moderate"), (15, "moderate"),
              (16, "severe"), (20, "severe"), (21, "very severe"), (27, "very severe")]
HAMD_EDGES = [(0, "normal"), (7, "normal"), (8, "mild"), (13, "mild"), (14, "moderate"), (18, "moderate"),
              (19, "severe"), (22, "severe"), (23, "very severe"), (52, "very severe")]


@pytest.mark.parametrize("total,band", PHQ9_EDGES)
def test_phq9_band_edges(total, band):
    score = score_items("phq9", items_with_total(total, 9))
    assert (score.total, score.band) == (total, band)


def qids_reference_total(items: list[int]) -> int:
    """The QIDS-SR16 rule as published with the instrument (Rush et al. 2003; 1-based item numbers)."""
    i = {k + 1: v for k, v in enumerate(items)}
    return (max(i[1], i[2], i[3], i[4]) + i[5] + max(i[6], i[7], i[8], i[9])
            + sum(i[k] for k in range(10, 15)) + max(i[15], i[16]))


def qids_items_with_total(total: int) -> list[int]:
    """16 items whose QIDS total is ``total``: fill the 9 scored slots (one per max-group, item 5, items 10-14),
    and put smaller values in the other members of the max-groups so that taking the max matters."""
    slots = items_with_total(total, 9)  # group1, item5, group2, items10-14, group3
    g1, i5, g2, i10_14, g3 = slots[0], slots[1], slots[2], slots[3:8], slots[8]
    return [max(g1 - 1, 0), g1, 0, max(g1 - 1, 0), i5, g2, max(g2 - 1, 0), 0, g2, *i10_14, max(g3 - 1, 0), g3]


@pytest.mark.parametrize("total,band", QIDS_EDGES)
def test_qids16_band_edges_and_rule(total, band):
    items = qids_items_with_total(total)
    assert qids_reference_total(items) == total
    score = score_items("qids16", items)
    assert (score.total, score.band) == (total, band)
    assert sum(items) != total or total == 0  # the max-groups make a plain sum differ


def test_qids16_takes_max_within_groups():
    items = [1, 3, 2, 0, 2, 0, 1, 1, 1, 1, 0, 2, 1, 0, 3, 3]
    assert score_items("qids16", items).total == qids_reference_total(items) == 3 + 2 + 1 + 4 + 3


@pytest.mark.parametrize("total,band", HAMD_EDGES)
def test_hamd17_band_edges(total, band):
    assert score_total("hamd17", total).band == band


@pytest.mark.parametrize("instrument,items", [
    ("phq9", [1] * 8), ("phq9", [1] * 10), ("qids16", [0] * 15), ("phq9", [4] + [0] * 8),
    ("phq9", [-1] + [0] * 8), ("phq9", [1.5] + [0] * 8), ("qids16", [0] * 15 + [9]),
])
def test_wrong_item_counts_and_ranges_refused(instrument, items):
    with pytest.raises(PhotodoseInputError) as info:
        score_items(instrument, items)
    assert instrument in str(info.value)


@pytest.mark.parametrize("instrument,total", [("hamd17", 53), ("hamd17", -1), ("pain", 11), ("pain", 6.5)])
def test_totals_out_of_range_refused(instrument, total):
    with pytest.raises(PhotodoseInputError):
        score_total(instrument, total)


def test_response_is_half_of_baseline():
    assert is_response(20, 10) is True
    assert is_response(20, 11) is False
    assert is_response(0, 0) is None


def test_remission_rules_and_their_sources():
    assert is_remission("phq9", 4) is True and is_remission("phq9", 5) is False
    assert is_remission("qids16", 5) is True and is_remission("qids16", 6) is False
    assert is_remission("hamd17", 7) is True and is_remission("hamd17", 8) is False
    assert get_instrument("phq9").remission_source.startswith("photodose assumption (unsourced)")
    # STAR*D (Trivedi et al. 2006; Rush et al. 2006): remission = QIDS-SR16 <= 5 and HAM-D17 <= 7, sourced
    for sourced in ("qids16", "hamd17"):
        src = get_instrument(sourced).remission_source
        assert "STAR*D" in src and "unsourced" not in src and "UNVERIFIED" not in src
    assert is_remission("pain", 0) is None


@pytest.mark.parametrize("baseline,current,important", [(6, 4, True), (10, 7, True), (8, 7, False), (3, 2, True)])
def test_pain_clinically_important_change_farrar(baseline, current, important):
    assert is_clinically_important_change("pain", baseline, current) is important
    assert "Farrar" in get_instrument("pain").clinically_important_source


def test_change_from_baseline_summary():
    ch = change_from_baseline("phq9", [18, 12, 4])
    assert (ch.baseline_total, ch.current_total, ch.change) == (18, 4, -14)
    assert ch.percent_change == pytest.approx(-100 * 14 / 18)
    assert ch.response is True and ch.remission is True and ch.current_band == "minimal"


def test_no_licensed_items_shipped():
    assert not {"bdi", "bdi-ii", "womac"} & set(instrument_ids())
    assert get_instrument("bdi2").kind == "total" and get_instrument("bdi2").n_items == 0  # licensed: total only
    assert get_instrument("qids16").item_labels == ()
    assert len(get_instrument("phq9").item_labels) == 9


@pytest.mark.parametrize("instrument,item,n", [("phq9", 9, 9), ("qids16", 12, 16)])
def test_self_harm_item_above_zero_raises_an_alert(instrument, item, n):
    inst = get_instrument(instrument)
    quiet = [3] * n
    quiet[item - 1] = 0
    assert inst.alerts(quiet) == []  # a high total alone is not this alert
    flagged = list(quiet)
    flagged[item - 1] = 1
    (alert,) = inst.alerts(flagged)
    assert f"item {item}" in alert and "local emergency number or a crisis line" in alert
    assert alert.endswith("now.") and "photodose" not in alert and "unsourced" not in alert  # no bookkeeping tail
