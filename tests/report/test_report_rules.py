"""The counting rules of `make report` (docs/report.md, docs/ratings.md), case by case.

Events are built from the real shapes of tests/report/fixtures/real_events.json
(a real user event and a real bot event, with text, intent and time changed).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import warnings
from pathlib import Path

import pytest

from tests.report.conftest import write_rows
from tools import report as R

ROOT = Path(__file__).resolve().parents[2]
LIMA = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture(scope="module")
def shapes(real_rows):
    user = next(json.loads(r["data"]) for r in real_rows if r["type_name"] == "user")
    bot = next(json.loads(r["data"]) for r in real_rows if r["type_name"] == "bot")
    return user, bot


class Conversation:
    """Rows of one or more conversations, in order, shaped like real ones."""

    def __init__(self, shapes, start=dt.datetime(2026, 11, 10, 10, 0, tzinfo=LIMA)):
        self.user_shape, self.bot_shape = shapes
        self.ts = start.timestamp()
        self.rows = []

    def _row(self, sender, kind, data):
        self.ts += 1
        data["timestamp"] = self.ts
        intent = data.get("parse_data", {}).get("intent", {}).get("name")
        self.rows.append({"sender_id": sender, "type_name": kind, "timestamp": self.ts, "intent_name": intent,
                          "action_name": None, "data": json.dumps(data)})
        return self

    def user(self, sender, text, intent, conf=0.9, entities=(), channel="webchat", ranking=None, parse=None):
        d = copy.deepcopy(self.user_shape)
        d["text"], d["input_channel"] = text, channel
        if parse is None:
            parse = {"intent": {"name": intent, "confidence": conf}, "entities": list(entities), "text": text,
                     "intent_ranking": ranking or [{"name": intent, "confidence": conf}]}
        d["parse_data"] = parse
        return self._row(sender, "user", d)

    def bot(self, sender, response, text="..."):
        d = copy.deepcopy(self.bot_shape)
        d["metadata"]["utter_action"], d["text"] = response, text
        return self._row(sender, "bot", d)

    def at(self, when: dt.datetime):
        self.ts = when.timestamp() - 1
        return self

    def analyse(self, tmp_path, *extra):
        db = write_rows(tmp_path / "t.db", self.rows)
        analysis, groups, _ = R.build(R.parse_args(["--db", str(db), *extra]))
        return analysis, groups


# --- normalizing and grouping ---------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("¿Cuánto COSTÓ el programa?", "cuanto costo el programa"),
    ("  cuanto   costo, el programa!! ", "cuanto costo el programa"),
    ("Año_2020: ¿señal?", "ano 2020 senal"),
    ("?????", ""),
])
def test_normalize(text, expected):
    assert R.normalize(text) == expected


def _item(text):
    return R.Unanswered(text, "out_of_scope", [("out_of_scope", 0.9)], "webchat", dt.date(2026, 11, 1))


def test_identical_wording_is_one_group_and_near_duplicates_merge():
    texts = ["¿Cuánto costó el programa?", "cuanto costo el programa", "cuanto costo el porgrama",
             "cuánto costó el  programa", "¿Cuándo es el evento de cierre?", "clima en lima"]
    groups = R.group_unanswered([_item(t) for t in texts])
    by_label = {g.label: g for g in groups}
    assert sorted(g.count for g in groups) == [1, 1, 4]
    big = next(g for g in groups if g.count == 4)
    assert big.keys == {"cuanto costo el programa", "cuanto costo el porgrama"}
    assert "clima en lima" in by_label
    exact = R.group_unanswered([_item(t) for t in texts], merge_similar=False)
    assert sorted(g.count for g in exact) == [1, 1, 1, 3]


def test_near_duplicates_are_found_whatever_the_position_of_the_typo():
    base = "donde queda la camara de comercio de arequipa"
    start, end, swapped = (
        "odnde queda la camara de comercio de arequipa",
        base[:-2] + "pa",
        "la camara de comercio de arequipa donde queda",
    )
    pairs = set(R.near_duplicate_pairs([base, "texto sin relacion alguna", start, end]))
    assert (0, 2) in pairs and (0, 3) in pairs and not any(1 in p for p in pairs)
    assert list(R.near_duplicate_pairs([base, swapped])) == []  # word order changes the ratio a lot: kept apart


# --- what is unanswered ---------------------------------------------------------------------------


def test_reasons(shapes, tmp_path):
    c = Conversation(shapes)
    c.user("a", "hola", "greet").bot("a", "utter_greet")
    c.user("a", "¿cuántas mipymes?", "ask_beneficiaries_peru").bot("a", "utter_beneficiaries_peru")
    c.user("a", "presupuesto", "ask_budget").bot("a", "utter_source_silent").bot("a", "utter_nearest_fact").bot(
        "a", "utter_programme"
    )
    c.user("a", "y en total", "ask_total").bot("a", "utter_source_silent")  # a follow-up the source does not answer
    c.user("a", "clima", "out_of_scope").bot("a", "utter_out_of_scope")
    c.user("a", "hello", "other_language").bot("a", "utter_other_language")
    c.user("a", "zzz", "nlu_fallback", 0.5).bot("a", "utter_clarify")
    c.user("a", "ok y", "ask_focus", 0.55).bot("a", "utter_clarify")  # core fallback: the rules asked back
    c.user("a", "", "nlu_fallback", 1.0, entities=[{"entity": "input_problem", "value": "empty"}]).bot(
        "a", "utter_bad_input_empty"
    )
    c.user("a", "gracias", "thanks").bot("a", "utter_thanks")
    a, groups = c.analyse(tmp_path)
    assert a.questions == 8 and a.social == 2
    assert dict(a.reasons) == {
        "source_silent": 2,
        "out_of_scope": 1,
        "other_language": 1,
        "fallback": 2,
        "bad_input": 1,
    }
    assert a.answered_count == 1
    assert any(g.label == R.EMPTY_LABEL for g in groups)


def test_a_question_without_bot_reply_yet_is_answered_unless_its_intent_says_otherwise(shapes, tmp_path):
    c = Conversation(shapes)
    c.user("a", "¿qué sectores?", "ask_sectors")  # the store was read before the bot replied
    c.user("b", "clima", "out_of_scope")
    a, _ = c.analyse(tmp_path)
    assert a.questions == 2 and dict(a.reasons) == {"out_of_scope": 1}


# --- ratings ------------------------------------------------------------------------------------


def rasa_rating_parse(payload: str, with_rate: bool):
    """What Rasa 3.6's RegexMessageHandler makes of the payload: with the real
    domain (which declares `rate`), or with it minus the ratings file (how
    conversations stored before ratings existed were parsed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
        from rasa.shared.nlu.training_data.message import Message

        domain = Domain.load(str(ROOT / "domain.yml"))
        if not with_rate:  # the domain as it was before ratings existed
            import yaml

            raw = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
            raw["intents"] = [i for i in raw["intents"] if i != "rate"]
            raw["entities"] = [e for e in raw["entities"] if e != "rating"]
            raw["responses"].pop("utter_rating_thanks")
            domain = Domain.from_dict(raw)
        assert ("rate" in domain.intents) == with_rate
        message = YAMLStoryReader.unpack_regex_message(
            Message({"text": payload}), domain, entity_extractor_name="RegexMessageHandler"
        )
    return message.as_dict(only_output_properties=True)


def test_the_contract_is_what_rasa_parses_once_the_domain_has_rate():
    parse = rasa_rating_parse('/rate{"rating":"down"}', with_rate=True)
    assert parse["intent"] == {"name": "rate", "confidence": 1.0}
    assert [(e["entity"], e["value"]) for e in parse["entities"]] == [("rating", "down")]
    assert R.rating_of(parse["text"], parse["intent"]["name"], parse["entities"]) == "down"


def test_without_rate_in_the_domain_rasa_keeps_the_text_and_the_report_still_reads_it():
    parse = rasa_rating_parse('/rate{"rating":"up"}', with_rate=False)
    assert "intent" not in parse  # left to the model (today: out_of_scope, see the real fixture)
    assert R.rating_of(parse["text"], "out_of_scope", []) == "up"


@pytest.mark.parametrize(
    "text, intent, entities, expected",
    [
        ('/rate{"rating":"down"}', "rate", [{"entity": "rating", "value": "down"}], "down"),
        ('/rate{"rating": "UP"}', "out_of_scope", [], "up"),
        ('/rate@1.0{"rating":"down"}', "nlu_fallback", [], "down"),
        ("👎", "rate", [{"entity": "rating", "value": "down"}], "down"),  # a trained typed rating
        ('/rate{"rating":"meh"}', "rate", [], "?"),
        ("/rate", "rate", [], "?"),
        ("¿cómo se califica una mipyme?", "out_of_scope", [], None),
        ("/ask_programme", "ask_programme", [], None),
    ],
)
def test_rating_of(text, intent, entities, expected):
    assert R.rating_of(text, intent, entities) == expected


def test_rating_applies_to_the_last_answer_and_the_last_rating_counts(shapes, tmp_path):
    c = Conversation(shapes)
    c.user("a", "¿qué sectores?", "ask_sectors").bot("a", "utter_sectors_among_others", "Los sectores...")
    c.user("a", "¿cuántas mipymes?", "ask_beneficiaries_peru").bot("a", "utter_beneficiaries_peru", "5.375")
    c.user("a", '/rate{"rating":"down"}', "rate", 1.0, [{"entity": "rating", "value": "down"}]).bot(
        "a", "utter_rating_thanks"
    )
    c.user("a", '/rate{"rating":"up"}', "rate", 1.0, [{"entity": "rating", "value": "up"}]).bot(
        "a", "utter_rating_thanks"
    )
    c.user("b", '/rate{"rating":"down"}', "out_of_scope").bot("b", "utter_out_of_scope")  # nothing to rate yet
    c.user("b", "presupuesto", "ask_budget").bot("b", "utter_source_silent", "La fuente no lo indica")
    c.user("a", "¿y en total?", "ask_total").bot("a", "utter_beneficiaries_total")
    c.user("b", '/rate{"rating":"down"}', "out_of_scope").bot("b", "utter_out_of_scope")  # interleaved conversations
    c.user("b", '/rate{"rating":"bof"}', "rate").bot("b", "utter_rating_thanks")
    a, _ = c.analyse(tmp_path)
    assert a.rating_events == 5 and a.bad_ratings == 1
    assert a.questions == 4  # ratings are not questions
    assert a.ratings_by_response() == {
        "utter_beneficiaries_peru": {"up": 1},
        "(sin respuesta previa)": {"down": 1},
        "utter_source_silent": {"down": 1},
    }
    down = [r for r in a.down_ratings() if r.rated]
    assert [(r.rated.text, r.rated.bot_texts) for r in down] == [("presupuesto", ["La fuente no lo indica"])]


# --- dates and channels -------------------------------------------------------------------------


def test_days_are_peru_dates_and_bounds_inclusive(shapes, tmp_path):
    c = Conversation(shapes)
    c.at(dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.timezone.utc))  # 1 Nov, 22:00 in Lima
    c.user("a", "clima", "out_of_scope")
    c.at(dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.timezone.utc))  # 2 Nov, 01:00 in Lima
    c.user("b", "clima", "out_of_scope")
    a, _ = c.analyse(tmp_path)
    assert sorted(a.per_day) == [dt.date(2026, 11, 1), dt.date(2026, 11, 2)]
    a, _ = c.analyse(tmp_path, "--until", "2026-11-01")
    assert list(a.per_day) == [dt.date(2026, 11, 1)]
    a, _ = c.analyse(tmp_path, "--since", "2026-11-02", "--until", "2026-11-02")
    assert list(a.per_day) == [dt.date(2026, 11, 2)]
    a, _ = c.analyse(tmp_path, "--utc-offset", "0")
    assert list(a.per_day) == [dt.date(2026, 11, 2)]


def test_channel_filter_keeps_whole_turns(shapes, tmp_path):
    c = Conversation(shapes)
    c.user("t", "presupuesto", "ask_budget", channel="telegram").bot("t", "utter_source_silent")
    c.user("w", "presupuesto", "ask_budget", channel="webchat").bot("w", "utter_programme")
    a, _ = c.analyse(tmp_path, "--channel", "telegram")
    assert a.questions == 1 and dict(a.reasons) == {"source_silent": 1}
    assert a.conversations == {"t"}


def test_an_empty_store_gives_an_empty_report(tmp_path):
    db = write_rows(tmp_path / "empty.db", [])
    assert R.main(["--db", str(db), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "No hay preguntas en el periodo" in page and "Ninguna pregunta quedó sin respuesta" in page


def test_a_file_that_is_not_a_tracker_store(tmp_path, capsys):
    (tmp_path / "x.db").write_bytes(b"")
    assert R.main(["--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "out")]) == 2
    assert "no es un almacén de conversaciones" in capsys.readouterr().err
