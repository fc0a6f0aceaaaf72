//! `backlens lsp` driven by a JSON-RPC client over its standard input and output, as an
//! editor would: a multi-file workspace (the app in one file, its routes in another),
//! diagnostics, an edit, hover, code actions applied to the text, backlens.toml reloaded.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        // BACKLENS_LSP_BIN: time another build (the release binary) with the same client.
        let binary = std::env::var("BACKLENS_LSP_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_backlens").to_string());
        let mut child = Command::new(binary)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("backlens lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).expect("JSON-RPC body")).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, incoming, next_id: 0, pending: Vec::new() }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&mut self) -> Value {
        let message = self.incoming.recv_timeout(TIMEOUT).expect("the server answers in time");
        // Requests from the server (registerCapability) get an empty success.
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
        }
        message
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// The code action offered for `diagnostic` whose title contains `title`.
    fn code_action(&mut self, uri: &str, diagnostic: &Value, title: &str) -> Value {
        let actions = self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": diagnostic["range"], "context": { "diagnostics": [diagnostic] } }),
        );
        let found = actions.as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().contains(title)).cloned();
        found.unwrap_or_else(|| panic!("no action {title:?} in {actions:#}"))
    }

    /// The next diagnostics published for `uri` that satisfy `accept`.
    fn diagnostics(&mut self, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && accept(m["params"]["diagnostics"].as_array().unwrap())
        };
        if let Some(at) = self.pending.iter().position(matches) {
            return self.pending.remove(at)["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            let message = self.next();
            if matches(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(message);
        }
        panic!("no matching diagnostics for {uri}; received {:#?}", self.pending);
    }
}

fn rules(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).map(str::to_string).collect()
}

fn count(diagnostics: &[Value], rule: &str) -> usize {
    rules(diagnostics).iter().filter(|r| *r == rule).count()
}

/// Applies LSP text edits (0-based lines, UTF-16 characters) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let (line, character) = (pos["line"].as_u64().unwrap() as usize, pos["character"].as_u64().unwrap() as usize);
        let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
        let mut units = 0;
        let line_text = text[start.min(text.len())..].split('\n').next().unwrap_or("");
        for (i, c) in line_text.char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line_text.len()
    };
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_string();
    for e in edits {
        let (a, b) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        out.replace_range(a..b, e["newText"].as_str().unwrap());
    }
    out
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

struct Workspace(PathBuf);

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const APP: &str = "\
const express = require('express');
const app = express();
app.use('/api/users', require('./routes/users'));
app.listen(3000);
";

const USERS: &str = "\
const { Router } = require('express');
const { User, Post } = require('../models');

const router = Router();

router.get('/', async (req, res) => {
  const users = await User.findAll({ limit: 20 });
  for (const user of users) {
    user.posts = await Post.findAll({ where: { userId: user.id }, limit: 5 });
  }
  res.json(users);
});

module.exports = router;
";

