//! `quoteval-ner`: the `quoteval` command line (`src/main.rs`, one definition) built with the
//! `ner` feature, so it runs models on libtorch itself. The light `quoteval` hands the commands
//! that run a model to it (see `quoteval::handoff`); it can also be run directly.

#[path = "../main.rs"]
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
