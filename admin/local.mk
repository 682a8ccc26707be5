# admin/local.mk - the officialmail command (included by the top Makefile.am;
# paths are from the top of the tree).
# --- the officialmail command: one thin file per subcommand -------------------
bin_PROGRAMS = officialmail
officialmail_SOURCES = \
	admin/officialmail.c admin/cli.h \
	admin/cli_util.c admin/cli_names.c \
	admin/cmd_check_config.c \
	admin/cmd_test.c \
	admin/cmd_log.c admin/cmd_stats.c \
	admin/cmd_verify_log.c admin/cmd_expire.c \
	admin/cmd_digest.c admin/cmd_alert.c \
	admin/log_args.c admin/log_args.h \
	admin/table.c admin/table.h \
	admin/message_file.c admin/message_file.h \
	admin/verdict_print.c \
	admin/cmd_replay.c admin/replay_msg.c admin/replay_msg.h \
	admin/mailsource.c admin/mailsource.h \
	admin/record_fmt.c admin/record_fmt.h \
	admin/cmd_serve.c admin/cmd_passwd.c admin/cmd_release.c \
	admin/cmd_central_schema.c admin/cmd_ship.c \
	admin/ship_state.c admin/ship_state.h \
	admin/central_args.c admin/central_args.h
officialmail_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/auth \
	-I$(top_srcdir)/digest -I$(top_srcdir)/alert -I$(top_srcdir)/metrics -I$(top_srcdir)/console
officialmail_LDADD = libconsole.a libalert.a libdigest.a $(AUTH_LDADD) $(METRICS_LIBS) \
	$(STOREPG_LIBS) $(STORE_LIBS) $(AUTH_SYSLIBS) $(CONSOLE_SYSLIBS)
