"""Our nginx keeps its connections to the replicas open between requests.

Without upstream keep-alive every REST turn made a replica accept, set up and
close a TCP connection on its one event loop (docs/scaling.md: about a tenth
of its CPU per answer).  A small HTTP/1.1 server stands in for a replica and
notes the connection each request came on.
"""

from __future__ import annotations

import http.server
import threading

from deploy.cluster import Balancer
from tools.stack import http as request

REQUESTS = 12


class Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Sanic answers
    connections: list = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.connections.append(self.client_address)
        body = b'[{"recipient_id": "k", "text": "ok"}]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_rest_requests_reuse_the_connection_to_the_replica(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with Balancer([f"127.0.0.1:{server.server_port}"], workdir=tmp_path / "nginx") as balancer:
            for i in range(REQUESTS):  # each on a new client connection to nginx
                status, body = request("POST", f"{balancer.url}/webhooks/rest/webhook",
                                       {"sender": "k", "message": f"hola {i}"})
                assert status == 200 and body[0]["text"] == "ok"
    finally:
        server.shutdown()
        server.server_close()
    assert len(Recorder.connections) == REQUESTS
    assert len(set(Recorder.connections)) == 1, Recorder.connections
