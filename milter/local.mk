# milter/local.mk - the milter daemon (included by the top Makefile.am;
# paths are from the top of the tree).
# --- the milter -----------------------------------------------------------------
sbin_PROGRAMS = officialmail-milter
officialmail_milter_SOURCES = \
	milter/main.c \
	milter/options.c milter/options.h \
	milter/daemon.c milter/daemon.h \
	milter/instance.c milter/instance.h \
	milter/log.c milter/log.h \
	milter/holder.c milter/holder.h \
	milter/context.c milter/context.h \
	milter/callbacks.c milter/callbacks.h \
	milter/reply.c milter/reply.h \
	milter/record_out.c milter/record_out.h
officialmail_milter_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/milter -I$(top_srcdir)/store \
	-I$(top_srcdir)/auth
officialmail_milter_LDADD = $(AUTH_LDADD) $(STORE_LIBS) $(AUTH_SYSLIBS) $(MILTER_LIBS)

# The milter with the store's fault hook, for the tests only (store_sqlite.c's
# store_fault): it is never installed.
check_PROGRAMS = tests/milter/officialmail-milter-faults
tests_milter_officialmail_milter_faults_SOURCES = $(officialmail_milter_SOURCES) \
	store/record.c store/chain.c store/store.c store/store_sqlite.c store/writer.c
tests_milter_officialmail_milter_faults_CPPFLAGS = $(officialmail_milter_CPPFLAGS) -DOM_FAULT_HOOKS
tests_milter_officialmail_milter_faults_LDADD = $(AUTH_LDADD) $(POLICY_LIBS) $(SQLITE_LIBS) \
	$(AUTH_SYSLIBS) $(MILTER_LIBS)
