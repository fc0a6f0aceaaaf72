//! Source files and positions.

/// The extensions backlens reads.
pub const SOURCE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// Whether `path` names a JavaScript/TypeScript source file backlens reads
/// (TypeScript declaration files `.d.ts` are not: they hold no code).
pub fn is_source_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".d.ts") || lower.ends_with(".d.mts") || lower.ends_with(".d.cts") {
        return false;
    }
    lower.rsplit_once('.').is_some_and(|(_, ext)| SOURCE_EXTENSIONS.contains(&ext))
}

/// One input file: its path (as the user named it; used in findings) and its bytes.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { path: path.into(), bytes: text.into().into_bytes() }
    }
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        SourceFile { path: path.into(), bytes }
    }
}

/// Maps byte offsets of one text to 1-based line and UTF-16 column.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based (line, column) of byte `offset` in `text`; the column counts UTF-16 code units.
    pub fn position(&self, text: &str, offset: u32) -> (u32, u32) {
        let offset = offset.min(text.len() as u32);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column: usize = text[start..end].chars().map(char::len_utf16).sum();
        (line as u32 + 1, column as u32 + 1)
    }

    /// The text of the 1-based lines `first..=last`, without the final newline.
    pub fn lines<'t>(&self, text: &'t str, first: u32, last: u32) -> &'t str {
        let start = self.starts.get(first as usize - 1).copied().unwrap_or(0) as usize;
        let end = self.starts.get(last as usize).map(|&e| e as usize - 1).unwrap_or(text.len());
        text[start..end.max(start)].trim_end_matches('\r')
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.starts.get(line as usize - 1).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_utf16() {
        let text = "ab\nc€d\n𝄞x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, 7), (2, 3)); // after "c€"
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.position(text, x), (3, 3)); // 𝄞 is two UTF-16 units
        assert_eq!(idx.lines(text, 2, 2), "c€d");
    }

    #[test]
    fn source_extensions() {
        for p in ["a.js", "b.MJS", "c.cjs", "d.jsx", "e.ts", "f.mts", "g.cts", "h.tsx"] {
            assert!(is_source_path(p), "{p}");
        }
        for p in ["a.json", "types.d.ts", "README", "x.jsx.map"] {
            assert!(!is_source_path(p), "{p}");
        }
    }
}
