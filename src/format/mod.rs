//! Reading and writing annotations: the project's own JSON files, plus the exchange formats.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

pub mod brat;
pub mod conll;
pub mod json;
mod json_lines;
pub mod labels;
pub mod layers;
pub mod polnear;

/// One thing wrong with an input file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<usize>,
    /// The item's path inside the file (`quotes[3].cue`), empty for the whole file.
    pub item: String,
    pub message: String,
}

impl Problem {
    pub fn io(file: &Path, err: &std::io::Error) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line: None,
            item: String::new(),
            message: err.to_string(),
        }
    }

    pub fn file(file: &Path, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line: None,
            item: String::new(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.item.is_empty() {
            write!(f, ": {}", self.item)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Problems found in one or more files, shown one per line.
#[derive(Debug, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} exists; pass --force to overwrite it")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes a file through a temporary file in the same directory and a rename, so a reader never
/// sees half a file and a failed write leaves the old one intact.
pub fn write_atomically(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    if !overwrite && path.exists() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    // A symbolic link is written through: its target gets the new content, the link stays.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::read_link(path).map_err(|source| WriteError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            resolved = match path.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            resolved.as_path()
        }
        _ => path,
    };
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A device or a pipe (`--out /dev/null`, `/dev/stdout`) is written into, never replaced:
    // renaming a file over /dev/null would turn it into a plain file for the whole machine.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(io);
        }
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Checks, before any work, that `path` can be written: not a directory (for a file), and its
/// directory, or the nearest existing one above it, a directory this process can create files in
/// (a probe file is created and removed). `dir` says whether `path` is itself a directory.
pub fn check_writable(path: &Path, dir: bool) -> Result<(), WriteError> {
    let refuse = |message: String| WriteError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(message),
    };
    if !dir && path.is_dir() {
        return Err(refuse("is a directory".into()));
    }
    if dir && path.exists() && !path.is_dir() {
        return Err(refuse("exists and is not a directory".into()));
    }
    let home = if dir {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let mut existing = home.as_path();
    while !existing.exists() {
        existing = match existing.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(p) => p,
            None => Path::new("."),
        };
        if existing == Path::new(".") {
            break;
        }
    }
    if !existing.is_dir() {
        return Err(refuse(format!("{} is not a directory", existing.display())));
    }
    tempfile::Builder::new()
        .prefix(".quoteval-probe")
        .tempfile_in(existing)
        .map(drop)
        .map_err(|e| {
            refuse(format!(
                "cannot create files in {}: {e}",
                existing.display()
            ))
        })
}

/// An exclusive lock on a directory for as long as the value lives (flock on the directory
/// itself: nothing is left behind), so that two processes writing a set of files into the same
/// directory take turns instead of interleaving.
pub struct DirLock(#[allow(dead_code)] std::fs::File);

impl DirLock {
    pub fn acquire(dir: &Path) -> Result<DirLock, WriteError> {
        let io = |source| WriteError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let file = std::fs::File::open(dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock(2) on a descriptor this function owns; it touches no memory.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                return Err(io(std::io::Error::last_os_error()));
            }
        }
        Ok(DirLock(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_into_one_directory_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let other = std::thread::spawn(move || {
            let _second = DirLock::acquire(&path).unwrap();
            tx.send(()).unwrap();
        });
        // The second writer waits while the first holds the directory.
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the second writer goes on once the first is done");
        other.join().unwrap();
    }

    #[test]
    fn a_symlink_is_written_through_and_outputs_are_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        write_atomically(&link, b"new", true).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        // Checked before any work: a directory, a file as a parent, a missing parent that can
        // be made.
        assert!(check_writable(dir.path(), false).is_err());
        assert!(check_writable(&target.join("x.json"), false)
            .unwrap_err()
            .to_string()
            .contains("is not a directory"));
        assert!(check_writable(&dir.path().join("new/sub/x.json"), false).is_ok());
        assert!(check_writable(&target, true).is_err());
        assert!(!dir.path().join("new").exists(), "checking creates nothing");
    }

    #[test]
    fn a_device_is_written_into_never_replaced() {
        let null = Path::new("/dev/null");
        write_atomically(null, b"discarded", true).unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null became a plain file");
    }

    #[test]
    fn atomic_write_refuses_to_overwrite_without_permission() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.json");
        write_atomically(&path, b"one", false).unwrap();
        assert!(matches!(
            write_atomically(&path, b"two", false),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        write_atomically(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
