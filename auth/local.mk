# auth/local.mk - the SPF and DKIM library (included by the top Makefile.am;
# paths are from the top of the tree).
# --- SPF and DKIM: the only code that includes libspf2 and libopendkim -------
noinst_LIBRARIES += libauth.a
libauth_a_SOURCES = \
	auth/dns.c auth/dns.h \
	auth/spf.c auth/spf.h \
	auth/dkim.c auth/dkim.h \
	auth/verify.c auth/verify.h
libauth_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auth
libauth_a_CFLAGS = $(AM_CFLAGS) $(OPENDKIM_CFLAGS)
# libauth.a before the libraries it calls into (the policy's parsing among them).
AUTH_LDADD = libauth.a
AUTH_SYSLIBS = $(SPF_LIBS) $(OPENDKIM_LIBS)
