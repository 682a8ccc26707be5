/*
 * need_check - forced into every unit test (-include) when configure did
 * not find the Check library: make check stops here with what to do,
 * rather than with a missing check.h. The programs build and install
 * without Check; only the tests need it.
 */
#error                                                                                             \
    "make check needs the Check unit test library: on Debian install the package check (or run sh contrib/install-deps.sh --test), then run ./configure again"
