# SPDX-License-Identifier: ISC
# Sourced by the run benches: wall-clock timing of one command and the
# median of a column of numbers.

# elapsed microseconds of one command, its output discarded
time_us() {
	local start=$EPOCHREALTIME end
	"$@" >/dev/null 2>&1 || true
	end=$EPOCHREALTIME
	echo $((${end/./} - ${start/./}))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
