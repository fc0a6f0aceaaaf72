//! A share link (the URL fragment, `#v1.…`) through the playground's decoder, as the page
//! reads it from its address bar. What decodes must restore parameters and encode again to a
//! link that decodes to the same snapshot.
#![no_main]

use backlens_core::share;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Half the inputs are taken as the part after the prefix, so mutations reach the decoder.
    let fragment = if text.starts_with('#') { text.to_string() } else { format!("#v1.{text}") };
    let _ = share::is_share(&fragment);
    let Ok(snapshot) = share::decode(&fragment) else { return };
    let _ = snapshot.params_with_source("playground");
    if let Ok(again) = share::encode(&snapshot) {
        let back = share::decode(&again).expect("a link we made decodes");
        // NaN settings compare unequal: compare their text.
        assert_eq!(format!("{back:?}"), format!("{snapshot:?}"));
    }
});
