//! Embeds every statutory year file under `data/calendars/cn/` so that a new year
//! is picked up by dropping its file in, without touching the code.

use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../data/calendars/cn");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(
        "/// Statutory year files: (file name, contents).\npub(crate) static STATUTORY_FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let abs = fs::canonicalize(path).expect("listed file exists");
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            format!("cn/{name}"),
            abs
        ));
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("statutory_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
