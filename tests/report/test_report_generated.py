"""`make report` on generated stores: every count equals the generator's ground truth."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter

from tools import report as R


def analyse(db, *extra):
    args = R.parse_args(["--db", str(db), *extra])
    analysis, groups, _ = R.build(args)
    return analysis, groups


def per_day(analysis):
    return {d.isoformat(): {"answered": v[0], "unanswered": v[1]} for d, v in sorted(analysis.per_day.items())}


def assert_matches_truth(a, groups, truth):
    assert len(a.conversations) == truth["conversations"]
    assert a.questions == truth["questions"]
    assert a.answered_count == truth["answered"]
    assert a.unanswered_count == truth["unanswered"]
    assert dict(a.reasons) == truth["unanswered_by_reason"]
    assert per_day(a) == truth["per_day"]
    assert {name: n for name, n, _ in a.top_intents()} == truth["intents"]
    assert a.rating_events == truth["rating_events"]
    assert dict(a.rating_counts()) == truth["ratings"]
    by_response = a.ratings_by_response()
    assert {k: v["down"] for k, v in by_response.items() if v["down"]} == truth["down_by_response"]
    assert {k: dict(v) for k, v in by_response.items()} == truth["rated_by_response"]
    assert sum(g.count for g in groups) == truth["unanswered"]
    # Identical normalized wording is always in one group (merging only joins more).
    group_of = {key: g for g in groups for key in g.keys}
    for key, n in truth["unanswered_by_text"].items():
        assert group_of[key].count >= n, key


def test_20k_conversations_match_the_ground_truth(store_20k, tmp_path, capsys):
    db, truth = store_20k
    out = tmp_path / "out"
    started = time.perf_counter()
    assert R.main(["--db", str(db), "--out", str(out)]) == 0
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\n[report] {truth['conversations']} conversaciones, {truth['events']} eventos: "
            f"generación {truth['_generation_seconds']:.1f} s, informe (lectura + HTML + CSV) {seconds:.1f} s"
        )
    a, groups = analyse(db)
    assert_matches_truth(a, groups, truth)
    # Without merging near-duplicates, the groups are exactly the normalized texts.
    exact = R.group_unanswered(a.unanswered, merge_similar=False)
    assert {next(iter(g.keys)): g.count for g in exact} == truth["unanswered_by_text"]
    assert len(groups) < len(exact)  # typos and spacing variants were merged

    rows = list(csv.DictReader((out / "report.csv").open(encoding="utf-8-sig")))
    kinds = Counter(r["seccion"] for r in rows)
    assert kinds["sin_respuesta"] == len(groups)
    assert kinds["valoracion_negativa"] == truth["ratings"]["down"]
    assert sum(int(r["veces"]) for r in rows if r["seccion"] == "sin_respuesta") == truth["unanswered"]


def test_channel_filter(store_2k):
    db, truth = store_2k
    for channel, expected in truth["by_channel"].items():
        a, _ = analyse(db, "--channel", channel)
        assert a.questions == expected["questions"], channel
        assert a.unanswered_count == expected["unanswered"], channel
        assert a.rating_counts()["up"] == expected.get("up", 0), channel
        assert a.rating_counts()["down"] == expected.get("down", 0), channel
    a, _ = analyse(db, "--channel", "cmdline")
    assert a.questions == 0 and not a.conversations


def test_since_until_are_inclusive_local_dates(store_2k):
    db, truth = store_2k
    days = sorted(truth["per_day"])
    since, until = days[3], days[9]
    a, _ = analyse(db, "--since", since, "--until", until)
    window = {d: v for d, v in truth["per_day"].items() if since <= d <= until}
    assert per_day(a) == window
    assert a.unanswered_count == sum(v["unanswered"] for v in window.values())


def test_html_is_self_contained(store_2k, tmp_path):
    db, truth = store_2k
    assert R.main(["--db", str(db), "--out", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<svg" in page and "<style>" in page
    for external in ("<script", "<link", "@import", "url(", "src=", "@font-face"):
        assert external not in page, external
    # The only address is the SVG namespace, never fetched.
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "Preguntas sin respuesta" in page and "👎" in page
    assert f"{truth['questions']:,}".replace(",", ".") in page


def test_report_prints_summary_and_refuses_bad_input(store_2k, tmp_path, capsys):
    db, _ = store_2k
    assert R.main(["--db", str(tmp_path / "no-existe.db"), "--out", str(tmp_path)]) == 2
    assert "no existe" in capsys.readouterr().err
    assert not (tmp_path / "no-existe.db").exists()  # opened read-only: never created
    assert R.main(["--db", str(db), "--since", "2026-13-01", "--out", str(tmp_path)]) == 2
    assert R.main(["--db", str(db), "--since", "2026-11-20", "--until", "2026-11-01", "--out", str(tmp_path)]) == 2
