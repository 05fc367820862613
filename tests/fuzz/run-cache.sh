#!/bin/sh
# The cache entry fuzz target over its seed corpus, as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-cache" "${top_srcdir:-.}/tests/fuzz/corpus/cache"
