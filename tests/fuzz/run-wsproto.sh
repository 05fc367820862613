#!/bin/sh
# Run the wsproto fuzz target over its seed corpus (and every crash kept
# there) as a regression test; the binary prints TAP.
exec "${top_builddir:-.}/tests/fuzz/fuzz-wsproto" "${top_srcdir:-.}/tests/fuzz/corpus/wsproto"
