//! The CLI's terminal and CI outputs on the hostile project (`core/tests/hostile/project.json`,
//! written to a temporary folder so that its file names are real): file paths, route paths,
//! SQL comments and a parse error carrying terminal escape sequences (ESC `[2J`, OSC 8
//! hyperlinks), bidirectional overrides, line breaks and carriage returns, `%0A` `%0D` `%25`,
//! `,` and `:` where they would end an annotation's property, a root file named
//! `::notice::root.js`, and GitHub workflow commands (`::error …::`, `##[stop-commands]`,
//! `##[add-mask]`, `##[add-matcher]`).
//!
//! Every line backlens prints, on standard output and standard error, is read the way GitHub's
//! runner reads a step's log (`ActionCommandManager.TryProcessCommand`: a line starting with
//! `::` is a workflow command, else a `##[` anywhere in it is a legacy one): the only commands
//! are the annotations `--format github` writes, one per finding and per file not parsed, and
//! their properties read back as the findings' own file paths. No line holds a control or a
//! bidirectional character, and `--format text` is one line per finding.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The commands GitHub's runner registers (its command extensions and `stop-commands`).
const REGISTERED: &[&str] = &[
    "set-env",
    "set-output",
    "save-state",
    "add-mask",
    "add-path",
    "add-matcher",
    "remove-matcher",
    "debug",
    "warning",
    "error",
    "notice",
    "group",
    "endgroup",
    "echo",
    "stop-commands",
];

#[derive(Debug)]
struct RunnerCommand {
    name: String,
    properties: Vec<(String, String)>,
    data: String,
}

fn unescape(s: &str, property: bool) -> String {
    let mut s = s.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        s = s.replace("%3A", ":").replace("%2C", ",");
    }
    s.replace("%25", "%")
}

/// `ActionCommand.TryParseV2`, then `ActionCommand.TryParse` (the legacy `##[name k=v;…]data`).
fn runner_command(line: &str) -> Option<RunnerCommand> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("::") {
        if let Some(end) = rest.find("::") {
            let info = &rest[..end];
            let (name, props) = info.split_once(' ').unwrap_or((info, ""));
            if REGISTERED.contains(&name) {
                let properties = props
                    .trim()
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, v)| (k.to_string(), unescape(v, true)))
                    .collect();
                return Some(RunnerCommand { name: name.to_string(), properties, data: unescape(&rest[end + 2..], false) });
            }
        }
    }
    let start = line.find("##[")? + 3;
    let close = line[start..].find(']')? + start;
    let info = &line[start..close];
    let name = info.split(' ').next().unwrap_or("");
    REGISTERED.contains(&name).then(|| RunnerCommand {
        name: name.to_string(),
        properties: Vec::new(),
        data: line[close + 1..].to_string(),
    })
}

