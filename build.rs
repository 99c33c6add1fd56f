//! Gives every binary (the CLI, tests, benches) an rpath to the libtorch that tch linked against,
//! so that nothing needs LD_LIBRARY_PATH, and tells the crate whether that libtorch has CUDA.
//! torch-sys (a direct dependency under the `ner` feature) publishes its library directory as
//! DEP_TCH_LIBTORCH_LIB (its `links = "tch"` key).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    println!("cargo:rustc-check-cfg=cfg(quoteval_libtorch_cuda)");
    if std::env::var_os("CARGO_FEATURE_NER").is_none() {
        return;
    }
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if let Some(dir) = std::env::var_os("DEP_TCH_LIBTORCH_LIB") {
        // Re-run when the layout changes (scripts/setup-libtorch.sh switching CPU <-> CUDA).
        println!("cargo:rerun-if-changed={}", dir.to_string_lossy());
        // Which libtorch was linked, for the error message of device = "cuda" without a GPU.
        if std::path::Path::new(&dir).join("libtorch_cuda.so").exists() {
            println!("cargo:rustc-cfg=quoteval_libtorch_cuda");
        }
        let dir = dir.to_string_lossy();
        if os == "linux" {
            // DT_RPATH rather than DT_RUNPATH: it also applies to the libraries libtorch loads
            // itself (the CUDA build's cuDNN and cuBLAS, opened with dlopen).
            println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags,-rpath,{dir}");
        } else {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        }
    }
}
