//! Model files checked against the `SHA256SUMS` beside them before a model is loaded, so that a
//! corrupted or half-copied model is an error naming the file instead of silently worse output.
//!
//! Hashing the default model takes about a tenth of a second per 100 MB, so each file is hashed
//! once and its digest cached (in [`CACHE_FILE`] in the model directory) with the file's size and
//! modification time; a file whose size or mtime changed is hashed again. A directory without
//! `SHA256SUMS` is not checked (a user's own model); one whose sums do not match is refused unless
//! the user opts out (`--skip-checksums`).

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
