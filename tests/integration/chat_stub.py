"""A chat-completions endpoint on 127.0.0.1 for the drafts-and-summaries tests: POST
/v1/chat/completions, JSON in and out, choices[0].message.content and usage, the way llama.cpp,
vLLM, Ollama and OpenAI answer. It checks the Bearer key (401 otherwise) and keeps every request
it took. `mode` makes it misbehave: "slow" holds the answer until close() (the caller's timeout
fires first), "error" answers 500, "garbage" answers 200 with a body that is not JSON, "empty"
answers JSON without a choice."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatStub:
    def __init__(self, api_key="stub-key", reply="Stub reply"):
        self.api_key = api_key
        self.reply = reply
        self.mode = "ok"
        self.requests = []
        self.release = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                stub._answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def last_prompt(self):
        """The last request's messages as one text."""
        return "\n".join(m["content"] for m in self.requests[-1]["messages"])

    def _answer(self, h):
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        if h.path != "/v1/chat/completions":
            return self._send(h, 404, {"error": {"message": "no such path"}})
        if h.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._send(h, 401, {"error": {"message": "bad API key"}})
        try:
            asked = json.loads(body)
        except ValueError:
            return self._send(h, 400, {"error": {"message": "not JSON"}})
        self.requests.append(asked)
        if self.mode == "slow":
            self.release.wait(60)
        if self.mode == "error":
            return self._send(h, 500, {"error": {"message": "model crashed"}})
        if self.mode == "garbage":
            return self._send(h, 200, b"<html>502 upstream says hello</html>")
        if self.mode == "empty":
            return self._send(h, 200, {"choices": [], "usage": {"prompt_tokens": 3}})
        words = sum(len(m["content"].split()) for m in asked["messages"])
        return self._send(h, 200, {
            "id": "chatcmpl-stub", "object": "chat.completion", "model": asked.get("model"),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.reply}}],
            "usage": {"prompt_tokens": words, "completion_tokens": 11,
                      "total_tokens": words + 11}})

    @staticmethod
    def _send(h, status, payload):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            pass  # the caller gave up (its timeout)
