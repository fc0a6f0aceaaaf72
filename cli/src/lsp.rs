//! `backlens lsp`: a language server over standard input and output (`lsp-server` +
//! `lsp-types`), for VS Code (editors/vscode/) and any editor with an LSP client.
//!
//! The workspace is analysed as one program, as `backlens analyze ROOT` would: the files a
//! walk of the root finds (the CLI's walker: `.gitignore`, no `node_modules`…), with the
//! text of open documents instead of what is on disk. Every change re-analyses the program
//! (a burst of changes is analysed once) and publishes the diagnostics of every file whose
//! findings changed, so an edit in a route file updates the query file's diagnostics.
//!
//! - diagnostics: one per finding (rule as code, a link to its docs), parse errors, and
//!   suppression-comment notices; on open, change, save and close;
//! - hover over a finding: its message, estimate (before → after, the model and its
//!   parameters) and rewrite;
//! - code actions: the finding's rewrite when it is a text edit of lines the finding covers,
//!   and a `// backlens-ignore RULE -- reason` comment above it;
//! - `backlens.toml` (the nearest to the root, as the CLI finds it) is reloaded when it is
//!   saved or changes on disk (`workspace/didChangeWatchedFiles`, registered with the client);
//! - a baseline (`initializationOptions.baseline`, a path relative to the root): its findings
//!   are not shown, as with `--baseline`.

use crate::{config, walk};
use backlens_core::baseline::{self, Baseline};
use backlens_core::report;
use backlens_core::{Analysis, Finding, Params, Severity, SourceFile};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, Diagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, MessageType, NumberOrString, Position,
    PublishDiagnosticsParams, Range, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the server until the client says `exit`.
pub fn run() -> Result<ExitCode, String> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(true) })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    let init = connection
        .initialize(serde_json::to_value(capabilities).map_err(|e| e.to_string())?)
        .map_err(|e| format!("lsp: {e}"))?;
    let init: InitializeParams = serde_json::from_value(init).map_err(|e| format!("lsp: bad initialize: {e}"))?;
    let mut server = Server::new(&connection, &init);
    server.register_watchers(&init);
    server.reload_config();
    server.load_disk();
    server.analyse();
    let result = server.main_loop();
    drop(server);
    drop(connection);
    io_threads.join().map_err(|e| format!("lsp: {e}"))?;
    result.map(|()| ExitCode::SUCCESS)
}

