//! Where a command's output goes: standard output, or the file given with
//! `-o/--output`, the same for every command.
//!
//! A file is written beside its final path and renamed over it only when
//! the command succeeds: a command that fails part-way leaves whatever the
//! path held before untouched, and never a half-written file in its place.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result};

static PATH: OnceLock<PathBuf> = OnceLock::new();
static PENDING: Mutex<Option<AtomicFile>> = Mutex::new(None);
/// A command that streams to the file itself (`analyse`) has claimed it.
static CLAIMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Send the output to `path` instead of standard output.
pub fn set(path: PathBuf) {
    let _ = PATH.set(path);
}

/// The file the output goes to, if not standard output.
pub fn path() -> Option<&'static Path> {
    PATH.get().map(PathBuf::as_path)
}

/// The output file, for a command that writes it itself with an
/// [`AtomicFile`] (streaming rows rather than text); [`finish`] then leaves
/// it alone.
pub fn claim() -> Option<&'static Path> {
    let p = path()?;
    CLAIMED.store(true, std::sync::atomic::Ordering::SeqCst);
    Some(p)
}

/// Write `bytes` to the output: the pending file when `-o` was given,
/// else standard output.
pub fn write(bytes: &[u8]) -> Result<bool> {
    let Some(path) = path() else {
        return Ok(false);
    };
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    if pending.is_none() {
        *pending = Some(AtomicFile::create(path)?);
    }
    if let Some(f) = pending.as_mut() {
        f.write_all(bytes)
            .with_context(|| format!("could not write `{}`", path.display()))?;
    }
    Ok(true)
}

/// Put the output file in place (an empty one when the command printed
/// nothing), or, when the command failed, throw it away.
pub fn finish(succeeded: bool) -> Result<()> {
    let Some(path) = path() else {
        return Ok(());
    };
    if CLAIMED.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(());
    }
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner()).take();
    if !succeeded {
        return Ok(());
    }
    match pending {
        Some(f) => f.persist(),
        None => AtomicFile::create(path)?.persist(),
    }
}

/// A file written beside `path` and renamed over it by [`AtomicFile::persist`];
/// dropped without it, it is deleted. A path that is not a regular file
/// (`/dev/null`, a pipe, a terminal) is written in place: renaming over it
/// would replace the device with a file. A symbolic link is followed, and
/// the file it names is replaced, not the link.
pub struct AtomicFile {
    path: PathBuf,
    file: Sink,
}

enum Sink {
    Beside(std::io::BufWriter<tempfile::NamedTempFile>),
    InPlace(std::io::BufWriter<std::fs::File>),
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let cannot = |e: std::io::Error, dir: &Path| {
            anyhow::anyhow!(
                "could not create `{}`: {}\n  = hint: does the folder `{}` exist, and may this user write in it?",
                path.display(),
                e.kind(),
                dir.display()
            )
        };
        if let Ok(m) = std::fs::metadata(path)
            && !m.is_file()
        {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| cannot(e, path))?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                file: Sink::InPlace(std::io::BufWriter::new(f)),
            });
        }
        // The file a link names, so that the link stays a link.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".boardroom-");
        // A file others may read, as the shell's `>` makes it (a temporary
        // file is private by default); an existing file keeps its mode.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).map_or(0o644, |m| m.permissions().mode());
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let file = builder.tempfile_in(&dir).map_err(|e| cannot(e, &dir))?;
        Ok(AtomicFile {
            path: target,
            file: Sink::Beside(std::io::BufWriter::new(file)),
        })
    }

    /// Flush, sync and rename over the final path (or, in place, flush).
    pub fn persist(self) -> Result<()> {
        let path = self.path;
        let failed = |e: std::io::Error| {
            anyhow::Error::from(e).context(format!("could not write `{}`", path.display()))
        };
        match self.file {
            Sink::InPlace(mut f) => f.flush().map_err(failed),
            Sink::Beside(f) => {
                let file = f.into_inner().map_err(|e| failed(e.into_error()))?;
                file.as_file().sync_all().map_err(failed)?;
                file.persist(&path).map_err(|e| failed(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Sink::Beside(f) => f.write(buf),
            Sink::InPlace(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Sink::Beside(f) => f.flush(),
            Sink::InPlace(f) => f.flush(),
        }
    }
}

/// Write `bytes` to `path` whole, or not at all.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)
        .with_context(|| format!("could not write `{}`", path.display()))?;
    f.persist()
}
