#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: rust_debug.rs, compiled by Debian's rustc, then run.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# not make's jobserver, whose descriptors a test does not inherit
env -u MAKEFLAGS -u MFLAGS /usr/bin/rustc -o "$dir/rust_debug" rust_debug.rs
"$dir/rust_debug"