struct Server<'c> {
    connection: &'c Connection,
    root: PathBuf,
    params: Params,
    docs_url: String,
    baseline_path: Option<PathBuf>,
    baseline: Option<Baseline>,
    /// Sources on disk, by path relative to the root (`src/app.js`).
    disk: BTreeMap<String, String>,
    /// Open documents, by the same paths: their text wins over the disk's.
    open: HashMap<String, String>,
    analysis: Analysis,
    /// Diagnostics last published, per file: republished only when they change.
    published: HashMap<String, Vec<Diagnostic>>,
    next_request: i32,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, init: &InitializeParams) -> Server<'c> {
        #[allow(deprecated)] // root_uri: clients without workspace folders still send it
        let root = init
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or_else(|| init.root_uri.clone())
            .and_then(|u| u.to_file_path().ok())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let baseline_path = init
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("baseline"))
            .and_then(|b| b.as_str())
            .filter(|b| !b.is_empty())
            .map(|b| root.join(b));
        Server {
            connection,
            root,
            params: Params::default(),
            docs_url: report::DEFAULT_DOCS_URL.to_string(),
            baseline_path,
            baseline: None,
            disk: BTreeMap::new(),
            open: HashMap::new(),
            analysis: backlens_core::analyze(&[], &Params::default()),
            published: HashMap::new(),
            next_request: 0,
        }
    }

    fn main_loop(&mut self) -> Result<(), String> {
        let mut dirty = false;
        loop {
            // Apply every change already waiting before analysing once.
            let message = if dirty {
                match self.connection.receiver.try_recv() {
                    Ok(m) => m,
                    Err(_) => {
                        self.analyse();
                        dirty = false;
                        continue;
                    }
                }
            } else {
                match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                }
            };
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request).map_err(|e| format!("lsp: {e}"))? {
                        return Ok(());
                    }
                    if dirty {
                        self.analyse();
                        dirty = false;
                    }
                    let response = self.request(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(n) => {
                    if n.method == notif::Exit::METHOD {
                        return Ok(());
                    }
                    dirty |= self.notification(n);
                }
                Message::Response(_) => {} // to our registerCapability
            }
        }
    }

    fn send(&self, message: Message) {
        // The client went away: the loop ends when the receiver closes.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_string(), params)));
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify::<notif::ShowMessage>(ShowMessageParams { typ, message });
    }

    /// Asks the client to tell us about backlens.toml and sources changing on disk.
    fn register_watchers(&mut self, init: &InitializeParams) {
        let dynamic = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let watchers = ["**/backlens.toml", "**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"]
            .into_iter()
            .map(|g| FileSystemWatcher { glob_pattern: GlobPattern::String(g.to_string()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "backlens-watch".to_string(),
                method: notif::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("backlens-{}", self.next_request));
        self.send(Message::Request(Request::new(id, req::RegisterCapability::METHOD.to_string(), params)));
    }

    /// Parameters from the nearest backlens.toml (defaults when there is none or it is
    /// broken: the error is shown); the baseline file is read again too.
    fn reload_config(&mut self) {
        let mut params = Params::default();
        let mut settings = config::Report::default();
        if let Some(file) = config::find(&self.root) {
            if let Err(e) = config::apply(&file, &mut params, &mut settings) {
                self.show(MessageType::ERROR, format!("backlens: {e}"));
                params = Params::default();
                settings = config::Report::default();
            }
        }
        self.params = params;
        self.docs_url = settings.docs_url.unwrap_or_else(|| report::DEFAULT_DOCS_URL.to_string());
        self.baseline = match &self.baseline_path {
            Some(path) => match crate::baseline_file::read(path) {
                Ok(b) => Some(b),
                Err(e) => {
                    self.show(MessageType::ERROR, format!("backlens: {e}"));
                    None
                }
            },
            None => None,
        };
    }

    /// The sources a walk of the root finds, read from disk.
    fn load_disk(&mut self) {
        self.disk.clear();
        let root = self.root.to_string_lossy().into_owned();
        match walk::collect(&[root]) {
            Ok((inputs, _)) => {
                for input in inputs {
                    if let (Some(rel), Ok(bytes)) = (self.relative(&input.path), std::fs::read(&input.path)) {
                        self.disk.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
                    }
                }
            }
            Err(e) => self.show(MessageType::ERROR, format!("backlens: {e}")),
        }
    }

    /// `src/app.js` for a file under the root.
    fn relative(&self, path: &Path) -> Option<String> {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = path.strip_prefix(&self.root).ok()?;
        Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
    }

    fn relative_uri(&self, uri: &Url) -> Option<String> {
        self.relative(&uri.to_file_path().ok()?)
    }

    fn uri(&self, rel: &str) -> Option<Url> {
        Url::from_file_path(self.root.join(rel)).ok()
    }

    /// The text of a file as the editor has it.
    fn text(&self, rel: &str) -> Option<&str> {
        self.open.get(rel).or_else(|| self.disk.get(rel)).map(String::as_str)
    }

    /// Handles a notification; true when the program changed.
    fn notification(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(p) = n.extract::<DidOpenTextDocumentParams>(notif::DidOpenTextDocument::METHOD) else {
                    return false;
                };
                self.document(&p.text_document.uri, Some(p.text_document.text))
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<DidChangeTextDocumentParams>(notif::DidChangeTextDocument::METHOD) else {
                    return false;
                };
                // Full sync: the last change is the whole text.
                match p.content_changes.into_iter().last() {
                    Some(change) => self.document(&p.text_document.uri, Some(change.text)),
                    None => false,
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                let Ok(p) = n.extract::<DidSaveTextDocumentParams>(notif::DidSaveTextDocument::METHOD) else {
                    return false;
                };
                if self.is_config(&p.text_document.uri) {
                    self.reload_config();
                    return true;
                }
                match p.text {
                    Some(text) => self.document(&p.text_document.uri, Some(text)),
                    None => true,
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                let Ok(p) = n.extract::<DidCloseTextDocumentParams>(notif::DidCloseTextDocument::METHOD) else {
                    return false;
                };
                // Back to what is on disk.
                if let Some(rel) = self.relative_uri(&p.text_document.uri) {
                    self.open.remove(&rel);
                    self.reread(&rel);
                }
                true
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = n.extract::<DidChangeWatchedFilesParams>(notif::DidChangeWatchedFiles::METHOD) else {
                    return false;
                };
                for change in p.changes {
                    if self.is_config(&change.uri)
                        || self.baseline_path.as_deref() == change.uri.to_file_path().ok().as_deref()
                    {
                        self.reload_config();
                    } else if let Some(rel) = self.relative_uri(&change.uri) {
                        self.reread(&rel);
                    } else if let Ok(path) = change.uri.to_file_path() {
                        // Deleted: no longer canonicalizable.
                        if let Ok(rel) = path.strip_prefix(&self.root) {
                            let rel = rel.to_string_lossy().replace('\\', "/");
                            self.disk.remove(&rel);
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }

    fn is_config(&self, uri: &Url) -> bool {
        uri.path().ends_with(&format!("/{}", config::FILE_NAME))
    }

    /// Reads a file again from disk (or forgets it when it is gone).
    fn reread(&mut self, rel: &str) {
        match std::fs::read(self.root.join(rel)) {
            Ok(bytes) if backlens_core::is_source_path(rel) => {
                self.disk.insert(rel.to_string(), String::from_utf8_lossy(&bytes).into_owned());
            }
            _ => {
                self.disk.remove(rel);
            }
        }
    }

    /// An opened or edited document; true when it is part of the program.
    fn document(&mut self, uri: &Url, text: Option<String>) -> bool {
        if self.is_config(uri) {
            return false;
        }
        let Some(rel) = self.relative_uri(uri) else { return false };
        if !backlens_core::is_source_path(&rel) {
            return false;
        }
        if let Some(text) = text {
            self.open.insert(rel, text);
        }
        true
    }

    /// Analyses the program and publishes the diagnostics that changed.
    fn analyse(&mut self) {
        let mut paths: BTreeSet<&String> = self.disk.keys().collect();
        paths.extend(self.open.keys());
        let files: Vec<SourceFile> =
            paths.into_iter().map(|p| SourceFile::new(p.clone(), self.text(p).unwrap_or("").to_string())).collect();
        let mut analysis = match crate::analyze_with_room(files, self.params.clone()) {
            Ok(a) => a,
            Err(e) => {
                self.show(MessageType::ERROR, format!("backlens: {e}"));
                return;
            }
        };
        if let Some(b) = &self.baseline {
            baseline::apply(&mut analysis, b);
        }
        self.analysis = analysis;
        let mut diagnostics: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for f in &self.analysis.findings {
            diagnostics.entry(f.file.clone()).or_default().push(self.diagnostic(f));
        }
        for status in &self.analysis.files {
            if let Some(err) = &status.error {
                let at = position(err.line, err.column);
                diagnostics.entry(status.path.clone()).or_default().push(Diagnostic {
                    range: Range::new(at, at),
                    severity: Some(DiagnosticSeverity::WARNING),
                    source: Some("backlens".into()),
                    message: format!("backlens cannot analyse this file: {}", err.message),
                    ..Default::default()
                });
            }
        }
        for n in &self.analysis.notices {
            let at = position(n.line, n.column);
            diagnostics.entry(n.file.clone()).or_default().push(Diagnostic {
                range: Range::new(at, at),
                severity: Some(DiagnosticSeverity::INFORMATION),
                source: Some("backlens".into()),
                message: n.message.clone(),
                ..Default::default()
            });
        }
        let mut files: BTreeSet<String> = diagnostics.keys().cloned().collect();
        files.extend(self.published.keys().cloned());
        for file in files {
            let now = diagnostics.remove(&file).unwrap_or_default();
            if self.published.get(&file).map_or(now.is_empty(), |before| *before == now) {
                continue;
            }
            if let Some(uri) = self.uri(&file) {
                self.notify::<notif::PublishDiagnostics>(PublishDiagnosticsParams {
                    uri,
                    diagnostics: now.clone(),
                    version: None,
                });
            }
            if now.is_empty() {
                self.published.remove(&file);
            } else {
                self.published.insert(file, now);
            }
        }
    }

    fn diagnostic(&self, f: &Finding) -> Diagnostic {
        let severity = match f.severity {
            Severity::Critical | Severity::High => DiagnosticSeverity::WARNING,
            Severity::Medium => DiagnosticSeverity::INFORMATION,
            Severity::Low => DiagnosticSeverity::HINT,
        };
        let mut message = format!("{} [{}]", f.message, f.severity);
        if !f.estimate.summary.is_empty() {
            message.push_str(&format!("\nEstimate: {}", f.estimate.summary));
        }
        Diagnostic {
            range: range(f),
            severity: Some(severity),
            code: Some(NumberOrString::String(f.rule.to_string())),
            code_description: Url::parse(&report::help_uri(&self.docs_url, f.rule))
                .ok()
                .map(|href| lsp_types::CodeDescription { href }),
            source: Some("backlens".into()),
            message,
            data: Some(serde_json::json!({ "fingerprint": f.fingerprint })),
            ..Default::default()
        }
    }

    fn request(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => request
                .extract::<HoverParams>(req::HoverRequest::METHOD)
                .map_err(|e| format!("{e:?}"))
                .map(|(_, p)| serde_json::to_value(self.hover(p)).unwrap_or_default()),
            req::CodeActionRequest::METHOD => request
                .extract::<CodeActionParams>(req::CodeActionRequest::METHOD)
                .map_err(|e| format!("{e:?}"))
                .map(|(_, p)| serde_json::to_value(self.code_actions(p)).unwrap_or_default()),
            other => {
                return Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unsupported request {other}"))
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
        }
    }

    /// The findings of `uri` whose range holds or overlaps `range`.
    fn findings_at(&self, uri: &Url, at: Range) -> Vec<&Finding> {
        let Some(rel) = self.relative_uri(uri) else { return Vec::new() };
        self.analysis
            .findings
            .iter()
            .filter(|f| f.file == rel)
            .filter(|f| {
                let r = range(f);
                r.start <= at.end && at.start <= r.end
            })
            .collect()
    }

    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let at = p.text_document_position_params.position;
        let findings = self.findings_at(&p.text_document_position_params.text_document.uri, Range::new(at, at));
        if findings.is_empty() {
            return None;
        }
        let value = findings.iter().map(|f| hover_text(f)).collect::<Vec<_>>().join("\n\n---\n\n");
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
            range: None,
        })
    }

    fn code_actions(&self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let Some(text) = self.relative_uri(&uri).and_then(|rel| self.text(&rel)) else { return Vec::new() };
        let mut actions = Vec::new();
        for f in self.findings_at(&uri, p.range) {
            let diagnostic = self.diagnostic(f);
            let edit = |edit: TextEdit| WorkspaceEdit {
                changes: Some(std::iter::once((uri.clone(), vec![edit])).collect()),
                ..Default::default()
            };
            if let Some(rewrite) = rewrite_edit(text, f) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("backlens: apply the {} rewrite", f.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(edit(rewrite)),
                    is_preferred: Some(f.safe_fix),
                    ..Default::default()
                }));
            }
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("backlens: ignore {} here (backlens-ignore comment)", f.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(edit(ignore_edit(text, f))),
                ..Default::default()
            }));
        }
        actions
    }
}

