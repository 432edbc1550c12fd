# Xiaoneng: `make run` starts the demo city, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv browser bench clean-data

venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

run: venv
	$(PY) scripts/run_demo.py

browser:
	@bash scripts/ensure_browser.sh

test: venv browser
	$(PY) -m pytest

bench: venv
	$(PY) -m bench

clean-data:
	rm -rf data/xiaoneng.duckdb* data/app.sqlite* data/demo data/inbox
