# The two commands of the Quick start are `make serve` and `make test`: each sets up .venv
# on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: serve test browser redis screenshot lint typecheck docs check bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/wolkvox-mock serve $(ARGS)

test: $(STAMP) browser redis
	$(BIN)/python -m pytest -n 2 $(ARGS)

# The browser tests (tests/browser) and `make screenshot` drive Debian's Chromium through
# Playwright: it is installed on first use, as `make bench` installs wrk. Playwright's own
# browser download is never used (the tests launch /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The Redis store's tests (tests/mock_server/store) start Debian's redis-server on a free
# loopback port: it is installed on first use, as `make bench` installs wrk. Debian's package
# also starts a system Redis on 6379; the tests never use it.
redis:
	@command -v redis-server >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server)

# docs/img/inspector.png: the inspector page with some traffic on it (bench/screenshot.py).
screenshot: $(STAMP) browser
	$(BIN)/python -m bench.screenshot $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy cannot follow the editable install's import hook (mock_server/ is installed as
# wolkvox_mock, contracts/ as wolkvox_mock.contracts), so it reads the package through a tree of
# symlinks laid out under its import name.
TYPECHECK_TREE := build/typecheck
typecheck: $(STAMP)
	rm -rf $(TYPECHECK_TREE) && mkdir -p $(TYPECHECK_TREE)/wolkvox_mock
	ln -s $(CURDIR)/mock_server/* $(TYPECHECK_TREE)/wolkvox_mock/
	ln -s $(CURDIR)/contracts $(TYPECHECK_TREE)/wolkvox_mock/contracts
	MYPYPATH=$(TYPECHECK_TREE) $(BIN)/mypy

# The documentation site (docs/, mkdocs.yml); --strict turns a broken link into a failure.
docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir build/site

check: lint typecheck test

# The hardening suite with many more cases than `make test`: every fuzz budget times
# FUZZ_SCALE, on Hypothesis's "fuzz" profile; the figures print at the end of the run.
FUZZ_SCALE ?= 25
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz WOLKVOX_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest -n 2 --timeout 3600 tests/hardening $(ARGS)

# Benchmarks (bench/): wrk comes from Debian and is installed on first use; the report is
# printed and written to bench/RESULTS.md. ARGS="--quick" for a fast smoke run.
# PEERS_DIR: the folder of the peers rig (peers.sh: bare Starlette, WireMock and ours under wrk);
# by default the team's rig beside this checkout, when it is there; without one that part is
# skipped, with a message.
PEERS_DIR ?= $(wildcard $(abspath $(CURDIR)/..)/shared/bench-peers)
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y wrk)
	@$(MAKE) --no-print-directory redis
	PEERS_DIR="$(PEERS_DIR)" $(BIN)/python -m bench.run $(ARGS)
	$(BIN)/python -m bench.plugin_startup --append bench/RESULTS.md

clean:
	rm -rf $(VENV) build site *.egg-info .mypy_cache .ruff_cache .hypothesis
