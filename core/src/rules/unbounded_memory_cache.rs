//! `unbounded-memory-cache`: a module-level `Map` or object used as a cache that only
//! grows. Docs: [`META`].

use super::scan::{also_on, function_at};
use super::{Context, Placement, Rule, RuleMeta};
use crate::analysis::Finding;
use crate::cost::memory;
use crate::model::ModuleCache;
use crate::params::{Category, Severity};
use swc_common::Span;

pub struct UnboundedMemoryCache;

static META: RuleMeta = RuleMeta {
    id: "unbounded-memory-cache",
    category: Category::Caching,
    summary: "A module-level Map or object used as a cache that only grows",
    docs: r#"## What it finds
A `Map` or plain object declared at module level (`const cache = new Map()`,
`const memo = {}`) that functions fill with computed keys (`cache.set(key, value)`,
`memo[key] = value`) and read back (`get`, `has`, `memo[key]`), while nothing ever takes
an entry out: no `delete`/`clear`, no `delete memo[key]`, no size check (`cache.size`,
`Object.keys(memo).length`), no reassignment to a fresh map. A TTL checked on read
(`Date.now() - hit.timestamp < ttl`) does not count: the expired entry is skipped, not
removed. The seed's 3.2 in-memory cache is such a map.

## Why is this bad
Each distinct key adds an entry that lives as long as the process: per user, per query
string, per page. Memory grows until the garbage collector works ever harder (longer
pauses, higher latency for every request) and the process runs out of heap and restarts —
losing the whole cache anyway.

## Example
```js
const cache = new Map();

app.get('/api/rates/:currency', async (req, res) => {
  const hit = cache.get(req.params.currency);
  if (hit) return res.json(hit);
  const rates = await fetchRates(req.params.currency);
  cache.set(req.params.currency, rates);
  res.json(rates);
});
```
Use instead — a bound (the oldest entry leaves first), or `lru-cache` with `max` and `ttl`:
```js
const CACHE_MAX = 1000;
const cache = new Map();
if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
cache.set(req.params.currency, rates);
```

## What it leaves alone
- bounded caches: `lru-cache`, `quick-lru`, `new LRU({ max })`, any cache whose size is
  checked or whose entries are deleted or cleared anywhere in the program;
- maps filled only with literal keys (`config.set('db', …)`): a fixed number of entries; also
  keys built only from constants or from a parameter every call passes a constant
  (`cacheInstances[`_${name}`]` in `getCache(name)`, called as `getCache('teams')`:
  `model::cache_keys`);
- maps filled only at module level (start-up registries);
- maps declared inside a function (they die with it)."#,
    model: "memory",
};

impl Rule for UnboundedMemoryCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // The caches, their writes, reads and evictions across files are the model's.
        for decl in &ctx.program.app_facts.caches {
            let (file, parsed, sets) = (decl.file, ctx.program.file(decl.file), &decl.sets);
            if sets.is_empty() || !decl.reads || decl.evicted {
                continue;
            }
            let on_path = sets.iter().find_map(|(f, s)| request_function(ctx, function_at(ctx, *f, *s)));
            let lower = decl.name.to_lowercase();
            let named = ["cache", "memo", "store", "seen", "lookup"].iter().any(|w| lower.contains(w));
            if on_path.is_none() && !named {
                continue;
            }
            // Keys from a fixed set (constants, or parameters every call passes a constant):
            // a fixed number of entries, not a growing cache (model::cache_keys). Asked last:
            // each answer searches the whole program.
            if sets.iter().all(|(f, s)| crate::model::cache_keys::fixed_key(ctx.program, *f, *s)) {
                continue;
            }
            let (endpoint, others) = match ctx.placement(on_path) {
                Placement::Filtered => continue,
                Placement::Offline => (None, 0),
                Placement::Endpoint { label, others } => (Some(label), others),
            };
            let rps = ctx.profile.rps.value.max(0.0);
            let severity = match &endpoint {
                None => Severity::Low,
                Some(_) if rps >= 100.0 => Severity::High,
                Some(_) => Severity::Medium,
            };
            let estimate = memory::unbounded_cache(&ctx.profile, None, None);
            let kind = if decl.is_map { "`Map`" } else { "object" };
            let ttl_note = if parsed.text.contains("Date.now()") {
                " A TTL checked on read skips an expired entry but never removes it."
            } else {
                ""
            };
            let message = format!(
                    "The module-level {kind} `{}` is filled with a new entry per distinct key and never shrinks: no delete, clear or size bound.{ttl_note} It grows for as long as the process runs — more GC work, then out-of-memory restarts. Bound it (evict the oldest at a maximum size) or use `lru-cache` with `max` and `ttl`.{}",
                    decl.name,
                    also_on(others)
                );
            let before = ctx.lines(file, decl.span);
            let after = rewrite(ctx, sets[0].0, decl, sets[0].1, &before);
            out.push(ctx.finding(&META, file, decl.span, severity, endpoint, message, estimate, before, after));
        }
    }
}

