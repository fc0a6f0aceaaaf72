//! The seed's argument string and `--set` values through the parameter parser: the first
//! line is an argument string (`target:"api" endpoints:"/a,GET /b"`), every further line a
//! `--set name=value` (a cost-model setting) or, prefixed `=`, one parameter `name=value`.
//! Whatever parses must print back (`to_args`) to a string that parses to the same values.
#![no_main]

use backlens_core::Params;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let Ok(mut params) = Params::parse_args(lines.next().unwrap_or_default()) else { return };
    for line in lines {
        if let Some(set) = line.strip_prefix('=') {
            let (name, value) = set.split_once('=').unwrap_or((set, ""));
            let _ = params.set(name, value);
        } else {
            let (name, value) = line.split_once('=').unwrap_or((line, ""));
            let _ = params.set_cost(name, value, "--set");
        }
    }
    let args = params.to_args();
    let again = Params::parse_args(&args).unwrap_or_else(|e| panic!("{args:?} does not parse back: {e}"));
    assert_eq!(again.to_args(), args);
    assert_eq!((again.target, again.load_profile, again.priority), (params.target, params.load_profile, params.priority));
    assert_eq!(again.endpoints, params.endpoints, "{args:?}");
    let profile = backlens_core::cost::Profile::for_params(&params);
    for (_, value, _) in profile.parameters() {
        assert!(!value.value.is_nan(), "{args:?}: a NaN parameter");
    }
});
