# tests/local.mk - the test programs and suites (make check needs Check) (included by the top Makefile.am;
# paths are from the top of the tree).
# --- tests -----------------------------------------------------------------
UNIT_TESTS = \
	tests/unit/test_strtab tests/unit/test_domain tests/unit/test_domain_set \
	tests/unit/test_cidr tests/unit/test_text tests/unit/test_address \
	tests/unit/test_config tests/unit/test_identity tests/unit/test_verdict \
	tests/unit/test_json tests/unit/test_message_file tests/unit/test_store \
	tests/unit/test_facts tests/unit/test_quote tests/unit/test_config_include \
	tests/unit/test_exc_index tests/unit/test_rank_index
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
if !HAVE_CHECK
# configure did not find Check: the unit tests stop at once saying so.
UNIT_CFLAGS += -include $(top_srcdir)/tests/unit/need_check.h
endif
UNIT_LIBS = $(POLICY_LIBS) $(CHECK_LIBS)

check_PROGRAMS += $(UNIT_TESTS) tests/milter/mtclient tests/milter/mtload tests/milter/logsink tests/fuzz/replay_address tests/fuzz/replay_config \
	tests/fuzz/replay_message tests/store/make_log
tests_unit_test_strtab_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_strtab_LDADD = $(UNIT_LIBS)
tests_unit_test_domain_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_domain_LDADD = $(UNIT_LIBS)
tests_unit_test_domain_set_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_domain_set_LDADD = $(UNIT_LIBS)
tests_unit_test_cidr_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cidr_LDADD = $(UNIT_LIBS)
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(UNIT_LIBS)
tests_unit_test_address_CFLAGS = $(UNIT_CFLAGS) -DGOLDEN_DIR='"$(top_srcdir)/tests/golden"'
tests_unit_test_address_LDADD = $(UNIT_LIBS)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS) -DTEST_DATA_DIR='"$(top_srcdir)/tests/data"' \
	-DTOP_SRCDIR='"$(top_srcdir)"'
tests_unit_test_config_LDADD = $(UNIT_LIBS)
tests_unit_test_identity_SOURCES = tests/unit/test_identity.c tests/unit/verdict_fixture.h \
	tests/unit/check_main.h
tests_unit_test_identity_CFLAGS = $(UNIT_CFLAGS) -DTOP_SRCDIR='"$(top_srcdir)"'
tests_unit_test_identity_LDADD = $(UNIT_LIBS)
tests_unit_test_verdict_SOURCES = tests/unit/test_verdict.c tests/unit/verdict_fixture.h \
	admin/message_file.c
tests_unit_test_verdict_CFLAGS = $(UNIT_CFLAGS) -DTOP_SRCDIR='"$(top_srcdir)"'
tests_unit_test_verdict_LDADD = $(UNIT_LIBS)
tests_unit_test_facts_SOURCES = tests/unit/test_facts.c tests/unit/verdict_fixture.h \
	tests/unit/check_main.h
tests_unit_test_facts_CFLAGS = $(UNIT_CFLAGS) -DTOP_SRCDIR='"$(top_srcdir)"'
tests_unit_test_facts_LDADD = $(UNIT_LIBS)
tests_unit_test_config_include_SOURCES = tests/unit/test_config_include.c tests/unit/check_main.h
tests_unit_test_config_include_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_include_LDADD = $(UNIT_LIBS)
tests_unit_test_exc_index_SOURCES = tests/unit/test_exc_index.c tests/unit/check_main.h
tests_unit_test_exc_index_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_exc_index_LDADD = $(UNIT_LIBS)
tests_unit_test_rank_index_SOURCES = tests/unit/test_rank_index.c tests/unit/check_main.h
tests_unit_test_rank_index_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rank_index_LDADD = $(UNIT_LIBS)
tests_unit_test_quote_SOURCES = tests/unit/test_quote.c tests/unit/check_main.h
tests_unit_test_quote_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_quote_LDADD = $(UNIT_LIBS)
tests_unit_test_json_SOURCES = tests/unit/test_json.c
tests_unit_test_json_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_json_LDADD = $(UNIT_LIBS)
tests_unit_test_message_file_SOURCES = tests/unit/test_message_file.c admin/message_file.c
tests_unit_test_message_file_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_message_file_LDADD = $(UNIT_LIBS)
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/check_main.h
tests_unit_test_store_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
tests_unit_test_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_store_LDADD = $(STORE_LIBS) $(CHECK_LIBS)
UNIT_TESTS += tests/unit/test_chain tests/unit/test_lib tests/unit/test_writer
tests_unit_test_writer_SOURCES = tests/unit/test_writer.c tests/unit/check_main.h
tests_unit_test_writer_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
tests_unit_test_writer_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_writer_LDADD = $(STORE_LIBS) $(CHECK_LIBS)
tests_unit_test_lib_SOURCES = tests/unit/test_lib.c tests/unit/check_main.h
tests_unit_test_lib_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_lib_LDADD = $(UNIT_LIBS)
tests_unit_test_chain_SOURCES = tests/unit/test_chain.c tests/unit/check_main.h
tests_unit_test_chain_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
tests_unit_test_chain_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_chain_LDADD = $(STORE_LIBS) $(CHECK_LIBS)

