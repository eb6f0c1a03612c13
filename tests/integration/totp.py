"""RFC 6238 time-based codes, computed here rather than asked of the server, so the tests check
the server against the standard."""

import base64
import hashlib
import hmac
import struct


def secret_bytes(base32_secret):
    padded = base32_secret + "=" * (-len(base32_secret) % 8)
    return base64.b32decode(padded.upper())


def code_at(base32_secret, unix_seconds, step=30, digits=6):
    counter = int(unix_seconds // step)
    mac = hmac.new(secret_bytes(base32_secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)

