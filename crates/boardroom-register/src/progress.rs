//! Progress reporting, as a trait, so that the library stays free of
//! terminals and clocks. [`stderr_progress`] picks a bar or plain lines.

use std::io::IsTerminal;
use std::sync::Mutex;

/// Receives progress of long phases (reading, analysis, writing).
///
/// Every method has an empty default, so an implementation overrides only
/// what it shows.
pub trait Progress: Sync {
    /// A phase starts; `total` is in the phase's own unit (bytes, nodes).
    fn begin(&self, _phase: &str, _total: Option<u64>) {}
    /// `delta` more units of the current phase are done.
    fn advance(&self, _delta: u64) {}
    /// The current phase is done.
    fn end(&self) {}
    /// Whether the caller wants the work stopped (a call interrupted with
    /// Ctrl-C): reading checks it after each chunk and then fails with
    /// `ReadError::Stopped`, returning nothing partial.
    fn stopped(&self) -> bool {
        false
    }
}

/// Shows nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {}

/// An indicatif bar on stderr.
#[derive(Debug, Default)]
pub struct Bar {
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Progress for Bar {
    fn begin(&self, phase: &str, total: Option<u64>) {
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg:>10} [{bar:30}] {percent:>3}% {human_pos}/{human_len} {per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(phase.to_owned());
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }
    fn advance(&self, delta: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(b) = b.as_ref()
        {
            b.inc(delta);
        }
    }
    fn end(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(b) = b.take()
        {
            b.finish_and_clear();
        }
    }
}

/// Plain lines on stderr at every tenth of the total (or every 2^k units
/// when the total is unknown), for logs and CI.
#[derive(Debug, Default)]
pub struct Lines {
    state: Mutex<LineState>,
}

#[derive(Debug, Default)]
struct LineState {
    phase: String,
    total: Option<u64>,
    done: u64,
    next: u64,
}

impl Progress for Lines {
    fn begin(&self, phase: &str, total: Option<u64>) {
        if let Ok(mut s) = self.state.lock() {
            *s = LineState {
                phase: phase.to_owned(),
                total,
                done: 0,
                next: total.map_or(1 << 20, |t| t / 10),
            };
            eprintln!("{}: started", s.phase);
        }
    }
    fn advance(&self, delta: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.done += delta;
            if s.done >= s.next && s.next > 0 {
                match s.total {
                    Some(t) if t > 0 => {
                        eprintln!("{}: {}% ({}/{})", s.phase, s.done * 100 / t, s.done, t);
                        s.next = s.done + t / 10;
                    }
                    _ => {
                        eprintln!("{}: {}", s.phase, s.done);
                        s.next = s.done.saturating_mul(2);
                    }
                }
            }
        }
    }
    fn end(&self) {
        if let Ok(s) = self.state.lock() {
            eprintln!("{}: done ({})", s.phase, s.done);
        }
    }
}

/// A bar when stderr is a terminal, plain lines otherwise.
pub fn stderr_progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::default())
    } else {
        Box::new(Lines::default())
    }
}
