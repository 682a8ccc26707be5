# lib/local.mk - small shared helpers with one home each (included by the
# top Makefile.am; paths are from the top of the tree): the UTF-8 decoder,
# the string builder, the string arena, the time formatter and parser, the
# JSON and CSV writers.
noinst_LIBRARIES += libom.a
libom_a_SOURCES = \
	lib/utf8.c lib/utf8.h \
	lib/strbuf.c lib/strbuf.h \
	lib/arena.c lib/arena.h \
	lib/timefmt.c lib/timefmt.h \
	lib/json.c lib/json.h \
	lib/csv.c lib/csv.h