fn hidden(c: char) -> bool {
    c.is_control() && c != '\n'
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The hostile project written under a fresh temporary folder.
struct Project {
    dir: PathBuf,
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_project(name: &str) -> Project {
    let json = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/hostile/project.json"))
        .expect("core/tests/hostile/project.json");
    let v: Value = serde_json::from_str(&json).unwrap();
    let dir = std::env::temp_dir().join(format!("backlens-hostile-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for f in v["files"].as_array().unwrap() {
        let path = dir.join(f["path"].as_str().unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, f["text"].as_str().unwrap()).unwrap();
    }
    Project { dir }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backlens"))
        .arg("analyze")
        .arg(".")
        .args(["--no-config", "--rules", "all", "--priority", "low", "--verbose"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the backlens binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The findings and unparsed files of the project, from `--format json`.
fn analysis(dir: &Path) -> Value {
    let out = run(dir, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_str(&text(&out.stdout)).expect("JSON")
}

#[test]
fn the_project_carries_what_a_terminal_and_a_runner_would_act_on() {
    let p = write_project("carries");
    let a = analysis(&p.dir);
    let findings = a["findings"].as_array().unwrap();
    // The hostile names reach the outputs: a file path with a line break and a workflow
    // command, an endpoint with escape sequences and `##[`, a parse error in a `##[` file.
    assert!(findings.iter().any(|f| f["file"].as_str().unwrap().contains("\n::warning::")), "{findings:#?}");
    assert!(
        findings.iter().any(|f| f["endpoint"].as_str().is_some_and(|e| e.contains("##[stop-commands]") && e.contains('\u{1b}'))),
        "{findings:#?}"
    );
    let unparsed: Vec<&str> = a["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["error"].is_null())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(unparsed.iter().any(|p| p.contains("##[add-matcher]")), "{unparsed:?}");
}

#[test]
fn github_annotations_are_the_only_commands_and_name_the_real_files() {
    let p = write_project("github");
    let a = analysis(&p.dir);
    let findings = a["findings"].as_array().unwrap();
    let unparsed = a["files"].as_array().unwrap().iter().filter(|f| !f["error"].is_null()).count();
    let out = run(&p.dir, &["--format", "github"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let mut annotations = Vec::new();
    for line in stdout.lines() {
        assert!(!line.chars().any(hidden), "a control or bidirectional character: {line:?}");
        if let Some(c) = runner_command(line) {
            assert!(line.starts_with("::"), "a legacy command: {line:?} → {c:?}");
            annotations.push(c);
        }
    }
    for line in stderr.lines() {
        assert!(!line.chars().any(hidden), "a control or bidirectional character on stderr: {line:?}");
        assert!(line.starts_with("backlens: "), "{line:?}");
        assert!(runner_command(line).is_none(), "a command on stderr: {line:?}");
    }
    assert_eq!(annotations.len(), findings.len() + unparsed, "{stdout}");
    let mut files: Vec<&str> = a["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    files.sort();
    for (c, f) in annotations.iter().zip(findings) {
        assert!(["error", "warning", "notice"].contains(&c.name.as_str()), "{c:?}");
        let file = c.properties.iter().find(|(k, _)| k == "file").map(|(_, v)| v.as_str());
        // The runner reads the file property back as the finding's own path, line breaks
        // included; characters a terminal would act on are written `\u{…}`.
        assert_eq!(file, Some(shown_path(f["file"].as_str().unwrap()).as_str()), "{c:?}");
        // The message reads back whole: its `%`, its line breaks (before `Endpoint:` and
        // `Estimate:`) and whatever the endpoint holds are data, not the end of the command.
        assert_eq!(c.data, data_of(f), "{c:?}\n{f:#}");
        // Each property is a key the runner knows: nothing in a value split it.
        for (k, _) in &c.properties {
            assert!(["file", "line", "col", "endLine", "endColumn", "title"].contains(&k.as_str()), "{c:?}");
        }
    }
    let shown_files: Vec<String> = files.iter().map(|f| shown_path(f)).collect();
    for c in &annotations[findings.len()..] {
        let file = c.properties.iter().find(|(k, _)| k == "file").map(|(_, v)| v.clone()).unwrap();
        assert!(shown_files.contains(&file), "{file:?} is not a file of the project");
    }
    // A path with nothing hidden but a line break reads back exactly.
    assert!(annotations.iter().any(|c| c.properties.iter().any(|(k, v)| k == "file" && v.contains("%0A\n::warning::"))));
    // As GitHub's toolkit escapes (`escapeProperty`, `escapeData`): in a property `%` `\r`
    // `\n` `:` `,`, in the message `%` `\r` `\n`. A path and an endpoint built to forge
    // properties and commands with each of them.
    let forged = "file=src/props%2Cline=1%2Ctitle=forged%250D%253A%0D%3A%3Anotice%3A%3Acr.js,line=";
    let line = stdout
        .lines()
        .find(|l| l.contains(forged) && l.contains("title=backlens n-plus-one-query"))
        .unwrap_or_else(|| panic!("no N+1 annotation with {forged}:\n{stdout}"));
    assert!(line.contains("%0AEndpoint: GET /api/pct%250D%250A%2525::error::x ::warning::cr,title=y:z%0A"), "{line}");
    let c = runner_command(line).unwrap();
    assert_eq!(
        c.properties.iter().find(|(k, _)| k == "file").unwrap().1,
        "src/props,line=1,title=forged%0D%3A\r::notice::cr.js"
    );
    assert!(c.data.contains("\nEndpoint: GET /api/pct%0D%0A%25::error::x ::warning::cr,title=y:z\n"), "{c:?}");
}

/// A path as the `file` property shows it: hidden characters but line breaks as `\u{…}`.
fn shown_path(path: &str) -> String {
    path.chars().map(|c| if hidden(c) && c != '\r' { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() }).collect()
}

/// User-derived text as an annotation shows it: one line, whitespace runs as one space,
/// hidden characters and `##[` written as `\u{…}`.
fn shown_text(s: &str) -> String {
    backlens_core::report::printable(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// An annotation's message as the runner reads it back: the finding's message, then its
/// endpoint and its estimate's summary, each on a line of its own.
fn data_of(f: &Value) -> String {
    let mut data = shown_text(f["message"].as_str().unwrap());
    if let Some(endpoint) = f["endpoint"].as_str() {
        data.push_str(&format!("\nEndpoint: {}", shown_text(endpoint)));
    }
    let summary = f["estimate"]["summary"].as_str().expect("an estimate summary");
    if !summary.is_empty() {
        data.push_str(&format!("\nEstimate: {}", shown_text(summary)));
    }
    data
}

#[test]
fn text_is_one_plain_line_per_finding_and_runs_nothing() {
    let p = write_project("text");
    let a = analysis(&p.dir);
    let findings = a["findings"].as_array().unwrap();
    let out = run(&p.dir, &["--format", "text"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len() + 1, "{stdout}");
    for (line, f) in lines.iter().zip(findings) {
        let rule = f["rule"].as_str().unwrap();
        assert!(line.contains(&format!(" {} {rule} ", f["severity"].as_str().unwrap())), "{line:?}");
    }
    for line in stdout.lines().chain(stderr.lines()) {
        assert!(!line.chars().any(hidden), "a control or bidirectional character: {line:?}");
        assert!(runner_command(line).is_none(), "a runner command: {line:?}");
    }
    // The path with a line break and a command in it is still recognisable.
    assert!(lines.iter().any(|l| l.starts_with("src/::error file=a.js::path %0A\\u{a}::warning::second line \\u{1b}[31m\\u{202e}.js:")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("src/props,line=1,title=forged%0D%3A\\u{d}::notice::cr.js:")), "{stdout}");
    // A file at the root named as a command: its lines would start with `::notice::`.
    assert!(lines.iter().any(|l| l.starts_with("\\u{3a}:notice::root.js:")), "{stdout}");
}

#[test]
fn json_and_sarif_print_into_a_log_as_data() {
    let p = write_project("json");
    for format in ["json", "sarif"] {
        let out = run(&p.dir, &["--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        serde_json::from_str::<Value>(&stdout).expect("still JSON");
        for line in stdout.lines() {
            assert!(!line.chars().any(hidden), "{format}: {line:?}");
            assert!(runner_command(line).is_none(), "{format}: a runner command: {line:?}");
        }
    }
}
