"""Every formula of the five notes has a claim and the verdict we checked by hand.

The table below is the audit's expected outcome, claim by claim: a change in a check
that flips a verdict fails here, naming the claim.
"""

import re
from pathlib import Path

import pytest

from derive.claims.audit import errata, outcomes
from derive.claims.notes import CLAIMS, NOTES
from derive.claims.record import Verdict
from derive.claims.snippets import python3_failures

H, W, N, A = Verdict.HOLDS, Verdict.WRONG, Verdict.NOTATION, Verdict.AMBIGUOUS

EXPECTED = {
    "N0-01": H, "N1-01": H, "N1-02": H, "N1-03": H, "N1-04": H, "N1-05": H, "N1-06": H,
    "N1-07": W, "N1-08": W, "N1-09": H, "N1-10": H, "N1-11": N, "N1-12": W, "N1-13": H,
    "N1-14": H, "N1-15": H, "N1-16": N, "N1-17": N, "N1-18": H, "N1-19": W, "N1-20": H,
    "N1-21": H, "N1-22": H, "N1-23": H, "N1-24": H, "N1-25": H, "N1-26": H, "N1-27": H,
    "N1-28": H, "N1-29": H, "N1-30": H, "N1-31": H, "N1-32": H, "N1-33": H, "N1-34": H,
    "N1-35": N, "N1-36": H, "N1-37": H, "N1-38": H, "N1-39": H, "N1-40": H, "N1-41": H,
    "N1-42": W, "N1-43": W, "N1-44": H, "N1-45": H, "N1-46": H, "N1-47": H, "N1-48": H,
    "N1-49": H, "N1-50": A, "N1-51": W, "N2-01": H, "N2-02": H, "N2-03": H, "N2-04": H,
    "N2-05": W, "N2-06": N, "N2-07": N, "N2-08": H, "N2-09": N, "N2-10": H, "N2-11": H,
    "N2-12": H, "N2-13": H, "N2-14": H, "N2-15": H, "N2-16": H, "N2-17": H, "N2-18": H,
    "N2-19": H, "N2-20": H, "N2-21": N, "N2-22": N, "N2-23": W, "N2-24": H, "N2-25": H,
    "N2-26": H, "N2-27": H, "N3-01": H, "N3-02": H, "N3-03": H, "N3-04": H, "N3-05": H,
    "N3-06": H, "N3-07": H, "N3-08": H, "N3-09": W, "N3-10": H, "N4-01": H, "N4-02": H,
    "N4-03": W, "N4-04": N, "N4-05": H, "N4-06": H, "N4-07": H, "N4-08": N, "N4-09": N,
    "N4-10": H, "N4-11": H, "N4-12": H, "N4-13": H, "N4-14": H, "N4-15": H, "N4-16": H,
    "N4-17": W, "N4-18": H, "N4-19": H, "N4-20": H, "N4-21": N, "N4-22": H, "N4-23": H,
    "N4-24": H, "N4-25": H, "N4-26": H, "N4-27": H, "N4-28": H, "N4-29": H, "N4-30": H,
    "N4-31": H, "N4-32": H, "N4-33": H, "N4-34": H, "N4-35": H, "N4-36": H, "N4-37": H,
    "N4-38": H,
}

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="module")
def verdicts():
    return {o.claim.id: o for o in outcomes()}


def test_every_claim_has_the_expected_verdict(verdicts):
    assert set(verdicts) == set(EXPECTED)
    wrong = {cid: (verdicts[cid].verdict.value, EXPECTED[cid].value)
             for cid in EXPECTED if verdicts[cid].verdict is not EXPECTED[cid]}
    assert not wrong, f"(got, expected): {wrong}"


def test_ids_unique_and_in_note_order():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids, key=lambda i: (i[1], int(i[3:])))


def test_every_note_has_claims_and_note_000_is_the_copy():
    assert {c.note for c in CLAIMS} == set(NOTES)
    n000 = [c for c in CLAIMS if c.note == "000"]
    assert len(n000) == 1 and "copy" in n000[0].why


def test_counts_per_note():
    counts = {note: sum(c.note == note for c in CLAIMS) for note in NOTES}
    assert counts == {"000": 1, "001": 51, "002": 27, "003": 10, "004": 38}


def test_what_does_not_hold_says_why_and_how_to_correct(verdicts):
    for o in verdicts.values():
        if o.verdict is H:
            continue
        assert o.claim.correct, o.claim.id
        assert o.claim.why, o.claim.id
        if o.verdict is W:
            # a wrong claim comes with its counterexample: values in, both results out
            assert o.evidence.counterexample is not None, o.claim.id


def test_declared_issues_only_where_the_intended_reading_holds(verdicts):
    for o in verdicts.values():
        if o.claim.issue is not None and o.verdict is not H:
            assert o.intended is not None and o.intended.ok, o.claim.id


def test_errata_rows_are_the_claims_that_do_not_hold(verdicts):
    rows = errata()
    assert [r.id for r in rows] == [cid for cid, o in verdicts.items() if o.verdict is not H]
    for r in rows:
        assert r.where.startswith(f"note {r.note}, ")
        assert r.verdict in {"wrong", "notation", "ambiguous"}
        assert r.written and r.correct and r.counterexample and r.explanation
        for text in (r.counterexample, r.explanation, r.where):
            assert text.count("$") % 2 == 0, (r.id, text)   # math delimiters balanced
        for math in (r.written, r.correct):
            assert "$" not in math and math.count("{") == math.count("}"), (r.id, math)


def test_sigmoid_counterexample_values_in_results_out(verdicts):
    cx = verdicts["N1-08"].evidence.counterexample
    assert cx.latex() == r"$z = 0$: as written $2$; correct $\frac{1}{2}$."


def test_note_003_code_fails_under_python3_for_the_reasons_named():
    stages = python3_failures()
    errors = [e.split(":")[0] for e, _cause in stages]
    assert errors[:4] == ["SyntaxError", "NameError", "NameError", "NameError"]
    assert "print" in stages[0][0] and "'np'" in stages[1][0]
    assert "xrange" in stages[2][0] and "'copy'" in stages[3][0]


def test_note_003_fixed_code_passes_as_a_gradient_check(verdicts):
    o = verdicts["N3-10"]
    assert o.verdict is H
    errors = [float(x) for x in re.findall(r": ([0-9.e+-]+)", o.evidence.detail)]
    assert len(errors) == 4 and max(errors) < 1e-7


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the notes (../shared/seeds) are not here")
def test_transcriptions_are_found_in_the_notes():
    text = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    missing = [c.id for c in CLAIMS if c.source and c.source not in text[c.note]]
    assert not missing, missing
