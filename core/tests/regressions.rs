//! Inputs the fuzzer (`scripts/fuzz.sh`, docs/robustness.md) found, each kept as a test of
//! what must hold instead.

use backlens_core::{analyze, Params, SourceFile};

/// analyze_project, crash-a41791eb: a project with two files at the same path (`server.js`
/// twice). A finding of the second pointed at a line the first did not have, and an import
/// of `./server` had two meanings. Now the second is listed as not analysed.
#[test]
fn a_second_file_at_the_same_path_is_not_analysed() {
    let first = "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server();\n";
    let second = "\n\n\n\n\n\n\n\n\nconst Hapi = require('@hapi/hapi');\nconst server = Hapi.server();\nserver.route({ method: 'GET', path: '/b', handler: () => 1 });\n";
    let a = analyze(&[SourceFile::new("server.js", first), SourceFile::new("server.js", second)], &Params::default());
    assert_eq!(a.files.len(), 2);
    assert!(a.files[0].error.is_none());
    let e = a.files[1].error.as_ref().expect("the duplicate is refused");
    assert!(e.message.contains("same path"), "{e:?}");
    assert!(a.endpoints.iter().all(|e| e.path != "/b"), "{:?}", a.endpoints);
    for f in &a.findings {
        assert!(f.end_line <= 2, "{f:?}");
    }
}

/// params, crash-9a749639: `endpoints:/Q"Ee` (a bare value with a quote) parsed, and
/// `to_args` wrote `endpoints:"/Q"Ee"`, which does not parse: a share link or a saved
/// playground lost its parameters. Quotes in an endpoint pattern are refused, by name.
#[test]
fn an_endpoint_pattern_with_a_quote_is_refused() {
    for args in [r#"endpoints:/Q"Ee"#, r#"endpoints:'/a"b'"#, r#"endpoints:"/a'b""#] {
        let e = Params::parse_args(args).unwrap_err().to_string();
        assert!(e.contains("endpoints") && e.contains("without quotes"), "{args}: {e}");
    }
    // crash-a46da453: a space inside the path (`GET /api/pGET /`) did not come back the same.
    for args in [r#"endpoints:"GET /api/pGET /""#, r#"endpoints:"/a b""#] {
        assert!(Params::parse_args(args).is_err(), "{args}");
    }
    let ok = Params::parse_args(r#"endpoints:"/api/users/:id,GET /api/posts""#).unwrap();
    assert_eq!(Params::parse_args(&ok.to_args()).unwrap().endpoints, ok.endpoints);
}

/// analyze_file, crash-59c107a7: `async (request, repl.Router(y) => {` in a Fastify handler
/// tripped a debug assertion inside swc's parser (a panic in debug builds). The file is now
/// an error with a position, like any file that does not parse. crash-6b2aa25d (2026-12-04,
/// `async (request, reply.find() => {`) is the same assertion: under libFuzzer, whose panic
/// hook aborts before unwinding, core's `catch_unwind` never ran (fixed in the fuzz harness).
#[test]
fn an_arrow_with_a_call_among_its_parameters_is_a_parse_error() {
    for params in ["request, repl.Router(y)", "request, reply.find()"] {
        let code = format!("import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/authors', async ({params} => {{\n  return 1;\n}});\nconst ok = 1;\n");
        let a = analyze(
            &[SourceFile::new("app.ts", &code), SourceFile::new("other.js", "const x = 1;\n")],
            &Params::default(),
        );
        let e = a.files[0].error.as_ref().unwrap_or_else(|| panic!("{params}: {:?}", a.files));
        // With debug assertions (this test's build) it is swc's assertion that fires.
        assert!(!cfg!(debug_assertions) || e.message.contains("internal assertion of swc"), "{params}: {e:?}");
        assert!(a.files[1].error.is_none());
    }
}

/// analyze_file, crash-0cdd9a7d (2026-12-04): `return <ulup: groups.fi1nd(…` in a `.tsx` file.
/// swc_ecma_parser 47 reaches an `unreachable!` (parser/jsx.rs, in release builds too) on a JSX
/// element name that is namespaced and then has a member (`<a:b.c`), and the wasm module's
/// panics abort the playground's worker. It is a syntax error, now reported at the `.` without
/// swc seeing the text; code where such characters are not JSX is analysed as before.
#[test]
fn a_namespaced_jsx_name_with_a_member_is_a_parse_error() {
    let member = "a namespaced JSX element name (`<a:b`) cannot have a member (`.`)";
    for (path, code, line, column, message) in [
        // The fuzzer's input: the copy swc reads first (`<ulup: groups_fi1nd(`) is already
        // an error, which is the file's.
        (
            "a.tsx",
            "export function A({ m }: { m: any }) {\n  return <ulup: groups.fi1nd((g) => g.id === m.groupId) }));\n}\n",
            2,
            29,
            "Unexpected token `(`. Expected jsx identifier",
        ),
        ("a.js", "const x = <a:b.c />;\n", 1, 15, member),
        ("a.jsx", "const x = <a:b-c.d></a:b-c.d>;\n", 1, 17, member),
        ("a.mjs", "const x = < a /* c */ : b\n  // d\n  . c />;\n", 3, 3, member),
        ("a.cjs", "module.exports = () => <svg:rect.x />;\n", 1, 33, member),
    ] {
        let a =
            analyze(&[SourceFile::new(path, code), SourceFile::new("other.js", "const y = 2;\n")], &Params::default());
        let e = a.files[0].error.as_ref().unwrap_or_else(|| panic!("{path}: {:?}", a.files));
        // Not "the parser gave up" (swc's panic, caught in this build, aborting in wasm).
        assert_eq!((e.line, e.column, e.message.as_str()), (line, column, message), "{path}");
        assert!(a.files[1].error.is_none());
    }
    // The same characters where they are not a JSX name: a comparison in a conditional (with a
    // keyword, an assignment or `this` after the dot), a string, a comment, a regex, and a
    // `.ts` file, whose `<` never opens JSX. Each file parses.
    let route = "const app = require('express')();\napp.get('/u', async (req, res) => {\n  const users = await User.findAll();\n  for (const u of users) {\n    u.posts = await Post.findAll({ where: { userId: u.id } });\n  }\n  res.json(users);\n});\n";
    for (path, code) in [
        ("b.js", "const v = big ? n < max : p.catch(f);\nconst w = ok ? a<b:this.x;\nlet u; ok ? a<b:u.d = 1;\n"),
        ("c.js", "const s = '<a:b.c'; /* <a:b.c */ const r = /<a:b.c/;\n"),
        ("d.ts", "const v = big ? n < max : p.catch(f);\n"),
    ] {
        let a = analyze(&[SourceFile::new(path, format!("{code}{route}"))], &Params::all_rules());
        assert!(a.files[0].error.is_none(), "{path}: {:?}", a.files[0].error);
        assert!(a.findings.iter().any(|f| f.rule == "n-plus-one-query"), "{path}: {:?}", a.findings);
    }
}
