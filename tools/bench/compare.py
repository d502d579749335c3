"""The targets the bench prints next to its figures (never asserted), and the last table: ours / bare."""

from __future__ import annotations

from typing import Dict, Optional

# Targets from the production issue: printed next to the figures, never asserted.
TARGET_STARTUP_S = 20.0
TARGET_P50_MS = 40.0
TARGET_P95_MS = 100.0
TARGET_ANSWERS_PER_S = 50.0
# Issue 11: ours against a bare `rasa init` bot (ours / bare), and a long conversation.
TARGET_RATIOS = {"startup": 0.3, "p50": 0.6, "p95": 0.7, "throughput": 2.5}
TARGET_REPLICA_MB = 1024.0
TARGET_LONG_RATIO = 1.3


def mark(value: float, target: float, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return f"(objetivo {'<' if lower_is_better else '≥'} {target:g}: {'cumple' if ok else 'NO cumple'})"


def issue_5_targets(ours: Dict[str, float]) -> str:
    return (
        f"[nuestro] objetivos del issue 5: arranque {mark(ours['startup'], TARGET_STARTUP_S)}, "
        f"mediana {mark(ours['p50'], TARGET_P50_MS)}, p95 {mark(ours['p95'], TARGET_P95_MS)}, "
        f"rendimiento {mark(ours['throughput'], TARGET_ANSWERS_PER_S, lower_is_better=False)}"
    )


def print_comparison(ours: Dict[str, float], bare: Dict[str, float], cluster: Optional[Dict[str, float]] = None,
                     replicas: int = 2) -> None:
    rows = [
        ("arranque hasta 1a respuesta", "startup", "s", "{:.1f}", "≤", TARGET_RATIOS["startup"]),
        ("1 usuario, mediana", "p50", "ms", "{:.0f}", "≤", TARGET_RATIOS["p50"]),
        ("1 usuario, p95", "p95", "ms", "{:.0f}", "≤", TARGET_RATIOS["p95"]),
        ("50 conversaciones, respuestas/s", "throughput", "/s", "{:.1f}", "≥", TARGET_RATIOS["throughput"]),
        ("memoria residente por réplica", "memory", "MB", "{:.0f}", None, None),
    ]
    if cluster:
        ours = dict(ours, cluster_throughput=cluster["throughput"])
        bare = dict(bare, cluster_throughput=bare["throughput"])
        rows.insert(4, (f"  id., {replicas} réplicas + nginx", "cluster_throughput", "/s", "{:.1f}", "≥",
                        TARGET_RATIOS["throughput"]))
    print("\nnuestro bot frente a un `rasa init` sin cambios (mismo cliente, REST en 127.0.0.1):")
    print(f"  {'medida':34} {'nuestro':>10} {'rasa init':>10} {'nuestro/init':>12}  objetivo")
    for name, key, unit, fmt, op, target in rows:
        ratio = ours[key] / bare[key] if bare.get(key) else float("nan")
        if op is None:
            ok = ours[key] <= TARGET_REPLICA_MB
            goal = f"≤ {TARGET_REPLICA_MB:.0f} MB: {'cumple' if ok else 'NO cumple'}"
        else:
            ok = ratio <= target if op == "≤" else ratio >= target
            goal = f"{op} {target:g}×: {'cumple' if ok else 'NO cumple'}"
        ours_text, bare_text = fmt.format(ours[key]) + " " + unit, fmt.format(bare[key]) + " " + unit
        print(f"  {name:34} {ours_text:>10} {bare_text:>10} {ratio:12.2f}  {goal}")
