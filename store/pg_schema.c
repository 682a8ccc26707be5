/*
 * pg_schema - the central log's SQL (SPEC 9 "Details").
 *
 * Run by the database's owner, a role with CREATEROLE but not a
 * superuser. The owner bypasses row-level security on its own tables
 * (it is not FORCEd), which is what `expire --central` needs; every other
 * role reaches the rows only through the policies below, and no role but
 * the owner is granted UPDATE or DELETE, so that either is refused with
 * "permission denied" rather than matching no row.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "pg_schema.h"

const char pg_schema_sql[] =
    "BEGIN;\n"
    "SET LOCAL client_min_messages = warning;\n"
    "-- The group roles: created once for the cluster, NOLOGIN.\n"
    "DO $$\n"
    "BEGIN\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'officialmail_ship') THEN\n"
    "        CREATE ROLE officialmail_ship NOLOGIN;\n"
    "    END IF;\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'officialmail_compliance') THEN\n"
    "        CREATE ROLE officialmail_compliance NOLOGIN;\n"
    "    END IF;\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'officialmail_department') THEN\n"
    "        CREATE ROLE officialmail_department NOLOGIN;\n"
    "    END IF;\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'officialmail_console') THEN\n"
    "        CREATE ROLE officialmail_console NOLOGIN;\n"
    "    END IF;\n"
    "END $$;\n"
    "\n"
    "-- The local columns (SPEC 6), gateway among them; each gateway's ids\n"
    "-- and hash chain are its own.\n"
    "CREATE TABLE IF NOT EXISTS violations (\n"
    "    id bigint NOT NULL, time text NOT NULL, queue_id text NOT NULL,\n"
    "    message_id text NOT NULL, rule text NOT NULL, reasons text NOT NULL,\n"
    "    action text NOT NULL, intended_action text NOT NULL, mode text NOT NULL,\n"
    "    exception_ticket text NOT NULL, department text NOT NULL,\n"
    "    envelope_sender text NOT NULL, header_from text NOT NULL, address text NOT NULL,\n"
    "    recipients text NOT NULL, client_ip text NOT NULL, client_name text NOT NULL,\n"
    "    auth_user text NOT NULL, spf text NOT NULL, dkim text NOT NULL,\n"
    "    subject text NOT NULL, gateway text NOT NULL, prev_hash text NOT NULL,\n"
    "    hash text NOT NULL,\n"
    "    PRIMARY KEY (gateway, id));\n"
    "CREATE INDEX IF NOT EXISTS violations_time ON violations (time);\n"
    "CREATE INDEX IF NOT EXISTS violations_department ON violations (department, time);\n"
    "\n"
    "-- What `expire --central` removed: where each gateway's chain now starts.\n"
    "CREATE TABLE IF NOT EXISTS central_checkpoints (\n"
    "    gateway text NOT NULL, through_id bigint NOT NULL, removed bigint NOT NULL,\n"
    "    last_hash text NOT NULL, time text NOT NULL,\n"
    "    PRIMARY KEY (gateway, through_id));\n"
    "\n"
    "-- Review marks (SPEC 11). Each console (the login role it connects as)\n"
    "-- appends to a hash chain of its own, ids from 1, as each gateway ships\n"
    "-- its own: consoles never wait on one another, and RLS proves who wrote\n"
    "-- a mark. A mark names its record by (record_gateway, record_id).\n"
    "CREATE TABLE IF NOT EXISTS review_marks (\n"
    "    console text NOT NULL DEFAULT session_user, id bigint NOT NULL,\n"
    "    time text NOT NULL, record_gateway text NOT NULL, record_id bigint NOT NULL,\n"
    "    mark text NOT NULL, \"user\" text NOT NULL, comment text NOT NULL,\n"
    "    prev_hash text NOT NULL, hash text NOT NULL,\n"
    "    PRIMARY KEY (console, id));\n"
    "-- An earlier schema named the writer's column gateway (no role could write then).\n"
    "DO $$\n"
    "BEGIN\n"
    "    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'review_marks'\n"
    "               AND column_name = 'gateway' AND table_schema = current_schema()) THEN\n"
    "        ALTER TABLE review_marks RENAME COLUMN gateway TO console;\n"
    "        ALTER TABLE review_marks ALTER COLUMN console SET DEFAULT session_user;\n"
    "    END IF;\n"
    "END $$;\n"
    "CREATE INDEX IF NOT EXISTS review_marks_record ON review_marks (record_gateway, record_id);\n"
    "\n"
    "-- Which departments a department reader's login role sees.\n"
    "CREATE TABLE IF NOT EXISTS department_readers (\n"
    "    role_name text NOT NULL, department text NOT NULL,\n"
    "    PRIMARY KEY (role_name, department));\n"
    "\n"
    "REVOKE ALL ON violations, central_checkpoints, review_marks, department_readers FROM PUBLIC;\n"
    "ALTER TABLE violations ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE central_checkpoints ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE review_marks ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE department_readers ENABLE ROW LEVEL SECURITY;\n"
    "\n"
    "-- A gateway inserts and reads back only its own rows.\n"
    "GRANT SELECT, INSERT ON violations TO officialmail_ship;\n"
    "GRANT SELECT ON central_checkpoints TO officialmail_ship;\n"
    "DROP POLICY IF EXISTS ship_insert ON violations;\n"
    "CREATE POLICY ship_insert ON violations FOR INSERT TO officialmail_ship\n"
    "    WITH CHECK (gateway = current_user);\n"
    "DROP POLICY IF EXISTS ship_read ON violations;\n"
    "CREATE POLICY ship_read ON violations FOR SELECT TO officialmail_ship\n"
    "    USING (gateway = current_user);\n"
    "DROP POLICY IF EXISTS ship_read ON central_checkpoints;\n"
    "CREATE POLICY ship_read ON central_checkpoints FOR SELECT TO officialmail_ship\n"
    "    USING (gateway = current_user);\n"
    "\n"
    "-- The compliance reader sees everything.\n"
    "GRANT SELECT ON violations, central_checkpoints, review_marks, department_readers\n"
    "    TO officialmail_compliance;\n"
    "DROP POLICY IF EXISTS compliance_read ON violations;\n"
    "CREATE POLICY compliance_read ON violations FOR SELECT TO officialmail_compliance\n"
    "    USING (true);\n"
    "DROP POLICY IF EXISTS compliance_read ON central_checkpoints;\n"
    "CREATE POLICY compliance_read ON central_checkpoints FOR SELECT\n"
    "    TO officialmail_compliance USING (true);\n"
    "DROP POLICY IF EXISTS compliance_read ON review_marks;\n"
    "CREATE POLICY compliance_read ON review_marks FOR SELECT TO officialmail_compliance\n"
    "    USING (true);\n"
    "DROP POLICY IF EXISTS compliance_read ON department_readers;\n"
    "CREATE POLICY compliance_read ON department_readers FOR SELECT\n"
    "    TO officialmail_compliance USING (true);\n"
    "\n"
    "-- A department reader sees its own mapping, and through it its departments' rows.\n"
    "GRANT SELECT ON violations, review_marks, department_readers TO officialmail_department;\n"
    "DROP POLICY IF EXISTS department_own ON department_readers;\n"
    "CREATE POLICY department_own ON department_readers FOR SELECT\n"
    "    TO officialmail_department USING (role_name = current_user);\n"
    "DROP POLICY IF EXISTS department_read ON violations;\n"
    "CREATE POLICY department_read ON violations FOR SELECT TO officialmail_department\n"
    "    USING (department IN (SELECT d.department FROM department_readers d\n"
    "                          WHERE d.role_name = current_user));\n"
    "DROP POLICY IF EXISTS department_read ON review_marks;\n"
    "CREATE POLICY department_read ON review_marks FOR SELECT TO officialmail_department\n"
    "    USING (EXISTS (SELECT 1 FROM violations v\n"
    "                   WHERE v.gateway = record_gateway AND v.id = record_id));\n"
    "\n"
    "-- A console appends marks to its own chain only (console = session_user:\n"
    "-- SET ROLE cannot borrow another's), on a record its role can see (the\n"
    "-- subquery is bound by violations' policies), and reads its own chain's\n"
    "-- head back. No UPDATE or DELETE is granted: a mark is never edited.\n"
    "GRANT SELECT, INSERT ON review_marks TO officialmail_console;\n"
    "DROP POLICY IF EXISTS console_insert ON review_marks;\n"
    "CREATE POLICY console_insert ON review_marks FOR INSERT TO officialmail_console\n"
    "    WITH CHECK (console = session_user\n"
    "                AND mark IN ('reviewed', 'false-positive', 'escalated')\n"
    "                AND EXISTS (SELECT 1 FROM violations v\n"
    "                            WHERE v.gateway = record_gateway AND v.id = record_id));\n"
    "DROP POLICY IF EXISTS console_read ON review_marks;\n"
    "CREATE POLICY console_read ON review_marks FOR SELECT TO officialmail_console\n"
    "    USING (console = session_user);\n"
    "\n"
    "-- A gateway's role appends `released` marks (officialmail release --central) to\n"
    "-- its own records, on a chain of its own (console = its name).\n"
    "GRANT SELECT, INSERT ON review_marks TO officialmail_ship;\n"
    "DROP POLICY IF EXISTS ship_release ON review_marks;\n"
    "CREATE POLICY ship_release ON review_marks FOR INSERT TO officialmail_ship\n"
    "    WITH CHECK (console = session_user AND record_gateway = session_user\n"
    "                AND mark = 'released'\n"
    "                AND EXISTS (SELECT 1 FROM violations v\n"
    "                            WHERE v.gateway = record_gateway AND v.id = record_id));\n"
    "DROP POLICY IF EXISTS ship_read ON review_marks;\n"
    "CREATE POLICY ship_read ON review_marks FOR SELECT TO officialmail_ship\n"
    "    USING (console = session_user);\n"
    "\n"
    "-- Login roles, named by parameter (format %I quotes them); only the owner runs these.\n"
    "CREATE OR REPLACE FUNCTION officialmail_add_gateway(gw text) RETURNS void\n"
    "LANGUAGE plpgsql AS $f$\n"
    "BEGIN\n"
    "    IF gw !~ '^[A-Za-z0-9._-]{1,63}$' THEN\n"
    "        RAISE EXCEPTION 'not a gateway name (at most 63 letters, digits, . - _): %', gw;\n"
    "    END IF;\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = gw) THEN\n"
    "        EXECUTE format('CREATE ROLE %I LOGIN', gw);\n"
    "    END IF;\n"
    "    EXECUTE format('GRANT officialmail_ship TO %I', gw);\n"
    "END $f$;\n"
    "CREATE OR REPLACE FUNCTION officialmail_add_reader(reader text, departments text[])\n"
    "RETURNS void LANGUAGE plpgsql AS $f$\n"
    "BEGIN\n"
    "    IF length(reader) NOT BETWEEN 1 AND 63 THEN\n"
    "        RAISE EXCEPTION 'not a role name (1 to 63 bytes): %', reader;\n"
    "    END IF;\n"
    "    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader) THEN\n"
    "        EXECUTE format('CREATE ROLE %I LOGIN', reader);\n"
    "    END IF;\n"
    "    EXECUTE format('GRANT officialmail_department TO %I', reader);\n"
    "    INSERT INTO department_readers (role_name, department)\n"
    "        SELECT reader, d FROM unnest(departments) AS d ON CONFLICT DO NOTHING;\n"
    "END $f$;\n"
    "-- A console's role: a reader (compliance, or of DEPARTMENTS) that appends marks.\n"
    "CREATE OR REPLACE FUNCTION officialmail_add_console(console text, departments text[])\n"
    "RETURNS void LANGUAGE plpgsql AS $f$\n"
    "BEGIN\n"
    "    IF coalesce(cardinality(departments), 0) > 0 THEN\n"
    "        PERFORM officialmail_add_reader(console, departments);\n"
    "    ELSE\n"
    "        IF length(console) NOT BETWEEN 1 AND 63 THEN\n"
    "            RAISE EXCEPTION 'not a role name (1 to 63 bytes): %', console;\n"
    "        END IF;\n"
    "        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = console) THEN\n"
    "            EXECUTE format('CREATE ROLE %I LOGIN', console);\n"
    "        END IF;\n"
    "        EXECUTE format('GRANT officialmail_compliance TO %I', console);\n"
    "    END IF;\n"
    "    EXECUTE format('GRANT officialmail_console TO %I', console);\n"
    "END $f$;\n"
    "REVOKE ALL ON FUNCTION officialmail_add_console(text, text[]) FROM PUBLIC;\n"
    "REVOKE ALL ON FUNCTION officialmail_add_gateway(text) FROM PUBLIC;\n"
    "REVOKE ALL ON FUNCTION officialmail_add_reader(text, text[]) FROM PUBLIC;\n"
    "COMMIT;\n";

const char pg_schema_add_gateway_sql[] = "SELECT officialmail_add_gateway($1)";
const char pg_schema_add_reader_sql[] = "SELECT officialmail_add_reader($1, $2::text[])";
const char pg_schema_add_console_sql[] = "SELECT officialmail_add_console($1, $2::text[])";

/* pg_schema_literal - a standard-conforming string literal; E'' only for backslashes. */
char *pg_schema_literal(const char *s, char *buf, size_t len)
{
    size_t o = 0;
    int e = strchr(s, '\\') != NULL;

    if (len < 4)
        return NULL;
    if (e)
        buf[o++] = 'E';
    buf[o++] = '\'';
    for (; *s != '\0'; s++) {
        int twice = *s == '\'' || (e && *s == '\\');
        if (o + 2 + (size_t)twice >= len)
            return NULL;
        if (twice)
            buf[o++] = *s;
        buf[o++] = *s;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

/* pg_schema_array - {"a","b\"c"}: every element quoted, \ and " escaped. */
char *pg_schema_array(const char *const *v, size_t n, char *buf, size_t len)
{
    size_t o = 0;

    if (len < 3)
        return NULL;
    buf[o++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (o + 2 >= len)
            return NULL;
        if (i > 0)
            buf[o++] = ',';
        buf[o++] = '"';
        for (const char *s = v[i]; *s != '\0'; s++) {
            if (o + 3 >= len)
                return NULL;
            if (*s == '"' || *s == '\\')
                buf[o++] = '\\';
            buf[o++] = *s;
        }
        buf[o++] = '"';
    }
    if (o + 2 > len)
        return NULL;
    buf[o++] = '}';
    buf[o] = '\0';
    return buf;
}
