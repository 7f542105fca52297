//! SIGINT and SIGTERM during a sweep: the first one asks the run loop to stop handing out
//! variants, so that the rows solved so far are written and flushed before the process
//! exits (130 for SIGINT, 143 for SIGTERM); a second one ends the process at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;

use super::error::Signal;

/// The termination signals received so far (the last one's number, 0 for none).
#[derive(Clone, Debug)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
}

impl Interrupt {
    /// Installs the handlers for the rest of the process.
    pub fn install() -> std::io::Result<Interrupt> {
        let signal = Arc::new(AtomicUsize::new(0));
        let armed = Arc::new(AtomicBool::new(false));
        for sig in [SIGINT, SIGTERM] {
            // Registered first, so that it acts only from the second signal on.
            flag::register_conditional_default(sig, Arc::clone(&armed))?;
            flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
            flag::register(sig, Arc::clone(&armed))?;
        }
        Ok(Interrupt { signal })
    }

    /// The flag the run loop polls: non-zero once a signal has arrived.
    pub fn flag(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.signal)
    }

    /// The signal received, if any.
    pub fn received(&self) -> Option<Signal> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s if s == SIGTERM as usize => Some(Signal::Terminate),
            _ => Some(Signal::Interrupt),
        }
    }
}
