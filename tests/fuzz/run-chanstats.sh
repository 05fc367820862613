#!/bin/sh
# The chanstats fuzz target over its seed corpus, as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-chanstats" "${top_srcdir:-.}/tests/fuzz/corpus/chanstats"
