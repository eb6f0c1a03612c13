#!/usr/bin/env python3
"""Live chat at 10,000 connections (issue 20), against the real server on a fresh data directory.

    bench/chat_ws.py [CONNECTIONS] [SAMPLES]        (default 10000 visitors, 400 messages a way)

1. A department, its chat widget (50 chats per agent) and AGENTS agents signed in and online;
   each agent's desk stream (/api/v1/stream) is opened before each measurement (a desk open
   while hundreds of chats a second are created falls 512 events behind and is dropped).
2. Baseline: only the live chats' visitors connected (one WebSocket each), SAMPLES messages each
   way: an agent's reply (POST /api/v1/chats/{id}/messages) timed until the visitor's socket
   hears message.created, and a visitor's message (POST /api/v1/chat/sessions/{id}/messages)
   timed until the agent's socket hears it. p50/p99.
3. Load: CONNECTIONS visitors each start a chat through the pre-chat form (the first
   AGENTS x 50 are live with an agent, the rest wait in the queue) and hold the chat's visitor
   WebSocket (/api/v1/chat/stream) open; then the server's RSS (VmRSS, VmHWM), and the same
   measurement as 2 with every connection held.

The server allows 30 chats per address per 10 minutes, so each visitor connects from its own
loopback address (127.0.x.y; Linux routes all of 127/8 to lo). Needs build/release/gongdan and
a hard `ulimit -n` above CONNECTIONS + 2000 (the soft limit is raised here, for this process and
the server it starts). Standard library
only; asyncio keeps every connection in one process."""

import asyncio
import base64
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("GONGDAN_BIN", str(ROOT / "build" / "release" / "gongdan"))
AGENTS = int(os.environ.get("AGENTS", "4"))
PER_AGENT = 50
PASSWORD = "bench-password-1"


def address(i):
    """The loopback address visitor i connects from: 127.0.x.y, y in 1..250."""
    return f"127.{1 + i // 62500}.{(i // 250) % 250}.{1 + i % 250}"


