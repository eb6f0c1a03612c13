"""A minimal WebSocket client (RFC 6455) on a raw socket, enough to read the live-updates stream.
Every message it receives is held to the OpenAPI document's StreamServerMessage."""
import base64, os, socket, struct, json
import openapi_check
class WS:
    def __init__(self, host, port, path, headers, tls_context=None):
        self.s = socket.create_connection((host, port), timeout=5)
        if tls_context is not None: self.s = tls_context.wrap_socket(self.s, server_hostname=host)
        key = base64.b64encode(os.urandom(16)).decode()
        req = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        for k, v in headers.items(): req += f"{k}: {v}\r\n"
        self.s.sendall((req + "\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf: self.buf += self.s.recv(4096)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        self.status = int(head.split()[1])
    def _read(self, n):
        while len(self.buf) < n: 
            d = self.s.recv(65536)
            if not d: raise EOFError
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]; return out
    def recv(self):
        b1, b2 = self._read(2); n = b2 & 0x7f
        if n == 126: n = struct.unpack(">H", self._read(2))[0]
        elif n == 127: n = struct.unpack(">Q", self._read(8))[0]
        message = json.loads(self._read(n))
        openapi_check.check_stream_message(message)
        return message
    def send(self, obj):
        data = json.dumps(obj).encode(); mask = os.urandom(4)
        hdr = bytes([0x81]) + (bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data)))
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
