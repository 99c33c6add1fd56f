//! The `predictions` backend: reads a directory of annotation files written by another system
//! (or by an earlier run), so that any system's output can be scored through `eval`.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Backend, ExtractError, Progress};
use crate::annotation::{Article, Document};
use crate::format::json::{path_for, read_document};
use crate::format::Problems;

/// The start of the note on an article without a prediction file.
pub const NO_FILE_NOTE: &str = "no prediction file";
/// The start of the note on a prediction file without an article.
pub const ORPHAN_NOTE: &str = "prediction file without an article";

pub struct PredictionsBackend {
    pub dir: PathBuf,
}

impl Backend for PredictionsBackend {
    fn describe(&self) -> String {
        format!("predictions from {}", self.dir.display())
    }

    /// An article without a prediction file gets an empty prediction (everything missed), with a
    /// note saying so; an unreadable or invalid file is an error.
    fn annotate(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Document>, ExtractError> {
        let mut docs = Vec::with_capacity(articles.len());
        let mut problems = Vec::new();
        for (i, article) in articles.iter().enumerate() {
            let path = path_for(&self.dir, &article.id);
            if !path.exists() {
                let mut doc = Document::empty(article.clone(), self.describe());
                doc.notes.push(format!("{NO_FILE_NOTE} {}", path.display()));
                docs.push(doc);
            } else {
                match read_document(&path, article.clone()) {
                    Ok(doc) => docs.push(doc),
                    Err(mut p) => problems.append(&mut p),
                }
            }
            progress(i + 1);
        }
        // Files for articles that are not in the corpus are not scored: say so, once.
        if let (Ok(entries), Some(first)) = (std::fs::read_dir(&self.dir), docs.first_mut()) {
            let mut orphans: Vec<String> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .filter(|p| !articles.iter().any(|a| a.id == crate::corpus::stem(p)))
                .map(|p| p.display().to_string())
                .collect();
            orphans.sort();
            if !orphans.is_empty() {
                first.notes.push(format!(
                    "{ORPHAN_NOTE} in the corpus, not scored: {}",
                    orphans.join(", ")
                ));
            }
        }
        if problems.is_empty() {
            Ok(docs)
        } else {
            Err(Problems(problems).into())
        }
    }
}
