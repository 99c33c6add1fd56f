//! The corpus: a directory of verbatim articles (`<id>.txt`) and, beside them, their annotation
//! files (`<id>.json`). The article id is the file stem.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::annotation::{Article, Document};
use crate::format::json::{path_for, read_document};
use crate::format::{Problem, Problems};

/// The id the CSV report gives the corpus totals; no article may have it.
pub const RESERVED_ID: &str = "ALL";

#[derive(Debug, Clone)]
pub struct Corpus {
    pub dir: PathBuf,
    /// Sorted by id.
    pub articles: Vec<Arc<Article>>,
}

/// One of `count` parts of a corpus (`--shard K/N`): the articles whose position in id order,
/// counted from 0, leaves K - 1 when divided by N. Every article is in exactly one shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

/// A `--shard` that is not K/N with 1 <= K <= N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shard {0:?}: write K/N with 1 <= K <= N (e.g. 2/4)")]
pub struct ShardError(pub String);

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Corpus {
    /// The articles of one shard.
    pub fn shard(&self, shard: Shard) -> Corpus {
        Corpus {
            dir: self.dir.clone(),
            articles: self
                .articles
                .iter()
                .enumerate()
                .filter(|(i, _)| i % shard.count == shard.index - 1)
                .map(|(_, a)| a.clone())
                .collect(),
        }
    }

    /// Reads every `*.txt` in `dir` (not recursively) as an article.
    pub fn load(dir: &Path) -> Result<Corpus, Problems> {
        let entries = std::fs::read_dir(dir).map_err(|e| Problems(vec![Problem::io(dir, &e)]))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            match std::fs::read(&path) {
                Ok(_) if stem(&path) == RESERVED_ID => problems.push(Problem::file(
                    &path,
                    format!("the article id {RESERVED_ID:?} is reserved for the totals in reports; rename the file"),
                )),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => articles.push(Arc::new(Article::new(stem(&path), text))),
                    Err(e) => problems.push(Problem::file(
                        &path,
                        format!("not UTF-8: {}", e.utf8_error()),
                    )),
                },
                Err(e) => problems.push(Problem::io(&path, &e)),
            }
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        if articles.is_empty() {
            return Err(Problems(vec![Problem::file(
                dir,
                "no articles (*.txt) in this directory",
            )]));
        }
        Ok(Corpus {
            dir: dir.to_path_buf(),
            articles,
        })
    }

    pub fn article(&self, id: &str) -> Option<&Arc<Article>> {
        self.articles.iter().find(|a| a.id == id)
    }

    pub fn ids(&self) -> Vec<String> {
        self.articles.iter().map(|a| a.id.clone()).collect()
    }

    /// A hash of every article's id and text: two reports are comparable only when their
    /// corpora have the same fingerprint.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for a in &self.articles {
            h.update(a.id.as_bytes());
            h.update([0]);
            h.update(a.text().as_bytes());
            h.update([0]);
        }
        hex(&h.finalize())
    }

    /// Reads the annotation of every article from `dir` (the corpus directory itself for gold).
    /// Articles without a file are returned in `missing`; a file without an article is a problem.
    pub fn load_annotations(&self, dir: &Path) -> Result<Annotations, Problems> {
        let mut docs = BTreeMap::new();
        let mut missing = Vec::new();
        let mut problems = Vec::new();
        for article in &self.articles {
            let path = path_for(dir, &article.id);
            if !path.exists() {
                missing.push(article.id.clone());
                continue;
            }
            match read_document(&path, article.clone()) {
                Ok(doc) => {
                    docs.insert(article.id.clone(), doc);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut orphans: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .filter(|p| self.article(&stem(p)).is_none())
                .collect();
            orphans.sort();
            for p in orphans {
                problems.push(Problem::file(
                    &p,
                    format!("no article {}.txt in {}", stem(&p), self.dir.display()),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Annotations { docs, missing })
        } else {
            Err(Problems(problems))
        }
    }
}

/// One annotator's documents for a corpus, keyed by article id.
#[derive(Debug, Clone)]
pub struct Annotations {
    pub docs: BTreeMap<String, Document>,
    /// Articles of the corpus that have no annotation file.
    pub missing: Vec<String>,
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_articles_and_flags_orphan_annotations() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "Kyiv’s “view”.").unwrap();
        std::fs::write(dir.path().join("a.txt"), "Putin said no.").unwrap();
        std::fs::write(dir.path().join("zz.json"), "{}").unwrap();
        let corpus = Corpus::load(dir.path()).unwrap();
        assert_eq!(corpus.ids(), vec!["a", "b"]);
        let err = corpus.load_annotations(dir.path()).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(
            err.to_string().contains("zz.json: no article zz.txt"),
            "{err}"
        );
        std::fs::remove_file(dir.path().join("zz.json")).unwrap();
        let ann = corpus.load_annotations(dir.path()).unwrap();
        assert_eq!(ann.missing, vec!["a", "b"]);
        assert_eq!(corpus.fingerprint().len(), 64);
    }
}
