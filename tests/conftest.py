"""Shared fixtures: the web tests' archive + index (one per session) and app, the real
Redis and PostgreSQL servers (one each per session, started on first use), and `backend`,
which runs an archive test once against each archive backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archive_support import Backend
from tests.services import ServiceMissing, fresh_database, postgres_server, redis_server
from tests.web_support import Corpus, standard_corpus
from web import close_searcher, create_app


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return standard_corpus(tmp_path_factory.mktemp("web-corpus"))


@pytest.fixture(scope="module")
def app(corpus: Corpus):
    app = create_app({"DATA_DIR": corpus.data_dir, "TESTING": True})
    yield app
    close_searcher(app)


@pytest.fixture
def openapi(app):
    """The app's OpenAPI document."""
    return app.test_client().get("/api/openapi.json").get_json()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


# -- real services (tests/services.py): started once per session, when a test asks ---------


@pytest.fixture(scope="session")
def redis_service():
    try:
        with redis_server() as url:
            yield url
    except ServiceMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture
def redis_url(redis_service: str) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_service) as client:
        client.flushall()
    return redis_service


@pytest.fixture(scope="session")
def postgres_service():
    try:
        with postgres_server() as url:
            yield url
    except ServiceMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture
def postgres_url(postgres_service: str, request: pytest.FixtureRequest) -> str:
    """An empty database of its own for this test, on the session's PostgreSQL."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return fresh_database(postgres_service, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each archive backend in turn: a test that takes it runs once against each."""
    if request.param == "sqlite":
        return Backend("sqlite", tmp_path)
    return Backend("postgresql", tmp_path, request.getfixturevalue("postgres_service"))


# Browser fixtures (base_url, browser, page) for the browser test modules.
from tests.browser_support import base_url, browser, page  # noqa: E402, F401
