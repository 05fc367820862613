#!/bin/sh
# Run the oauth fuzz target over its seed corpus (and every crash kept
# there) as a regression test; the binary prints TAP.
exec "${top_builddir:-.}/tests/fuzz/fuzz-oauth" "${top_srcdir:-.}/tests/fuzz/corpus/oauth"
