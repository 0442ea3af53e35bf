//! Snapshots of every sample journey: its outline and its diagnostics.

use std::fmt::Write as _;

use super::outline;
use crate::catalog::Catalog;
use crate::document::{Journey, parse_journey};
use crate::validate::validate;

/// The outline, then one line per diagnostic.
fn render(journey: &Journey, catalog: &Catalog) -> String {
    let mut text = outline(journey);
    text.push_str("\nDiagnostics:\n");
    let diagnostics = validate(journey, catalog);
    if diagnostics.is_empty() {
        text.push_str("  none\n");
    }
    for d in diagnostics {
        let _ = writeln!(
            text,
            "  {} {} [{} · {}] {}",
            d.severity.as_str(),
            d.code.as_str(),
            d.tile_id.as_deref().unwrap_or("journey"),
            d.path.as_deref().unwrap_or("-"),
            d.message
        );
    }
    text
}

#[test]
fn samples() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let catalog =
        Catalog::from_json(&std::fs::read_to_string(format!("{dir}/catalog.json")).unwrap())
            .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".journey.json"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let journey = parse_journey(&std::fs::read_to_string(format!("{dir}/{name}")).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let stem = name.trim_end_matches(".journey.json");
        insta::assert_snapshot!(stem, render(&journey, &catalog));
    }
}

#[test]
fn merges_are_references_and_loops_end() {
    let mut journey = Journey::new("j", "Loop", "UTC");
    journey
        .tiles
        .push(crate::document::Tile::Exit(crate::document::ExitTile {
            id: "a".to_owned(),
            name: String::new(),
        }));
    journey.connections.push(crate::document::Connection {
        from: "start".to_owned(),
        output: "next".to_owned(),
        to: "ghost".to_owned(),
    });
    let text = outline(&journey);
    assert!(text.contains("[ghost] (no such tile)"), "{text}");
    assert!(
        text.contains("Not reached from the start:\n[a] Exit"),
        "{text}"
    );
}

#[test]
fn a_very_long_chain_does_not_overflow_the_stack() {
    let mut journey = Journey::new("j", "Long", "UTC");
    let mut previous = "start".to_owned();
    for k in 0..50_000 {
        let id = format!("w{k}");
        journey.tiles.push(crate::document::Tile::WaitTime(
            crate::document::WaitTimeTile {
                id: id.clone(),
                name: String::new(),
                wait: None,
            },
        ));
        journey.connections.push(crate::document::Connection {
            from: previous,
            output: "next".to_owned(),
            to: id.clone(),
        });
        previous = id;
    }
    let text = outline(&journey);
    assert_eq!(text.lines().count(), 1 + 1 + 50_000);
}
