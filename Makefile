# Two commands for a fresh machine with only Python >= 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPECTRAL_RULESET ?= ../shared/adr/ruleset.yaml
PORT ?= 8000
export PORT

.PHONY: run test browser test-sqlite test-postgresql test-image lint-openapi openapi migrate bench bench-selftest screenshots app-teksten clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Serving needs the package only; the test tooling ([dev]: Playwright, pandas, embedded PostgreSQL,
# schemathesis, ...) is installed by `make test` alone.
RUNTIME := $(VENV)/.runtime
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP) $(RUNTIME)

## run: install, migrate the embedded SQLite database, load demo data when empty, serve on :$(PORT) (default 8000)
run: $(RUNTIME)
	$(BIN)/sleutelmonitor migrate
	$(BIN)/sleutelmonitor demo-data --als-leeg
	SLEUTELMONITOR_LOG_FORMAAT=$${SLEUTELMONITOR_LOG_FORMAAT:-tekst} $(BIN)/sleutelmonitor serve --host 127.0.0.1 --port $(PORT)

migrate: $(RUNTIME)
	$(BIN)/sleutelmonitor migrate

## test: the whole suite on SQLite and on PostgreSQL, the image build and its smoke test (side by side: two cores,
## and the image build waits mostly on the network; each part's output is printed when it ends), then the ADR lint
## and the benchmark selftest
test: $(STAMP) browser
	$(MAKE) --no-print-directory --keep-going -j3 --output-sync=recurse test-sqlite test-postgresql test-image
	$(MAKE) --no-print-directory lint-openapi
	$(MAKE) --no-print-directory bench-selftest

## browser: Debian's Chromium for the browser tests, installed when missing and run as root (as .ci/run does);
## otherwise they are skipped with a message, and with CI=true they fail the run
browser:
	@if [ -z "$$SLEUTELMONITOR_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update && apt-get install -y --no-install-recommends chromium; \
		else \
			echo "browser: chromium not found and not root: the browser tests will be skipped (with CI=true they fail);" \
				"install it with: apt-get install -y --no-install-recommends chromium"; \
		fi; \
	fi

test-sqlite: $(STAMP)
	SLEUTELMONITOR_TEST_DB=sqlite $(BIN)/python -m pytest

test-postgresql: $(STAMP)
	SLEUTELMONITOR_TEST_DB=postgresql $(BIN)/python -m pytest

## test-image: build the image on a Debian base made with debootstrap (buildah, no registry needed) and start it
## against PostgreSQL (scripts/image_smoketest.py). Needs root or buildah and debootstrap; without them it says so
## and skips, and with CI=true it fails.
test-image: $(STAMP)
	@if [ "$$(id -u)" != 0 ] && ! command -v buildah >/dev/null 2>&1; then \
		echo "test-image: buildah not found and not root: image not built (apt-get install buildah debootstrap)"; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	else \
		scripts/bouw_image.sh localhost/sleutelmonitor:test \
		&& STORAGE_DRIVER=vfs $(BIN)/python scripts/image_smoketest.py localhost/sleutelmonitor:test; \
	fi

openapi: $(STAMP)
	$(BIN)/python scripts/export_openapi.py

lint-openapi:
	@if [ ! -f "$(SPECTRAL_RULESET)" ]; then \
		echo "lint-openapi: $(SPECTRAL_RULESET) not found, ADR lint skipped"; \
	elif ! command -v npx >/dev/null 2>&1; then \
		echo "lint-openapi: npx not found, ADR lint skipped"; \
	else \
		npx --yes @stoplight/spectral-cli@6 lint --fail-severity error -r "$(SPECTRAL_RULESET)" openapi/openapi.json; \
	fi

## bench: the full benchmark (about an hour on 2 cores, most of it the 1M-row imports; `$(BIN)/python scripts/bench.py --quick` for a short run)
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

## bench-selftest: the benchmark harness on a tiny data set; checks that every measurement produces numbers, no timing
bench-selftest: $(STAMP)
	$(BIN)/python scripts/bench.py --quick --selftest

## screenshots: the dashboard's main pages with demo data, saved by the browser tests under docs/screenshots/
screenshots: $(STAMP)
	SLEUTELMONITOR_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py tests/web/test_browser_coordinator.py tests/web/test_app.py tests/web/test_doelstellingen_browser.py tests/web/test_browser_sleutelpersoon.py tests/web/test_browser_rapportage.py

## app-teksten: the app's texts from its sources into the catalogue (locale/messages.pot) and the .po of every
## language; new texts then need a translation in en and ar (tests/sleutelapp/test_i18n.py checks it). The .po
## files are read at runtime (app/sleutelapp/i18n.py), so there is no compile step.
app-teksten: $(STAMP)
	$(BIN)/pybabel extract -F app/sleutelapp/babel.cfg -k N_ --no-wrap --sort-by-file --omit-header -o app/sleutelapp/locale/messages.pot .
	$(BIN)/pybabel update -i app/sleutelapp/locale/messages.pot -d app/sleutelapp/locale -D messages --no-wrap --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) data/*.db data/*.db-*
