"""Librarians' bearer tokens: made, listed and revoked with `unkg token`, checked by the running service."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.dependencies import requires
from service.settings import IN_MEMORY, Settings
from service.stores import OxigraphStore
from service.tokens import Token, TokenStore
from tests.conftest import ROOT


@pytest.fixture
def tokens_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "tokens.json"
    monkeypatch.setenv("UNKG_TOKENS_PATH", str(path))
    return path


@pytest.fixture
def client(tokens_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        store_path=IN_MEMORY,
        ontology_path=ROOT / "ontology",
        shapes_path=ROOT / "shapes",
        data_path=tmp_path / "no-data",
        tokens_path=tokens_path,
    )
    store = OxigraphStore()
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client
    store.close()


def create(role: str, name: str) -> str:
    result = CliRunner().invoke(cli, ["token", "create", "--role", role, "--name", name])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_printed_once_and_only_its_hash_is_kept(tokens_path: Path) -> None:
    token = create("curator", "Li Wei, UN Library")
    assert token.startswith("unkg_")
    text = tokens_path.read_text()
    assert token not in text and token.split("_", 2)[2] not in text
    assert stat.S_IMODE(tokens_path.stat().st_mode) == 0o600
    [entry] = json.loads(text)
    assert entry["name"] == "Li Wei, UN Library" and entry["role"] == "curator" and entry["revoked"] is None
    listed = CliRunner().invoke(cli, ["token", "list"])
    assert entry["id"] in listed.stdout and "Li Wei" in listed.stdout and token not in listed.stdout


def test_a_bad_role_or_an_unknown_id_is_refused_naming_it(tokens_path: Path) -> None:
    bad = CliRunner().invoke(cli, ["token", "create", "--role", "owner", "--name", "x"])
    assert bad.exit_code == 2 and "curator, reviewer, admin" in bad.output
    unknown = CliRunner().invoke(cli, ["token", "revoke", "deadbeef"])
    assert unknown.exit_code == 2 and "deadbeef" in unknown.output
    assert not tokens_path.exists()


def test_the_service_knows_a_live_token_and_refuses_others(client: TestClient) -> None:
    token = create("reviewer", "Ana Souza")
    me = client.get("/api/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json()["name"] == "Ana Souza" and me.json()["role"] == "reviewer"
    for headers in ({}, bearer("not-a-token"), bearer(token[:-1] + ("A" if token[-1] != "A" else "B"))):
        refused = client.get("/api/me", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert refused.json()["detail"]


def test_a_revoked_token_is_refused_at_once_by_a_running_service(client: TestClient) -> None:
    token = create("curator", "Li Wei")
    other = create("curator", "Kofi Mensah")
    assert client.get("/api/me", headers=bearer(token)).status_code == 200
    id = token.split("_")[1]
    revoked = CliRunner().invoke(cli, ["token", "revoke", id])
    assert revoked.exit_code == 0, revoked.output
    refused = client.get("/api/me", headers=bearer(token))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert client.get("/api/me", headers=bearer(other)).status_code == 200


def test_roles_rank_curator_then_reviewer_then_admin(tokens_path: Path) -> None:
    """The same dependency the write endpoints use, on a route that needs a reviewer."""
    app = FastAPI()
    app.state.tokens = TokenStore(tokens_path)

    @app.get("/review")
    def review(token: Annotated[Token, requires("reviewer")]) -> str:
        return token.role

    with TestClient(app) as test_client:
        for role, status in (("curator", 403), ("reviewer", 200), ("admin", 200)):
            response = test_client.get("/review", headers=bearer(create(role, f"a {role}")))
            assert response.status_code == status, role
        forbidden = test_client.get("/review", headers=bearer(create("curator", "c")))
        assert "reviewer" in forbidden.json()["detail"]
