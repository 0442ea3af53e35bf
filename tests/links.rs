//! The relative links of the project's documents resolve: the file exists, and a `#fragment`
//! into a Markdown file names one of its headings.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The documents checked: the READMEs, ARCHITECTURE.md, BENCHMARKS.md and everything in docs/.
fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = [
        "README.md",
        "ARCHITECTURE.md",
        "BENCHMARKS.md",
        "ui/README.md",
        "runtime/README.md",
    ]
    .iter()
    .map(|p| repo().join(p))
    .collect();
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "md") {
            docs.push(path);
        }
    }
    docs
}

/// Link and image targets of a Markdown text.
fn targets(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// GitHub's anchors for the headings of a Markdown text.
fn anchors(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    out.push(
                        h.to_lowercase()
                            .chars()
                            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                            .map(|c| if c == ' ' { '-' } else { c })
                            .collect(),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// What is wrong with `target`, linked from the document `from`; `None` when it resolves.
fn broken(from: &Path, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with("mailto:") {
        return None; // not a relative link
    }
    let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
    let path = if file.is_empty() {
        from.to_path_buf()
    } else if file.starts_with('/') {
        return Some(format!("{target}: an absolute path"));
    } else {
        from.parent().unwrap_or(repo()).join(file)
    };
    if !path.exists() {
        return Some(format!("{target}: no such file"));
    }
    let inside = path
        .canonicalize()
        .is_ok_and(|p| p.starts_with(repo().canonicalize().unwrap()));
    if !inside {
        return Some(format!("{target}: outside the repository"));
    }
    if !fragment.is_empty() && path.extension().is_some_and(|x| x == "md") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !anchors(&text).iter().any(|a| a == fragment) {
            return Some(format!("{target}: no heading with the anchor #{fragment}"));
        }
    }
    None
}

#[test]
fn relative_links_of_the_docs_resolve() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for target in targets(&text) {
            checked += 1;
            if let Some(problem) = broken(&doc, &target) {
                let shown = doc
                    .strip_prefix(repo())
                    .unwrap_or(&doc)
                    .display()
                    .to_string();
                problems.push(format!("{shown}: {problem}"));
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} links found: is the parser reading the docs?"
    );
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_broken_link_is_reported() {
    let readme = repo().join("README.md");
    assert_eq!(broken(&readme, "ARCHITECTURE.md#invariants"), None);
    assert_eq!(broken(&readme, "https://example.com/x"), None);
    assert!(broken(&readme, "docs/missing.md").is_some());
    assert!(broken(&readme, "ARCHITECTURE.md#no-such-heading").is_some());
    assert!(broken(&readme, "../outside.md").is_some());
    assert!(broken(&readme, "/etc/hostname").is_some());
}
