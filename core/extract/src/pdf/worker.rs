//! Runs a parser on a worker thread under `catch_unwind` with a timeout, because
//! `pdf-extract` 0.12 panics on many malformed files and bounds none of its work.
//!
//! A thread cannot be killed from outside. On timeout the caller gets
//! [`ExtractError::TimedOut`] at once and the worker is asked to stop through a
//! cancellation flag, which the text output checks on every character. Work that
//! emits no characters (loading with `lopdf`, font parsing, the guards) does not
//! check the flag, so a worker busy there runs on, leaked, until it finishes.
//! At most [`MAX_RUNNING`] workers exist at a time, so leaked workers cannot pile up.
//! Beyond that, new extractions fail with [`ExtractError::Busy`].

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Once, mpsc};
use std::thread;
use std::time::Duration;

use crate::ExtractError;

/// Name of every worker thread; the panic hook recognises workers by it.
pub const WORKER_NAME: &str = "carnet-extract-pdf";

/// Maximum number of workers alive at once, stuck ones included.
pub(crate) const MAX_RUNNING: usize = 8;

/// Stack size of a worker. `lopdf` parses nested objects recursively (up to 100
/// levels), so the worker gets more than the 2 MiB default; untouched stack pages
/// cost no memory.
const WORKER_STACK: usize = 16 * 1024 * 1024;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Releases a worker slot when the worker ends, even by panic.
struct Slot;

impl Drop for Slot {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `job` on a worker thread and waits at most `timeout` for its result.
///
/// `job` receives a cancellation flag that becomes true when the caller stops
/// waiting; long loops inside `job` should check it and return early.
pub(crate) fn run_isolated<T, F>(
    task: &'static str,
    timeout: Duration,
    job: F,
) -> Result<T, ExtractError>
where
    T: Send + 'static,
    F: FnOnce(&AtomicBool) -> Result<T, ExtractError> + Send + 'static,
{
    install_quiet_panic_hook();

    let running = RUNNING.fetch_add(1, Ordering::SeqCst);
    if running >= MAX_RUNNING {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        return Err(ExtractError::Busy { running });
    }
    let slot = Slot;

    let cancel = Arc::new(AtomicBool::new(false));
    let worker_cancel = Arc::clone(&cancel);
    let (sender, receiver) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new()
        .name(WORKER_NAME.to_owned())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let _slot = slot;
            let result = panic::catch_unwind(AssertUnwindSafe(|| job(&worker_cancel)))
                .unwrap_or(Err(ExtractError::ParserPanicked { parser: task }));
            // The receiver is gone when the caller timed out; nothing to do then.
            let _ = sender.send(result);
        });
    // On a spawn failure the closure, and with it the slot, has been dropped.
    let handle = spawned.map_err(|error| ExtractError::WorkerFailed(error.to_string()))?;

    match receiver.recv_timeout(timeout) {
        Ok(result) => {
            let _ = handle.join();
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            cancel.store(true, Ordering::SeqCst);
            Err(ExtractError::TimedOut {
                task,
                seconds: timeout.as_secs(),
            })
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(ExtractError::ParserPanicked { parser: task })
        }
    }
}

/// Installs, once per process, a panic hook that stays silent for panics on worker
/// threads and defers to the previous hook for every other thread. Worker panics are
/// expected on malformed files and their messages can quote document text, which
/// must not reach stderr or the platform log.
///
/// NOTE: a hook that the application sets after the first extraction replaces this
/// one; such a hook should ignore threads named [`WORKER_NAME`].
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if thread::current().name() != Some(WORKER_NAME) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_is_returned() {
        let value = run_isolated("test", Duration::from_secs(30), |_| Ok(7)).unwrap();
        assert_eq!(value, 7);
    }

    #[test]
    fn panic_becomes_error() {
        let result: Result<(), _> = run_isolated("test", Duration::from_secs(30), |_| {
            panic!("malformed input")
        });
        assert!(matches!(
            result,
            Err(ExtractError::ParserPanicked { parser: "test" })
        ));
    }

    #[test]
    fn timeout_cancels_cooperative_job() {
        let (release, wait) = mpsc::channel::<()>();
        let result: Result<(), _> =
            run_isolated("test", Duration::from_millis(50), move |cancel| {
                // Wait until cancelled; the channel only keeps the loop from spinning.
                while !cancel.load(Ordering::SeqCst) {
                    let _ = wait.recv_timeout(Duration::from_millis(5));
                }
                Ok(())
            });
        drop(release);
        assert!(matches!(
            result,
            Err(ExtractError::TimedOut { task: "test", .. })
        ));
    }
}
