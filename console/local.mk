# console/local.mk - the review console, `officialmail serve` (included by the top
# Makefile.am; paths are from the top of the tree): libmicrohttpd, GnuTLS, crypt(3).
noinst_LIBRARIES += libconsole.a
libconsole_a_SOURCES = \
	console/console.h console/serve.c console/serve.h \
	console/http.c console/http.h console/req.c \
	console/session.c console/session.h \
	console/auth.c console/auth.h \
	console/tmpl.c console/tmpl.h \
	console/layout.c console/filter.c \
	console/page_login.c console/page_overview.c console/page_records.c \
	console/page_record.c console/page_held.c console/page_department.c \
	console/page_verify.c console/page_digest.c console/page_export.c
libconsole_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/console -I$(top_srcdir)/store \
	-I$(top_srcdir)/digest
libconsole_a_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(GNUTLS_CFLAGS) $(LIBCRYPT_CFLAGS)
CONSOLE_SYSLIBS = $(MHD_LIBS) $(GNUTLS_LIBS) $(LIBCRYPT_LIBS)

