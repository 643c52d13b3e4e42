//! A test hook: a debug build can be made to stop dead at a chosen step of
//! publishing, so that the tests kill it at that exact point rather than at
//! a moment guessed from a clock.
//!
//! With `MAKE_FEED_HALT_AT=n` (debug builds only; release builds compile
//! this to nothing), the `n`-th step, counting from 1 (a temporary file
//! created, or filled; an output renamed into place; the manifest written;
//! an old output deleted), writes `make-feed: halted at step n` to standard
//! error and then waits forever, leaving the output folder as that moment
//! left it.

/// One step of publishing done; halts here if this is the chosen one.
#[cfg(debug_assertions)]
pub(crate) fn step() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    static HALT_AT: OnceLock<Option<u64>> = OnceLock::new();
    static STEPS: AtomicU64 = AtomicU64::new(0);
    let halt_at = HALT_AT.get_or_init(|| std::env::var("MAKE_FEED_HALT_AT").ok()?.parse().ok());
    let Some(halt_at) = *halt_at else { return };
    if STEPS.fetch_add(1, Ordering::SeqCst) + 1 == halt_at {
        eprintln!("make-feed: halted at step {halt_at}");
        loop {
            std::thread::park();
        }
    }
}

/// One step of publishing done.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn step() {}
