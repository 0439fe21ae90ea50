# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# uv comes from PyPI into .uvtool/; everything else is pinned in requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uvtool/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= out/demo.db
DEMO_REPORT ?= out/report

SHOTS ?= out/shots

.PHONY: setup demo test lint typecheck pytest bench lock clean report-shots

setup: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv .uvtool
	.uvtool/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Try the local cache first (no network, < 1 s); fall back to the registry.
$(VENV)/.installed: requirements.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python 3.11 $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet --offline requirements.lock \
	  || VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --offline --no-deps -e . \
	  || VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

lock: | $(UV)
	$(UV) pip compile pyproject.toml --extra dev --extra spark --python-version 3.11 -o requirements.lock

demo: setup
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/blocwatch run examples/corpus --db $(DEMO_DB) --report $(DEMO_REPORT)
	@echo "Database: $(DEMO_DB)  (try: $(BIN)/blocwatch actions --db $(DEMO_DB), or datasette)"
	@echo "Report:   $(DEMO_REPORT)/index.html"

# PNG screenshots of the demo report (overview, largest action page) for a look at the design;
# needs /usr/bin/chromium. Not run by the tests; out/ is not committed.
report-shots: demo
	$(BIN)/python -m blocwatch.report.shots $(DEMO_REPORT) $(SHOTS)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy src

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: setup
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/nlp_overhead.py --n 2000
	$(BIN)/python bench/prefilter_speed.py
	$(BIN)/python bench/scale.py --sizes 1000,10000,100000

clean:
	rm -rf $(VENV) .uvtool out .pytest_cache .mypy_cache .ruff_cache
