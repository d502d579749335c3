"""Start-up check of credentials.yml, endpoints.yml and the environment: every problem at once.

::

    python -m channels.preflight --credentials credentials.yml --endpoints endpoints.yml [--action-port 5055]

``scripts/serve.sh`` and ``scripts/chat.sh`` run it before any server starts.
Exit code 0 and one summary line on stdout when everything is usable; exit
code 2 and every problem on stderr otherwise, one per line, in the knowledge
loader's format (``actions/knowledge/loader.py``)::

    credentials.yml:14: clave 'channels.webchat.WebChatInput.session_persistence': debe ser true o false, no 'yes'
    endpoints.yml:3: clave 'action_endpoint.url': la variable de entorno ACTION_URL no está definida
    entorno: CHANNEL_REPLY_TIMEOUT='x' no es válido: debe ser un número (p. ej. 15 o 2.5).

Warnings (``aviso:``) go to stderr too but do not stop start-up.

Why a separate check: Rasa 3.6.21 either fails with a message that names no
line (an unknown channel, an unset ``${VAR}``), or silently does something
else (``session_persistence: yes`` is the *string* "yes"; a misspelt
``traker_store`` section or a store without ``type`` keeps conversations in
memory; an unknown key under ``action_endpoint`` is ignored).  Both files are
read with Rasa's own YAML loader (``yamlfile.py``), so the values are typed
as Rasa types them.  One module per file checked: ``credentials.py`` (the web
widget's keys by the channel's own check, channels/webchat/credentials.py),
``endpoints.py``, ``environment.py`` (a loop over settings/table.py), and
``report.py``.

Importing this package has no side effects and imports no Rasa: the checks
are imported when they run.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Mapping, Optional, Sequence

from channels.preflight.report import Problem, Report, summary

__all__ = ["Problem", "Report", "main", "run_checks", "summary"]


def run_checks(
    credentials: str = "credentials.yml",
    endpoints: str = "endpoints.yml",
    environ: Optional[Mapping[str, str]] = None,
    action_port: Optional[int] = None,
) -> Report:
    """Every check; never raises on bad configuration (see ``Report.problems``)."""
    from channels.preflight.credentials import WEBCHAT, check_credentials
    from channels.preflight.endpoints import check_endpoints
    from channels.preflight.environment import check_environment

    environ = dict(os.environ if environ is None else environ)
    report = Report()
    channels = check_credentials(str(credentials), environ, report)
    stores = check_endpoints(str(endpoints), environ, report, action_port)
    check_environment(environ, report, WEBCHAT in channels, stores, str(endpoints))
    report.sort()
    return report


def main(argv: Optional[Sequence[str]] = None, environ: Optional[Mapping[str, str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.preflight",
        description="Comprueba credentials.yml, endpoints.yml y las variables de entorno antes de arrancar.",
    )
    parser.add_argument("--credentials", default="credentials.yml",
                        help="archivo de canales (por defecto credentials.yml)")
    parser.add_argument("--endpoints", default="endpoints.yml", help="archivo de endpoints (por defecto endpoints.yml)")
    parser.add_argument("--action-port", default=None,
                        help="el puerto del servidor de acciones local al que debe apuntar action_endpoint.url")
    args = parser.parse_args(argv)
    # Not argparse's int: the scripts pass $ACTION_PORT as it is, and a bad one
    # is reported (in Spanish, naming the variable) by the environment checks.
    action_port = int(args.action_port) if args.action_port and args.action_port.isdigit() else None
    report = run_checks(args.credentials, args.endpoints, environ, action_port)
    for p in report.problems:
        print(str(p), file=sys.stderr)
    if not report.ok:
        n = len(report.errors)
        print(f"ERROR: {n} problema{'s' if n != 1 else ''} de configuración: el asistente no arranca.", file=sys.stderr)
        return 2
    print(summary(report, args.credentials, args.endpoints))
    return 0
