//! `quoteval`, the command line without libtorch (it starts in milliseconds): the commands that
//! run a model are handed to `quoteval-ner` (see `quoteval::handoff`). Everything is in
//! `quoteval::cli`.

fn main() -> std::process::ExitCode {
    quoteval::cli::main()
}
