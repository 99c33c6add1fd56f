//! Process-wide settings for running a model: made by the executable (`main`, the benches), never
//! by the library itself, so that a program embedding quoteval keeps its own allocator and thread
//! pool choices (ripgrep keeps such choices in `main` for the same reason).
//!
//! - **Threads**: libtorch's intra-op thread pool is one per process (`tch::set_num_threads`);
//!   [`Tuning::threads`] comes from the models.toml entry's `threads` or `--threads`.
//! - **Freed memory kept**: libtorch's CPU tensors come from glibc's malloc, which by default
//!   hands big freed blocks back to the kernel (mmap'd blocks are unmapped, the heap top is
//!   trimmed), so every forward pass page-faults its activations in again: about a third of the
//!   time of a MiniLM batch on 2 cores. With [`Tuning::keep_freed_memory`] freed memory stays in
//!   the process instead; the peak RSS does not grow (what is kept was in use at the peak).

/// What a run asks of the process; see [`crate::models::ModelsFile::tuning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tuning {
    /// libtorch intra-op threads; libtorch's default (every core) when `None`.
    pub threads: Option<usize>,
    /// Keep freed memory in the process (glibc `mallopt`), for model inference.
    pub keep_freed_memory: bool,
}

/// Applies `tuning` to the whole process. Call it once, before the model runs.
pub fn apply(tuning: &Tuning) {
    if tuning.keep_freed_memory {
        keep_freed_memory();
    }
    #[cfg(feature = "ner")]
    if let Some(n) = tuning.threads {
        tch::set_num_threads(n.min(i32::MAX as usize) as i32);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: mallopt only sets allocator parameters; 32 MiB is glibc's largest mmap threshold.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
            mallopt(M_TRIM_THRESHOLD, i32::MAX);
        }
    });
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
