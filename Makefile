.PHONY: run test lint format bench fuzz messages
run:
	@scripts/run.sh
test:
	@scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
fuzz:
	@scripts/fuzz.sh
bench:
	@for b in bench/bench_*.py; do .venv/bin/python $$b; done
messages:
	@scripts/messages.sh
