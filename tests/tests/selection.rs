//! Selecting operations by operationId, tag or path glob, and pruning schemas nothing selected uses.

use generator::config::{Config, Selection};
use tests::repo;

fn generate(select: Selection) -> generator::Generated {
    let config = Config { select: Some(select), ..Config::derived() };
    generator::generate_file(&repo().join("tests/fixtures/collisions.yaml"), &config, "collisions.yaml")
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()))
}

#[test]
fn select_by_path_glob_prunes_unused_schemas() {
    let g = generate(Selection { paths: vec!["/users/*".into()], ..Default::default() });
    assert_eq!(g.operations, 2, "only /users/{{id}} and /users/{{id}}/");
    assert_eq!(g.types, 0, "no selected operation uses a schema");
    let types = &g.files["src/types.rs"];
    assert!(!types.contains("pub struct User"), "{types}");
}

#[test]
fn select_by_operation_id_keeps_what_it_uses() {
    let g = generate(Selection { operations: vec!["list-users".into()], ..Default::default() });
    assert_eq!(g.operations, 1);
    let types = &g.files["src/types.rs"];
    // `user` is kept and, with `User` pruned, no longer needs a suffix.
    assert!(
        types.contains("The `user` schema of the API description.") && types.contains("pub struct User {"),
        "{types}"
    );
    assert!(!types.contains("plus_1") && !types.contains("User2"), "`User` is only used by create-user: {types}");
}

#[test]
fn select_by_tag() {
    let spec = std::fs::read_to_string(repo().join("tests/fixtures/collisions.yaml")).expect("fixture");
    let tagged =
        spec.replacen("      operationId: create-user\n", "      operationId: create-user\n      tags: [Admin]\n", 1);
    let config =
        Config { select: Some(Selection { tags: vec!["Admin".into()], ..Default::default() }), ..Config::derived() };
    let g = generator::generate_str(&tagged, false, &config, "t.yaml").unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    assert_eq!(g.operations, 1);
    assert!(g.files["src/types.rs"].contains("pub struct User {"));
}

#[test]
fn no_selection_keeps_every_schema() {
    let g = generator::generate_file(&repo().join("tests/fixtures/collisions.yaml"), &Config::derived(), "c.yaml")
        .unwrap_or_else(|d| panic!("{:#?}", d.sorted()));
    assert_eq!((g.operations, g.types), (7, 3));
}
