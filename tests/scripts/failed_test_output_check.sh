#!/usr/bin/env bash
# scripts/failed-test-output on a real ctest run: a failed test's own output is printed again,
# a passing test's is not, and after a run where nothing failed nothing is printed.
# Usage: failed_test_output_check.sh SCRIPTS_DIR
set -euo pipefail
scripts=${1:?usage: failed_test_output_check.sh SCRIPTS_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(failed_test_output_check NONE)
enable_testing()
add_test(NAME demo.fails COMMAND sh -c "echo before-the-failure; echo 'demo.cpp:3: Failure'; exit 1")
add_test(NAME demo.passes COMMAND sh -c "echo passing-output")
CMAKE
cmake -S "$work" -B "$work/b" >/dev/null
if (cd "$work/b" && ctest >/dev/null 2>&1); then
  echo "the demo run should have failed" >&2
  exit 1
fi
out=$("$scripts/failed-test-output" "$work/b")
fail() { echo "failed-test-output: $1; it printed:" >&2; echo "$out" >&2; exit 1; }
grep -q '^==== output of the failed test demo.fails' <<<"$out" || fail "no header for demo.fails"
grep -q '^demo.cpp:3: Failure$' <<<"$out" || fail "the failure line is missing"
grep -q '^before-the-failure$' <<<"$out" || fail "the failed test's earlier output is missing"
grep -q 'passing-output' <<<"$out" && fail "a passing test's output was printed"
# A run where nothing failed: ctest leaves the old LastTestsFailed.log, which scripts/test does not
# call the script for (it runs only on failure); the script itself reads what it is given.
(cd "$work/b" && ctest -R demo.passes >/dev/null)
rm -f "$work/b/Testing/Temporary/LastTestsFailed.log"
out=$("$scripts/failed-test-output" "$work/b")
[ -z "$out" ] || fail "output with no failed test"
echo "failed-test-output: reprints a failed test's output, and only it"
