"""A small OpenID Connect provider for tests, served on loopback by a thread of the test process.

It answers the three back-channel calls the platform makes (``/token`` with PKCE check, ``/userinfo``,
``/jwks``) over real HTTP, signs ID tokens with a fresh RSA key (RS256), and plays the browser's visit to
``/authorize`` through ``authorize()``: given the redirect the platform sent, it returns the callback path
with a one-time code. ``tamper`` lets a test break one thing (audience, issuer, nonce, signing key).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "teilhabe-test"
CLIENT_SECRET = "test-client-secret"


@functools.cache
def signing_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name and test process (generating one per test costs more than the test)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeIdP:
    def __init__(self) -> None:
        self.key = signing_key("idp")
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.tamper: dict[str, Any] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeIdP:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, location: str, claims: dict[str, Any]) -> str:
        """The person signs on at the IdP: returns the platform's callback path with code and state."""
        query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"claims": claims, **query}
        callback = urlparse(query["redirect_uri"])
        return f"{callback.path}?{urlencode({'code': code, 'state': query['state']})}"

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = grant["claims"]
        payload = {
            "iss": self.tamper.get("iss", self.issuer),
            "aud": self.tamper.get("aud", CLIENT_ID),
            "iat": now,
            "exp": now + 300,
            "nonce": self.tamper.get("nonce", grant.get("nonce")),
            **{k: v for k, v in claims.items() if k in ("sub", "amr", "acr", "email", "email_verified")},
        }
        key = signing_key("foreign") if self.tamper.get("foreign_key") else self.key
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "k1"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(idp.key.public_key()))
                    return self._json(200, {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in idp.tokens:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, {**idp.tokens[token], **idp.tamper.get("userinfo", {})})
                return self._json(404, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = idp.codes.pop(form.get("code", ""), None)
                if self.path != "/token" or grant is None:
                    return self._json(400, {"error": "invalid_grant"})
                if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
                    return self._json(401, {"error": "invalid_client"})
                verifier = form.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
                if challenge != grant["code_challenge"]:
                    return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                access = secrets.token_urlsafe(16)
                idp.tokens[access] = grant["claims"]
                return self._json(
                    200, {"access_token": access, "token_type": "Bearer", "id_token": idp.id_token(grant)}
                )

        return Handler
