# newsevents: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# CPU build of torch. On this project's machines pip finds it locally; elsewhere use e.g.
#   make demo TORCH_SPEC="torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
# (or a CUDA build on a GPU machine: TORCH_SPEC="torch==2.13.0").
TORCH_SPEC ?= torch==2.13.0
OUTPUT ?= output

.PHONY: setup demo test test-fast lint docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

# Torch first and alone, so that no other requirement can pull a multi-gigabyte CUDA build.
$(VENV)/.installed: setup.py | $(BIN)/python
	$(BIN)/pip install --quiet $(TORCH_SPEC)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/newsevents demo --output $(OUTPUT)

# Two test processes (pytest-xdist), each taking whole modules so that a module's fixtures (a model
# pass over the held-out split, a broker) are built once: most long tests wait on subprocesses,
# brokers and timeouts, so two processes on two cores take the suite from about 15 to 9 minutes.
TEST_WORKERS ?= 2

# Lint and the documentation build first: they take seconds, the tests minutes.
test: setup lint docs
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile tests

# The tests without the `slow` marker (no whole pipeline, subprocess or corpus split): about a minute on two cores.
test-fast: setup
	$(BIN)/pytest -q -m "not slow" tests

lint: setup
	$(BIN)/ruff check .

# Strict: a broken link, anchor or page missing from the nav fails the build (site in build/site).
docs: setup
	$(BIN)/mkdocs build --strict

# Speed targets live here, not in the tests (minutes each; run on an otherwise idle machine).
bench: setup
	$(BIN)/python benchmarks/kafka_source.py
	$(BIN)/python benchmarks/inference.py
	$(BIN)/python benchmarks/firehose.py             # the gated pipeline on a 90%-off-topic feed of real-length articles
	$(BIN)/python benchmarks/firehose.py --lengths   # seconds per article against length
	$(BIN)/python benchmarks/latency.py
	$(BIN)/python benchmarks/latency.py --feed firehose --rate 30 --seconds 60 -- --quantize   # real-length articles
	$(BIN)/python benchmarks/catchup.py --records 1000   # a streaming catch-up: first rows, longest stretch without rows, throughput
	$(BIN)/python benchmarks/workers.py               # one worker against two threads and two processes, 3 partitions
	$(BIN)/python benchmarks/soak.py --minutes 10   # the reference soak is --minutes 30 (docs/benchmarks.md)
	$(BIN)/python benchmarks/language_detection.py   # compares lingua too when lingua-language-detector is installed
	$(BIN)/python benchmarks/consolidation.py

clean:
	rm -rf $(VENV) $(OUTPUT) build *.egg-info .pytest_cache
