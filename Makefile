# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DATA ?= data/demo
DEMO_SITE_PORT ?= 8765
PORT ?= 5000
WORKERS ?= 2

.PHONY: venv demo test lint bench serve rebuild clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m bench.demo --data-dir $(DEMO_DATA) --site-port $(DEMO_SITE_PORT) --port $(PORT)

test: $(STAMP)
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
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
