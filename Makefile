# The two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DATA ?= data/demo
DEMO_SITE_PORT ?= 8765
DEMO_ARTICLES ?= 400
PORT ?= 5000
WORKERS ?= 2

# axe-core (accessibility checks in the browser tests), pinned, from the npm registry.
AXE_VERSION ?= 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: venv axe demo serve-demo test lint bench serve rebuild clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

$(AXE):
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility tests (apt-get install npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION)

axe: $(AXE)

# The main job end to end: sample site on 127.0.0.1 -> scrapy crawl herald -> index -> web app.
demo: $(STAMP)
	@set -e; export HERALD_DATA_DIR=$(DEMO_DATA); mkdir -p $(DEMO_DATA); \
	echo "==> starting the sample site on http://127.0.0.1:$(DEMO_SITE_PORT)"; \
	$(PY) -m tests.sample_site --port $(DEMO_SITE_PORT) --articles $(DEMO_ARTICLES) \
		> $(DEMO_DATA)/sample-site.log 2>&1 & site=$$!; \
	trap 'kill $$site 2>/dev/null || true' EXIT INT TERM; \
	for i in $$(seq 150); do (exec 3<>/dev/tcp/127.0.0.1/$(DEMO_SITE_PORT)) 2>/dev/null && break; \
		kill -0 $$site 2>/dev/null || { cat $(DEMO_DATA)/sample-site.log; exit 1; }; sleep 0.2; done; \
	echo "==> crawling it: scrapy crawl herald -s HERALD_BASE_URL=http://127.0.0.1:$(DEMO_SITE_PORT)"; \
	$(VENV)/bin/scrapy crawl herald -s HERALD_BASE_URL=http://127.0.0.1:$(DEMO_SITE_PORT) \
		-s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_DELAY=0 -s CONCURRENT_REQUESTS_PER_DOMAIN=16 -s LOG_LEVEL=INFO \
		> $(DEMO_DATA)/crawl.log 2>&1 || { tail -30 $(DEMO_DATA)/crawl.log; exit 1; }; \
	sed -n '/\[herald\] INFO: crawl /,$$p' $(DEMO_DATA)/crawl.log | sed 's/^.*\] [A-Z]*: //'; \
	echo "==> building the index: python -m index.rebuild"; \
	$(PY) -m index.rebuild; \
	kill $$site 2>/dev/null || true; \
	echo; echo "==> herald-search is running at http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"; echo; \
	$(VENV)/bin/flask --app web run --host 127.0.0.1 --port $(PORT) || true; \
	echo; echo "==> stopped. The demo's data stays in $(DEMO_DATA)/; serve it again with:  make serve-demo"

# Serve what `make demo` built (data/demo), without crawling again.
serve-demo: $(STAMP)
	@test -f $(DEMO_DATA)/archive.sqlite3 || { echo "no demo in $(DEMO_DATA)/: run make demo first"; exit 1; }
	@echo "==> herald-search on the demo's data ($(DEMO_DATA)/) at http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@HERALD_DATA_DIR=$(DEMO_DATA) $(VENV)/bin/flask --app web run --host 127.0.0.1 --port $(PORT)

test: $(STAMP) $(AXE)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -ra

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	$(PY) -m bench.extraction
	$(PY) -m bench.index --articles 20000

serve: $(STAMP)
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) 'web:create_app()'

rebuild: $(STAMP)
	$(PY) -m index.rebuild

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts .cache
