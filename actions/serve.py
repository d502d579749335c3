"""Start the action server: load the knowledge first, refuse to start if broken.

``python -m actions.serve --port 5055`` takes rasa_sdk's own options.  The
knowledge file is loaded and validated before the server binds its port, so a
broken file stops start-up with one line naming the file, the key and the line
(exit code 2), instead of a server that fails at the first question.
"""

from __future__ import annotations

import os
import sys


def main(argv=None) -> None:
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")  # loopback unless told
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    from actions.knowledge import KnowledgeError, get_store
    from settings.table import value

    args = create_argument_parser().parse_args(argv)
    args.actions = args.actions or "actions"  # rasa_sdk's own default is None
    try:
        store = get_store(value("ALINVEST_KNOWLEDGE_FILE"))
    except KnowledgeError as e:
        print(f"ERROR: archivo de conocimiento inválido: {e}", file=sys.stderr)
        sys.exit(2)
    print(f"Conocimiento cargado de {store.path}", file=sys.stderr)
    main_from_args(args)


if __name__ == "__main__":
    main()
