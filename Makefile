# One task runner; CI calls `make test`. Each target creates the virtual
# environment it needs (.venv) from pyproject.toml on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# xlwings' remote engine (the ribbon's server) needs a key; `noncommercial` is free for
# educational institutions under xlwings PRO's PolyForm Noncommercial licence.
export XLWINGS_LICENSE_KEY ?= noncommercial

.PHONY: demo test bench bench-server bench-server-memory lint docs templates clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/shengyuan demo

# the Office.js add-in's tests need Node and office-addin-mock (addin/officejs/package-lock.json)
ADDIN_NODE := addin/officejs/node_modules/.package-lock.json
$(ADDIN_NODE): addin/officejs/package-lock.json
	npm ci --prefix addin/officejs --no-audit --no-fund

# the WPS add-in's tests need typescript and et-jsapi-declare (addin/wps/package-lock.json)
WPS_NODE := addin/wps/node_modules/.package-lock.json
$(WPS_NODE): addin/wps/package-lock.json
	npm ci --prefix addin/wps --no-audit --no-fund

# on every core, the slowest tests first taken up by an idle worker (worksteal); one test
# file alone: .venv/bin/python -m pytest tests/test_x.py (serial)
test: $(STAMP) $(ADDIN_NODE) $(WPS_NODE)
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# every benchmark runs and prints its figures; the target fails at the end if any missed one
bench: $(STAMP)
	@status=0; \
	$(BIN)/python tests/bench/bench_validate.py || status=1; \
	$(BIN)/python tests/bench/bench_merge.py || status=1; \
	$(BIN)/python tests/bench/bench_office.py || status=1; \
	exit $$status

bench-server: $(STAMP)
	$(BIN)/python tests/bench/bench_server.py

# the server's memory for the heaviest requests it allows (the README's figures)
bench-server-memory: $(STAMP)
	$(BIN)/python tests/bench/bench_server_memory.py

lint: $(STAMP)
	$(BIN)/ruff format --check shengyuan_xl tests
	$(BIN)/ruff check shengyuan_xl tests
	$(BIN)/mypy shengyuan_xl

docs: $(STAMP)
	$(BIN)/shengyuan codes > docs/findings.md

# remake the Word templates after a change of templates/fonts.toml (or of the builder)
templates: $(STAMP)
	$(BIN)/python -m shengyuan_xl.documents.template_builder

clean:
	rm -rf $(VENV) shengyuan-demo bench-out
