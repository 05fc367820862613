# STITCH_SONAME(VARIABLE, PKG-CONFIG-MODULE, LIBRARY, FALLBACK)
# ------------------------------------------------------------
# The soname of LIBRARY (say libcurl), read from the development library
# that pkg-config's MODULE points at, for a library stitch loads with
# dlopen() when it is first needed instead of linking it. Defines
# VARIABLE in config.h; FALLBACK when readelf cannot tell.
AC_DEFUN([STITCH_SONAME], [
AC_REQUIRE([PKG_PROG_PKG_CONFIG])
AC_CHECK_TOOL([READELF], [readelf], [readelf])
AC_MSG_CHECKING([for the $3 soname])
stitch_libdir=`$PKG_CONFIG --variable=libdir $2`
$1=`$READELF -d "$stitch_libdir/$3.so" 2>/dev/null |
	sed -n 's/.*(SONAME).*\@<:@\(.*\)\@:>@/\1/p'`
test -n "$$1" || $1=$4
AC_MSG_RESULT([$$1])
AC_DEFINE_UNQUOTED([$1], ["$$1"],
	[The shared library stitch loads with dlopen() for $3.])
])
