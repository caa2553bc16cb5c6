//! Records the commit the binary is built from, for `--version`: the
//! short hash and its date, "+dirty" when the work tree has changes, or
//! "commit unknown" outside a git checkout.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    let commit = match (
        git(&["rev-parse", "--short=12", "HEAD"]),
        git(&["log", "-1", "--format=%cs"]),
    ) {
        (Some(hash), Some(date)) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
            format!("commit {hash}{} {date}", if dirty { "+dirty" } else { "" })
        }
        _ => "commit unknown".to_string(),
    };
    println!("cargo:rustc-env=BOARDROOM_COMMIT={commit}");
    // Build again when HEAD moves: the ref it names, or a detached HEAD.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{head}");
        }
        println!("cargo:rerun-if-changed={dir}/index");
    }
}
