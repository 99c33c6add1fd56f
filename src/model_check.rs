//! Model files checked against the `SHA256SUMS` beside them before a model is loaded, so that a
//! corrupted or half-copied model is an error naming the file instead of silently worse output.
//!
//! Hashing the default model (90 MB) costs about half a second of CPU (`sha256sum`: 0.45 s user
//! on the project's machine), so each file is hashed once and its digest cached (in [`CACHE_FILE`] in the model directory) with the file's size and
//! modification time; a file whose size or mtime changed is hashed again. A directory without
//! `SHA256SUMS` (a user's own model) cannot be checked that way; its `*.safetensors` weights are
//! scanned for NaN and infinite values instead (the same corruption, caught without a list), with
//! the same cache. A mismatch or a non-finite weight is refused unless the user opts out
//! (`--skip-checksums`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use crate::corpus::hex;

/// The checksum list beside the model files (`sha256sum` format: `<hex>  <name>`).
pub const SUMS_FILE: &str = "SHA256SUMS";
/// The digest cache: one line `<hex> <size> <mtime ns> <name>` per verified file.
pub const CACHE_FILE: &str = ".quoteval-verified";

#[derive(Debug, thiserror::Error)]
pub enum ChecksumError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{file}: tensor {tensor:?} holds {count} NaN or infinite value(s): the model file is \
         corrupted (pass --skip-checksums to use it anyway)"
    )]
    NonFinite {
        file: PathBuf,
        tensor: String,
        count: usize,
    },
    #[error("{file}: not a readable safetensors file: {message}")]
    BadWeights { file: PathBuf, message: String },
    #[error(
        "{file}: sha256 {actual} does not match {expected} in {sums}: the model file is corrupted \
         or was replaced (rebuild it with `make setup`, or pass --skip-checksums to use it anyway)"
    )]
    Mismatch {
        file: PathBuf,
        sums: PathBuf,
        expected: String,
        actual: String,
    },
}

/// What a check did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Files listed and found matching.
    pub files: usize,
    /// Of those, files hashed now (the others matched the cache).
    pub hashed: usize,
}

/// Checks a model directory before loading: against its `SHA256SUMS` when it has one, else its
/// safetensors weights for non-finite values. Returns the number of files checked.
pub fn check_model_dir(dir: &Path) -> Result<Verified, ChecksumError> {
    if let Some(v) = verify_dir(dir)? {
        return Ok(v);
    }
    scan_weights(dir)
}

/// The cache entry of a weights file whose values were all found finite.
const SCANNED: &str = "finite";

/// Scans every `*.safetensors` in `dir` for NaN and infinite floats (cached like the digests).
pub fn scan_weights(dir: &Path) -> Result<Verified, ChecksumError> {
    let cache_path = dir.join(CACHE_FILE);
    let mut cache = std::fs::read_to_string(&cache_path)
        .map(|c| parse_cache(&c))
        .unwrap_or_default();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ChecksumError::Io { path, source }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "safetensors"))
        .collect();
    files.sort();
    let mut hashed = 0;
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = stamp_of(file).map_err(io(file))?;
        if cache
            .get(&name)
            .is_some_and(|(d, s)| d == SCANNED && *s == stamp)
        {
            continue;
        }
        hashed += 1;
        let bytes = std::fs::read(file).map_err(io(file))?;
        let tensors = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| {
            ChecksumError::BadWeights {
                file: file.clone(),
                message: e.to_string(),
            }
        })?;
        for (tensor, view) in tensors.tensors() {
            let count = non_finite(view.dtype(), view.data());
            if count > 0 {
                return Err(ChecksumError::NonFinite {
                    file: file.clone(),
                    tensor,
                    count,
                });
            }
        }
        cache.insert(name, (SCANNED.to_string(), stamp));
    }
    if hashed > 0 {
        let text: String = cache
            .iter()
            .map(|(name, (digest, (size, mtime)))| format!("{digest} {size} {mtime} {name}\n"))
            .collect();
        let _ = crate::format::write_atomically(&cache_path, text.as_bytes(), true);
    }
    Ok(Verified {
        files: files.len(),
        hashed,
    })
}

/// NaN and infinite values in a little-endian float tensor: all exponent bits set.
fn non_finite(dtype: safetensors::Dtype, data: &[u8]) -> usize {
    use safetensors::Dtype;
    match dtype {
        Dtype::F32 => data
            .chunks_exact(4)
            .filter(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) & 0x7f80_0000 == 0x7f80_0000)
            .count(),
        Dtype::F16 => data
            .chunks_exact(2)
            .filter(|c| u16::from_le_bytes([c[0], c[1]]) & 0x7c00 == 0x7c00)
            .count(),
        Dtype::BF16 => data
            .chunks_exact(2)
            .filter(|c| u16::from_le_bytes([c[0], c[1]]) & 0x7f80 == 0x7f80)
            .count(),
        Dtype::F64 => data
            .chunks_exact(8)
            .filter(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_le_bytes(b) & 0x7ff0_0000_0000_0000 == 0x7ff0_0000_0000_0000
            })
            .count(),
        _ => 0,
    }
}

