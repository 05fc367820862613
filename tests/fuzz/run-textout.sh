#!/bin/sh
# The textout fuzz target over its seed corpus (and every crash kept
# there), as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-textout" "${top_srcdir:-.}/tests/fuzz/corpus/textout"
