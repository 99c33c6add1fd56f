//! Assembles the NER model until `quoteval model assemble` exists:
//!
//!     cargo run --release --no-default-features --example assemble -- BASE_DIR ARTIFACT_DIR OUT_DIR
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 3 {
        eprintln!("usage: assemble BASE_DIR ARTIFACT_DIR OUT_DIR");
        return ExitCode::from(2);
    }
    let (base, art, out) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    match quoteval::model_artifact::assemble(&base, &art, &out) {
        Ok(a) => {
            println!(
                "assembled {} ({} tensors, {} LoRA merges, {} replaced/added); model.safetensors sha256 {}",
                a.out_dir.display(),
                a.tensors,
                a.merged,
                a.replaced,
                a.model_sha256
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
