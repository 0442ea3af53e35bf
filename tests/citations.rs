//! Every domain citation in the repository (`D17`, `D5c`, `§9`, `§13.4` in code, comments and
//! docs) names a heading of `docs/domain.md`, so the next engineer can look it up.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The headings of the domain reference: `D17`, `§13.4`, … with the text of each section.
fn headings(domain: &str) -> Vec<(String, String)> {
    let heading = Regex::new(r"^#{1,4} (D\d+|§\d+(?:\.\d+)*)(?: |$)").unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in domain.lines() {
        if let Some(c) = heading.captures(line) {
            sections.push((c[1].to_owned(), String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    sections
}

/// The citations in `text` that the reference lacks: a number without a heading, or a lettered
/// part (`D5c`) whose decision has no `(c)`.
fn unresolved(text: &str, sections: &[(String, String)]) -> BTreeSet<String> {
    let citation = Regex::new(r"\b(D\d+)([a-z])?\b|(§\d+(?:\.\d+)*)").unwrap();
    let mut missing = BTreeSet::new();
    for c in citation.captures_iter(text) {
        let number = c.get(1).or(c.get(3)).map_or("", |m| m.as_str());
        let body = sections.iter().find(|(n, _)| n == number).map(|(_, b)| b);
        match (body, c.get(2)) {
            (None, _) => {
                missing.insert(c[0].to_owned());
            }
            (Some(body), Some(letter)) if !body.contains(&format!("({})", letter.as_str())) => {
                missing.insert(c[0].to_owned());
            }
            _ => {}
        }
    }
    missing
}

/// The repository's source and documentation files (not build output or installed packages).
fn files() -> Vec<PathBuf> {
    const SKIP: [&str; 5] = ["target", "node_modules", ".git", "dist", "out"];
    const TEXT: [&str; 10] = [
        "rs", "ts", "tsx", "mjs", "js", "md", "sh", "toml", "css", "html",
    ];
    walkdir::WalkDir::new(repo())
        .into_iter()
        .filter_entry(|e| !SKIP.contains(&e.file_name().to_string_lossy().as_ref()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| TEXT.contains(&x.to_string_lossy().as_ref()))
        })
        .collect()
}

#[test]
fn every_domain_citation_resolves_to_a_heading_of_docs_domain_md() {
    let domain = std::fs::read_to_string(repo().join("docs/domain.md")).unwrap();
    let sections = headings(&domain);
    assert!(
        sections.len() >= 18 + 15,
        "docs/domain.md lost its numbered headings"
    );
    let mut cited = 0;
    let mut problems = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let all = unresolved(&text, &[]);
        cited += all.len();
        let missing = unresolved(&text, &sections);
        if !missing.is_empty() {
            let shown = path
                .strip_prefix(repo())
                .unwrap_or(&path)
                .display()
                .to_string();
            problems.push(format!("{shown}: {missing:?}"));
        }
    }
    assert!(
        cited > 20,
        "found only {cited} distinct citations: is the scan looking at the code?"
    );
    assert!(
        problems.is_empty(),
        "citations docs/domain.md has no heading for:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_citation_without_a_heading_is_reported() {
    let sections = headings("## §9 Lifecycle\n\n### D5 Quiet time\n\n- (c) Which zone.\n");
    assert!(unresolved("see D5c and §9; ABD5 and D5x2 are not citations", &sections).is_empty());
    assert_eq!(
        unresolved("D5d, D17, §13.4 and §9", &sections),
        BTreeSet::from(["D17".to_owned(), "D5d".to_owned(), "§13.4".to_owned()])
    );
}
