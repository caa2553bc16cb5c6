//! Embeds the OCF JSON Schema tree (`ocf-schema/`): one `include_str!` per
//! schema file, keyed by its path under `schema/`, so that validation needs
//! no network and no checkout of the standard.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("ocf-schema/ is readable")
        .map(|e| e.expect("ocf-schema/ entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.to_string_lossy().ends_with(".schema.json") {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ocf-schema");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut code = String::from("/// The OCF schema files: (path under `schema/`, text).\n");
    code.push_str("pub(crate) const OCF_SCHEMA_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&root).expect("under ocf-schema/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("ocf_schema.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
