# alert/local.mk - the alert daemon's library (`officialmail alert`: state,
# windows (local, and every gateway of the central log), the mail and the JSON line over the digest's MIME and sending;
# included by the top Makefile.am; paths are from the top of the tree).
noinst_LIBRARIES += libalert.a
libalert_a_SOURCES = \
	alert/alert_state.c alert/alert_state.h \
	alert/alert_follow.c alert/alert_follow.h \
	alert/alert_window.c alert/alert_window.h \
	alert/alert_eval.c alert/alert_eval.h \
	alert/alert_central.c alert/alert_central.h \
	alert/alert_render.c alert/alert_render.h \
	alert/alert_send.c alert/alert_send.h \
	alert/alert_metrics.c alert/alert_metrics.h
libalert_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/digest \
	-I$(top_srcdir)/metrics
