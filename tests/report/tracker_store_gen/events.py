"""One event of each kind, shaped like the captured real ones (same keys, same metadata)."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any, Dict, List, Optional


class Events:
    """Builds events; ``meta`` is the real events' metadata (model_id, assistant_id)."""

    def __init__(self, rng: random.Random, meta: Dict[str, Any], intents: List[str]):
        self.rng, self.meta, self.intents = rng, meta, intents

    def base(self, kind: str, ts: float) -> Dict[str, Any]:
        return {"event": kind, "timestamp": ts, "metadata": dict(self.meta)}

    def featurization(self, ts: float) -> Dict[str, Any]:
        return self.base("user_featurization", ts) | {"use_text_for_featurization": False}

    def action(self, name: str, ts: float) -> Dict[str, Any]:
        e = self.base("action", ts)
        policy = None if name in ("action_session_start", "action_listen") else "RulePolicy"
        e.update(name=name, policy=policy, confidence=1.0 if policy or name == "action_session_start" else None,
                 action_text=None, hide_rule_turn=bool(policy) and name.startswith("utter_"))
        return e

    def bot(self, response: str, text: str, ts: float, buttons=None,
            variables: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        e = self.base("bot", ts)
        # A custom action's message also carries its template variables and "template" (as in the real store).
        extra = {} if variables is None else {"template": response, **variables}
        e["metadata"] = {"utter_action": response, **extra, **self.meta}
        e["text"] = text
        e["data"] = {"elements": None, "quick_replies": None, "buttons": buttons, "attachment": None, "image": None,
                     "custom": None}
        return e

    def user(self, text: str, intent: str, conf: float, ranking, entities, channel: str, ts: float,
             tokens=True) -> Dict[str, Any]:
        mid = uuid.UUID(int=self.rng.getrandbits(128)).hex
        parse = {"intent": {"name": intent, "confidence": conf}, "entities": entities, "text": text,
                 "message_id": mid, "metadata": {}}
        if tokens:
            parse["text_tokens"] = [[m.start(), m.end()] for m in re.finditer(r"\w+|[^\w\s]", text)]
        parse["intent_ranking"] = ranking
        e = self.base("user", ts)
        e.update(text=text, parse_data=parse, input_channel=channel, message_id=mid)
        return e

    def ranking(self, intent: str, conf: float, n: int = 10) -> List[Dict[str, Any]]:
        others = [i for i in self.intents if i != intent]
        self.rng.shuffle(others)
        rest, out = 1.0 - conf, [{"name": intent, "confidence": conf}]
        for name in others[: n - 1]:
            share = rest * self.rng.uniform(0.2, 0.6)
            rest -= share
            out.append({"name": name, "confidence": share})
        out[1:] = sorted(out[1:], key=lambda r: -r["confidence"])
        return out
