//! The CSV and JSON helpers: `to_csv`/`to_json`, `write_csv`/`read_csv`/`write_json`.

use crate::common;

#[test]
fn csv_and_json_helpers() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        r#"let rows = query("SELECT 2 AS z, 'x,y' AS a, NULL::int AS n, 1.5::float8 AS f");
        print(to_csv(rows));
        print(to_json(rows));
        print(write_csv("{d}/r.csv", rows));
        let back = read_csv("{d}/r.csv");
        print(back.columns);
        print(back[0].a);
        print(write_json("{d}/r.json", [#{{b: 1, a: "q"}}]));
        print(to_csv([#{{b: 1, a: ""}}, #{{b: (), a: "w"}}]));"#,
        d = dir.path().display()
    );
    let out = common::pgsh().args(["--eval", &script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout,
        "z,a,n,f\n2,\"x,y\",,1.5\n\n[\n  {\"z\": 2, \"a\": \"x,y\", \"n\": null, \"f\": 1.5}\n]\n1\n[\"z\", \"a\", \"n\", \"f\"]\nx,y\n1\na,b\n\"\",1\nw,\n\n",
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r.json")).unwrap(),
        "[\n  {\"a\": \"q\", \"b\": 1}\n]\n"
    );
}

#[test]
fn read_csv_keeps_null_and_empty_apart_and_rows_sort_and_decimals_mix_with_floats() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        r#"execute("CREATE TABLE zz (id int, note text, price numeric)");
        execute("INSERT INTO zz VALUES (1, NULL, 2.50), (2, '', 1.25), (3, 'x', 10)");
        copy_out("zz", "{d}/zz.csv");
        let back = read_csv("{d}/zz.csv");
        print(back.filter(|r| r.note == ()).len());
        print(back.filter(|r| r.note == "").len());
        execute("TRUNCATE zz");
        print(copy_in("zz", back));
        print(query_value("SELECT count(*) FROM zz WHERE note IS NULL"));
        let rows = query("SELECT id, price FROM zz").sort(|a, b| b.id - a.id);
        print(rows.map(|r| r.id));
        let p = rows[1].price;
        print(p == 1.25);
        print(p * 2.0);
        print(p > 1.0 && p < 2.0);"#,
        d = dir.path().display()
    );
    let out = common::pgsh().args(["--eval", &script]).run();
    out.assert_ok();
    assert_eq!(
        out.stdout, "1\n1\n3\n1\n[3, 2, 1]\ntrue\n2.50\ntrue\n",
        "{}",
        out.stderr
    );
}
