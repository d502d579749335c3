"""`make report` on rows captured from a real stack (tests/report/capture_real_events.py).

The conversations are known (the fixture records what was sent), so every
count is stated here by hand.  The two ratings were sent before the domain
had a `rate` intent: the model read them as out_of_scope, and the report
must still count them as ratings, not as unanswered questions.
"""

from __future__ import annotations

import json

from tools import report as R


def analyse(db, *extra):
    analysis, groups, _ = R.build(R.parse_args(["--db", str(db), *extra]))
    return analysis, groups


def test_real_events_have_the_shapes_the_report_reads(real_rows):
    kinds = {r["type_name"] for r in real_rows}
    assert {"user", "bot", "action", "session_started", "slot", "user_featurization"} <= kinds
    for r in real_rows:
        data = json.loads(r["data"])
        if r["type_name"] == "bot":
            assert data["metadata"]["utter_action"].startswith("utter_")
        if r["type_name"] == "user":
            assert data["input_channel"] == "rest"
            assert data["parse_data"]["intent_ranking"][0]["name"] == data["parse_data"]["intent"]["name"]
    silent = [
        r
        for r in real_rows
        if r["type_name"] == "bot" and json.loads(r["data"])["metadata"]["utter_action"] == R.SOURCE_SILENT
    ]
    assert silent and json.loads(silent[0]["data"])["text"].startswith("La fuente no lo indica")


def test_counts_on_the_real_conversations(real_store):
    a, groups = analyse(real_store)
    assert len(a.conversations) == 3
    # real-facts: 3 questions (hola, gracias are social; one rating)
    # real-unanswered: 6 questions, all unanswered (one rating)
    # real-sectors: 3 questions (adios is social)
    assert a.questions == 12 and a.social == 3
    assert a.unanswered_count == 6
    assert dict(a.reasons) == {
        "source_silent": 2,
        "out_of_scope": 1,
        "other_language": 1,
        "fallback": 1,
        "bad_input": 1,
    }
    assert a.rating_events == 2 and dict(a.rating_counts()) == {"up": 1, "down": 1}
    assert "(sin intención)" not in dict((n, c) for n, c, _ in a.top_intents())
    # The ratings are not counted as out_of_scope questions.
    assert dict((n, c) for n, c, _ in a.top_intents())["out_of_scope"] == 1
    assert sorted(g.label for g in groups) == sorted(
        [
            "¿cuál fue el presupuesto del programa?",
            "cuantas mipymes hubo en colombia",
            "¿qué clima hará mañana en Lima?",
            "what is al-invest about?",
            "zorblax quintuple frobnicate",
            R.EMPTY_LABEL,
        ]
    )


def test_the_rated_answers_and_their_questions(real_store):
    a, _ = analyse(real_store)
    by_value = {r.value: r for r in a.ratings.values()}
    up, down = by_value["up"], by_value["down"]
    assert up.rated.text == "¿de dónde sacaste eso?"
    assert up.rated.responses == ["utter_source_quote"]
    assert down.rated.text == "¿cuál fue el presupuesto del programa?"
    assert down.rated.responses == ["utter_source_silent", "utter_nearest_fact", "utter_programme"]
    assert down.rated.bot_texts[0].startswith("La fuente no lo indica")
    assert a.ratings_by_response() == {"utter_source_quote": {"up": 1}, "utter_programme": {"down": 1}}


def test_unanswered_group_shows_what_the_model_thought(real_store):
    _, groups = analyse(real_store)
    g = next(g for g in groups if g.label == "zorblax quintuple frobnicate")
    names = [name for name, _, _ in g.top_intents()]
    assert names[0] == "bot_challenge" and "nlu_fallback" not in names
    assert g.channels == {"rest": 1} and g.first == g.last


def test_html_and_csv_from_real_events(real_store, tmp_path):
    assert R.main(["--db", str(real_store), "--out", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "zorblax quintuple frobnicate" in page
    assert "¿cuál fue el presupuesto del programa?" in page  # the 👎 question
    assert "La fuente no lo indica: la nota no dice nada sobre el presupuesto" in page  # its answer
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))  # Excel reads the accents
    assert "valoracion_negativa" in raw.decode("utf-8-sig")


def test_channel_filter_on_real_events(real_store):
    a, _ = analyse(real_store, "--channel", "telegram")
    assert a.questions == 0 and a.rating_events == 0
    a, _ = analyse(real_store, "--channel", "rest")
    assert a.questions == 12


def test_generated_events_have_the_real_keys(real_rows, tmp_path):
    """The generator copies the real shapes: same columns and the same JSON keys per event type."""
    import sqlite3

    from tests.report.tracker_store_gen import generate

    db = tmp_path / "g.db"
    generate(30, db, tmp_path / "truth.json")
    con = sqlite3.connect(str(db))
    generated = con.execute("SELECT type_name, intent_name, action_name, data FROM events").fetchall()
    columns = [r[1] for r in con.execute("PRAGMA table_info(events)")]
    con.close()
    assert columns == ["id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"]

    def keys(data):
        d = json.loads(data)
        out = {"": set(d)}
        if d["event"] == "user":
            out["parse_data"] = set(d["parse_data"]) - {"text_tokens"}  # payload messages have no tokens
        if d["event"] == "bot":
            # custom actions' messages add "template" and their variables
            out["metadata"] = set(d["metadata"]) & {"utter_action", "model_id", "assistant_id"}
            out["data"] = set(d["data"])
        return out

    real = {}
    for r in real_rows:
        real.setdefault(r["type_name"], keys(r["data"]))
    seen = set()
    for type_name, intent_name, action_name, data in generated:
        assert keys(data) == real[type_name], type_name
        d = json.loads(data)
        if type_name == "user":
            assert intent_name == d["parse_data"]["intent"]["name"]
        if type_name in ("action", "slot"):
            assert action_name == d["name"]
        seen.add(type_name)
    assert seen == set(real)
