# pg/lib.sh - a throwaway PostgreSQL for the central log's tests (SPEC 9):
# initdb and pg_ctl in a temporary directory, as an unprivileged user
# (nobody when the tests run as root, as CI does: PostgreSQL refuses to run
# as root), listening only on a unix socket in that directory, stopped by
# its PID. Passwords (scram-sha-256) reach libpq through PGPASSFILE only.
# Sourced after tests/lib.sh.
#
#   pg_start DIR            initdb (once) and start; sets PGHOST, PGPORT, PG_PID
#   pg_stop                 fast shutdown of PG_PID (SIGINT), waited for (30 s at most)
#   pg_central              the officialmail database, its owner and the schema
#   pg_psql ROLE SQL...     run SQL as ROLE; output unaligned, tuples only
#   pg_conninfo ROLE        the conninfo of ROLE on the database officialmail

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
export PGPORT=54329
PG_USER=$(id -un)
[ "$(id -u)" -eq 0 ] && PG_USER=nobody

# pg_as CMD... - CMD as the server's user.
pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" --clear-groups -- "$@"
    else
        "$@"
    fi
}

# pg_start DIR - a cluster in DIR (made once), started; 0 when it answers.
pg_start() {
    PG_DIR=$1
    export PGHOST="$PG_DIR/sock"
    if [ ! -d "$PG_DIR/data" ]; then
        mkdir -p "$PG_DIR/sock" || return 1
        # The superuser's password, then every role's, in the one pass file.
        printf 'pgsuper-secret\n' >"$PG_DIR/pw" && chmod 600 "$PG_DIR/pw"
        [ "$(id -u)" -eq 0 ] && chown -R "$PG_USER" "$PG_DIR"
        chmod 755 "$PG_DIR"
        pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U pgsuper --pwfile="$PG_DIR/pw" \
            -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
            cat "$PG_DIR/initdb.log" >&2
            return 1
        }
        export PGPASSFILE="$PG_DIR/pgpass"
        printf '*:*:*:pgsuper:pgsuper-secret\n' >"$PGPASSFILE"
        chmod 600 "$PGPASSFILE"
    fi
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $PG_DIR/sock -p $PGPORT -c fsync=off" start \
        >/dev/null || {
        tail -20 "$PG_DIR/server.log" >&2
        return 1
    }
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
}

# pg_stop - SIGINT (a fast shutdown) to the server we started; wait for it.
pg_stop() {
    [ -n "${PG_PID:-}" ] || return 0
    kill -INT "$PG_PID" 2>/dev/null
    i=0
    while kill -0 "$PG_PID" 2>/dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -0 "$PG_PID" 2>/dev/null && kill -KILL "$PG_PID"
    PG_PID=
}

# pg_role ROLE PASSWORD - ROLE's password in the pass file.
pg_pass() {
    printf '*:*:*:%s:%s\n' "$1" "$2" >>"$PGPASSFILE"
}

# pg_conninfo ROLE - ROLE's conninfo on the officialmail database.
pg_conninfo() {
    printf 'host=%s port=%s dbname=officialmail user=%s' "$PGHOST" "$PGPORT" "$1"
}

# pg_psql ROLE SQL... - each SQL as ROLE on officialmail; stop at the first error.
pg_psql() {
    role=$1
    shift
    db=officialmail
    [ "$role" = pgsuper ] && db=postgres
    for sql in "$@"; do
        psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -U "$role" -c "$sql" || return 1
    done
}

# pg_central - the database officialmail owned by om_owner (CREATEROLE, not
# a superuser) with the schema, applied by `central-schema --create`.
pg_central() {
    pg_psql pgsuper "CREATE ROLE om_owner LOGIN CREATEROLE PASSWORD 'owner-secret'" \
        "CREATE DATABASE officialmail OWNER om_owner" >/dev/null || return 1
    pg_pass om_owner owner-secret
    "$OM" central-schema --create --database "$(pg_conninfo om_owner)" >/dev/null
}

# pg_gateway NAME - the login role of gateway NAME with a password in the pass file.
pg_gateway() {
    "$OM" central-schema --create --database "$(pg_conninfo om_owner)" --add-gateway "$1" \
        >/dev/null || return 1
    pg_psql om_owner "ALTER ROLE \"$1\" PASSWORD '$1-secret'" || return 1
    pg_pass "$1" "$1-secret"
}
