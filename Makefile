.PHONY: run test lint format bench
run:
	@scripts/run.sh
test:
	@scripts/test.sh
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
bench:
	@for b in bench/bench_*.py; do .venv/bin/python $$b; done
