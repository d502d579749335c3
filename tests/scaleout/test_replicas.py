"""Two replicas, one conversation: PostgreSQL holds it, Redis orders its messages.

Replica A calls action server 1 and replica B action server 2 (see conftest),
so a conversation whose turns alternate between the replicas also alternates
between the action servers.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from actions.knowledge import spanish
from tests.scaleout.conftest import stored_events, user_events
from tools.stack import http
from tools import load as L

NO_DATA = L.NO_DATA_PREFIX


def new_sender(tag: str) -> str:
    return f"scaleout-{tag}-{uuid.uuid4().hex[:10]}"


def bot_texts_between_users(events):
    """[(user text, [bot texts until the next user message])] in stored order."""
    turns = []
    for e in events:
        if e["_type"] == "user":
            turns.append((e.get("text"), []))
        elif e["_type"] == "bot" and turns:
            turns[-1][1].append(e.get("text") or "")
    return turns


def assert_each_event_once_in_order(events):
    keys = [json.dumps({k: v for k, v in e.items() if k != "_id"}, sort_keys=True) for e in events]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"eventos repetidos en el tracker: {list(duplicates)[:2]}"
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps), "eventos fuera de orden (por id, las marcas de tiempo retroceden)"
    # Every turn is complete before the next one starts: user, then the bot's
    # answer, then action_listen -- never two user messages in a row.
    kinds = [e["_type"] for e in events]
    for i, kind in enumerate(kinds):
        if kind == "user" and i + 1 < len(kinds):
            assert "user" not in kinds[i + 1:i + 2], f"dos mensajes de usuario seguidos en {i}"


def test_follow_ups_alternating_between_replicas(cluster, knowledge):
    """Each turn on the other replica (and action server): the context is shared."""
    n = spanish.number
    turns = [
        ("¿Cuántas mipymes peruanas se beneficiaron?", n(knowledge.peru["beneficiaries"].value)),  # 5.375
        ("¿y en total?", n(knowledge.programme["beneficiaries_total"].value)),  # 49.000
        ("¿Participó el sector textil?", "Sí"),
        ("¿y el artesanal?", "artesanal"),
        ("¿Cuándo fue el evento de cierre?", spanish.dates(knowledge.closing_event["dates"].value)),
        ("¿fue presencial?", knowledge.closing_event["format"].value),
    ]
    sender = new_sender("alterna")
    for i, (question, expected) in enumerate(turns):
        replica = cluster.replicas[i % 2]
        reply = replica.text(sender, question)
        assert expected in reply, f"turno {i} en la réplica {'AB'[i % 2]}: {question!r} -> {reply!r}"

    events = stored_events(cluster.pg_url, sender)
    assert_each_event_once_in_order(events)
    stored = bot_texts_between_users(events)
    assert [u for u, _ in stored] == [q for q, _ in turns], "cada mensaje una vez, en el orden enviado"
    for (question, expected), (_, bot) in zip(turns, stored):
        assert any(expected in t for t in bot), f"{question!r}: la respuesta guardada no dice {expected!r}: {bot}"
    assert sum(e["_type"] == "session_started" for e in events) == 1, "una sola sesión, aunque la abrieran dos réplicas"


def test_action_servers_are_stateless(cluster):
    """The same question, each replica with its own action server: the same answer."""
    questions = [
        "¿Cuántas mipymes peruanas se beneficiaron?",
        "¿Qué organizaciones participaron?",
        "q sectores participaron",
        "¿cuál fue el presupuesto del programa?",
        "que se hizo en el evento de cierre",
    ]
    for q in questions:
        a = cluster.a.text(new_sender("sin-estado-a"), q)
        b = cluster.b.text(new_sender("sin-estado-b"), q)
        assert a == b, f"{q!r}: acciones 1 -> {a!r}, acciones 2 -> {b!r}"
        assert NO_DATA not in a


def test_concurrent_messages_to_one_conversation_are_serialised(cluster, knowledge):
    """Ten messages of one conversation at once, five to each replica: none lost, none interleaved."""
    scripts = L.scripts(knowledge)
    # Questions that stand alone (first turns of the scripts) and fillers known to answer.
    standalone = [s[0] for s in scripts] + [
        L.Turn("cuantas mypes peruanas se benefisiaron", (spanish.number(knowledge.peru["beneficiaries"].value),)),
        L.Turn("¿Qué es Adex?", ("Asociación de Exportadores",)),
        L.Turn("que significa SNI", ("Sociedad Nacional de Industrias",)),
        L.Turn("en cuantos paises se ejecuto el programa", (f"{knowledge.programme['countries'].value} países",)),
    ]
    assert len(standalone) == 10
    sender = new_sender("concurrente")

    def send(i):
        turn = standalone[i]
        replica = cluster.replicas[i % 2]
        status, body = http(
            "POST", f"{replica.url}/webhooks/rest/webhook", {"sender": sender, "message": turn.question}, timeout=120
        )
        return turn, status, body

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(send, range(10)))
    for turn, status, body in results:
        assert status == 200, (turn.question, status, body)
        reply = "\n".join(m.get("text", "") for m in body)
        assert turn.check(reply) is None, f"{turn.question!r} -> {reply!r}: {turn.check(reply)}"

    events = stored_events(cluster.pg_url, sender)
    assert_each_event_once_in_order(events)
    users = user_events(events)
    assert sorted(u["text"] for u in users) == sorted(t.question for t in standalone), (
        "un evento de usuario por mensaje"
    )
    # Serialised: the bot messages after each user message answer that message.
    by_question = {t.question: t for t in standalone}
    for question, bot in bot_texts_between_users(events):
        assert by_question[question].check("\n".join(bot)) is None, f"respuestas intercaladas: {question!r} -> {bot}"
    assert cluster.lock_keys() == [], "los candados terminados no quedan en Redis"


@pytest.mark.parametrize("channel, replica", [("rest", None), ("socketio", "b")])
def test_load_tool_on_the_cluster(cluster, knowledge, channel, replica):
    """tools/load/: every answer checked; REST turns round-robin over both replicas."""
    urls = [s.url for s in cluster.replicas] if replica is None else [getattr(cluster, replica).url]
    report = asyncio.run(
        L.run_load(
            urls,
            conversations=6,
            turns=4,
            concurrency=6,
            channel=channel,
            duration_limit=60,
            timeout=40,
            knowledge=knowledge,
        )
    )
    print(report.summary())
    assert report.ok, report.summary()
    assert report.answers == 24
    # Every acknowledged message is in PostgreSQL once, with its load id.
    senders = {r.conversation for r in report.results}
    stored = [
        u.get("metadata", {}).get("load_id") for s in senders for u in user_events(stored_events(cluster.pg_url, s))
    ]
    assert sorted(stored) == sorted(r.load_id for r in report.results)
