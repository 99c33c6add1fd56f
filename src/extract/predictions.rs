//! The `predictions` backend: reads a directory of annotation files written by another system
//! (or by an earlier run), so that any system's output can be scored through `eval`.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Backend, ExtractError, Progress, RunNote};
use crate::annotation::{Article, Document};
use crate::format::json::{path_for, read_document};
use crate::format::Problems;

pub struct PredictionsBackend {
    pub dir: PathBuf,
    /// What the last run found worth saying in the report.
    notes: Vec<RunNote>,
}

impl PredictionsBackend {
    pub fn new(dir: PathBuf) -> PredictionsBackend {
        PredictionsBackend {
            dir,
            notes: Vec::new(),
        }
    }
}

impl Backend for PredictionsBackend {
    fn describe(&self) -> String {
        format!("predictions from {}", self.dir.display())
    }

    /// An article without a prediction file gets an empty prediction (everything missed), and
    /// the run a [`RunNote::NoPrediction`]; an unreadable or invalid file is an error.
    fn annotate(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Document>, ExtractError> {
        let mut docs = Vec::with_capacity(articles.len());
        let mut problems = Vec::new();
        self.notes.clear();
        for (i, article) in articles.iter().enumerate() {
            let path = path_for(&self.dir, &article.id);
            if !path.exists() {
                docs.push(Document::empty(article.clone(), self.describe()));
                self.notes.push(RunNote::NoPrediction { path });
            } else {
                match read_document(&path, article.clone()) {
                    Ok(doc) => docs.push(doc),
                    Err(mut p) => problems.append(&mut p),
                }
            }
            progress(i + 1);
        }
        // Files for articles that are not in the corpus are not scored: say so, once.
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            let mut orphans: Vec<String> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .filter(|p| !articles.iter().any(|a| a.id == crate::corpus::stem(p)))
                .map(|p| p.display().to_string())
                .collect();
            orphans.sort();
            if !orphans.is_empty() {
                self.notes.push(RunNote::NotInCorpus { paths: orphans });
            }
        }
        if problems.is_empty() {
            Ok(docs)
        } else {
            Err(Problems(problems).into())
        }
    }

    fn notes(&self) -> Vec<RunNote> {
        self.notes.clone()
    }
}
