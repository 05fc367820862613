#!/bin/sh
# Run the text fuzz target over its seed corpus (and every crash kept there)
# as a regression test; the binary prints TAP.
exec "${top_builddir:-.}/tests/fuzz/fuzz-text" "${top_srcdir:-.}/tests/fuzz/corpus/text"
