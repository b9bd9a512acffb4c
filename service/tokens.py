"""Bearer tokens of the librarians: who may write, in which role. Only hashes of them are kept.

A token reads `unkg_<id>_<secret>`: the id names it (to list or revoke it), the secret proves it.
The file keeps the id, a name, the role, when it was made and revoked, and the SHA-256 of the
secret; the token itself is shown once, when it is made. The secret has 256 random bits, so a
plain hash suffices (a slow password hash protects guessable secrets, which these are not).

Roles are ranked: a reviewer may also do what a curator may, an admin what a reviewer may.
The file is rewritten whole (a temporary file renamed over it, readable by its owner only), and a
server reads it again whenever it changes, so a token made or revoked by `unkg token` counts at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Role = Literal["curator", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("curator", "reviewer", "admin")
_PREFIX = "unkg_"


class InvalidToken(Exception):
    """The token is malformed, unknown or revoked (the message says which, never the secret)."""


@dataclass(frozen=True, slots=True)
class Token:
    id: str
    name: str
    role: Role
    created: str  # ISO 8601, UTC
    secret_sha256: str
    revoked: str | None = None

    def may(self, role: Role) -> bool:
        """Whether this token's role is `role` or ranks above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TokenStore:
    """The tokens kept in the JSON file at `path` (absent: no tokens yet)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._tokens: dict[str, Token] = {}

    def all(self) -> list[Token]:
        """Every token, revoked ones included, oldest first."""
        return sorted(self._read().values(), key=lambda token: (token.created, token.id))

    def create(self, *, name: str, role: Role) -> tuple[Token, str]:
        """A new token for `name` in `role`, and its text (shown once: only its hash is kept)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if not name.strip():
            raise ValueError("a token needs a name (who holds it)")
        with self._lock:
            tokens = dict(self._read())
            id = secrets.token_hex(4)
            while id in tokens:
                id = secrets.token_hex(4)
            secret = secrets.token_urlsafe(32)
            token = Token(id=id, name=name.strip(), role=role, created=_now(), secret_sha256=_digest(secret))
            tokens[id] = token
            self._write(tokens)
        return token, f"{_PREFIX}{id}_{secret}"

    def revoke(self, id: str) -> Token:
        """Revoke the token with this id (KeyError if there is none); revoking twice keeps the first date."""
        with self._lock:
            tokens = dict(self._read())
            token = tokens[id]
            if token.revoked is None:
                token = tokens[id] = Token(**{**asdict(token), "revoked": _now()})
                self._write(tokens)
        return token

    def authenticate(self, text: str) -> Token:
        """The live token `text` is, or InvalidToken."""
        id, _, secret = text.removeprefix(_PREFIX).partition("_")
        if not text.startswith(_PREFIX) or not id or not secret:
            raise InvalidToken("the token is not a unkg token (unkg_<id>_<secret>)")
        token = self._read().get(id)
        if token is None or not hmac.compare_digest(token.secret_sha256, _digest(secret)):
            raise InvalidToken("the token is not known here")
        if token.revoked is not None:
            raise InvalidToken(f"the token {id} was revoked on {token.revoked}")
        return token

    def _read(self) -> dict[str, Token]:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return {}
        seen = (status.st_ino, status.st_mtime_ns, status.st_size)  # a rename makes a new inode
        if seen != self._seen:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
            self._tokens = {entry["id"]: Token(**entry) for entry in entries}
            self._seen = seen
        return self._tokens

    def _write(self, tokens: dict[str, Token]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = [asdict(token) for token in sorted(tokens.values(), key=lambda t: (t.created, t.id))]
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(entries, file, indent=2)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._tokens, self._seen = tokens, None