/// 0-based LSP position of a 1-based line and UTF-16 column (both units are UTF-16).
fn position(line: u32, column: u32) -> Position {
    Position::new(line.saturating_sub(1), column.saturating_sub(1))
}

fn range(f: &Finding) -> Range {
    Range::new(position(f.line, f.column), position(f.end_line, f.end_column))
}

/// The hover of one finding: what, the estimate and its model, the rewrite.
fn hover_text(f: &Finding) -> String {
    let mut s = format!("**backlens · `{}`** ({})", f.rule, f.severity);
    if let Some(endpoint) = &f.endpoint {
        s.push_str(&format!(" on `{endpoint}`"));
    }
    s.push_str(&format!("\n\n{}\n\n", f.message));
    let e = &f.estimate;
    s.push_str(&format!("**Estimate** (model `{}`): {}\n\n", e.model, e.summary));
    if !e.before.is_empty() {
        s.push_str("| metric | before | after |\n|---|---:|---:|\n");
        for b in &e.before {
            let after = e.after.iter().find(|a| a.name == b.name).map(|a| format!("{} {}", a.value, a.unit));
            s.push_str(&format!("| {} | {} {} | {} |\n", b.name, b.value, b.unit, after.unwrap_or_default()));
        }
        s.push('\n');
    }
    if !e.parameters.is_empty() {
        let params: Vec<String> =
            e.parameters.iter().map(|p| format!("`{}` = {} {} ({})", p.name, p.value, p.unit, p.source)).collect();
        s.push_str(&format!("Parameters: {}\n\n", params.join(", ")));
    }
    s.push_str("Figures are model estimates, not measurements.");
    if !f.after.is_empty() {
        let fence = "`".repeat(3.max(f.after.split('\n').map(|l| l.matches('`').count()).max().unwrap_or(0) + 1));
        s.push_str(&format!("\n\n**Rewrite**:\n\n{fence}js\n{}\n{fence}", f.after));
    }
    s
}