/// Checks every file listed in `dir/SHA256SUMS`. `Ok(None)`: there is no such list.
pub fn verify_dir(dir: &Path) -> Result<Option<Verified>, ChecksumError> {
    let sums_path = dir.join(SUMS_FILE);
    let sums = match std::fs::read_to_string(&sums_path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ChecksumError::Io {
                path: sums_path,
                source,
            })
        }
    };
    let listed = parse_sums(&sums, &sums_path)?;
    let cache_path = dir.join(CACHE_FILE);
    let cache = std::fs::read_to_string(&cache_path)
        .map(|c| parse_cache(&c))
        .unwrap_or_default();
    let mut fresh = BTreeMap::new();
    let mut hashed = 0;
    for (name, expected) in &listed {
        let file = dir.join(name);
        let io = |source| ChecksumError::Io {
            path: file.clone(),
            source,
        };
        let stamp = stamp_of(&file).map_err(io)?;
        let actual = match cache.get(name) {
            Some((digest, s)) if *s == stamp => digest.clone(),
            _ => {
                hashed += 1;
                sha256_file(&file).map_err(io)?
            }
        };
        if actual != *expected {
            return Err(ChecksumError::Mismatch {
                file,
                sums: sums_path,
                expected: expected.clone(),
                actual,
            });
        }
        fresh.insert(name.clone(), (actual, stamp));
    }
    if hashed > 0 {
        // Best effort: a read-only model directory only costs hashing again next time.
        let text: String = fresh
            .iter()
            .map(|(name, (digest, (size, mtime)))| format!("{digest} {size} {mtime} {name}\n"))
            .collect();
        let _ = crate::format::write_atomically(&cache_path, text.as_bytes(), true);
    }
    Ok(Some(Verified {
        files: listed.len(),
        hashed,
    }))
}

/// (size in bytes, mtime in ns since the epoch): a file with the same stamp is taken as unchanged.
type Stamp = (u64, u128);

fn stamp_of(file: &Path) -> std::io::Result<Stamp> {
    let meta = std::fs::metadata(file)?;
    let mtime = meta
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Ok((meta.len(), mtime))
}

pub fn sha256_file(file: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(file)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

fn parse_sums(text: &str, path: &Path) -> Result<BTreeMap<String, String>, ChecksumError> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: &str| ChecksumError::Malformed {
            path: path.to_path_buf(),
            line: i + 1,
            message: message.to_string(),
        };
        let (digest, name) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("expected `<sha256>  <file name>`"))?;
        // sha256sum marks binary mode with a leading '*'.
        let name = name.trim_start().trim_start_matches('*');
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("not a sha256 digest"));
        }
        // Names stay inside the model directory.
        if name.is_empty() || Path::new(name).components().count() != 1 || name == ".." {
            return Err(bad("the file name must be a plain name in this directory"));
        }
        out.insert(name.to_string(), digest.to_ascii_lowercase());
    }
    Ok(out)
}

fn parse_cache(text: &str) -> BTreeMap<String, (String, Stamp)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.splitn(4, ' ');
            let digest = f.next()?.to_string();
            let size = f.next()?.parse().ok()?;
            let mtime = f.next()?.parse().ok()?;
            let name = f.next()?.to_string();
            Some((name, (digest, (size, mtime))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.safetensors"), vec![7u8; 4096]).unwrap();
        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        let sums = format!(
            "{}  model.safetensors\n{}  config.json\n",
            sha256_file(&dir.path().join("model.safetensors")).unwrap(),
            sha256_file(&dir.path().join("config.json")).unwrap()
        );
        std::fs::write(dir.path().join(SUMS_FILE), sums).unwrap();
        dir
    }

    #[test]
    fn intact_files_are_hashed_once_then_read_from_the_cache() {
        let dir = model_dir();
        let v = verify_dir(dir.path()).unwrap().unwrap();
        assert_eq!(
            v,
            Verified {
                files: 2,
                hashed: 2
            }
        );
        let v = verify_dir(dir.path()).unwrap().unwrap();
        assert_eq!(
            v,
            Verified {
                files: 2,
                hashed: 0
            }
        );
    }

    #[test]
    fn a_same_size_corruption_is_caught_and_names_the_file() {
        let dir = model_dir();
        verify_dir(dir.path()).unwrap();
        // Same size, other bytes (as NaN bytes written over a weight): the mtime changes, so the
        // cache does not hide it.
        let weights = dir.path().join("model.safetensors");
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&weights, vec![0xffu8; 4096]).unwrap();
        let err = verify_dir(dir.path()).unwrap_err().to_string();
        assert!(err.starts_with(&weights.display().to_string()), "{err}");
        assert!(
            err.contains("does not match") && err.contains("--skip-checksums"),
            "{err}"
        );
    }

    #[test]
    fn without_sums_the_weights_are_scanned_for_non_finite_values() {
        let dir = tempfile::tempdir().unwrap();
        let write = |values: &[f32]| {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            let view = safetensors::tensor::TensorView::new(
                safetensors::Dtype::F32,
                vec![values.len()],
                &bytes,
            )
            .unwrap();
            let out = safetensors::serialize([("classifier.weight", view)], &None).unwrap();
            std::fs::write(dir.path().join("model.safetensors"), out).unwrap();
        };
        write(&[0.5, -1.0, 3.0]);
        assert_eq!(
            check_model_dir(dir.path()).unwrap(),
            Verified {
                files: 1,
                hashed: 1
            }
        );
        assert_eq!(check_model_dir(dir.path()).unwrap().hashed, 0, "cached");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&[0.5, f32::NAN, f32::INFINITY]);
        let err = check_model_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("tensor \"classifier.weight\" holds 2 NaN or infinite"),
            "{err}"
        );
    }

    #[test]
    fn missing_files_and_malformed_lists_are_errors_and_no_list_is_no_check() {
        let dir = model_dir();
        std::fs::remove_file(dir.path().join("config.json")).unwrap();
        let err = verify_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("config.json"), "{err}");
        std::fs::write(dir.path().join(SUMS_FILE), "abc  ../etc/passwd\n").unwrap();
        let err = verify_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("SHA256SUMS:1"), "{err}");
        std::fs::remove_file(dir.path().join(SUMS_FILE)).unwrap();
        assert_eq!(verify_dir(dir.path()).unwrap(), None);
    }
}
