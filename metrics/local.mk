# metrics/local.mk - lock-free counters and the /metrics and /healthz server
# (libmicrohttpd), shared by the milter, `officialmail alert` and `ship`
# (included by the top Makefile.am; paths are from the top of the tree).
noinst_LIBRARIES += libmetrics.a
libmetrics_a_SOURCES = metrics/prom.c metrics/prom.h metrics/http.c metrics/http.h
libmetrics_a_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
METRICS_LIBS = libmetrics.a $(MHD_LIBS) -lm
