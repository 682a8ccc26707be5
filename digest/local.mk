# digest/local.mk - the digest library (included by the top Makefile.am;
# paths are from the top of the tree).
# --- the weekly digests (officialmail digest): period, data, text, html, mime, send
noinst_LIBRARIES += libdigest.a
libdigest_a_SOURCES = \
	digest/buf.c digest/buf.h \
	digest/period.c digest/period.h \
	digest/data.c digest/data.h \
	digest/render.h digest/fmt.c \
	digest/text.c digest/html.c \
	digest/mime.c digest/mime.h \
	digest/send.c digest/send.h \
	digest/mail.c digest/mail.h
libdigest_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/digest
