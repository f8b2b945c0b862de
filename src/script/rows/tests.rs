//! Tests of the `rows` type and its Rhai functions.

use std::rc::Rc;

use rhai::{Array, Dynamic, INT};

use super::{module, Rows};
use crate::db::resultset::{Columns, ResultSet};
use crate::output::table::TableOptions;

fn sample() -> Rows {
    let cols = Rc::new(Columns::new(
        vec!["name".into(), "price".into()],
        vec![
            Some(postgres_types::Type::TEXT),
            Some(postgres_types::Type::INT4),
        ],
    ));
    let mut rs = ResultSet::new(cols);
    rs.push_row(["apple".into(), Dynamic::from(3_i64)]);
    rs.push_row(["fig".into(), Dynamic::UNIT]);
    Rows::new(rs)
}

fn engine() -> rhai::Engine {
    let mut e = rhai::Engine::new();
    e.register_global_module(module().into());
    e
}

#[test]
fn rows_behave_like_an_array_of_maps() {
    let e = engine();
    let mut scope = rhai::Scope::new();
    scope.push("rows", sample());
    let r: INT = e
        .eval_with_scope(
            &mut scope,
            r#"
                let n = 0;
                for row in rows { if row.price != () { n += row.price } }
                n + rows.len() + rows.filter(|r| r.name == "fig").len() * 100 + rows[-1].name.len()
                "#,
        )
        .unwrap();
    assert_eq!(r, 3 + 2 + 100 + 3);
    let names: Array = e
        .eval_with_scope(&mut scope, "rows.map(|r| r.name)")
        .unwrap();
    assert_eq!(names.len(), 2);
    let err = e
        .eval_with_scope::<Dynamic>(&mut scope, "rows[5]")
        .unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
}

fn eval<T: Clone + 'static>(script: &str) -> T {
    let e = engine();
    let mut scope = rhai::Scope::new();
    scope.push("rows", sample());
    e.eval_with_scope::<T>(&mut scope, script)
        .unwrap_or_else(|err| panic!("{script}: {err}"))
}

#[test]
fn row_edits_persist() {
    assert_eq!(eval::<INT>("rows[0].price = 5; rows[0].price"), 5);
    assert_eq!(eval::<INT>("rows[-1].price = 7; rows[1].price"), 7);
    assert_eq!(
        eval::<String>(
            r#"rows[1] = #{name: "kiwi", price: 2}; `${rows[1].name}${rows[1].price}${rows.len()}`"#
        ),
        "kiwi22"
    );
    // A key that is no column yet becomes one, () in the other rows.
    let cols: Array =
        eval(r#"rows[0].note = "x"; if rows[1].note != () { throw "note" } rows.columns"#);
    assert_eq!(cols.len(), 3);
    // Rows are values: editing a copy leaves the original alone.
    assert_eq!(
        eval::<INT>("let c = rows; c[0].price = 9; rows[0].price"),
        3
    );
    let err = eval_err("rows[0] = 5");
    assert!(err.contains("map"), "{err}");
    let err = eval_err("rows[2].price = 1");
    assert!(err.contains("out of bounds"), "{err}");
}

fn eval_err(script: &str) -> String {
    let e = engine();
    let mut scope = rhai::Scope::new();
    scope.push("rows", sample());
    e.eval_with_scope::<Dynamic>(&mut scope, script)
        .expect_err(script)
        .to_string()
}

#[test]
fn array_methods_work_on_rows() {
    assert_eq!(eval::<INT>("rows[0..1].len()"), 1);
    assert_eq!(eval::<String>("rows[1..=1][0].name"), "fig");
    assert_eq!(eval::<INT>("rows[5..9].len()"), 0);
    assert_eq!(
        eval::<INT>("rows.extract(1).len() * 10 + rows.extract(0, 1).len()"),
        11
    );
    // Negative starts count from the end, as for arrays.
    assert_eq!(eval::<String>("rows.extract(-1, 1)[0].name"), "fig");
    assert_eq!(eval::<INT>("rows.extract(-5, 1).len()"), 1);
    assert_eq!(
        eval::<INT>(r#"rows.push(#{name: "kiwi", price: 4}); rows[2].price + rows.len()"#),
        7
    );
    assert_eq!(
        eval::<String>(r#"rows.insert(0, #{name: "date"}); rows[0].name + rows[1].name"#),
        "dateapple"
    );
    assert_eq!(
        eval::<String>("let r = rows.pop(); r.name + rows.len()"),
        "fig1"
    );
    assert_eq!(
        eval::<String>("let r = rows.shift(); r.name + rows[0].name"),
        "applefig"
    );
    assert_eq!(eval::<String>("rows.remove(0).name + rows.len()"), "apple1");
    assert_eq!(eval::<String>("rows.reverse(); rows[0].name"), "fig");
    assert_eq!(eval::<INT>("rows.clear(); rows.len()"), 0);
    assert_eq!(eval::<INT>("rows.truncate(1); rows.len()"), 1);
    assert!(eval::<bool>(r#"rows.contains(#{name: "fig", price: ()})"#));
    assert!(!eval::<bool>(r#"rows.contains(#{name: "fig"})"#));
    assert_eq!(
        eval::<INT>(r#"rows.index_of(#{name: "fig", price: ()})"#),
        1
    );
    assert_eq!(eval::<INT>(r#"rows.index_of(|r| r.name == "apple")"#), 0);
    assert_eq!(eval::<INT>(r#"rows.index_of(|r| r.name == "none")"#), -1);
    assert!(eval::<bool>("rows.some(|r| r.price == ())"));
    assert!(!eval::<bool>("rows.all(|r| r.price != ())"));
    assert_eq!(
        eval::<String>(r#"rows.reduce(|acc, r| if acc == () { r.name } else { acc + r.name })"#),
        "applefig"
    );
    assert_eq!(
        eval::<INT>("rows.reduce(|acc, r| acc + r.name.len(), 0)"),
        8
    );
    assert_eq!(eval::<INT>("rows += rows; rows.len()"), 4);
}

#[test]
fn printing_keeps_select_column_order() {
    let s = sample().render(&TableOptions::default());
    // "name" comes before "price" although maps would sort "name" < "price" anyway: check the header.
    assert!(s.starts_with(" name  | price"), "{s}");
    assert!(s.ends_with("(2 rows)"), "{s}");
    let cols = Rc::new(Columns::new(
        vec!["z".into(), "a".into(), "a".into()],
        vec![None, None, None],
    ));
    let mut rs = ResultSet::new(cols);
    rs.push_row([1_i64.into(), 2_i64.into(), 3_i64.into()]);
    let t = Rows::new(rs).render(&TableOptions::default());
    assert!(t.starts_with(" z | a | a_2"), "{t}");
}
