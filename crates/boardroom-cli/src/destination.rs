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
/// dropped without it, it is deleted.
pub struct AtomicFile {
    path: PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".boardroom-");
        // A file others may read, as the shell's `>` makes it (a temporary
        // file is private by default); an existing file keeps its mode.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let file = builder.tempfile_in(dir).map_err(|e| {
            anyhow::anyhow!(
                "could not create `{}`: {}\n  = hint: does the folder `{}` exist, and may this user write in it?",
                path.display(),
                e.kind(),
                dir.display()
            )
        })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            file: std::io::BufWriter::new(file),
        })
    }

    /// Flush, sync and rename over the final path.
    pub fn persist(self) -> Result<()> {
        let path = self.path;
        let file = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("could not write `{}`", path.display()))?;
        file.as_file()
            .sync_all()
            .with_context(|| format!("could not write `{}`", path.display()))?;
        file.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("could not write `{}`", path.display()))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Write `bytes` to `path` whole, or not at all.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)
        .with_context(|| format!("could not write `{}`", path.display()))?;
    f.persist()
}
