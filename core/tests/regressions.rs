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
        let a = analyze(&[SourceFile::new("app.ts", &code), SourceFile::new("other.js", "const x = 1;\n")], &Params::default());
        let e = a.files[0].error.as_ref().unwrap_or_else(|| panic!("{params}: {:?}", a.files));
        // With debug assertions (this test's build) it is swc's assertion that fires.
        assert!(!cfg!(debug_assertions) || e.message.contains("internal assertion of swc"), "{params}: {e:?}");
        assert!(a.files[1].error.is_none());
    }
}
