# SPDX-License-Identifier: ISC
# make demo: on a fresh machine, install what is missing, build, and run
# the real pipeline against a throwaway SECENV_HOME (demo/run-demo).
# make bench-secenv (part of make bench): what `secenv run` adds to a command.

demo: deps all
	bash demo/run-demo

bench:: bench-secenv

bench-secenv: all
	bash demo/bench-secenv

.PHONY: demo bench-secenv
