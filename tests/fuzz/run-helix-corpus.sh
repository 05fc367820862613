#!/bin/sh
# The Helix decoder fuzz target over tests/fuzz/corpus/helix: what ten
# minutes of libFuzzer kept (merged down to the inputs that add coverage),
# and every crash found from now on, as a regression test. The reply
# fixtures have their own run (run-helix.sh).
exec "${top_builddir:-.}/tests/fuzz/fuzz-helix" "${top_srcdir:-.}/tests/fuzz/corpus/helix"
