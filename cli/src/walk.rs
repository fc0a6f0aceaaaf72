//! Turns the PATH arguments into the list of files to analyse.
//!
//! Files named explicitly are always read. Directories are walked with the `ignore` crate,
//! honouring `.gitignore` (also outside a git repository), `.ignore` and `.git/info/exclude`,
//! skipping hidden entries, dependency and build-output directories, and keeping only
//! JavaScript/TypeScript sources. The result is sorted and free of duplicates, with paths
//! as the user wrote them (forward slashes, no `./`).

use backlens_core::is_source_path;
use ignore::WalkBuilder;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Directories never walked into: dependencies and build output. Hidden directories
/// (`.git`, `.next`, `.nuxt`, `.cache`, …) are skipped as hidden.
pub const SKIPPED_DIRS: &[&str] =
    &["node_modules", "bower_components", "dist", "build", "out", "coverage", ".next", ".nuxt"];

/// One file to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// How the file is named in the output.
    pub display: String,
    /// Where to read it.
    pub path: PathBuf,
}

/// What went wrong while collecting the inputs; fatal (exit 2).
pub type WalkError = String;

/// Collects the files named by `paths`. Problems with ignore files (a bad glob) are
/// returned as warnings, not errors.
pub fn collect(paths: &[String]) -> Result<(Vec<Input>, Vec<String>), WalkError> {
    let mut inputs = Vec::new();
    let mut warnings = Vec::new();
    for given in paths {
        let path = Path::new(given);
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {given}: {}", io_message(&e)))?;
        if meta.is_dir() {
            let before = inputs.len();
            walk_dir(path, &mut inputs, &mut warnings)?;
            if inputs.len() == before {
                warnings.push(format!("warning: no JavaScript or TypeScript files found in {given}"));
            }
        } else {
            inputs.push(Input { display: display_path(path), path: path.to_path_buf() });
        }
    }
    inputs.sort_by(|a, b| a.display.cmp(&b.display));
    inputs.dedup_by(|a, b| a.display == b.display);
    Ok((inputs, warnings))
}

fn walk_dir(root: &Path, inputs: &mut Vec<Input>, warnings: &mut Vec<String>) -> Result<(), WalkError> {
    let walker = WalkBuilder::new(root)
        .standard_filters(true)
        .hidden(true)
        .require_git(false)
        .git_global(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && entry.file_name().to_str().is_some_and(|name| SKIPPED_DIRS.contains(&name)))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let display = display_path(entry.path());
                if is_source_path(&display) {
                    inputs.push(Input { display, path: entry.into_path() });
                }
            }
            Err(err) => {
                if let Some(io_err) = err.io_error() {
                    // An unreadable directory or a vanished entry: the input is incomplete.
                    let msg = err.to_string();
                    return Err(if msg.contains(&io_err.to_string()) {
                        msg
                    } else {
                        format!("{msg}: {}", io_message(io_err))
                    });
                }
                // A malformed .gitignore pattern and the like: the walk goes on.
                warnings.push(format!("warning: {}", err.to_string().replace('\n', " ")));
            }
        }
    }
    Ok(())
}

/// `./src//app.js` → `src/app.js`; `a\b.js` (Windows) → `a/b.js`; `.` stays `.`.
pub fn display_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().replace('\\', "/")),
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// An I/O error as a short lower-case phrase, without the OS error number.
pub fn io_message(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths() {
        assert_eq!(display_path(Path::new("./src//app.js")), "src/app.js");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new("./")), ".");
        assert_eq!(display_path(Path::new("../x/y.ts")), "../x/y.ts");
        assert_eq!(display_path(Path::new("/tmp/a.js")), "/tmp/a.js");
    }
}
