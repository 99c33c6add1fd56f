//! The documentation tells the truth: the README stays short, every file the docs and scripts
//! name exists, and the default's figures in the README's benchmark table are what a fresh run
//! gives (`scripts/benchmark_table.py` regenerates them; PolNeAR dev's row is checked in
//! tests/polnear_dev.rs, where the corpus is).

mod common;

use std::path::{Path, PathBuf};

use common::{assert_readme_row, cells, quoteval, readme_row, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_readme_is_short_and_links_into_docs() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(lines < 300, "README.md has {lines} lines");
    for doc in [
        "cli",
        "formats",
        "metrics",
        "models",
        "figures",
        "benchmarks",
        "ci",
    ] {
        assert!(
            readme.contains(&format!("(docs/{doc}.md)")),
            "README does not link docs/{doc}.md"
        );
    }
}

/// The repository's top-level directories that docs and scripts name files in.
const REPO_DIRS: [&str; 12] = [
    "src", "tests", "scripts", "adapters", "gold", "docs", "benches", "training", "model",
    "examples", ".ci", ".github",
];

/// Whether a named path is a concrete file (no placeholder, glob or variable in it).
fn concrete(target: &str) -> bool {
    !target.contains(['<', '>', '{', '}', '*', ' ', '$', '…', '[', ']'])
        && !target.contains("NAME")
        && target.rsplit('/').next().is_some_and(|f| {
            f.contains('.')
                && !f.ends_with('.')
                && f.rsplit('.').next().is_some_and(|x| !x.is_empty())
        })
}

/// Relative Markdown links, repository paths in backticks (`scripts/x.py`), and bare words that
/// are repository paths (tests/html_report.rs), of the docs and of the scripts' comments.
fn named_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || "()[]`\"',;:".contains(c)) {
        let word = word.trim_end_matches('.');
        let first = word.split('/').next().unwrap_or("");
        if word.contains('/')
            && REPO_DIRS.contains(&first)
            && concrete(word)
            && word.rsplit('.').next().is_some_and(|x| {
                [
                    "rs", "py", "sh", "md", "toml", "json", "txt", "yml", "conf", "js", "css",
                ]
                .contains(&x)
            })
        {
            found.push(word.to_string());
        }
    }
    for (open, close) in [("](", ')'), ("`", '`')] {
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            rest = &rest[at + open.len()..];
            let Some(end) = rest.find(close) else { break };
            let target = rest[..end].split('#').next().unwrap_or("").trim();
            rest = &rest[end + 1..];
            let first = target.split('/').next().unwrap_or("");
            let repo_dir = REPO_DIRS.contains(&first)
                || target.starts_with("../")
                || (open == "](" && target.ends_with(".md"));
            if repo_dir && concrete(target) && !target.starts_with("http") {
                found.push(target.to_string());
            }
        }
    }
    found
}

#[test]
fn every_file_the_docs_and_scripts_name_exists() {
    let mut sources: Vec<PathBuf> = vec![
        root().join("README.md"),
        root().join("ARCHITECTURE.md"),
        root().join("gold/polnear/AGREEMENT.md"),
    ];
    for dir in ["docs", "scripts"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|x| x == "md" || x == "py" || x == "sh")
            {
                sources.push(path);
            }
        }
    }
    let mut missing = Vec::new();
    for source in &sources {
        let text = std::fs::read_to_string(source).unwrap();
        let base = source.parent().unwrap();
        for target in named_paths(&text) {
            // Links are relative to their file; backticked paths to the repository root.
            let candidates = [base.join(&target), root().join(&target)];
            if !candidates.iter().any(|p| p.exists()) {
                missing.push(format!("{}: {target}", source.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "named but missing:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_readme_benchmark_row_of_the_default_on_the_gold_is_a_fresh_run() {
    let o = quoteval(&["eval", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_readme_row(
        &readme_row("default (joint, one encoder)", "gold (5 articles)"),
        &cells(&report),
        "the default's README row on gold (5 articles)",
    );
}
