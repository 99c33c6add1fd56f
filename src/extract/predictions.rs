//! The `predictions` backend: reads a directory of annotation files written by another system
//! (or by an earlier run), so that any system's output can be scored through `eval`.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Backend, ExtractError, Progress};
use crate::annotation::{Article, Document};
use crate::format::json::{path_for, read_document};
use crate::format::Problems;

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
                doc.notes
                    .push(format!("no prediction file {}", path.display()));
                docs.push(doc);
            } else {
                match read_document(&path, article.clone()) {
                    Ok(doc) => docs.push(doc),
                    Err(mut p) => problems.append(&mut p),
                }
            }
            progress(i + 1);
        }
        if problems.is_empty() {
            Ok(docs)
        } else {
            Err(Problems(problems).into())
        }
    }
}
