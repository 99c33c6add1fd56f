//! The `predictions` backend: reads annotations another system wrote (or an earlier run), so
//! that any system's output can be scored through `eval`. The source is a directory of
//! annotation files (`<article>.json`, and any `*.jsonl` files in it) or one JSON Lines file;
//! entity types are read in the entry's label set.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Backend, ExtractError, Progress, RunNote};
use crate::annotation::{Article, Document};
use crate::format::json::{path_for, read_document_as, read_json_lines, Reading};
use crate::format::labels::LabelSet;
use crate::format::{Problem, Problems};

pub struct PredictionsBackend {
    /// A directory, or a `.jsonl` file.
    pub source: PathBuf,
    pub labels: LabelSet,
    /// What the last run found worth saying in the report.
    notes: Vec<RunNote>,
}

impl PredictionsBackend {
    pub fn new(source: PathBuf) -> PredictionsBackend {
        PredictionsBackend::with_labels(source, LabelSet::Quoteval)
    }

    pub fn with_labels(source: PathBuf, labels: LabelSet) -> PredictionsBackend {
        PredictionsBackend {
            source,
            labels,
            notes: Vec::new(),
        }
    }

    /// Every article of `articles` found in the source's JSON Lines files, and the ids those
    /// files name that are not among `articles`.
    fn read_json_lines_files(
        &self,
        files: &[PathBuf],
        articles: &[Arc<Article>],
        problems: &mut Vec<Problem>,
    ) -> (BTreeMap<String, (Document, PathBuf)>, Vec<String>) {
        let by_id: HashMap<&str, &Arc<Article>> =
            articles.iter().map(|a| (a.id.as_str(), a)).collect();
        let article_of = |id: &str| -> Option<Arc<Article>> { by_id.get(id).map(|a| (*a).clone()) };
        let mut found: BTreeMap<String, (Document, PathBuf)> = BTreeMap::new();
        let mut unknown = Vec::new();
        for file in files {
            match read_json_lines(file, &article_of, self.labels, Reading::Prediction) {
                Ok(lines) => {
                    for doc in lines.docs {
                        let id = doc.id().to_string();
                        if let Some((_, other)) = found.get(&id) {
                            problems.push(Problem::file(
                                file,
                                format!("article {id:?} is also given in {}", other.display()),
                            ));
                            continue;
                        }
                        found.insert(id, (doc, file.clone()));
                    }
                    unknown.extend(
                        lines
                            .unknown_articles
                            .into_iter()
                            .map(|id| format!("{} ({id})", file.display())),
                    );
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        (found, unknown)
    }
}

/// JSON Lines by its extension, in any case: `.jsonl` or `.ndjson`.
fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .map(|x| x.to_string_lossy().to_lowercase())
        .is_some_and(|x| x == "jsonl" || x == "ndjson")
}

impl Backend for PredictionsBackend {
    fn describe(&self) -> String {
        format!("predictions from {}", self.source.display())
    }

    /// An article without a prediction gets an empty one (everything missed), and the run a
    /// [`RunNote::NoPrediction`]; an unreadable or invalid file is an error, and so is an
    /// article given twice.
    fn annotate(
        &mut self,
        articles: &[Arc<Article>],
        progress: Progress,
    ) -> Result<Vec<Document>, ExtractError> {
        let mut problems = Vec::new();
        self.notes.clear();
        let dir = self.source.is_dir();
        // A directory's listing, subdirectories included (named if nothing is read).
        let mut listing: Vec<PathBuf> = Vec::new();
        let entries: Vec<PathBuf> = if dir {
            listing = std::fs::read_dir(&self.source)
                .map_err(|e| Problems(vec![Problem::io(&self.source, &e)]))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            listing.sort();
            listing.iter().filter(|p| p.is_file()).cloned().collect()
        } else {
            if !is_jsonl(&self.source) {
                return Err(Problems(vec![Problem::file(
                    &self.source,
                    "a predictions file must be JSON Lines (.jsonl or .ndjson, one article a \
                     line); annotation files (<article>.json) are read from their directory",
                )])
                .into());
            }
            vec![self.source.clone()]
        };
        let jsonl: Vec<PathBuf> = entries.iter().filter(|p| is_jsonl(p)).cloned().collect();
        let (mut from_lines, mut orphans) =
            self.read_json_lines_files(&jsonl, articles, &mut problems);

        let mut docs = Vec::with_capacity(articles.len());
        for (i, article) in articles.iter().enumerate() {
            let path = path_for(&self.source, &article.id);
            let line_doc = from_lines.remove(&article.id);
            if dir && path.exists() {
                if let Some((_, other)) = &line_doc {
                    problems.push(Problem::file(
                        &path,
                        format!(
                            "article {:?} is also given in {}",
                            article.id,
                            other.display()
                        ),
                    ));
                }
                match read_document_as(&path, article.clone(), self.labels, Reading::Prediction) {
                    Ok(doc) => docs.push(doc),
                    Err(mut p) => problems.append(&mut p),
                }
            } else if let Some((doc, _)) = line_doc {
                docs.push(doc);
            } else {
                docs.push(Document::empty(article.clone(), self.describe()));
                self.notes.push(RunNote::NoPrediction {
                    path: if dir { path } else { self.source.clone() },
                });
            }
            progress(i + 1);
        }
        // Files for articles that are not in the corpus are not scored: say so, once.
        if dir {
            orphans.extend(
                entries
                    .iter()
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .filter(|p| !articles.iter().any(|a| a.id == crate::corpus::stem(p)))
                    .map(|p| p.display().to_string()),
            );
        }
        orphans.sort();
        let unmatched = self
            .notes
            .iter()
            .filter(|n| matches!(n, RunNote::NoPrediction { .. }))
            .count();
        if problems.is_empty() && !articles.is_empty() && unmatched == articles.len() {
            // Scoring this would print zeros for a run that produced nothing readable.
            let mut found: Vec<String> = orphans.clone();
            found.extend(
                listing
                    .iter()
                    .filter(|p| {
                        !p.is_file() || !(is_jsonl(p) || p.extension().is_some_and(|x| x == "json"))
                    })
                    .map(|p| format!("{} (not read: not <article>.json or .jsonl)", p.display())),
            );
            found.sort();
            problems.push(Problem::file(
                &self.source,
                format!(
                    "no prediction for any of the {} article(s) of the corpus (such as {:?}){}",
                    articles.len(),
                    articles[0].id,
                    if found.is_empty() {
                        ": it holds no annotation".to_string()
                    } else {
                        format!("; found: {}", found.join(", "))
                    }
                ),
            ));
        }
        if !orphans.is_empty() {
            self.notes.push(RunNote::NotInCorpus { paths: orphans });
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
