//! The report's title: what was analysed.

use crate::walk::display_path;
use std::path::{Component, Path};

/// The single path given, or the directory the given paths have in common; `.` (or no
/// common directory) becomes the current directory's name.
pub fn report_title(paths: &[String]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| display_path(Path::new(p))).collect();
    let title = match shown.as_slice() {
        [one] => one.clone(),
        many => common_dir(many),
    };
    if title.is_empty() || title == "." || title.ends_with("..") {
        return current_dir_name(&title).unwrap_or_else(|| "project".to_string());
    }
    title
}

/// The longest run of leading components that every path shares (`src/a.js`,
/// `src/lib/b.js` → `src`).
fn common_dir(paths: &[String]) -> String {
    let split: Vec<Vec<&str>> = paths.iter().map(|p| p.split('/').collect()).collect();
    let Some(first) = split.first() else { return String::new() };
    let mut n = 0;
    while n < first.len() && split.iter().all(|parts| parts.len() > n + 1 && parts[n] == first[n]) {
        n += 1;
    }
    match first[..n].join("/") {
        s if s.is_empty() && first.first() == Some(&"") && n == 1 => "/".to_string(),
        s => s,
    }
}

/// The name of the directory `relative` (`.`, `..`, `../..`) names.
fn current_dir_name(relative: &str) -> Option<String> {
    let base = std::env::current_dir().ok()?;
    let dir = if relative.is_empty() { base } else { base.join(relative).canonicalize().ok()? };
    match dir.components().next_back()? {
        Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(paths: &[&str]) -> String {
        report_title(&paths.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn single_path_as_given() {
        assert_eq!(title(&["./src/app.js"]), "src/app.js");
        assert_eq!(title(&["services/api/"]), "services/api");
    }

    #[test]
    fn common_directory_of_several() {
        assert_eq!(title(&["src/a.js", "src/lib/b.js"]), "src");
        assert_eq!(title(&["app/src/a.js", "app/src/b.js"]), "app/src");
        assert_eq!(title(&["app/src", "app/src/b.js"]), "app");
    }

    #[test]
    fn dot_becomes_the_directory_name() {
        let here = std::env::current_dir().unwrap();
        let name = here.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(title(&["."]), name);
        assert_eq!(title(&["a.js", "b.js"]), name);
    }
}
