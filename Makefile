# cloudwright — the two commands a fresh machine needs:
#   make demo   set up, then design the example SaaS start-up (report, diagram, template in out/)
#   make test   set up, then run lint, type checks and the whole test suite
#   make check  the inner loop: lint, type checks and the fast tests (under a minute)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test-deps demo test check lint typecheck pytest pytest-fast bench bench-scale fuzz clean

$(STAMP): pyproject.toml
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq graphviz) >/dev/null; \
	  else echo "note: Graphviz 'dot' not found; SVG/PNG diagrams will be skipped (DOT and Mermaid are still written)"; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# What only the tests need: Chromium (browser tests) and PostgreSQL server binaries (store tests).
test-deps:
	@[ -x /usr/bin/chromium ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql) >/dev/null; \
	  else echo "note: Chromium or PostgreSQL missing; the web browser/PostgreSQL tests skip outside CI (apt-get install chromium postgresql)"; fi; }

demo: $(STAMP)
	$(BIN)/cloudwright design examples/saas-startup.yaml -o out/
	@echo
	@echo "Wrote: $$(ls out | tr '\n' ' ')"
	@echo "Deploy it on the embedded emulator with:  $(BIN)/cloudwright deploy out/template.yaml"

# ruff, and the layer contract of pyproject.toml ([tool.importlinter]: no upward import, no cycle)
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Tests marked with an xdist_group share per-process work (a pattern's design, the validators' run):
# --dist loadgroup keeps each group on one worker. Bytecode is cached even where the environment turns
# it off (PYTHONDONTWRITEBYTECODE): pytest then keeps its assertion-rewritten test modules between runs.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n 2 --dist loadgroup -q

pytest: $(STAMP)
	$(PYTEST)

test: test-deps lint typecheck pytest

# The inner loop: lint, types and the unit tests (no external validators, emulator deploys or browser),
# with a quarter of each property test's example budget (the "check" Hypothesis profile, tests/conftest.py).
pytest-fast: $(STAMP)
	$(PYTEST) -m "not slow" --hypothesis-profile=check

check: lint typecheck pytest-fast

# A long fuzz campaign (random, not the fixed CI examples): FUZZ_EXAMPLES inputs per target; any failing
# input is kept in tests/fuzz/failures/ and replayed by `make test` from then on.
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	CLOUDWRIGHT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CLOUDWRIGHT_FUZZ_RECORD=1 \
	  $(BIN)/pytest -n 2 -q -p no:cacheprovider --hypothesis-show-statistics tests/fuzz \
	  -W ignore::hypothesis.errors.HypothesisWarning

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pricing.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_design.py

# review/import/estimate next to cfn-lint and checkov on 100 … 20,000 resources (about an hour on 2 cores)
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py --markdown

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
