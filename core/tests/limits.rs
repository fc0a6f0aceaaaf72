//! Input at the parser guard's limits is analysed without exhausting the stack.
//!
//! The playground's WebAssembly module runs with an 8 MiB stack (`.cargo/config.toml`) and
//! the CLI analyses on a thread with a 64 MiB stack; optimised builds stay within 1 MiB
//! (`cargo test --release --test limits`), unoptimised test builds within 8 MiB.

use backlens_core::parse::{MAX_CHAIN, MAX_NESTING};
use backlens_core::{analyze, Params, SourceFile};

fn analyze_on_small_stack(name: &'static str, text: String) {
    let handle = std::thread::Builder::new()
        .stack_size(if cfg!(debug_assertions) { 8 } else { 1 } * 1024 * 1024)
        .spawn(move || {
            let a = analyze(&[SourceFile::new(name, text)], &Params::default());
            a.files[0].error.clone()
        })
        .unwrap();
    let error = handle.join().expect("analysis must not overflow the stack");
    assert!(error.is_none(), "{name}: {error:?}");
}

#[test]
fn deepest_accepted_nesting() {
    let depth = MAX_NESTING as usize - 2;
    analyze_on_small_stack("arrays.js", format!("x = {}1{};", "[".repeat(depth), "]".repeat(depth)));
    analyze_on_small_stack("calls.js", format!("x = {}1{};", "f(".repeat(depth), ")".repeat(depth)));
    let mut fns = String::from("app.get('/x', async (req, res) => {");
    for i in 0..depth / 2 - 2 {
        fns.push_str(&format!("items{i}.map(async (it{i}) => {{"));
    }
    fns.push_str("await Post.findAll({ where: { id: it0.id } });");
    fns.push_str(&"});".repeat(depth / 2 - 2));
    fns.push_str("});");
    analyze_on_small_stack("callbacks.js", fns);
}

#[test]
fn longest_accepted_chain() {
    let n = MAX_CHAIN as usize - 10;
    analyze_on_small_stack("sum.js", format!("x = 1{};", "+1".repeat(n / 2)));
    analyze_on_small_stack("then.js", format!("p{};", ".then(f)".repeat(n / 2)));
}
