//! A progress indicator on standard error for long runs: when standard error is a terminal
//! and the work takes more than a second, a spinner with the elapsed time, cleared when done.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator for `what` (e.g. "comparing"); does nothing when standard error is
    /// not a terminal, so logs and CI output stay clean.
    pub fn start(what: &'static str) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress { done, thread: None };
        }
        let flag = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let frames = ['|', '/', '-', '\\'];
            let mut shown = false;
            let mut frame = 0;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let elapsed = started.elapsed();
                if elapsed < Duration::from_secs(1) {
                    continue;
                }
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r{} envparity: {what}... {:.0}s",
                    frames[frame % frames.len()],
                    elapsed.as_secs_f64()
                );
                let _ = err.flush();
                shown = true;
                frame += 1;
            }
            if shown {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{:60}\r", "");
                let _ = err.flush();
            }
        });
        Progress {
            done,
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
