#!/bin/sh
# The render fuzz target over its seed corpus, as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-render" "${top_srcdir:-.}/tests/fuzz/corpus/render"
