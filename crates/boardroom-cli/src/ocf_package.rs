//! Gather an OCF package's files: from a directory, a zip archive, or a
//! manifest's path (its directory, with that manifest). The library reads
//! them; this only fetches bytes, within limits a hostile archive cannot
//! stretch.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The most bytes read from a package, all files together.
const MAX_BYTES: u64 = 1 << 30;
/// The most files read from a package.
const MAX_FILES: usize = 10_000;

/// The package's files by path (with `/`), and the manifest named, if any.
pub struct Files {
    pub files: BTreeMap<String, Vec<u8>>,
    pub manifest: Option<String>,
}

fn too_big(path: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`{path}` holds more than {MAX_FILES} files or {} GiB: not read as an OCF package\n  = hint: an OCF package is a manifest and the JSON files it lists",
        MAX_BYTES >> 30
    )
}

fn walk(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
    total: &mut u64,
    path: &str,
) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("could not read the directory `{}`", dir.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("could not read the directory `{}`", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let kind = e.file_type()?;
        let p = e.path();
        if kind.is_dir() {
            walk(root, &p, files, total, path)?;
        } else if kind.is_file() && p.extension().is_some_and(|x| x == "json") {
            let len = e.metadata()?.len();
            *total += len;
            if *total > MAX_BYTES || files.len() >= MAX_FILES {
                return Err(too_big(path));
            }
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes =
                std::fs::read(&p).with_context(|| format!("could not read `{}`", p.display()))?;
            files.insert(rel, bytes);
        }
    }
    Ok(())
}

fn unzip(path: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let file = std::fs::File::open(path).with_context(|| format!("could not read `{path}`"))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).with_context(|| {
        format!("`{path}` is not a readable zip archive\n  = hint: give an OCF package as a directory, a zip archive or its manifest's path")
    })?;
    if archive.len() > MAX_FILES {
        return Err(too_big(path));
    }
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for k in 0..archive.len() {
        let mut entry = archive
            .by_index(k)
            .with_context(|| format!("`{path}`: entry {k} of the archive cannot be read"))?;
        let raw = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("entry {k}"));
        if !entry.is_file() || !raw.ends_with(".json") {
            continue;
        }
        let Some(name) = entry.enclosed_name() else {
            bail!("`{path}`: the archive entry `{raw}` points outside the archive");
        };
        let name = name.to_string_lossy().replace('\\', "/");
        // The declared size may lie: read at most what is left of the budget.
        let mut bytes = Vec::new();
        let budget = MAX_BYTES - total;
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("`{path}`: `{name}` cannot be decompressed"))?;
        total += bytes.len() as u64;
        if total > MAX_BYTES {
            return Err(too_big(path));
        }
        files.insert(name, bytes);
    }
    Ok(files)
}

/// The files of the package at `path`.
pub fn gather(path: &str) -> Result<Files> {
    let p = Path::new(path);
    let meta = std::fs::metadata(p).with_context(|| format!("could not read `{path}`"))?;
    if meta.is_dir() {
        let mut files = BTreeMap::new();
        walk(p, p, &mut files, &mut 0, path)?;
        return Ok(Files {
            files,
            manifest: None,
        });
    }
    let mut head = [0u8; 4];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .with_context(|| format!("could not read `{path}`"))?;
    if n == 4 && head == *b"PK\x03\x04" {
        return Ok(Files {
            files: unzip(path)?,
            manifest: None,
        });
    }
    // A manifest: its directory, with it as the manifest.
    let dir = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files, &mut 0, path)?;
    let name = p
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    Ok(Files {
        files,
        manifest: Some(name),
    })
}

/// Gather and import the package at `path`.
pub fn import(
    path: &str,
    as_of: Option<chrono::NaiveDate>,
) -> Result<boardroom_formats::ocf::Imported> {
    let files = gather(path)?;
    boardroom_formats::ocf::import(&files.files, files.manifest.as_deref(), as_of).map_err(|e| {
        match &e.hint {
            Some(h) => anyhow::anyhow!("`{path}`: {}\n  = hint: {h}", e.message),
            None => anyhow::anyhow!("`{path}`: {}", e.message),
        }
    })
}

/// Print the package's problems on standard error (the first `shown`; the
/// rest counted); return the number of errors.
pub fn report_problems(
    path: &str,
    imported: &boardroom_formats::ocf::Imported,
    shown: usize,
) -> usize {
    use boardroom_formats::ocf::Severity;
    let all: Vec<_> = imported.problems().collect();
    for p in all.iter().take(shown) {
        let level = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        stderrln!("{level}: {path}: {p}");
    }
    if all.len() > shown {
        stderrln!(
            "note: {path}: {} more problems not shown",
            all.len() - shown
        );
    }
    imported.errors()
}
