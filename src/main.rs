//! The `make-feed` binary: everything it does is [`make_feed::run`].

fn main() -> std::process::ExitCode {
    make_feed::run(std::env::args_os())
}
