"""The activation gate: a new model may replace the serving one only if no variety understands less and the
end-to-end answers are not worse.

Per variety, the held-out intent macro-F1 may drop by at most one point (0.01): less is noise between two
trainings on nearly the same data, more means citizens writing that variety lose answers. The e2e score
(the share of answer-set questions whose reply passes bench/answers.py's rules) may not drop at all: it is
what citizens get.
"""

from __future__ import annotations

from typing import Any

MAX_F1_DROP = 0.01


def compare(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The comparison a job reports: {"varieties": {v: {"old_f1", "new_f1"}}, "e2e": {"old", "new"},
    "allowed", "reasons"}. `old`/`new` are scores ({"f1": {variety: F1}, "e2e": share}); `old` is None
    when no model serves yet (then anything that trained is allowed)."""
    reasons: list[str] = []
    baseline = old or {"f1": {}, "e2e": 0.0}
    varieties = {}
    for variety, new_f1 in new["f1"].items():
        old_f1 = baseline["f1"].get(variety, 0.0)
        varieties[variety] = {"old_f1": old_f1, "new_f1": new_f1}
        if new_f1 < old_f1 - MAX_F1_DROP - 1e-9:
            reasons.append(
                f"{variety}: intent macro-F1 drops from {old_f1:.3f} to {new_f1:.3f} "
                f"({100 * (old_f1 - new_f1):.1f} points, more than {100 * MAX_F1_DROP:.0f})"
            )
    for variety in sorted(set(baseline["f1"]) - set(new["f1"])):
        reasons.append(f"{variety}: no held-out score for the new model")
    if new["e2e"] < baseline["e2e"] - 1e-9:
        reasons.append(f"e2e answers: {100 * new['e2e']:.1f}% pass, against {100 * baseline['e2e']:.1f}% now")
    return {
        "varieties": varieties,
        "e2e": {"old": baseline["e2e"], "new": new["e2e"]},
        "allowed": not reasons,
        "reasons": reasons,
    }
