//! Benchmark: the whole analysis of a realistic multi-file backend, against parsing alone.
//!
//! `cargo bench -p backlens-core --bench analyze [-- --files N --runs N --warmup N]`
//!
//! The project is generated in memory, deterministically: an Express + Sequelize service
//! with an app file, a models file, route modules mounted by the app, services called by
//! the routes (some in TypeScript), and utilities: handlers with N+1 loops, Promise.all
//! fan-outs, sequential awaits, linear searches in loops, sorts, caches, and clean code
//! around them. Each phase runs `warmup` times, then `runs` timed times; the table shows
//! the median and the minimum, the throughput at the median, and analyze/parse.
//!
//! Without `--bench` (as under `cargo test --benches`) it runs once on a small project as a
//! smoke test, so the benchmark cannot rot unnoticed.

use backlens_core::{analyze, parse, Params, SourceFile};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

struct Options {
    files: usize,
    runs: usize,
    warmup: usize,
    smoke: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = !args.iter().any(|a| a == "--bench");
    let mut o = if smoke {
        Options { files: 12, runs: 1, warmup: 0, smoke }
    } else {
        Options { files: 200, runs: 15, warmup: 2, smoke }
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |name: &str| -> usize {
            let v = it.next().unwrap_or_else(|| panic!("{name} needs a number"));
            v.parse().unwrap_or_else(|_| panic!("{name} needs a number, got {v:?}"))
        };
        match a.as_str() {
            "--files" => o.files = number("--files").max(4),
            "--runs" => o.runs = number("--runs").max(1),
            "--warmup" => o.warmup = number("--warmup"),
            _ => {} // --bench and the filters cargo passes
        }
    }
    o
}

fn main() {
    let o = options();
    let files = generate_project(o.files);
    let lines: usize = files.iter().map(|f| f.bytes.iter().filter(|&&b| b == b'\n').count()).sum();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let params = Params::default();

    // Sanity: everything generated parses, and the analysis sees the app.
    let analysis = analyze(&files, &params);
    let broken: Vec<_> = analysis.files.iter().filter(|f| f.error.is_some()).collect();
    assert!(broken.is_empty(), "generated files must parse: {broken:?}");
    assert_eq!(analysis.files.len(), files.len());

    if o.smoke {
        println!(
            "bench analyze (smoke): {} files, {lines} lines, {} findings, {} endpoints",
            files.len(),
            analysis.findings.len(),
            analysis.endpoints.len()
        );
        return;
    }

    let parse_times = measure(o.warmup, o.runs, || {
        for f in &files {
            black_box(parse::parse(black_box(f)));
        }
    });
    let analyze_times = measure(o.warmup, o.runs, || {
        black_box(analyze(black_box(&files), &params));
    });

    println!();
    println!(
        "backlens analyze benchmark: {} files, {} lines, {:.0} KiB (generated Express/Sequelize project)",
        files.len(),
        group(lines as f64),
        bytes as f64 / 1024.0
    );
    println!("{} timed runs per phase after {} warm-up runs; throughput at the median", o.runs, o.warmup);
    println!();
    println!("| phase      |     median |        min |    files/s |      lines/s |");
    println!("|------------|-----------:|-----------:|-----------:|-------------:|");
    for (name, times) in [("parse only", &parse_times), ("analyze", &analyze_times)] {
        let (median, min) = (median(times), min(times));
        let secs = median.as_secs_f64();
        println!(
            "| {name:<10} | {:>10} | {:>10} | {:>10} | {:>12} |",
            ms(median),
            ms(min),
            group(files.len() as f64 / secs),
            group(lines as f64 / secs)
        );
    }
    println!();
    println!(
        "analyze / parse: {:.2}x (median), {:.2}x (min)",
        median(&analyze_times).as_secs_f64() / median(&parse_times).as_secs_f64(),
        min(&analyze_times).as_secs_f64() / min(&parse_times).as_secs_f64()
    );
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &analysis.findings {
        *by_rule.entry(f.rule).or_default() += 1;
    }
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    println!(
        "found: {} endpoints, {} findings{}{}",
        analysis.endpoints.len(),
        analysis.findings.len(),
        if rules.is_empty() { "" } else { ": " },
        rules.join(", ")
    );
}

