"""`gongdan triage similar` (issue 22's evaluation): on labelled tickets of `gongdan bench-data`,
the desk's BM25 search and its sentence vectors' index (trained first, as `gongdan triage train`
would, when there is no vector model) are asked for the same held-out tickets, each with the
ticket's subject, its first message and its topic in other words, and each row says how often
the first solved ticket found is about the same topic, and how fast; `--method all` adds exact
search over the same vectors and the index's recall against it."""

from conftest import BIN, check_cli_stderr, run_cli


def test_bm25_and_vectors_on_the_same_held_out_tickets(tmp_path):
    data = tmp_path / "data"
    p = run_cli([BIN, "bench-data", "--data", str(data), "--tickets", "3000",
                 "--customers", "300", "--agents", "20", "--messages-per-ticket", "2"], timeout=300)
    assert p.returncode == 0, p.stderr
    p = run_cli([BIN, "triage", "similar", "--data", str(data), "--queries", "60"], timeout=300)
    assert p.returncode == 0, p.stderr
    check_cli_stderr(p)
    lines = p.stdout.strip().split("\n")
    assert lines[0].split("\t") == ["method", "query", "queries", "answered", "top1_topic",
                                    "top5_topic", "top1_department", "p50_ms", "p99_ms"]
    rows = {(r[0], r[1]): r for r in (line.split("\t") for line in lines[1:])}
    assert set(rows) == {(m, q) for m in ("bm25", "vectors")
                         for q in ("subject", "body", "paraphrase")}, rows
    for (method, query), r in rows.items():
        queries, answered = int(r[2]), int(r[3])
        top1, top5, dept, p50, p99 = map(float, r[4:])
        assert queries == 60 and 0 < answered <= queries, r
        assert 0 <= top1 <= top5 <= 1 and 0 <= dept <= 1 and 0 <= p50 <= p99, r
        # Asked with the subject, either method finds tickets of the same topic: the generated
        # subjects are one phrase per topic and language.
        if query == "subject":
            assert top1 >= 0.8, r
    assert "sentence vectors: trained" in p.stderr
    assert "clusters, loaded in" in p.stderr
    # Trained now: asked again, nothing is trained; exact search beside the index, and the
    # index's recall against it (a few thousand tickets are one cluster: only the rounding
    # to bytes differs).
    p = run_cli([BIN, "triage", "similar", "--data", str(data), "--queries", "30",
                 "--method", "all", "--query", "body"], timeout=300)
    assert p.returncode == 0, p.stderr
    assert "sentence vectors: trained" not in p.stderr
    assert [line.split("\t")[:2] for line in p.stdout.strip().split("\n")[1:]] == [
        ["bm25", "body"], ["vectors", "body"], ["exact", "body"]], p.stdout
    recall = [line for line in p.stderr.split("\n") if line.startswith("index against exact")]
    assert len(recall) == 1, p.stderr
    assert float(recall[0].split("recall@10 ")[1].split(",")[0]) >= 0.8, recall
    # One method alone; a method that does not exist is refused.
    p = run_cli([BIN, "triage", "similar", "--data", str(data), "--queries", "5",
                 "--method", "bm25", "--query", "body"])
    assert p.returncode == 0 and [line.split("\t")[:2] for line in
                                  p.stdout.strip().split("\n")[1:]] == [["bm25", "body"]], p
    p = run_cli([BIN, "triage", "similar", "--data", str(data), "--method", "lsa"])
    assert p.returncode != 0 and "lsa" in p.stderr, p