# The milter's bounded waits under a stepped wall clock.
UNIT_TESTS += tests/unit/test_waits
tests_unit_test_waits_SOURCES = tests/unit/test_waits.c tests/unit/check_main.h \
	milter/holder.c milter/log.c
tests_unit_test_waits_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/milter
tests_unit_test_waits_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_waits_LDADD = $(STORE_LIBS) $(CHECK_LIBS)

# A known violation log for the log, stats and verify-log tests, written
# through store_append() as the milter writes it.
tests_store_make_log_SOURCES = tests/store/make_log.c
tests_store_make_log_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
tests_store_make_log_LDADD = $(STORE_LIBS)

tests_milter_mtclient_SOURCES = tests/milter/mtclient.c tests/milter/mproto.c \
	tests/milter/mproto.h
tests_milter_logsink_SOURCES = tests/milter/logsink.c
tests_milter_mtload_SOURCES = tests/milter/mtload.c tests/milter/mproto.c tests/milter/mproto.h

# Fuzz targets: each is one LLVMFuzzerTestOneInput; make check links it
# with a replay driver that feeds it every file of its seed corpus.
tests_fuzz_replay_address_SOURCES = tests/fuzz/fuzz_address.c tests/fuzz/replay_main.c
tests_fuzz_replay_address_LDADD = $(POLICY_LIBS)
tests_fuzz_replay_config_SOURCES = tests/fuzz/fuzz_config.c tests/fuzz/replay_main.c
tests_fuzz_replay_config_LDADD = $(POLICY_LIBS)
tests_fuzz_replay_message_SOURCES = tests/fuzz/fuzz_message.c tests/fuzz/replay_main.c \
	admin/message_file.c
tests_fuzz_replay_message_LDADD = $(POLICY_LIBS)

if WITH_FUZZER
noinst_PROGRAMS = tests/fuzz/fuzz_address tests/fuzz/fuzz_config tests/fuzz/fuzz_message
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_address_SOURCES = tests/fuzz/fuzz_address.c
tests_fuzz_fuzz_address_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_address_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_address_LDADD = $(POLICY_LIBS)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_config_LDADD = $(POLICY_LIBS)
tests_fuzz_fuzz_message_SOURCES = tests/fuzz/fuzz_message.c admin/message_file.c
tests_fuzz_fuzz_message_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_message_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_message_LDADD = $(POLICY_LIBS)
endif

# Benchmarks print figures; they are not tests (make bench).
EXTRA_PROGRAMS = tests/bench/bench_policy tests/bench/bench_store tests/bench/trivial_milter
tests_bench_bench_policy_SOURCES = tests/bench/bench_policy.c admin/message_file.c
tests_bench_bench_policy_LDADD = $(POLICY_LIBS)
tests_bench_bench_store_SOURCES = tests/bench/bench_store.c
tests_bench_bench_store_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store
tests_bench_bench_store_LDADD = $(STORE_LIBS)
tests_bench_trivial_milter_SOURCES = tests/bench/trivial_milter.c
tests_bench_trivial_milter_LDADD = $(MILTER_LIBS)
bench: all tests/bench/bench_policy tests/bench/bench_store tests/bench/trivial_milter \
		tests/milter/mtload tests/milter/mtclient
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run.sh
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-lean.sh
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-replay.sh
.PHONY: bench

SHELL_TESTS = tests/fuzz/replay.sh tests/samples.sh tests/cli.sh tests/cli_log.sh tests/milter/milter.sh \
	tests/milter/reload.sh tests/milter/instance.sh tests/milter/syslog.sh tests/milter/crash.sh \
	tests/milter/failure.sh tests/milter/commit.sh tests/milter/concurrent.sh tests/milter/limits.sh tests/milter/atomic.sh \
	tests/postfix/postfix.sh tests/postfix/limits.sh tests/store/log.sh tests/store/verify.sh tests/store/oldlog.sh tests/names.sh tests/milter/gateway.sh
TESTS = $(UNIT_TESTS) $(SHELL_TESTS)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(top_srcdir)'; top_builddir='$(top_builddir)'; \
	export top_srcdir top_builddir;

