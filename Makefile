# rocu-compare: two commands on a fresh machine (Python 3 and make only).
#   make report   every figure and notebook on the bundled data
#   make test     the test suite (including the notebooks)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= reports
DATA   ?=

.DEFAULT_GOAL := help
.PHONY: help setup report test bench data docs validate lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv from the pinned requirements (done automatically)

report: $(STAMP) ## Validate the bundled data, write every figure and executed notebook to $(OUT)/
	$(PY) -m rocu_compare.cli report --out $(OUT) $(if $(DATA),--data $(DATA),)

test: $(STAMP) ## Run the tests, including the notebooks
	MPLBACKEND=Agg $(PY) -m pytest -q -p no:cacheprovider

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
	  .lockvenv/bin/pip freeze --exclude-editable | grep -v '^rocu' ) > requirements.lock
	rm -rf .lockvenv

clean: ## Remove generated outputs (reports/); keeps .venv
	rm -rf $(OUT) .pytest_cache .benchmarks
