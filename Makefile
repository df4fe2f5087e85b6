# Backprop Studio: `make run` starts the program, `make test` runs the checks.
# Both first run scripts/setup.sh, which installs what is missing (Debian packages, .venv, deps).

VENV   := .venv
PY     := $(VENV)/bin/python
ARGS ?=
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test lint clean

help:
	@echo "make run    set up, then start Backprop Studio (ARGS=... passes arguments to main.py)"
	@echo "make test   set up, then ruff check and pytest (PYTEST_ARGS=... passes arguments)"
	@echo "make setup  install what is missing: Debian packages for Qt, .venv, Python dependencies"
	@echo "make clean  remove .venv and caches"

setup:
	@bash scripts/setup.sh

run: setup
	$(PY) main.py $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .

# ruff check, then pytest even if ruff failed (so that one run shows both), then fail if either did.
# pytest exits 5 when it collects no test: that is a failure too, like every non-zero status.
test: setup
	@$(VENV)/bin/ruff check .; lint=$$?; \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	if [ $$lint -ne 0 ]; then echo "make test: ruff check failed (see above)" >&2; \
		if [ $$status -eq 0 ]; then status=1; fi; fi; \
	exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
