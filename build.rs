//! Gives every binary (the CLI, tests, benches) an rpath to the libtorch that tch linked against,
//! so that nothing needs LD_LIBRARY_PATH. torch-sys (a direct dependency under the `ner` feature)
//! publishes its library directory as DEP_TCH_LIBTORCH_LIB (its `links = "tch"` key).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    if std::env::var_os("CARGO_FEATURE_NER").is_none() {
        return;
    }
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if let Some(dir) = std::env::var_os("DEP_TCH_LIBTORCH_LIB") {
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
