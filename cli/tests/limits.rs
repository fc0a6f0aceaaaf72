//! `--timeout` and `--max-memory`, run as a user would: on a generated Express project big
//! enough that its analysis takes far longer than the limits given, the run stops, says which
//! phase (and file or rule) it was in, writes nothing and exits 3; with room enough, the output
//! is the one without limits.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Project {
    dir: PathBuf,
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `files` routers of `routes` GET routes each, every one with an N+1 query, a helper with a
/// query per item and a linear search in the loop, mounted by one app.
fn generate(name: &str, files: usize, routes: usize) -> Project {
    let dir = std::env::temp_dir().join(format!("backlens-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/routes")).unwrap();
    let mut app = String::from("const express = require('express');\nconst app = express();\n");
    for i in 0..files {
        app.push_str(&format!("app.use('/api/r{i}', require('./routes/r{i}'));\n"));
        let mut r = String::from("const router = require('express').Router();\nconst { User, Post } = require('../models');\n");
        for j in 0..routes {
            r.push_str(&format!(
                "async function helper{j}(ids) {{\n  return Promise.all(ids.map((id) => Post.findAll({{ where: {{ userId: id }} }})));\n}}\n\
                 router.get('/items{j}', async (req, res) => {{\n  const users = await User.findAll();\n  for (const u of users) {{\n\
                 \x20   u.posts = await Post.findAll({{ where: {{ userId: u.id }} }});\n    u.more = await helper{j}([u.id]);\n\
                 \x20   u.parent = users.find((x) => x.id === u.parentId);\n  }}\n  res.json(users);\n}});\n"
            ));
        }
        r.push_str("module.exports = router;\n");
        std::fs::write(dir.join(format!("src/routes/r{i}.js")), r).unwrap();
    }
    app.push_str("app.listen(3000);\n");
    std::fs::write(dir.join("src/app.js"), app).unwrap();
    std::fs::write(dir.join("src/models.js"), "module.exports = { User: require('./user'), Post: require('./post') };\n")
        .unwrap();
    Project { dir }
}

fn backlens(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_backlens"))
        .args(["analyze", ".", "--no-config", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the backlens binary runs");
    (out, start.elapsed())
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn a_tiny_timeout_stops_the_analysis_and_says_where() {
    // Heavy enough to take well over a second in a debug build, now that analysis grows
    // linearly with the program (40 × 12 routes took 0.76 s).
    let p = generate("timeout", 120, 12);
    let (full, full_time) = backlens(&p.dir, &[]);
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    // The input is heavy enough for the limit below to be tiny beside it.
    assert!(full_time > Duration::from_millis(800), "the generated project took only {full_time:?}");

    let (out, time) = backlens(&p.dir, &["--timeout", "0.2", "-o", "report.json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("backlens: stopped: the analysis took longer than 0.2 seconds (--timeout 0.2); the analysis was in phase "),
        "{err}"
    );
    assert!(lines[0].ends_with("; nothing was written"), "{err}");
    // A per-file phase names its file; a rule names itself.
    let at = lines[0].split("the analysis was in phase ").nth(1).unwrap();
    assert!(at.contains(", file ./src/") || at.contains(", file src/") || at.contains(", rule ") || !at.contains(','), "{err}");
    assert!(out.stdout.is_empty());
    assert!(!p.dir.join("report.json").exists(), "a stopped run writes no output");
    // It stopped at the limit, not when the analysis would have ended.
    assert!(time < full_time, "stopped after {time:?}, the whole analysis takes {full_time:?}");

    // With time enough, the output is the one without a limit.
    let (roomy, _) = backlens(&p.dir, &["--timeout", "600", "--max-memory", "4096"]);
    assert_eq!(roomy.status.code(), Some(0), "{}", stderr(&roomy));
    assert_eq!(roomy.stdout, full.stdout);
}

#[test]
fn a_tiny_memory_budget_stops_the_analysis_and_says_where() {
    let p = generate("memory", 40, 12);
    let (out, _) = backlens(&p.dir, &["--max-memory", "2"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("backlens: stopped: the analysis used "), "{err}");
    assert!(err.contains(" MiB of memory, over 2 MiB (--max-memory 2); the analysis was in phase "), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_limits_are_usage_errors() {
    let p = generate("usage", 1, 1);
    for (args, expected) in [
        (&["--timeout", "0"][..], "backlens: invalid value \"0\" for option `--timeout`: expected a number of seconds above 0, e.g. 30 or 0.5"),
        (&["--timeout", "soon"], "backlens: invalid value \"soon\" for option `--timeout`"),
        (&["--max-memory", "1.5"], "backlens: invalid value \"1.5\" for option `--max-memory`: expected a number of MiB above 0, e.g. 512"),
    ] {
        let (out, _) = backlens(&p.dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with(expected), "{args:?}: {}", stderr(&out));
    }
}
