# rocu-compare: two commands on a fresh machine (Python 3 and make only).
#   make report   every figure and notebook on the bundled data
#   make test     the test suite (including the notebooks)
#   make lab      JupyterLab on notebooks/ (the .py notebooks open as notebooks)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= reports
DATA   ?=
PANDAS_MIN ?= 2.2.3
MIN_VENV   := .venv-min
LAB_ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help setup report test test-fast test-min lab lint bench data docs validate lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv from the pinned requirements (done automatically)

report: $(STAMP) ## Validate the bundled data, write every figure and executed notebook to $(OUT)/
	$(PY) -m rocu_compare.cli report --out $(OUT) $(if $(DATA),--data $(DATA),)

test: $(STAMP) ## Run the tests, including the notebooks, the report build and the wheel install
	MPLBACKEND=Agg $(PY) -m pytest -q -p no:cacheprovider

test-fast: $(STAMP) ## The tests without notebooks, report builds, the wheel install or the slow property tests (about 1.5 min)
	MPLBACKEND=Agg $(PY) -m pytest -q -p no:cacheprovider -m "not notebooks and not report and not wheel and not slow"

test-min: $(STAMP) ## The fast tests on the lowest supported pandas ($(PANDAS_MIN)) in $(MIN_VENV)
	test -x $(MIN_VENV)/bin/python || $(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet -r requirements.lock
	$(MIN_VENV)/bin/python -m pip install --quiet "pandas==$(PANDAS_MIN)"
	$(MIN_VENV)/bin/python -m pip install --quiet --no-deps -e .
	$(MIN_VENV)/bin/python -c "import pandas; assert pandas.__version__ == '$(PANDAS_MIN)', pandas.__version__"
	MPLBACKEND=Agg $(MIN_VENV)/bin/python -m pytest -q -p no:cacheprovider -m "not notebooks and not report and not wheel and not slow"

lab: $(STAMP) ## Open JupyterLab on notebooks/ (LAB_ARGS="--no-browser" etc. are passed on)
	$(PY) -m jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	  --LabApp.app_settings_dir="$(CURDIR)/jupyter-config/lab/settings" $(LAB_ARGS)

lint: $(STAMP) ## ruff check (lint); the format check runs in pre-commit
	$(PY) -m ruff check .

bench: $(STAMP) ## Run the benchmarks (pytest-benchmark)
	$(PY) -m pytest benchmarks -q -p no:cacheprovider --benchmark-only

data: $(STAMP) ## Rebuild data/ from ../shared/reference (RAW=path to override)
	$(PY) -m rocu_compare.cli build-data $(if $(REF),--reference $(REF),)

docs: $(STAMP) ## Regenerate the README data dictionary and showcase figures (after make report)
	$(PY) -c "from rocu_compare.docs import update_readme; update_readme('README.md', '$(OUT)')"

validate: $(STAMP) ## Validate a folder or workbook: make validate DATA=path
	$(PY) -m rocu_compare.cli validate $(if $(DATA),$(DATA),data)

lock: ## Regenerate requirements.lock from pyproject.toml in a scratch venv
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --upgrade pip
	.lockvenv/bin/pip install --quiet -e '.[dev]'
	( echo '# Pinned environment for rocu-compare, generated from pyproject.toml (runtime + dev extras).'; \
	  echo '# Regenerate with `make lock`. environment.yml mirrors these pins (tests/test_project.py checks it).'; \
	  echo '# setuptools is pinned so that the wheel builds offline (pip wheel --no-build-isolation).'; \
	  .lockvenv/bin/pip freeze --all --exclude-editable | grep -v '^rocu' | grep -v '^pip==' ) > requirements.lock
	rm -rf .lockvenv
	$(PYTHON) -c "import re; lock = [l.strip() for l in open('requirements.lock') if l.strip() and not l.startswith('#')]; \
	  head = open('environment.yml').read().split('      - ')[0]; \
	  open('environment.yml', 'w').write(head + ''.join('      - ' + p + '\n' for p in lock) + '      - -e .\n')"

clean: ## Remove generated outputs (reports/, build/, dist/); keeps .venv
	rm -rf $(OUT) .pytest_cache .benchmarks build dist
