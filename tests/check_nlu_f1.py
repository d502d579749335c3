"""Fail (exit 1) when the held-out intent macro F1 is below the threshold.

Usage: check_nlu_f1.py results/nlu/intent_report.json 0.85
Prints the macro F1 and the five weakest intents, so a failure says where.
"""

import json
import sys


def main(report_path: str, minimum: float) -> int:
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    macro = report["macro avg"]["f1-score"]
    intents = {
        k: v
        for k, v in report.items()
        if isinstance(v, dict) and "support" in v and k not in ("macro avg", "weighted avg", "micro avg")
    }
    weakest = sorted(intents.items(), key=lambda kv: kv[1]["f1-score"])[:5]
    accuracy = report.get("accuracy", float("nan"))
    print(f"NLU held-out: intent macro F1 = {macro:.3f} (minimum {minimum:.2f}), accuracy = {accuracy:.3f}")
    for name, v in weakest:
        print(f"  {name:28s} F1 {v['f1-score']:.2f} (n={v['support']})")
    if macro < minimum:
        print(f"FAIL: macro F1 {macro:.3f} < {minimum:.2f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