class Http:
    """One keep-alive HTTP/1.1 connection from a given source address."""

    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source = port, source
        self.reader = self.writer = None
        self.lock = asyncio.Lock()  # one request at a time on the connection

    async def request(self, method, path, body=None, headers=None, content_type=None):
        async with self.lock:
            return await self._request(method, path, body, headers, content_type)

    async def _request(self, method, path, body, headers, content_type):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, local_addr=(self.source, 0))
        data = b"" if body is None else (body if isinstance(body, bytes) else
                                         json.dumps(body).encode())
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                f"Content-Length: {len(data)}"]
        if body is not None:
            head.append(f"Content-Type: {content_type or 'application/json'}")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, cookies = 0, []
        while True:
            line = (await self.reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            if name.lower() == "set-cookie":
                cookies.append(value.strip())
        raw = await self.reader.readexactly(length) if length else b""
        answer = json.loads(raw) if raw[:1] in (b"{", b"[") else raw
        return status, answer, cookies

    def close(self):
        if self.writer:
            self.writer.close()


class WebSocket:
    """A client WebSocket (RFC 6455): text frames in and out, pings answered."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port, path, source="127.0.0.1", headers=None):
        reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                       local_addr=(source, 0))
        key = base64.b64encode(os.urandom(16)).decode()
        head = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
                "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        status = (await reader.readline()).split()[1]
        while (await reader.readline()).strip():
            pass
        if status != b"101":
            raise RuntimeError(f"upgrade refused: {status}")
        return cls(reader, writer)

    async def recv(self):
        while True:
            b1, b2 = await self.reader.readexactly(2)
            n = b2 & 0x7F
            if n == 126:
                n = int.from_bytes(await self.reader.readexactly(2), "big")
            elif n == 127:
                n = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await self.reader.readexactly(n)
            opcode = b1 & 0x0F
            if opcode == 0x9:  # ping: answer with a masked pong
                mask = os.urandom(4)
                self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask +
                                  bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                continue
            if opcode == 0x8:
                raise EOFError("closed by the server")
            return json.loads(payload)

    def close(self):
        self.writer.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_of(pid):
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out


class Arrivals:
    """When each message was heard, by key: a visitor's socket keys by message id, an agent's by
    (message id, agent id). The event may come before the POST that sent it has answered."""

    def __init__(self):
        self.heard, self.waiting = {}, {}

    def hear(self, key):
        now = time.perf_counter()
        future = self.waiting.pop(key, None)
        if future:
            future.set_result(now)
        else:
            self.heard[key] = now

    async def wait(self, key, timeout=30):
        if key in self.heard:
            return self.heard.pop(key)
        future = asyncio.get_running_loop().create_future()
        self.waiting[key] = future
        return await asyncio.wait_for(future, timeout)


async def listen(ws, arrivals, key_of):
    """Reads `ws` until it closes, noting when each message.created came."""
    try:
        while True:
            m = await ws.recv()
            if m.get("type") == "message.created":
                arrivals.hear(key_of(m))
    except (EOFError, asyncio.IncompleteReadError, ConnectionError) as e:
        CLOSED.append(repr(e))


CLOSED = []  # streams the server ended, and why
LISTENERS = []  # the reading tasks: asyncio keeps only weak references to tasks


async def measure(port, agents, live, samples, to_visitor, to_agent):
    """SAMPLES replies agent -> visitor and SAMPLES messages visitor -> agent, spread over the
    live chats at about 40 a second; the latencies in milliseconds."""
    out = {"agent_to_visitor": [], "visitor_to_agent": []}
    missed = {"agent_to_visitor": [], "visitor_to_agent": []}  # never heard within 30 s
    senders = [Http(port, f"127.255.{i // 250}.{1 + i % 250}") for i in range(60)]
    agent_http = {a["id"]: Http(port) for a in agents}

    async def one(i):
        chat = live[i % len(live)]
        agent = chat["agent_session"]
        body = f"bench {i} {os.urandom(6).hex()}"
        started = time.perf_counter()
        if i % 2 == 0:
            status, sent, _ = await agent_http[agent["id"]].request(
                "POST", f"/api/v1/chats/{chat['id']}/messages", {"body": body},
                {"Cookie": agent["cookie"], "X-CSRF-Token": agent["csrf"]})
            way, arrivals, key = "agent_to_visitor", to_visitor, None
        else:
            status, sent, _ = await senders[i % len(senders)].request(
                "POST", f"/api/v1/chat/sessions/{chat['id']}/messages?token={chat['token']}",
                json.dumps({"body": body}).encode(), content_type="text/plain")
            way, arrivals, key = "visitor_to_agent", to_agent, agent["id"]
        if status != 201:
            raise RuntimeError(f"message refused: {status} {sent}")
        try:
            arrived = await arrivals.wait((sent["id"], key))
        except asyncio.TimeoutError:
            missed[way].append((chat["id"], sent["id"]))
            return
        out[way].append((arrived - started) * 1000)

    tasks = []
    for i in range(2 * samples):
        tasks.append(asyncio.create_task(one(i)))
        await asyncio.sleep(0.025)
    await asyncio.gather(*tasks)
    for h in senders + list(agent_http.values()):
        h.close()
    return {way: {"samples": len(v), "p50_ms": round(percentile(v, 50), 2),
                  "p99_ms": round(percentile(v, 99), 2), "max_ms": round(max(v), 2),
                  "never_heard": missed[way][:10], "never_heard_count": len(missed[way])}
            for way, v in out.items()}


async def start_chats(port, widget, first, count, concurrency=64):
    chats = [None] * count
    next_index = [0]

    async def worker():
        http = None
        while next_index[0] < count:
            i = next_index[0]
            next_index[0] += 1
            n = first + i
            if http is None or http.source != address(n):
                if http:
                    http.close()
                http = Http(port, address(n))
            form = {"name": f"访客 {n}", "email": f"v{n}@bench.example", "question": f"问题 {n}"}
            status, chat, _ = await http.request("POST", f"/api/v1/chat/widgets/{widget}/sessions",
                                                 json.dumps(form).encode(), content_type="text/plain")
            if status != 201:
                raise RuntimeError(f"chat {n}: {status} {chat}")
            chats[i] = chat
        if http:
            http.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return chats


async def open_streams(port, chats, first, to_visitor, concurrency=200):
    sockets = [None] * len(chats)
    next_index = [0]

    async def worker():
        while next_index[0] < len(chats):
            i = next_index[0]
            next_index[0] += 1
            chat = chats[i]
            ws = await WebSocket.open(port, f"/api/v1/chat/stream?session={chat['id']}"
                                      f"&token={chat['token']}", address(first + i))
            hello = await ws.recv()
            assert hello["type"] == "hello", hello
            sockets[i] = ws
            LISTENERS.append(asyncio.create_task(listen(ws, to_visitor, lambda m: (m["message"]["id"], None))))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sockets


async def agent_streams(port, agents, to_agent):
    """Each agent's desk stream, opened once the chats exist: a burst of hundreds of new chats a
    second fills a desk's send queue (512 events) and the server drops it, as it should, so the
    desks are opened at the steady state the latency is measured in."""
    sockets = []
    for agent in agents:
        ws = await WebSocket.open(port, "/api/v1/stream", headers={"Cookie": agent["cookie"]})
        assert (await ws.recv())["type"] == "hello"
        LISTENERS.append(asyncio.create_task(listen(ws, to_agent,
                                   lambda m, me=agent["id"]: (m["message"]["id"], me))))
        sockets.append(ws)
    return sockets


async def bench(port, pid, connections, samples):
    admin_http = Http(port)
    status, me, cookies = await admin_http.request(
        "POST", "/api/v1/auth/login", {"email": "admin@localhost", "password": PASSWORD})
    assert status == 200, me
    admin = {"Cookie": cookies[0].split(";")[0], "X-CSRF-Token": me["csrf_token"]}
    _, dept, _ = await admin_http.request("POST", "/api/v1/departments", {"name": "Chat"}, admin)
    _, widget, _ = await admin_http.request(
        "POST", "/api/v1/chat-widgets", {"department": dept["id"], "max_chats_per_agent": PER_AGENT},
        admin)
    agents, to_visitor, to_agent = [], Arrivals(), Arrivals()
    for i in range(AGENTS):
        status, user, _ = await admin_http.request("POST", "/api/v1/agents", {
            "email": f"agent{i}@bench.example", "name": f"Agent {i}", "role": "agent",
            "password": PASSWORD, "locale": "en", "time_zone": "UTC"}, admin)
        assert status == 201, user
        await admin_http.request("PUT", f"/api/v1/agents/{user['id']}/departments",
                                 {"departments": [dept["id"]], "all_departments": False}, admin)
        h = Http(port)
        status, me, cookies = await h.request("POST", "/api/v1/auth/login",
                                              {"email": user["email"], "password": PASSWORD})
        assert status == 200, me
        h.close()
        session = {"id": user["id"], "cookie": cookies[0].split(";")[0], "csrf": me["csrf_token"]}
        agents.append(session)
    by_id = {a["id"]: a for a in agents}

    live_count = min(connections, AGENTS * PER_AGENT)
    live = await start_chats(port, widget["id"], 0, live_count)
    for chat in live:
        assert chat["state"] == "live" and chat["agent"], chat
        chat["agent_session"] = by_id[chat["agent"]["id"]]
    await open_streams(port, live, 0, to_visitor)
    desks = await agent_streams(port, agents, to_agent)
    baseline_rss = rss_of(pid)
    baseline = await measure(port, agents, live, samples, to_visitor, to_agent)
    for ws in desks:
        ws.close()

    started = time.monotonic()
    queued = await start_chats(port, widget["id"], live_count, connections - live_count)
    chats_seconds = time.monotonic() - started
    started = time.monotonic()
    await open_streams(port, queued, live_count, to_visitor)
    streams_seconds = time.monotonic() - started
    await agent_streams(port, agents, to_agent)
    loaded_rss = rss_of(pid)
    loaded = await measure(port, agents, live, samples, to_visitor, to_agent)
    for task in LISTENERS:
        task.cancel()
    return {
        "connections": {"visitor_streams": connections, "agent_streams": AGENTS,
                        "live_chats": live_count, "queued_chats": connections - live_count},
        "start_chats_seconds": round(chats_seconds, 1),
        "open_streams_seconds": round(streams_seconds, 1),
        "baseline": {"visitor_streams": live_count, "rss_mb": baseline_rss, **baseline},
        "loaded": {"visitor_streams": connections, "rss_mb": loaded_rss, **loaded},
        "rss_mb_after": rss_of(pid),
    }


def main():
    connections = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    # ulimit -n: each side (this process, and the server, which inherits it) holds one socket
    # per connection and a few hundred more.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + 2000
    if soft < want:
        if hard < want:
            sys.exit(f"ulimit -n: {connections} connections need {want} files; the hard limit "
                     f"is {hard} (raise it as root: ulimit -Hn {want})")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    data = tempfile.mkdtemp(prefix="gongdan-bench-chat-")
    env = dict(os.environ, GONGDAN_ADMIN_PASSWORD=PASSWORD)
    proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0",
                             "--log-level", "warn"], stdout=subprocess.PIPE, env=env)
    try:
        port = None
        for line in proc.stdout:
            m = re.search(rb"listening on http://127.0.0.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        result = asyncio.run(bench(port, proc.pid, connections, samples))
        result["uptime"] = subprocess.run(["uptime"], capture_output=True,
                                          text=True).stdout.strip()
        result["nofile"] = resource.getrlimit(resource.RLIMIT_NOFILE)
        print(json.dumps(result, indent=1))
    finally:
        proc.terminate()
        proc.wait(30)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
