# pg/gen.sh - gen_records GATEWAY FIRST COUNT: COUNT make_log lines for
# GATEWAY, numbered from FIRST, a minute apart from 2026-03-02, two
# departments in turn, and every tenth subject with a tab, a backslash and
# a newline (what COPY's text format must escape). Sourced.
gen_records() {
    awk -v gw="$1" -v first="$2" -v n="$3" 'BEGIN {
        for (i = first; i < first + n; i++) {
            m = i % 1440; d = 2 + int(i / 1440) % 27
            dept = (i % 2) ? "Information Technology" : "Health & Family Welfare \"HFW\""
            subj = (i % 10) ? "Report " i : "Tab\\there, back\\\\slash\\nline " i
            printf "time=2026-03-%02dT%02d:%02d:00Z|queue_id=Q%d|message_id=<m%d@it.jk.gov.in>", d, int(m / 60), m % 60, i, i
            printf "|rule=official-to-webmail|action=reject|intended_action=reject|mode=enforce"
            printf "|department=%s|envelope_sender=secy%d@it.jk.gov.in|header_from=secy%d@it.jk.gov.in", dept, i % 7, i % 7
            printf "|address=user%d@gmail.com|recipients=user%d@gmail.com|client_ip=10.1.0.1", i, i
            printf "|client_name=ws1.it.jk.gov.in|spf=pass|dkim=it.jk.gov.in=pass|subject=%s|gateway=%s\n", subj, gw
        }
    }'
}