EXTRA_DIST = $(SHELL_TESTS) tests/postfix/instance.sh tests/postfix/smtp_many.py tests/data/milter tests/bench/gen-policy.sh tests/bench/run-policy.sh tests/bench/run.sh tests/data tests/golden tests/fuzz/corpus \
	tests/lib.sh README.md .clang-format contrib/demo-messages contrib/demo.sh \
	contrib/install-deps.sh contrib/officialmail-milter.service.in contrib/officialmail.conf.example.in \
	doc/officialmail.1.in doc/officialmail.conf.5.in doc/officialmail-milter.8.in tests/unit/check_main.h tests/unit/verdict_fixture.h \
	tests/unit/need_check.h

# --- SPF and DKIM tests: a real DNS server (NSD) in a network namespace ------
UNIT_TESTS += tests/unit/test_auth_need tests/unit/test_auth
tests_unit_test_auth_need_SOURCES = tests/unit/test_auth_need.c tests/unit/check_main.h \
	tests/unit/verdict_fixture.h
tests_unit_test_auth_need_CFLAGS = $(UNIT_CFLAGS) -DTOP_SRCDIR='"$(top_srcdir)"'
tests_unit_test_auth_need_LDADD = $(UNIT_LIBS)
tests_unit_test_auth_SOURCES = tests/unit/test_auth.c tests/unit/check_main.h
tests_unit_test_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auth
tests_unit_test_auth_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_auth_LDADD = $(AUTH_LDADD) $(UNIT_LIBS) $(AUTH_SYSLIBS)
# The test signer: libopendkim's dkim_sign over a message file.
check_PROGRAMS += tests/auth/dkim_sign tests/fuzz/replay_auth
tests_auth_dkim_sign_SOURCES = tests/auth/dkim_sign.c
tests_auth_dkim_sign_CFLAGS = $(AM_CFLAGS) $(OPENDKIM_CFLAGS)
tests_auth_dkim_sign_LDADD = $(OPENDKIM_LIBS)
tests_fuzz_replay_auth_SOURCES = tests/fuzz/fuzz_auth.c tests/fuzz/replay_main.c
tests_fuzz_replay_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auth
tests_fuzz_replay_auth_LDADD = $(AUTH_LDADD) $(POLICY_LIBS) $(AUTH_SYSLIBS)
if WITH_FUZZER
noinst_PROGRAMS += tests/fuzz/fuzz_auth
tests_fuzz_fuzz_auth_SOURCES = tests/fuzz/fuzz_auth.c
tests_fuzz_fuzz_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auth
tests_fuzz_fuzz_auth_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_auth_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_auth_LDADD = $(AUTH_LDADD) $(POLICY_LIBS) $(AUTH_SYSLIBS)
endif
SHELL_TESTS += tests/auth/spf.sh tests/auth/dkim.sh tests/auth/dnsfail.sh tests/auth/cli.sh \
	tests/auth/postfix.sh
# sendmail 8.17 end to end: Debian's sendmail-bin and sendmail-cf unpacked
# (not installed) by fetch.sh, which contrib/install-deps.sh --test may run
# ahead to fill its cache; the milter definition is contrib/sendmail.mc's.
SHELL_TESTS += tests/sendmail/sendmail.sh
# The central log (SPEC 9) against a PostgreSQL the tests start themselves.
SHELL_TESTS += tests/pg/ship.sh tests/pg/roles.sh tests/pg/console.sh tests/pg/alert.sh
EXTRA_DIST += tests/pg/lib.sh tests/pg/gen.sh tests/bench/run-ship.sh
# Records a second shipped to PostgreSQL from a 50,000-record backlog.
bench-ship: all tests/store/make_log
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-ship.sh
.PHONY: bench-ship
EXTRA_DIST += tests/sendmail/instance.sh tests/sendmail/fetch.sh
EXTRA_DIST += tests/auth/lib.sh tests/bench/run-auth.sh
# Cost per message of SPF and DKIM with a warm cache (needs root: NSD in a namespace).
EXTRA_PROGRAMS += tests/bench/bench_auth
tests_bench_bench_auth_SOURCES = tests/bench/bench_auth.c admin/message_file.c
tests_bench_bench_auth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/auth -I$(top_srcdir)/admin
tests_bench_bench_auth_LDADD = $(AUTH_LDADD) $(POLICY_LIBS) $(AUTH_SYSLIBS)
bench-auth: all tests/bench/bench_auth tests/auth/dkim_sign
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-auth.sh
.PHONY: bench-auth


