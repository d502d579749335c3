"""credentials.yml: our channels only, each once, each with the keys it reads.

Rasa 3.6.21 names no line for an unknown channel and takes any value of a
known one; the web widget's keys are judged by the channel's own check
(``channels/webchat/credentials.py``), here with the file and line.
"""

from __future__ import annotations

import difflib
from typing import Dict, List, Mapping, Optional

from ruamel.yaml.comments import CommentedMap

from channels.preflight.report import Report
from channels.preflight.yamlfile import Entry, YamlFile, from_env

REST = "channels.rest.RestInput"
WEBCHAT = "channels.webchat.WebChatInput"
TELEGRAM = "channels.telegram.TelegramInput"
# Module path -> the name() Rasa mounts it under (two channels with one name clash).
OUR_CHANNELS = {REST: "rest", WEBCHAT: "webchat", TELEGRAM: "telegram"}
# Rasa's own channels we allow: only the stock REST channel, which the test
# stacks use next to ours; it lacks channels/rest.py's checks, hence a warning.
ALLOWED_BUILTIN_CHANNELS = {"rest": "rest"}
ALLOWED = [*OUR_CHANNELS, *ALLOWED_BUILTIN_CHANNELS]
# Rasa 3.6.21's built-in channel names (rasa.core.channels.BUILTIN_CHANNELS),
# to tell "not ours" from "misspelt".
RASA_BUILTIN_CHANNELS = (
    "botframework", "callback", "cmdline", "facebook", "hangouts", "mattermost", "rasa", "rest",
    "rocketchat", "slack", "socketio", "telegram", "twilio", "twilio_voice", "webexteams",
)
OUR_REPLACEMENT = {"socketio": WEBCHAT, "telegram": TELEGRAM}
# Channels without keys in the file, and where their settings come from instead.
NO_KEYS = {
    REST: "RestInput no lleva claves: se configura con las variables REST_* y CHANNEL_* (docs/hardening.md)",
    TELEGRAM: "TelegramInput no lleva claves: se configura con las variables TELEGRAM_* (docs/telegram.md)",
    "rest": "el canal REST de Rasa no lleva claves",
}


def _mount(f: YamlFile, entry: Entry) -> Optional[str]:
    """The name() the entry is mounted under, or None (reported) when it is no channel of ours."""
    name = entry.key
    if name in OUR_CHANNELS:
        return OUR_CHANNELS[name]
    if name in ALLOWED_BUILTIN_CHANNELS:
        f.warn(entry.key_line, name, f"es el canal REST original de Rasa, sin las comprobaciones de {REST} "
               "(docs/hardening.md); úsalo solo en pruebas")
        return ALLOWED_BUILTIN_CHANNELS[name]
    if name in RASA_BUILTIN_CHANNELS:
        ours = OUR_REPLACEMENT.get(name)
        instead = f"; usa {ours}" if ours else ""
        f.error(entry.key_line, name,
                f"el canal '{name}' de Rasa no se usa en este asistente{instead} (se admiten: {', '.join(ALLOWED)})")
        return None
    close = difflib.get_close_matches(name, ALLOWED, n=1, cutoff=0.6)
    hint = f" ¿quisiste decir '{close[0]}'?" if close else ""
    f.error(entry.key_line, name, f"canal desconocido (se admiten: {', '.join(ALLOWED)}).{hint}")
    return None


def _check_webchat(f: YamlFile, channel: Entry, settings: Optional[CommentedMap]) -> None:
    """The channel's own check of its keys (after Rasa's ${VAR} substitution), placed on their lines."""
    from channels.webchat.credentials import check

    entries: Dict[str, Entry] = {e.key: e for e in f.entries(settings, f"{channel.key}.")} if settings else {}
    values = {key: f.value(e.raw) for key, e in entries.items()}
    for finding in check(values, from_env=[key for key, e in entries.items() if from_env(e.raw)]):
        entry = entries.get(finding.key)
        line = entry.value_line if entry else channel.key_line
        f.error(line, f"{channel.key}.{finding.key}", finding.message, finding.warning)


def check_credentials(path: str, environ: Mapping[str, str], report: Report) -> List[str]:
    """Checks the file; returns the channels configured (module path or built-in name)."""
    f = YamlFile(path, environ, report)
    root = f.load()
    if root is None:
        return []
    channels: List[str] = []
    mounted: Dict[str, str] = {}  # name() -> the entry that uses it
    for entry in f.entries(root):
        mount = _mount(f, entry)
        if mount is None:
            continue
        if mount in mounted:
            f.error(entry.key_line, entry.key,
                    f"'{mounted[mount]}' ya usa la ruta /webhooks/{mount}/: deja solo uno de los dos")
            continue
        mounted[mount] = entry.key
        channels.append(entry.key)
        settings = f.mapping(entry)
        if entry.key == WEBCHAT:
            _check_webchat(f, entry, settings)
        elif settings is not None:
            for key in f.entries(settings, f"{entry.key}."):
                f.error(key.key_line, key.full, f"clave desconocida: {NO_KEYS[entry.key]}")
    if not channels and not report.errors:
        f.error(root.lc.line + 1, "(archivo)", "no hay ningún canal")
    report.channels = [OUR_CHANNELS.get(n) or ALLOWED_BUILTIN_CHANNELS[n] for n in channels]
    return channels
