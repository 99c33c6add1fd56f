//! `quoteval-ner`: the `quoteval` command line (`quoteval::cli`, one definition) built with the
//! `ner` feature, so it runs models on libtorch itself. The light `quoteval` hands the commands
//! that run a model to it (see `quoteval::handoff`); it can also be run directly.

fn main() -> std::process::ExitCode {
    quoteval::cli::main()
}
