// Starts `backlens lsp` for the workspace: diagnostics, hover and code actions come from the
// language server (cli/src/lsp.rs); this file only finds the binary and passes the settings.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function binary() {
  const configured = vscode.workspace.getConfiguration('backlens').get('path');
  if (configured) return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', process.platform === 'win32' ? 'backlens.cmd' : 'backlens');
    if (fs.existsSync(local)) return local;
  }
  return 'backlens';
}

async function activate(context) {
  const command = binary();
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  const sources = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].map((language) => ({ scheme: 'file', language }));
  client = new LanguageClient('backlens', 'backlens', { run: server, debug: server }, {
    documentSelector: sources,
    initializationOptions: { baseline: vscode.workspace.getConfiguration('backlens').get('baseline') || undefined },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{backlens.toml,*.js,*.mjs,*.cjs,*.jsx,*.ts,*.mts,*.cts,*.tsx}') },
  });
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