# --- weekly digests (officialmail digest) ---------------------------------------
UNIT_TESTS += tests/unit/test_digest
tests_unit_test_digest_SOURCES = tests/unit/test_digest.c tests/unit/check_main.h
tests_unit_test_digest_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/digest
tests_unit_test_digest_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_digest_LDADD = libdigest.a $(UNIT_LIBS)
# digest.sh: counts, trends, injection, sendmail without a shell; postfix.sh:
# delivery through a real Postfix; render.sh: the HTML part in headless Chromium,
# its sample .eml, .html and .png kept in tests/digest/artifacts/.
SHELL_TESTS += tests/digest/digest.sh tests/digest/postfix.sh tests/digest/render.sh
EXTRA_DIST += tests/digest/lib.sh tests/digest/mimecheck.py tests/digest/pngcheck.py \
	tests/digest/events.txt tests/digest/digest.conf \
	contrib/officialmail-digest.service.in contrib/officialmail-digest.timer.in \
	contrib/officialmail-digest.cron.in
CLEANFILES += tests/digest/artifacts/department.eml tests/digest/artifacts/department.html \
	tests/digest/artifacts/department.png tests/digest/artifacts/compliance.eml \
	tests/digest/artifacts/compliance.html tests/digest/artifacts/compliance.png \
	tests/digest/artifacts/injection.eml tests/digest/artifacts/injection.html \
	tests/digest/artifacts/injection.png

# --- alerts and metrics ------------------------------------------------------------
# alert.sh: the alert daemon on a log written by make_log; metrics.sh: the
# milter's /metrics (promtool) and /healthz through real traffic; test_prom:
# the exposition's escaping and histograms.
SHELL_TESTS += tests/alert/alert.sh tests/milter/metrics.sh
EXTRA_DIST += tests/alert/alert.conf tests/alert/capture.sh
UNIT_TESTS += tests/unit/test_prom
tests_unit_test_prom_SOURCES = tests/unit/test_prom.c tests/unit/check_main.h
tests_unit_test_prom_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/metrics
tests_unit_test_prom_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_prom_LDADD = $(METRICS_LIBS) $(UNIT_LIBS)

# --- the pattern sets, officialmail replay, the second round's benchmarks ----------
UNIT_TESTS += tests/unit/test_pattern_set
tests_unit_test_pattern_set_SOURCES = tests/unit/test_pattern_set.c tests/unit/check_main.h
tests_unit_test_pattern_set_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pattern_set_LDADD = $(UNIT_LIBS)
# replay.sh: mailboxes written by Python's mailbox module (make_mailboxes.py).
SHELL_TESTS += tests/replay/replay.sh
EXTRA_DIST += tests/replay/make_mailboxes.py tests/bench/run-lean.sh tests/bench/run-replay.sh
# The mailbox reader of officialmail replay, fuzzed (its corpus: tests/fuzz/corpus/mailbox).
check_PROGRAMS += tests/fuzz/replay_mailbox
tests_fuzz_replay_mailbox_SOURCES = tests/fuzz/fuzz_mailbox.c tests/fuzz/replay_main.c \
	admin/mailsource.c admin/replay_msg.c admin/message_file.c
tests_fuzz_replay_mailbox_LDADD = $(POLICY_LIBS)
if WITH_FUZZER
noinst_PROGRAMS += tests/fuzz/fuzz_mailbox
tests_fuzz_fuzz_mailbox_SOURCES = tests/fuzz/fuzz_mailbox.c admin/mailsource.c admin/replay_msg.c \
	admin/message_file.c
tests_fuzz_fuzz_mailbox_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_mailbox_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_mailbox_LDADD = $(POLICY_LIBS)
endif
# officialmail-milter against the lean milter on checked loads, with callgrind (SPEC 8).
bench-lean: all tests/bench/trivial_milter tests/milter/mtload tests/milter/mtclient
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-lean.sh
# officialmail replay's rate on one core (SPEC 8, 12).
bench-replay: all
	top_srcdir='$(top_srcdir)' top_builddir='$(top_builddir)' sh $(top_srcdir)/tests/bench/run-replay.sh
.PHONY: bench-lean bench-replay

# --- the review console (officialmail serve) ------------------------------------
UNIT_TESTS += tests/unit/test_tmpl tests/unit/test_session
tests_unit_test_tmpl_SOURCES = tests/unit/test_tmpl.c tests/unit/check_main.h \
	console/tmpl.c digest/buf.c
tests_unit_test_tmpl_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/console -I$(top_srcdir)/store \
	-I$(top_srcdir)/digest
tests_unit_test_tmpl_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tmpl_LDADD = $(UNIT_LIBS)
tests_unit_test_session_SOURCES = tests/unit/test_session.c tests/unit/check_main.h \
	console/session.c console/auth.c
tests_unit_test_session_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/console -I$(top_srcdir)/store
tests_unit_test_session_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_session_LDADD = $(UNIT_LIBS) $(LIBCRYPT_LIBS)
# console.sh: passwd, serve, release, the marks' chain; its browser.py drives the
# pages in headless Chromium through Selenium.
SHELL_TESTS += tests/console/console.sh
EXTRA_DIST += tests/console/browser.py tests/console/events.txt
