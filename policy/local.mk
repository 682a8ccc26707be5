# policy/local.mk - the decision library (included by the top Makefile.am;
# paths are from the top of the tree).
# --- the decision library -------------------------------------------------
noinst_LIBRARIES = libpolicy.a
libpolicy_a_SOURCES = \
	policy/strtab.c policy/strtab.h \
	policy/domain.c policy/domain.h \
	policy/domain_set.c policy/domain_set.h \
	policy/cidr.c policy/cidr.h \
	policy/text.c policy/text.h \
	policy/quote.c policy/quote.h \
	policy/address.c policy/address.h \
	policy/policy.c policy/policy.h \
	policy/config.c policy/config_load.h \
	policy/config_util.c policy/config_util.h \
	policy/config_include.c policy/config_include.h \
	policy/config_lists.c policy/config_depts.c policy/config_alert.c \
	policy/identity.c policy/identity.h \
	policy/message.c policy/message.h \
	policy/rules.c policy/rules.h \
	policy/verdict.c policy/verdict.h \
	policy/exc_index.c policy/exc_index.h \
	policy/rank_index.c policy/rank_index.h \
	policy/facts.c policy/facts.h \
	policy/pattern_set.c policy/pattern_set.h \
	policy/auth_need.c policy/auth_need.h \
	policy/config_console.c

dist_pkgdata_DATA = policy/lists/webmail-domains.txt
