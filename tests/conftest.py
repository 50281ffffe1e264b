"""Fixtures shared by the web tests: one real archive + index per session, the real app."""

from __future__ import annotations

import pytest

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
def client(app):
    return app.test_client()


# Browser fixtures (base_url, browser, page) for the browser test modules.
from tests.browser_support import base_url, browser, page  # noqa: E402, F401
