#!/bin/sh
# The Helix decoder fuzz target over the reply fixtures, as a regression
# test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-helix" "${top_srcdir:-.}/tests/data/helix"
