# store/local.mk - the violation log library (included by the top Makefile.am;
# paths are from the top of the tree).
# --- the violation log ------------------------------------------------------
noinst_LIBRARIES += libstore.a
libstore_a_SOURCES = \
	store/record.c store/record.h \
	store/chain.c store/chain.h \
	store/store.c store/store.h store/store_sqlite.c \
	store/writer.c store/writer.h \
	store/review.h store/review_db.h store/review_sqlite.c store/review_marks.c
libstore_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
STORE_LIBS = libstore.a $(POLICY_LIBS) $(SQLITE_LIBS)
# The central log (SPEC 9) on libpq, the second backend: linked into the
# command only, never into the milter, which holds no central credentials.
noinst_LIBRARIES += libstorepg.a
libstorepg_a_SOURCES = \
	store/store_pg.c store/store_pg.h \
	store/pg_schema.c store/pg_schema.h \
	store/review_pg.c store/review_pg.h \
	store/marks_pg.c store/marks_pg.h
libstorepg_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
libstorepg_a_CFLAGS = $(AM_CFLAGS) $(LIBPQ_CFLAGS)
STOREPG_LIBS = libstorepg.a $(LIBPQ_LIBS)
