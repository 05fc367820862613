#!/bin/sh
# The conf fuzz target over its seed corpus, as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-conf" "${top_srcdir:-.}/tests/fuzz/corpus/conf"
