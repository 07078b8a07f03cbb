"""A real local HTTP gateway for webhook tests: fails while told to, records every request and
the distinct idempotency keys it accepted (a repeat of a key is acknowledged, counted in
`repeats`, but not delivered)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Gateway:
    def __init__(self) -> None:
        self.failing = False
        self.requests = 0
        self.repeats = 0
        self.delivered: dict[str, dict] = {}
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with gateway.lock:
                    gateway.requests += 1
                    if gateway.failing:
                        self.send_response(503)
                        self.end_headers()
                        return
                    key = self.headers["Idempotency-Key"]
                    gateway.repeats += key in gateway.delivered
                    gateway.delivered.setdefault(key, body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
