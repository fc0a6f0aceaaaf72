//! `--fix`, `--fix-suggestions` and `--fail-on-budget`, run as a user would on a copy of
//! tests/fixtures/budgets: an Express + Sequelize service with `[budgets]` in its
//! backlens.toml, an N+1 loop on GET /api/orders and, in src/summary.js, a `.reduce` that
//! spreads its accumulator (a safe rewrite) and a JSON round trip (a suggestion, flagged at
//! `items=5000`); the app-level rules' rewrites (compression, …) are suggestions too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/budgets")
}

/// A fresh copy of the fixture project, removed when dropped.
struct Project(PathBuf);

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("backlens-workflow-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy(&fixture(), &dir);
        Project(dir)
    }
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_backlens")).args(args).current_dir(&self.0).output().expect("backlens runs")
    }
    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.0.join(file)).unwrap()
    }
    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.0.join(file), text).unwrap()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

#[test]
fn fail_on_budget_fails_the_endpoint_over_its_budget_and_names_the_spans() {
    let p = Project::new("budget");
    let out = p.run(&["analyze", ".", "--format", "text", "--fail-on-budget"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("backlens: over budget: GET /api/orders (src/app.js:9): 51 queries per request, budget 5 (\"GET /api/*\")\n"),
        "{err}"
    );
    assert!(err.contains("backlens:   src/app.js:12 OrderItem.findAll: 50 queries\n"), "{err}");
    assert!(err.contains("backlens: budgets: 1 endpoint over budget (--fail-on-budget)\n"), "{err}");
    assert!(!err.contains("GET /api/customers/:id ("), "within its budget: {err}");
    // Without the flag the budgets are not checked; with a looser budget the run passes.
    assert_eq!(code(&p.run(&["analyze", ".", "--format", "text"])), 0);
    p.write("backlens.toml", "[budgets]\n\"GET /api/*\" = { queries = 60 }\n");
    let out = p.run(&["analyze", ".", "--format", "text", "--fail-on-budget"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("backlens: budgets: 3 simulated endpoints within budget\n"),
        "{}",
        text(&out.stderr)
    );
    // A mistyped limit is a usage error naming the file.
    p.write("backlens.toml", "[budgets]\n\"GET /api/*\" = { querys = 5 }\n");
    let out = p.run(&["analyze", ".", "--fail-on-budget"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("backlens.toml: budget \"GET /api/*\": unknown limit `querys`"),
        "{}",
        text(&out.stderr)
    );
    // Nothing to check against is an error, not a silent pass.
    let out = p.run(&["analyze", ".", "--no-config", "--fail-on-budget"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("no [budgets] table"), "{}", text(&out.stderr));
}

#[test]
fn with_a_baseline_an_endpoint_that_gains_queries_fails_though_no_rule_fires() {
    let p = Project::new("baseline");
    let out = p.run(&["analyze", ".", "--no-config", "--format", "json", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(p.read("baseline.json").contains("\"endpoint\": \"GET /api/customers/:id\""));
    let clean =
        p.run(&["analyze", ".", "--no-config", "--format", "text", "--baseline", "baseline.json", "--fail-on-budget"]);
    assert_eq!(code(&clean), 0, "{}", text(&clean.stderr));
    // A change that makes GET /api/customers/:id read three more rows, one after the other.
    let app = p.read("src/app.js").replace(
        "  res.json(customer);\n",
        "  const region = await Region.findByPk(customer.regionId);\n  const manager = await Customer.findByPk(region.managerId);\n  const office = await Region.findByPk(manager.regionId);\n  res.json({ customer, region, manager, office });\n",
    );
    p.write("src/app.js", &app.replace("{ Order, OrderItem, Customer }", "{ Order, OrderItem, Customer, Region }"));
    let out =
        p.run(&["analyze", ".", "--no-config", "--format", "text", "--baseline", "baseline.json", "--fail-on-budget"]);
    let (stdout, err) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.starts_with("0 findings"), "no rule fires on the new code:\n{stdout}");
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains(
            "backlens: over budget: GET /api/customers/:id (src/app.js:17): 4 queries per request, 1 in the baseline\n"
        ),
        "{err}"
    );
    assert!(err.contains(" Region.findByPk: 1 queries\n"), "{err}");
}

#[test]
fn fix_applies_the_safe_rewrites_and_fix_suggestions_the_others() {
    let p = Project::new("fix");
    let original = p.read("src/summary.js");
    let out = p.run(&["analyze", "--rules", "all", ".", "--no-config", "--format", "text", "--set", "items=5000", "--fix"]);
    let (stdout, err) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(code(&out), 0, "{err}");
    assert!(err.contains("backlens: fixed src/summary.js: accumulating-spread (line 3)\n"), "{err}");
    assert!(
        err.contains(
            "backlens: 1 rewrite applied in 1 file; 4 more are suggestions (--fix-suggestions applies them)\n"
        ),
        "{err}"
    );
    let fixed = p.read("src/summary.js");
    assert_eq!(
        fixed,
        original.replace("({ ...acc, [order.id]: order })", "{ acc[order.id] = order; return acc; }"),
        "only the safe rewrite"
    );
    // The output is the analysis of the fixed code.
    assert!(!stdout.contains("accumulating-spread"), "{stdout}");
    assert!(stdout.contains("json-deep-clone"), "{stdout}");

    let out = p.run(&["analyze", "--rules", "all", ".", "--no-config", "--format", "text", "--set", "items=5000", "--fix-suggestions"]);
    let err = text(&out.stderr);
    assert!(err.contains("backlens: fixed src/summary.js: json-deep-clone (line 4, suggestion)\n"), "{err}");
    assert!(p.read("src/summary.js").contains("const snapshot = structuredClone(byId);"));
    // Three rewrites of the app's first lines: one is applied, the others wait for a next run.
    assert!(err.contains("backlens: fixed src/app.js: missing-compression (line 5, suggestion)\n"), "{err}");
    assert!(err.contains("backlens: not fixed: src/app.js:5 missing-rate-limit: overlaps another rewrite applied in this run; run again to apply it\n"), "{err}");
    assert!(p.read("src/app.js").contains("app.use(compression({ threshold: 1024 }));"));
    assert!(!text(&out.stdout).contains("json-deep-clone"));
    // Nothing left to fix: a second run says so and changes nothing.
    let before = p.read("src/summary.js");
    let out = p.run(&["analyze", "--rules", "all", "src/summary.js", "--no-config", "--format", "text", "--fix"]);
    assert!(text(&out.stderr).contains("backlens: 0 rewrites applied in 0 files\n"), "{}", text(&out.stderr));
    assert_eq!(p.read("src/summary.js"), before);
}
