//! NER inference speed of the rust-bert backend (criterion; needs the `ner` feature and a model).
//!
//!     cargo bench --bench ner
//!     QUOTEVAL_BENCH_MODEL=/tmp/minilm-random-ner QUOTEVAL_BENCH_ARTICLES=/work/shared/articles \
//!         cargo bench --bench ner -- infer/fp32/8
//!     cargo bench --bench ner -- 'infer/(fp32|bf16)/8'     # the dtype pair, back to back
//!
//! Environment: QUOTEVAL_BENCH_MODEL (a model directory; default models/quoteval-ner-minilm),
//! QUOTEVAL_BENCH_ARTICLES (a directory of *.txt articles; default gold), QUOTEVAL_BENCH_THREADS
//! (default 2), QUOTEVAL_BENCH_WINDOW / QUOTEVAL_BENCH_STRIDE (default: the backend's), and
//! QUOTEVAL_BENCH_DEVICE (default cpu), QUOTEVAL_BENCH_DTYPES (default "fp32,bf16": one group of
//! batch sizes per dtype). Case features are on when the model has 6 token types.
//! Throughput is in article word pieces (no overlap, no [CLS]/[SEP]), so criterion prints
//! pieces/s; `load` times loading the model (tokenizer, weights).

#[cfg(feature = "ner")]
use std::path::{Path, PathBuf};
#[cfg(feature = "ner")]
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
#[cfg(feature = "ner")]
use criterion::{BenchmarkId, Throughput};

#[cfg(feature = "ner")]
fn setup() -> Option<(
    quoteval::extract::bert::BertSettings,
    PathBuf,
    Vec<Arc<quoteval::annotation::Article>>,
)> {
    use quoteval::annotation::Article;
    use quoteval::extract::bert::settings::{split_label, ModelConfig, ModelFiles, Tag};

    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let model = PathBuf::from(env("QUOTEVAL_BENCH_MODEL", "models/quoteval-ner-minilm"));
    let articles_dir = PathBuf::from(env("QUOTEVAL_BENCH_ARTICLES", "gold"));
    let files = match ModelFiles::find(&model) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("ner bench skipped: {e} (set QUOTEVAL_BENCH_MODEL)");
            return None;
        }
    };
    let config = ModelConfig::read(&files.config).expect("config.json");
    let mut labels = String::new();
    let mut seen = Vec::new();
    for l in &config.labels {
        let (tag, ty) = split_label(l);
        if tag == Tag::Outside || seen.contains(&ty) {
            continue;
        }
        seen.push(ty);
        let target = match ty {
            "PER" | "PERSON" => "PERSON",
            "LOC" | "GPE" | "PLACE" => "PLACE",
            "ORG" => "ORG",
            _ => "ignore",
        };
        labels.push_str(&format!("{ty:?} = \"{target}\", "));
    }
    let mut toml_text = format!(
        "path = {:?}\nthreads = {}\ndevice = {:?}\ncase_features = {}\nlabels = {{ {} }}\n",
        model.display().to_string(),
        env("QUOTEVAL_BENCH_THREADS", "2"),
        env("QUOTEVAL_BENCH_DEVICE", "cpu"),
        config.type_vocab_size >= quoteval::extract::bert::case::NUM_CASE_CLASSES,
        labels.trim_end_matches(", ")
    );
    for (key, var) in [
        ("window", "QUOTEVAL_BENCH_WINDOW"),
        ("stride", "QUOTEVAL_BENCH_STRIDE"),
    ] {
        if let Ok(v) = std::env::var(var) {
            toml_text.push_str(&format!("{key} = {v}\n"));
        }
    }
    let settings: quoteval::extract::bert::BertSettings =
        toml::from_str(&toml_text).expect("bench settings");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&articles_dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    if paths.is_empty() {
        eprintln!(
            "ner bench skipped: no *.txt in {} (set QUOTEVAL_BENCH_ARTICLES)",
            articles_dir.display()
        );
        return None;
    }
    let articles = paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            Arc::new(Article::new(
                id,
                std::fs::read_to_string(p).expect("article"),
            ))
        })
        .collect();
    Some((settings, Path::new(".").to_path_buf(), articles))
}

#[cfg(feature = "ner")]
fn bench(c: &mut Criterion) {
    use quoteval::extract::bert;
    use quoteval::models::Overrides;

    let Some((settings, base, articles)) = setup() else {
        return;
    };
    // As `quoteval eval` does: the executable makes the process-wide choices.
    quoteval::process::apply(&quoteval::process::Tuning {
        threads: settings.threads,
        keep_freed_memory: true,
    });
    let mut group = c.benchmark_group("ner");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| bert::load(&settings, &base, &Overrides::default()).expect("model loads"));
    });
    let dtypes = std::env::var("QUOTEVAL_BENCH_DTYPES").unwrap_or_else(|_| "fp32,bf16".into());
    for (dtype, batch_size) in dtypes
        .split(',')
        .flat_map(|d| [1usize, 8, 32].map(|b| (d.trim().to_string(), b)))
    {
        let overrides = Overrides {
            batch_size: Some(batch_size),
            dtype: Some(
                quoteval::extract::bert::settings::DtypeSetting::parse(&dtype)
                    .expect("QUOTEVAL_BENCH_DTYPES: fp32, bf16, auto"),
            ),
            ..Default::default()
        };
        let mut recognizer = bert::load(&settings, &base, &overrides).expect("model loads");
        recognizer
            .recognize(&articles, &mut |_| {})
            .expect("warm-up");
        let pieces = recognizer.stats().word_pieces;
        let tokens = recognizer.stats().model_tokens;
        eprintln!(
            "ner/infer/{dtype}/{batch_size}: {} articles, {pieces} word pieces, {tokens} model tokens ({:.2}x), {}",
            articles.len(),
            tokens as f64 / pieces as f64,
            recognizer.describe()
        );
        group.throughput(Throughput::Elements(pieces));
        group.bench_with_input(
            BenchmarkId::new(format!("infer/{dtype}"), batch_size),
            &articles,
            |b, articles| {
                b.iter(|| {
                    recognizer
                        .recognize(articles, &mut |_| {})
                        .expect("inference")
                });
            },
        );
    }
    group.finish();
}

#[cfg(not(feature = "ner"))]
fn bench(_: &mut Criterion) {
    eprintln!("ner bench skipped: built without the `ner` feature");
}

criterion_group!(benches, bench);
criterion_main!(benches);