#[test]
fn a_workspace_round_trip_diagnostics_edit_hover_code_actions_and_config_reload() {
    let root = std::env::temp_dir().join(format!("backlens-lsp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src/routes")).unwrap();
    let workspace = Workspace(std::fs::canonicalize(&root).unwrap());
    let root = workspace.0.clone();
    std::fs::write(root.join("src/app.js"), APP).unwrap();
    std::fs::write(root.join("src/models.js"), "module.exports = require('./db').models;\n").unwrap();
    std::fs::write(root.join("src/routes/users.js"), USERS).unwrap();
    // Lists of thousands: a JSON deep clone of one is worth a finding (cost::worth).
    std::fs::write(root.join("backlens.toml"), "[params]\nrules = \"all\"\n[cost]\nitems = 5000\n").unwrap();
    let users = uri(&root.join("src/routes/users.js"));

    let mut client = Client::start(&["lsp", "--stdio"]);
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&root),
            "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } },
        }),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));

    // The workspace is one program: the route file's N+1 is on GET /api/users, the prefix
    // mounted in app.js.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": users, "languageId": "javascript", "version": 1, "text": USERS } }),
    );
    let diagnostics = client.diagnostics(&users, |d| count(d, "n-plus-one-query") == 1);
    let n1 = diagnostics.iter().find(|d| d["code"] == "n-plus-one-query").unwrap();
    assert_eq!(n1["range"]["start"]["line"], 8, "{n1}");
    assert_eq!(n1["source"], "backlens");
    assert!(n1["codeDescription"]["href"].as_str().unwrap().ends_with("#n-plus-one-query"), "{n1}");

    // An edit: a second route with an N+1 and a JSON deep clone. Time the round trip.
    let edited = USERS.replace(
        "module.exports = router;",
        "router.get('/teams', async (req, res) => {\n  const teams = await Team.findAll({ limit: 10 });\n  for (const team of teams) {\n    team.members = await User.findAll({ where: { teamId: team.id }, limit: 10 });\n  }\n  const copy = JSON.parse(JSON.stringify(teams));\n  res.json(copy);\n});\n\nmodule.exports = router;",
    );
    let started = Instant::now();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": users, "version": 2 }, "contentChanges": [{ "text": edited }] }),
    );
    let diagnostics = client.diagnostics(&users, |d| count(d, "n-plus-one-query") == 2);
    let round_trip = started.elapsed();
    println!("lsp round trip (didChange → publishDiagnostics, 3-file workspace): {round_trip:?}");
    assert!(rules(&diagnostics).contains(&"json-deep-clone".to_string()), "{diagnostics:#?}");

    // Hover over the new N+1: the estimate and its model.
    let new_n1 = diagnostics
        .iter()
        .find(|d| d["code"] == "n-plus-one-query" && d["range"]["start"]["line"] == 16)
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": users }, "position": new_n1["range"]["start"] }),
    );
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("n-plus-one-query") && hover.contains("GET /api/users/teams"), "{hover}");
    assert!(hover.contains("**Estimate** (model `queries`)") && hover.contains("| queries |"), "{hover}");

    // Code action: ignore the new N+1 with a comment; applied by the client, sent back.
    let ignore = client.code_action(&users, &new_n1, "ignore n-plus-one-query");
    let text = apply_edits(&edited, ignore["edit"]["changes"][&users].as_array().unwrap());
    assert!(text.contains("    // backlens-ignore n-plus-one-query -- "), "{text}");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": users, "version": 3 }, "contentChanges": [{ "text": text }] }),
    );
    let diagnostics = client.diagnostics(&users, |d| count(d, "n-plus-one-query") == 1);
    assert!(rules(&diagnostics).contains(&"json-deep-clone".to_string()));

    // Code action: the deep clone's rewrite, a text edit of its line.
    let clone = diagnostics.iter().find(|d| d["code"] == "json-deep-clone").unwrap().clone();
    let rewrite = client.code_action(&users, &clone, "apply the json-deep-clone rewrite");
    let text = apply_edits(&text, rewrite["edit"]["changes"][&users].as_array().unwrap());
    assert!(text.contains("structuredClone(teams)"), "{text}");
    assert!(!text.contains("JSON.parse(JSON.stringify"), "{text}");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": users, "version": 4 }, "contentChanges": [{ "text": text }] }),
    );
    client.diagnostics(&users, |d| count(d, "json-deep-clone") == 0 && count(d, "n-plus-one-query") == 1);

    // backlens.toml changes on disk: only the algorithm rules now, so the N+1 goes.
    let config = root.join("backlens.toml");
    std::fs::write(&config, "[params]\ntarget = \"algorithms\"\n[cost]\nitems = 5000\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri(&config), "type": 1 }] }));
    client.diagnostics(&users, |d| d.is_empty());

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

/// The round trip on a real repository: `BACKLENS_LSP_REPO=DIR BACKLENS_LSP_FILE=REL cargo test
/// -p backlens-cli --release --test lsp -- --ignored --nocapture` opens REL in DIR, appends a
/// line and times the diagnostics that follow.
#[test]
#[ignore = "needs BACKLENS_LSP_REPO and BACKLENS_LSP_FILE"]
fn round_trip_on_a_real_repository() {
    let repo = PathBuf::from(std::env::var("BACKLENS_LSP_REPO").expect("BACKLENS_LSP_REPO"));
    let repo = std::fs::canonicalize(repo).unwrap();
    let file = repo.join(std::env::var("BACKLENS_LSP_FILE").expect("BACKLENS_LSP_FILE"));
    let text = std::fs::read_to_string(&file).unwrap();
    let file_uri = uri(&file);
    let started = Instant::now();
    let mut client = Client::start(&["lsp"]);
    client.request("initialize", json!({ "processId": null, "rootUri": uri(&repo), "capabilities": {} }));
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "javascript", "version": 1, "text": text } }),
    );
    // The first analysis publishes for every file with findings; wait until the queue is quiet.
    let _ = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 0, "character": 0 } }),
    );
    println!("initial analysis: {:?}", started.elapsed());
    let mut times = Vec::new();
    for round in 0..5 {
        let edited = format!("{text}\nasync function added{round}(items) {{ for (const i of items) await Item.findAll({{ where: {{ id: i.id }} }}); }}\n");
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": file_uri, "version": round + 2 }, "contentChanges": [{ "text": edited }] }),
        );
        // Any request is answered after the edit is analysed.
        let _ = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": file_uri }, "position": { "line": 0, "character": 0 } }),
        );
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "round trip (didChange → analysed → answered), 5 edits: median {:?}, min {:?}, max {:?}",
        times[2], times[0], times[4]
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = client.child.wait();
}
