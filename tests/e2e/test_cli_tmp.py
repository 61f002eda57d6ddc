import psycopg
def test_conns(sos):
    for i in range(40):
        sos.ok("history P-1 --json", user="eva")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test") as c:
        print(sos.backend, c.execute("select count(*) from pg_stat_activity where datname='test'").fetchone())
