"""Claims that name a registry derivation: the derivation exists and its proof holds.

The audit itself does not use the registry (it must run while derivations are being
written); this test ties the two together and fails, naming what is missing.
"""

from derive.claims.notes import CLAIMS


def test_referenced_derivations_exist_and_hold():
    from derive import registry

    names = sorted({c.reference for c in CLAIMS if c.reference})
    missing = [n for n in names if n not in set(registry)]
    assert not missing, f"claims reference derivations not in the registry: {missing}"
    failing = [n for n in names if not registry[n].proof.holds]
    assert not failing, f"referenced derivations whose proof does not hold: {failing}"
