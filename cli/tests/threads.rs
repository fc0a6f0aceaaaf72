//! The analysis runs on all cores (`backlens_core::par`, the `parallel` feature) and its
//! output is the same byte for byte whatever the number of threads: the CLI's fixtures, every
//! rule's spec fixtures analysed as one program, and — when `BACKLENS_CORPUS` names a directory
//! of projects (`scripts/bench.sh corpus DIR` makes one from the evaluation repositories) —
//! each project in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn backlens(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backlens"));
    command.args(args).current_dir(manifest_dir()).env_remove("SOURCE_DATE_EPOCH").env_remove("RAYON_NUM_THREADS");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the backlens binary runs")
}

/// The output of `analyze PATH --format FORMAT` on `threads` threads.
fn output(path: &Path, format: &str, threads: &str) -> Vec<u8> {
    let path = path.to_str().expect("UTF-8 path");
    let out = backlens(&["analyze", path, "--format", format, "--threads", threads], &[]);
    assert!(out.status.success() || out.status.code() == Some(1), "{path}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!out.stdout.is_empty(), "{path}: no output");
    out.stdout
}

fn same_on_1_and_n_threads(path: &Path, formats: &[&str]) {
    for format in formats {
        let one = output(path, format, "1");
        for n in ["2", "5"] {
            let many = output(path, format, n);
            assert!(one == many, "{}: --format {format} differs between 1 and {n} threads", path.display());
        }
    }
}

#[test]
fn the_output_is_the_same_on_one_thread_and_on_many() {
    let specs = manifest_dir().join("../core/tests/specs");
    assert!(specs.is_dir(), "{}", specs.display());
    // Hundreds of files from every rule, as one program.
    same_on_1_and_n_threads(&specs, &["json", "sarif", "markdown"]);
    let fixtures = manifest_dir().join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("cli/tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "{dirs:?}");
    let mut analysed = 0;
    for dir in dirs {
        // Fixtures of measurement files only have no sources to analyse.
        let probe = backlens(&["analyze", dir.to_str().expect("UTF-8 path"), "--format", "json"], &[]);
        if String::from_utf8_lossy(&probe.stderr).contains("no JavaScript or TypeScript files found") {
            continue;
        }
        same_on_1_and_n_threads(&dir, &["json"]);
        analysed += 1;
    }
    assert!(analysed >= 2, "{analysed}");
}

#[test]
fn the_evaluation_corpus_is_the_same_on_one_thread_and_on_many() {
    let Some(corpus) = std::env::var_os("BACKLENS_CORPUS") else {
        eprintln!("BACKLENS_CORPUS not set: the evaluation repositories are not checked here");
        return;
    };
    let mut projects: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("BACKLENS_CORPUS is a directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    projects.sort();
    assert!(!projects.is_empty(), "no project in {}", Path::new(&corpus).display());
    for p in projects {
        same_on_1_and_n_threads(&p, &["json"]);
    }
}

#[test]
fn threads_are_what_was_asked_for() {
    let threads = |args: &[&str], env: &[(&str, &str)]| -> String {
        let mut all = vec!["analyze", "tests/fixtures/express", "--format", "json", "--verbose"];
        all.extend_from_slice(args);
        let out = backlens(&all, env);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        err.lines().find_map(|l| l.strip_prefix("backlens: threads: ")).map(str::to_string).unwrap_or(err)
    };
    assert_eq!(threads(&["--threads", "3"], &[]), "3");
    assert_eq!(threads(&["--threads", "1"], &[]), "1");
    // RAYON_NUM_THREADS wins, as rayon's own pools do.
    assert_eq!(threads(&["--threads", "3"], &[("RAYON_NUM_THREADS", "2")]), "2");
    let bad = backlens(&["analyze", "tests/fixtures/express", "--threads", "0"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}