/// The function itself when it is on a request path, else the handler of a route whose
/// registration calls one of its enclosing functions (`app.get(p, cacheMiddleware(…), h)`:
/// the middleware `cacheMiddleware` returns runs on that route).
fn request_function(ctx: &Context, function: Option<usize>) -> Option<usize> {
    let f = function?;
    if !ctx.program.routes_reaching(Some(f)).is_empty() {
        return Some(f);
    }
    let mut cur = Some(f);
    while let Some(c) = cur {
        let func = &ctx.program.functions[c];
        if let Some(name) = func.name.as_deref() {
            let call = format!("{name}(");
            for r in &ctx.program.routes {
                let reg = ctx.program.file(r.file).snippet(r.span);
                if reg.contains(&call) {
                    if let Some(h) = r.handler {
                        return Some(h);
                    }
                }
            }
        }
        cur = func.parent;
    }
    None
}

fn rewrite(ctx: &Context, file: usize, decl: &ModuleCache, set: Span, before: &str) -> String {
    let indent: String = before.chars().take_while(|c| c.is_whitespace()).collect();
    let set_line = ctx.lines(file, set);
    let set_indent: String = set_line.chars().take_while(|c| c.is_whitespace()).collect();
    let name = &decl.name;
    let guard = if decl.is_map {
        format!("if ({name}.size >= CACHE_MAX) {name}.delete({name}.keys().next().value);")
    } else {
        format!("const keys = Object.keys({name});\n{set_indent}if (keys.length >= CACHE_MAX) delete {name}[keys[0]];")
    };
    let elsewhere = if file == decl.file {
        String::new()
    } else {
        format!(" (in {}; export CACHE_MAX with the cache)", ctx.program.file(file).path)
    };
    format!(
        "{indent}const CACHE_MAX = 1000; // the oldest entry leaves when full (or lru-cache with max and ttl)\n{}\n\n{set_indent}// before each {name} write{elsewhere}:\n{set_indent}{guard}\n{}",
        before.trim_end(),
        set_line.trim_end()
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_parses, findings};
    use crate::Params;

    fn run(code: &str) -> Vec<String> {
        findings(&[("app.js", code)], &Params::all_rules())
            .into_iter()
            .filter(|f| f.contains("unbounded-memory-cache"))
            .collect()
    }

    const SEED: &str = "const cache = new Map();\nconst CACHE_TTL = 5 * 60 * 1000;\nfunction cacheMiddleware(key, ttl = CACHE_TTL) {\n  return (req, res, next) => {\n    const cacheKey = typeof key === 'function' ? key(req) : key;\n    const cached = cache.get(cacheKey);\n    if (cached && Date.now() - cached.timestamp < ttl) {\n      return res.json(cached.data);\n    }\n    const originalJson = res.json.bind(res);\n    res.json = (data) => {\n      cache.set(cacheKey, { data, timestamp: Date.now() });\n      return originalJson(data);\n    };\n    next();\n  };\n}\n";

    #[test]
    fn seed_in_memory_cache_is_flagged() {
        assert_eq!(run(SEED), ["app.js:1:1 unbounded-memory-cache [-] low"]);
        let a = crate::analyze(&[crate::SourceFile::new("app.js", SEED)], &Params::all_rules());
        let f = a.findings.iter().find(|f| f.rule == "unbounded-memory-cache").unwrap();
        assert_parses(&f.after);
    }

    #[test]
    fn bounded_or_evicted_is_clean() {
        let evicted = SEED.replace(
            "      return res.json(cached.data);\n",
            "      return res.json(cached.data);\n    } else if (cached) {\n      cache.delete(cacheKey);\n",
        );
        assert!(run(&evicted).is_empty());
        let sized = SEED.replace("      cache.set(", "      if (cache.size > 500) cache.clear();\n      cache.set(");
        assert!(run(&sized).is_empty());
        let lru = "const { LRUCache } = require('lru-cache');\nconst cache = new LRUCache({ max: 500 });\nfunction get(k) { const v = cache.get(k); if (!v) cache.set(k, k * 2); return v; }\n";
        assert!(run(lru).is_empty());
        let literal = "const config = new Map();\nfunction load() { config.set('db', 1); return config.get('db'); }\n";
        assert!(run(literal).is_empty());
    }
}
