# bkklib: two set-up commands (README): `make run` and `make test`.
.PHONY: run test venv lint test-sqlite test-postgres test-browser bench clean

venv:
	@bash scripts/venv.sh

run: venv
	@bash scripts/run.sh

test: venv
	@bash scripts/test.sh

lint: venv
	.venv/bin/ruff check .
	.venv/bin/lint-imports

bench: venv
	@for f in bench/*.py; do echo "== $$f"; .venv/bin/python $$f || exit 1; done

clean:
	rm -rf .venv var
