# The two commands of the README: `make demo` and `make test`.
# Both run scripts/setup first, which installs what is missing and nothing else.
.PHONY: setup demo test test-neo4j-newest test-fast lint lint-code docs images bench

BIN := .venv/bin

setup:
	@scripts/setup

demo: setup
	$(BIN)/journeygraph validate examples/b2b-saas.yaml
	$(BIN)/journeygraph audit examples/b2b-saas.yaml --fail-on never
	$(BIN)/journeygraph matrix examples/b2b-saas.yaml
	$(BIN)/journeygraph report examples/b2b-saas.yaml --log examples/b2b-saas-events.csv -o out/b2b-saas --pdf --pptx
	$(BIN)/journeygraph render examples/b2b-saas.yaml --view canvas --log examples/b2b-saas-events.csv --paper a3 -o out/b2b-saas-canvas.pdf --force
	$(BIN)/journeygraph actions examples/b2b-saas.yaml --log examples/b2b-saas-events.csv -o out/b2b-saas-actions.xlsx --force
	$(BIN)/journeygraph audit examples/b2b-saas.yaml --format json --output out/b2b-saas-audit.json --fail-on never --force
	$(BIN)/journeygraph discover examples/b2b-saas-events.csv --map examples/b2b-saas.yaml --fail-on never
	$(BIN)/journeygraph report examples/b2b-saas.yaml --log examples/b2b-saas-events.csv -o out/b2b-saas-observed

# Two workers (pytest-xdist); the Neo4j server's tests share one worker, so one
# server starts (tests/conftest.py groups them). That pass runs them on Neo4j 5.26
# LTS; a second runs them again on the newest Neo4j release (test-neo4j-newest),
# beside the first rather than after it: on its own it kept one core of two idle
# for five minutes. Its output follows the first's; either failing fails the target.
# The 25 slowest tests are listed, to see where the time goes.
test: setup
	@newest=$$(mktemp); \
	$(NEO4J_NEWEST) >"$$newest" 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; rm -f "$$newest"; exit 130' INT TERM; \
	echo "$(BIN)/pytest -n 2 --dist loadgroup --durations=25 (beside it: $(NEO4J_NEWEST))"; \
	$(BIN)/pytest -n 2 --dist loadgroup --durations=25; main=$$?; \
	wait $$pid; other=$$?; \
	echo "$(NEO4J_NEWEST)"; cat "$$newest"; rm -f "$$newest"; \
	[ $$main -eq 0 ] && [ $$other -eq 0 ]

# The Neo4j server's tests (marked neo4j) on the newest Neo4j Community release,
# which scripts/setup builds with a Java 21+ JDK (tests/neo4j_server.py).
NEO4J_NEWEST := NEO4J_TEST_SERVER=newest $(BIN)/pytest -m neo4j -q
test-neo4j-newest: setup
	$(NEO4J_NEWEST)

# A quick loop while working: stops at the first failure, no browser, nothing
# installed from PyPI (the pre-commit hooks' test: `make test` runs it), a short fuzz.
test-fast: setup
	JOURNEYGRAPH_FUZZ_EXAMPLES=10 $(BIN)/pytest -x -q -m "not browser and not pypi"

lint: lint-code
	$(BIN)/python scripts/lint-cypher

# `make lint` but Neo4j's analyser, which `make test` runs too, on the same
# queries (tests/store/test_cypher_lint.py): .ci/run runs it once.
lint-code: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Regenerates the generated pages (rule tables, docs/format.md, docs/scenario.md,
# the schemas), then checks them, every link, and runs every command example of
# the README and docs/ (the Neo4j, browser and Spark ones when those can be had).
docs: setup
	$(BIN)/python scripts/update-docs
	$(BIN)/pytest -q tests/test_docs.py tests/test_docs_examples.py

images: setup
	for view in flow handoffs blueprint matrix; do \
	  $(BIN)/journeygraph render examples/b2b-saas.yaml --view $$view -o docs/images/b2b-saas-$$view.svg --force; \
	done
	$(BIN)/journeygraph render examples/mortgage.yaml --view canvas -o docs/images/mortgage-canvas.svg --force
	# The body's summary page (pdftoppm) and an action plan slide (LibreOffice, then pdftoppm).
	$(BIN)/python scripts/readme-images

bench: setup
	$(BIN)/python benchmarks/bench_audit.py
