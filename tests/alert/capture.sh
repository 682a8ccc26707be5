#!/bin/sh
# capture.sh DIR [ARG...] - a stand-in for sendmail and for alert_command:
# standard input into DIR/N.out, the arguments (one a line) into DIR/N.args,
# N counting from 1. Exit status 0.
dir=$1
shift
n=$(($(find "$dir" -name '*.out' | wc -l) + 1))
printf '%s\n' "$@" >"$dir/$n.args"
cat >"$dir/$n.out"