/// The finding's rewrite (`backlens_core::fix::line_edit`) as a text edit of its lines.
/// Offered only when the rewritten file parses, as `--fix` applies it.
fn rewrite_edit(text: &str, f: &Finding) -> Option<TextEdit> {
    let edit = backlens_core::fix::line_edit(text, f)?;
    let file = backlens_core::SourceFile::new(f.file.clone(), text);
    if backlens_core::fix::apply(&[file], std::slice::from_ref(f), backlens_core::fix::Mode::All).files.is_empty() {
        return None;
    }
    let last = text.split('\n').nth(edit.end - 1).map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or("");
    let range = Range::new(Position::new(edit.start as u32, 0), Position::new(edit.end as u32 - 1, utf16(last)));
    Some(TextEdit { range, new_text: edit.text })
}

/// A `// backlens-ignore RULE -- reason` line above the finding's first line, indented
/// like it.
fn ignore_edit(text: &str, f: &Finding) -> TextEdit {
    let line = f.line.saturating_sub(1);
    let indent: String =
        text.split('\n').nth(line as usize).unwrap_or("").chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let at = Position::new(line, 0);
    TextEdit {
        range: Range::new(at, at),
        new_text: format!("{indent}// backlens-ignore {} -- TODO: why this is fine here\n", f.rule),
    }
}

fn utf16(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}
