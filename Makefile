# One entry point for the whole tutorial. Quickstart: `make run`, then `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
MIN_PYTHON := 3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# `setup` re-runs only when one of these changes.
SETUP_INPUTS := requirements/lock.txt pyproject.toml $(wildcard package/pyproject.toml package/VERSION)

# Stages add themselves to `make run` as they land: each has a `run-<stage>` target
# below, used once the stage's entry point exists.
RUN_STAGES := \
	$(if $(wildcard notebooks/*.ipynb),run-notebooks) \
	$(if $(wildcard procedural/train.py),run-procedural) \
	$(if $(wildcard oop/train.py),run-oop) \
	$(if $(wildcard package/pyproject.toml),run-package) \
	$(if $(wildcard api/scripts/score.py),run-api)

.PHONY: help setup data run test lint format clean notebook lock serve parity FORCE $(RUN_STAGES)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv and install the locked requirements

# setuptools ends every editable install of a project without a src/ folder with an
# "Editable installation" banner, a warning that only informs (a folder named like a
# package may shadow it). Both projects here keep that layout on purpose (the root one
# maps `app` to api/app, which only that kind of editable install can do), so the
# banner is filtered out of these two installs, by its message and nothing else.
EDITABLE := PYTHONWARNINGS="ignore:Editable installation.:UserWarning" \
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e

$(VENV)/.installed: $(SETUP_INPUTS) $(VENV)/.python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	@if [ -f package/pyproject.toml ]; then $(EDITABLE) package; fi
	@# the stages themselves (procedural, oop, data, notebooks, app), editable: their
	@# scripts run as `python procedural/train.py` or `python -m procedural.train`
	$(EDITABLE) .
	touch $@

# $(VENV)/.python records the version of the Python that made the venv. Checked on
# every `make setup`, before anything is installed: PYTHON must be $(MIN_PYTHON) or newer
# (else one line says which one was found and how to name another), and a venv made by
# another Python (a failed run with an older one, say) is removed and made again. The
# file is rewritten only when the venv is, so an unchanged venv is not reinstalled (a
# venv from before the record gets one dated as the venv itself).
$(VENV)/.python: FORCE
	@found=$$(command -v $(PYTHON) || true); \
	if [ -z "$$found" ]; then \
		echo "make setup: no '$(PYTHON)' found on PATH; this repository needs Python >= $(MIN_PYTHON): name one with \`make setup PYTHON=python$(MIN_PYTHON)\`" >&2; \
		exit 1; fi; \
	version=$$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null || true); \
	IFS=. read -r major minor _ <<< "$$version.."; \
	want_major=$(word 1,$(subst ., ,$(MIN_PYTHON))); want_minor=$(word 2,$(subst ., ,$(MIN_PYTHON))); \
	[[ "$$major" =~ ^[0-9]+$$ && "$$minor" =~ ^[0-9]+$$ ]] || { version=""; major=0; minor=0; }; \
	if [ "$$major" -lt "$$want_major" ] \
		|| { [ "$$major" -eq "$$want_major" ] && [ "$$minor" -lt "$$want_minor" ]; }; then \
		echo "make setup: $$found is Python $${version:-of unknown version}; this repository needs Python >= $(MIN_PYTHON): name another with \`make setup PYTHON=python$(MIN_PYTHON)\`" >&2; \
		exit 1; fi; \
	made_by=$$(cat $@ 2>/dev/null || $(PY) -c 'import platform; print(platform.python_version())' 2>/dev/null || true); \
	if [ "$$made_by" != "$$version" ] || [ ! -x $(PY) ]; then \
		if [ -e $(VENV) ]; then \
			echo "make setup: $(VENV) was made by Python $${made_by:-of unknown version} (or is broken), not by $$found (Python $$version): making it again"; \
			rm -rf $(VENV); fi; \
		echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); \
		echo "$$version" > $@; \
	elif [ ! -f $@ ]; then \
		echo "$$version" > $@; touch -r $(VENV)/pyvenv.cfg $@; fi

data: ## get the Kaggle files into data/ and verify their SHA-256
	$(PYTHON) data/fetch.py

run: setup data $(RUN_STAGES) ## train and score every stage, then summarise
	@echo
	$(PY) scripts/summary.py

run-notebooks: setup data ## stage 1: execute the research notebooks in order
	$(PY) notebooks/run_notebooks.py

run-procedural: setup data ## stage 2: train and score with plain functions
	$(PY) -m procedural.train
	$(PY) -m procedural.score

run-oop: setup data ## stage 3: train and score the scikit-learn transformers
	$(PY) -m oop.train
	$(PY) -m oop.score

# The package trains into its own trained_models/ (so that a wheel built afterwards
# carries the model) and, installed anywhere, takes its folders from the command line.
run-package: setup data ## stage 4: train into the package, price test.csv with its CLI
	$(PY) -m regression_model.train_pipeline --data-dir data
	$(PY) -m regression_model.predict --input data/test.csv --output package/outputs/predictions.csv

run-api: setup data run-package ## stage 5: price test.csv through the API
	$(PY) api/scripts/score.py

test: setup data lint ## lint, then one pytest over tests/ and every stage's tests
	$(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval-sanitize.cfg --durations=15

# Batch scoring on Dask (package/docs/batch.md):
# makes $(BATCH_ROWS) houses from test.csv once, prices them on a LocalCluster.
BATCH_ROWS ?= 2000000
BATCH_INPUT := batch/houses-$(BATCH_ROWS).parquet

.PHONY: batch
batch: setup data ## price BATCH_ROWS (2M) houses made from test.csv on a local Dask cluster
	$(PY) -m regression_model.train_pipeline --data-dir data --trained-dir batch/model
	$(PY) package/scripts/benchmark_batch.py generate --rows $(BATCH_ROWS) --output $(BATCH_INPUT)
	$(PY) -m regression_model.batch --input $(BATCH_INPUT) --output batch/priced --trained-dir batch/model || [ $$? -eq 1 ]

.PHONY: differential
differential: setup data ## how far two models' prices move on test.csv (package/outputs/differential/): LIVE=DIR CANDIDATE=DIR
	$(PY) package/scripts/differential.py --live $(LIVE) --candidate $(CANDIDATE) --output package/outputs/differential \
		$(if $(LOG),--log $(LOG)) $(if $(MAX_SHARE),--max-share $(MAX_SHARE)) $(if $(TOLERANCE),--tolerance $(TOLERANCE))

parity: setup data ## train every stage, print how far apart their predictions are, plot them
	$(PY) -m tests.parity.report

lint: setup lint-ci ## ruff (lint and format, check only), mypy, CI and Kubernetes files, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(PY) -m scripts.check_kubernetes deploy/kubernetes
	PYTHONPATH=.:api $(BIN)/lint-imports --no-cache

format: setup ## let ruff fix what it can and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: setup ## start the API and its form on http://127.0.0.1:$PORT (default 8001)
	$(BIN)/python -m app.server --host 127.0.0.1 --port $${PORT:-8001}

notebook: setup data ## open Jupyter Lab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lock: ## re-make requirements/lock.txt from requirements/requirements.in
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements/requirements.in
	{ echo "# Exact versions for every stage and every machine: made by \`make lock\` from"; \
	  echo "# requirements/requirements.in on Python 3.11 (Linux). \`make setup\` installs this file."; \
	  .lock-venv/bin/pip freeze --all --exclude-editable | grep -v "^pip=="; } > requirements/lock.txt
	rm -rf .lock-venv

# --- Release and deploy: publish, wheelhouse, image, push, deploy ----------------
# The same targets run locally, in tests/release/ (inside `make test`) and in the
# release workflows (.github/workflows/release.yml, .circleci/config.yml).
# deploy/README.md tells the story step by step. The scripts, one per job, are in
# scripts/release/ (run here as modules: no install needed); the podman base image's
# builder is in deploy/base-image/.
PACKAGE_DIR ?= package
DIST_DIR ?= package/dist
WHEELHOUSE ?= api/wheelhouse
IMAGE ?= localhost/house-prices-api:latest

.PHONY: publish wheelhouse image image-test image-push deploy lint-ci

publish: setup ## build the package, twine check, upload to $TWINE_REPOSITORY_URL
	$(PY) -m scripts.release.publish --package-dir $(PACKAGE_DIR) --dist-dir $(DIST_DIR)

wheelhouse: setup ## the image's wheels: regression-model from $MODEL_INDEX_URL, rest locked
	$(PY) -m scripts.release.wheelhouse --out $(WHEELHOUSE)

image: setup ## build api/Dockerfile (podman, else docker) from the wheelhouse, as $IMAGE
	$(PY) -m scripts.release.image_build --wheelhouse $(WHEELHOUSE) --tag $(IMAGE)

image-test: setup data ## run $IMAGE: healthy, prices = make_prediction, non-root, size
	$(PY) -m scripts.release.image_check --tag $(IMAGE)

image-push: setup ## push $IMAGE as $IMAGE_REPO:<version> and :latest
	$(PY) -m scripts.release.deploy push --tag $(IMAGE) --to $(IMAGE_REPO)

deploy: setup ## release $IMAGE on Heroku ($HEROKU_APP, $HEROKU_API_KEY)
	$(PY) -m scripts.release.deploy heroku --tag $(IMAGE)

# A formation (beyond the course; scripts/formation/): REPLICAS containers of $(IMAGE),
# each on its own port of 127.0.0.1, behind HAProxy on 127.0.0.1:$(PORT), in the
# foreground (Ctrl-C stops them all). `make rollout` replaces its replicas one at a
# time with $(IMAGE), with no failed request.
REPLICAS ?= 2
FORMATION_PORT = $(or $(PORT),8080)

.PHONY: formation rollout

formation: setup ## beyond the course: REPLICAS (2) of $IMAGE behind HAProxy on PORT (8080)
	$(PY) -m scripts.formation run --replicas $(REPLICAS) --port $(FORMATION_PORT) --image $(IMAGE)

rollout: setup ## beyond the course: replace the formation's replicas on PORT with $IMAGE
	$(PY) -m scripts.formation rollout --port $(FORMATION_PORT) --image $(IMAGE)

lint-ci: setup ## check the CI files against their schemas (GitHub Actions, CircleCI)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.circle-ci .circleci/config.yml

clean: ## remove .venv, caches and every stage's outputs (keeps data/)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache */outputs tests/*/outputs
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
