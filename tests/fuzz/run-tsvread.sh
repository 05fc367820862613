#!/bin/sh
# The tsvread fuzz target over its seed corpus, as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-tsvread" "${top_srcdir:-.}/tests/fuzz/corpus/tsvread"
