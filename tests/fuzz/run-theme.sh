#!/bin/sh
# The theme parser fuzz target over its seed corpus (the shipped themes,
# hostile files and every crash kept there), as a regression test.
exec "${top_builddir:-.}/tests/fuzz/fuzz-theme" "${top_srcdir:-.}/tests/fuzz/corpus/theme"