fn measure(warmup: usize, runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..warmup {
        f();
    }
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn median(times: &[Duration]) -> Duration {
    let mut t = times.to_vec();
    t.sort();
    let n = t.len();
    if n % 2 == 1 {
        t[n / 2]
    } else {
        (t[n / 2 - 1] + t[n / 2]) / 2
    }
}

fn min(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 1234567.8 → "1,234,568"
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// The generated project

/// Resource names; each route module serves one, with a model of the same name.
const NOUNS: &[&str] = &[
    "user", "post", "comment", "order", "invoice", "product", "review", "cart", "payment", "shipment", "coupon",
    "ticket", "project", "task", "team", "message", "channel", "report", "event", "booking",
];

struct Resource {
    /// `order`, `order7` past the first round of nouns.
    name: String,
    /// `Order`, `Order7`
    model: String,
    /// The model of a child collection it loads per item (the N+1).
    child: String,
}

fn resource(i: usize) -> Resource {
    let noun = NOUNS[i % NOUNS.len()];
    let round = i / NOUNS.len();
    let name = if round == 0 { noun.to_string() } else { format!("{noun}{round}") };
    let model = capitalize(&name);
    let child_noun = NOUNS[(i * 7 + 3) % NOUNS.len()];
    let child = if round == 0 { capitalize(child_noun) } else { format!("{}{round}", capitalize(child_noun)) };
    Resource { name, model, child }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `n` files (at least 4): app, models, and route/service/utility modules in a 2:1:1 mix,
/// each around 60 lines.
fn generate_project(n: usize) -> Vec<SourceFile> {
    let modules = n.saturating_sub(2);
    let routes = (modules / 2).max(1);
    let services = ((modules - routes) / 2).max(1);
    let utils = modules.saturating_sub(routes + services);
    let resources: Vec<Resource> = (0..routes).map(resource).collect();

    let mut files = vec![app_file(&resources), models_file(&resources)];
    for (i, r) in resources.iter().enumerate() {
        files.push(route_file(i, r, services, utils));
    }
    for i in 0..services {
        files.push(service_file(i, &resources[i % resources.len()]));
    }
    for i in 0..utils {
        files.push(util_file(i));
    }
    files
}

fn app_file(resources: &[Resource]) -> SourceFile {
    let mut s = String::new();
    s.push_str("const express = require('express');\nconst helmet = require('helmet');\nconst { sequelize } = require('./models');\n\n");
    for r in resources {
        let _ = writeln!(s, "const {}Routes = require('./routes/{}');", r.name, r.name);
    }
    s.push_str("\nconst app = express();\napp.use(helmet());\napp.use(express.json({ limit: '1mb' }));\n\n");
    s.push_str("app.get('/health', (req, res) => {\n  res.json({ ok: true, uptime: process.uptime() });\n});\n\n");
    for r in resources {
        let _ = writeln!(s, "app.use('/api/{}s', {}Routes);", r.name, r.name);
    }
    s.push_str(
        "\napp.use((err, req, res, next) => {\n  console.error(err);\n  res.status(500).json({ error: 'internal' });\n});\n\n\
         async function start() {\n  await sequelize.authenticate();\n  app.listen(process.env.PORT || 3000);\n}\n\n\
         if (require.main === module) {\n  start();\n}\n\nmodule.exports = app;\n",
    );
    SourceFile::new("src/app.js", s)
}

fn models_file(resources: &[Resource]) -> SourceFile {
    let mut s = String::from(
        "const { Sequelize, DataTypes } = require('sequelize');\n\n\
         const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false, pool: { max: 10 } });\n\n",
    );
    let mut models: Vec<&str> = resources.iter().flat_map(|r| [r.model.as_str(), r.child.as_str()]).collect();
    models.sort();
    models.dedup();
    for m in &models {
        let _ = writeln!(
            s,
            "const {m} = sequelize.define('{m}', {{\n  name: DataTypes.STRING,\n  status: DataTypes.STRING,\n  ownerId: DataTypes.INTEGER,\n  parentId: DataTypes.INTEGER,\n  total: DataTypes.DECIMAL,\n}});"
        );
    }
    let _ = writeln!(s, "\nmodule.exports = {{ sequelize, {} }};", models.join(", "));
    SourceFile::new("src/models.js", s)
}

fn route_file(i: usize, r: &Resource, services: usize, utils: usize) -> SourceFile {
    let Resource { name, model, child } = r;
    let svc = i % services;
    let util = if utils == 0 { None } else { Some(i % utils) };
    let mut s = String::new();
    let _ = writeln!(s, "const express = require('express');");
    let _ = writeln!(s, "const {{ {model}, {child} }} = require('../models');");
    let _ = writeln!(s, "const service = require('../services/service{svc}');");
    if let Some(u) = util {
        let _ = writeln!(s, "const {{ rank{u}, indexBy{u} }} = require('../utils/util{u}');");
    }
    let _ = writeln!(s, "\nconst router = express.Router();\n");

    // List: the seed's N+1 in two shapes, alternating.
    let _ = writeln!(s, "router.get('/', async (req, res) => {{");
    let _ = writeln!(
        s,
        "  const {name}s = await {model}.findAll({{ where: {{ status: req.query.status || 'active' }} }});"
    );
    if i.is_multiple_of(2) {
        let _ = writeln!(s, "  for (const item of {name}s) {{");
        let _ = writeln!(s, "    item.children = await {child}.findAll({{ where: {{ parentId: item.id }} }});");
        let _ = writeln!(s, "  }}");
    } else {
        let _ = writeln!(s, "  await Promise.all({name}s.map(async (item) => {{");
        let _ = writeln!(s, "    item.owner = await {child}.findByPk(item.ownerId);");
        let _ = writeln!(s, "  }}));");
    }
    let _ = writeln!(s, "  res.json({name}s);\n}});\n");

    // Detail: sequential independent awaits.
    let _ = writeln!(s, "router.get('/:id', async (req, res) => {{");
    let _ = writeln!(s, "  const {name} = await {model}.findByPk(req.params.id);");
    let _ = writeln!(s, "  if (!{name}) {{\n    return res.status(404).json({{ error: 'not found' }});\n  }}");
    let _ = writeln!(s, "  const stats = await service.statsFor{svc}(req.params.id);");
    let _ = writeln!(s, "  const related = await {child}.findAll({{ where: {{ status: 'active' }}, limit: 5 }});");
    let _ = writeln!(s, "  res.json({{ {name}, stats, related }});\n}});\n");

    // Search: a linear lookup inside a loop, then top-k by full sort.
    let _ = writeln!(s, "router.get('/search', async (req, res) => {{");
    let _ = writeln!(s, "  const q = String(req.query.q || '').toLowerCase();");
    let _ = writeln!(s, "  const rows = await {model}.findAll({{ limit: 500 }});");
    let _ = writeln!(s, "  const owners = await {child}.findAll({{ limit: 500 }});");
    let _ = writeln!(s, "  const hits = rows.filter((row) => row.name && row.name.toLowerCase().includes(q));");
    let _ =
        writeln!(s, "  for (const hit of hits) {{\n    hit.ownerRow = owners.find((o) => o.id === hit.ownerId);\n  }}");
    match util {
        Some(u) => {
            let _ = writeln!(s, "  res.json(rank{u}(hits).slice(0, 10));");
        }
        None => {
            let _ = writeln!(s, "  res.json(hits.sort((a, b) => b.total - a.total).slice(0, 10));");
        }
    }
    let _ = writeln!(s, "}});\n");

    // Create: writes per item (bulk insert candidate).
    let _ = writeln!(s, "router.post('/', async (req, res) => {{");
    let _ = writeln!(s, "  const created = [];");
    let _ = writeln!(s, "  for (const body of req.body.items || []) {{");
    let _ = writeln!(s, "    created.push(await {model}.create({{ ...body, ownerId: req.user && req.user.id }}));");
    let _ = writeln!(s, "  }}");
    let _ = writeln!(s, "  res.status(201).json(created);\n}});\n");

    // Update: ordered awaits (read, then write the same row): nothing to report.
    let _ = writeln!(s, "router.put('/:id', async (req, res) => {{");
    let _ = writeln!(s, "  const {name} = await {model}.findByPk(req.params.id);");
    let _ = writeln!(s, "  if (!{name}) {{\n    return res.status(404).json({{ error: 'not found' }});\n  }}");
    let _ = writeln!(s, "  await {name}.update({{ status: req.body.status }});");
    let _ = writeln!(s, "  res.json({name});\n}});\n");

    let _ = writeln!(s, "router.delete('/:id', async (req, res) => {{");
    let _ = writeln!(s, "  await {model}.destroy({{ where: {{ id: req.params.id }} }});");
    let _ = writeln!(s, "  res.status(204).end();\n}});\n");
    let _ = writeln!(s, "module.exports = router;");
    SourceFile::new(format!("src/routes/{name}.js"), s)
}

fn service_file(i: usize, r: &Resource) -> SourceFile {
    let Resource { model, child, .. } = r;
    let ts = i.is_multiple_of(3);
    let mut s = String::new();
    if ts {
        let _ = writeln!(s, "import {{ {model}, {child} }} from '../models';");
        let _ = writeln!(s, "import axios from 'axios';\n");
        let _ = writeln!(s, "export interface Stats{i} {{\n  count: number;\n  total: number;\n  byStatus: Record<string, number>;\n}}\n");
        let _ = writeln!(s, "const cache = new Map<string, Stats{i}>();\n");
        let _ = writeln!(s, "export async function statsFor{i}(id: string): Promise<Stats{i}> {{");
    } else {
        let _ = writeln!(s, "const {{ {model}, {child} }} = require('../models');");
        let _ = writeln!(s, "const axios = require('axios');\n");
        let _ = writeln!(s, "const cache = new Map();\n");
        let _ = writeln!(s, "async function statsFor{i}(id) {{");
    }
    let _ = writeln!(s, "  if (cache.has(id)) {{\n    return cache.get(id);\n  }}");
    let _ = writeln!(s, "  const rows = await {child}.findAll({{ where: {{ ownerId: id }} }});");
    let _ = writeln!(s, "  const byStatus{} = {{}};", if ts { ": Record<string, number>" } else { "" });
    let _ = writeln!(s, "  let total = 0;");
    let _ = writeln!(s, "  for (const row of rows) {{\n    byStatus[row.status] = (byStatus[row.status] || 0) + 1;\n    total += Number(row.total);\n  }}");
    let _ = writeln!(s, "  const stats = {{ count: rows.length, total, byStatus }};");
    let _ = writeln!(s, "  cache.set(id, stats);\n  return stats;\n}}\n");

    let sig = if ts { "ids: string[]" } else { "ids" };
    let _ = writeln!(s, "{}async function enrich{i}({sig}) {{", if ts { "export " } else { "" });
    let _ = writeln!(s, "  const out = [];");
    let _ = writeln!(s, "  for (const id of ids) {{");
    let _ = writeln!(s, "    const {{ data }} = await axios.get(`https://api.example.com/items/${{id}}`);");
    let _ = writeln!(s, "    out.push(data);");
    let _ = writeln!(s, "  }}\n  return out;\n}}\n");

    let sig = if ts { "ownerId: number" } else { "ownerId" };
    let _ = writeln!(s, "{}async function archive{i}({sig}) {{", if ts { "export " } else { "" });
    let _ = writeln!(s, "  const items = await {model}.findAll({{ where: {{ ownerId }} }});");
    let _ = writeln!(s, "  await Promise.all(items.map((item) => item.update({{ status: 'archived' }})));");
    let _ = writeln!(s, "  const cursor = {{ page: 0, done: false }};");
    let _ = writeln!(s, "  while (!cursor.done) {{");
    let _ = writeln!(
        s,
        "    const page = await {child}.findAll({{ where: {{ ownerId }}, offset: cursor.page * 100, limit: 100 }});"
    );
    let _ = writeln!(s, "    cursor.done = page.length < 100;\n    cursor.page += 1;\n  }}");
    let _ = writeln!(s, "  return items.length;\n}}\n");
    if !ts {
        let _ = writeln!(s, "module.exports = {{ statsFor{i}, enrich{i}, archive{i} }};");
    }
    let ext = if ts { "ts" } else { "js" };
    SourceFile::new(format!("src/services/service{i}.{ext}"), s)
}

fn util_file(i: usize) -> SourceFile {
    let mut s = String::new();
    let _ = writeln!(s, "// Utilities shared by the routes.\n");
    let _ = writeln!(s, "function rank{i}(rows) {{");
    let _ =
        writeln!(s, "  return rows.slice().sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));\n}}\n");
    let _ = writeln!(s, "function indexBy{i}(rows, key) {{");
    let _ = writeln!(s, "  return rows.reduce((acc, row) => ({{ ...acc, [row[key]]: row }}), {{}});\n}}\n");
    let _ = writeln!(s, "function clone{i}(value) {{\n  return JSON.parse(JSON.stringify(value));\n}}\n");
    let _ = writeln!(s, "function fib{i}(n) {{\n  return n < 2 ? n : fib{i}(n - 1) + fib{i}(n - 2);\n}}\n");
    let _ = writeln!(s, "function groupBy{i}(rows, key) {{");
    let _ = writeln!(s, "  const groups = new Map();");
    let _ = writeln!(s, "  for (const row of rows) {{");
    let _ = writeln!(s, "    const k = row[key];\n    if (!groups.has(k)) {{\n      groups.set(k, []);\n    }}\n    groups.get(k).push(row);");
    let _ = writeln!(s, "  }}\n  return groups;\n}}\n");
    let _ = writeln!(s, "function slugify{i}(text) {{");
    let _ = writeln!(s, "  return String(text)\n    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');\n}}\n");
    let _ = writeln!(s, "function paginate{i}(rows, page = 1, size = 20) {{");
    let _ = writeln!(s, "  const start = (page - 1) * size;");
    let _ = writeln!(s, "  return {{ items: rows.slice(start, start + size), total: rows.length, page, size }};\n}}\n");
    let _ = writeln!(s, "function chunk{i}(items, size) {{");
    let _ = writeln!(s, "  const out = [];\n  for (let i = 0; i < items.length; i += size) {{\n    out.push(items.slice(i, i + size));\n  }}\n  return out;\n}}\n");
    let _ = writeln!(
        s,
        "module.exports = {{ rank{i}, indexBy{i}, clone{i}, fib{i}, groupBy{i}, slugify{i}, paginate{i}, chunk{i} }};"
    );
    SourceFile::new(format!("src/utils/util{i}.js"), s)
}
