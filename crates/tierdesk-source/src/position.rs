use std::fmt;

/// One problem found in a source file, with its position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}:{column}: {message}")]
pub struct SourceError {
    /// The file name (or other label) of the source.
    pub source_name: String,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// Every problem found in one source; a source with any problem is rejected whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SourceErrors(pub Vec<SourceError>);

impl fmt::Display for SourceErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl SourceErrors {
    /// A single error as a list.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::{SourceError, SourceErrors};
    /// let e = SourceErrors::one(SourceError {
    ///     source_name: "a.toml".into(), line: 1, column: 2, message: "bad".into(),
    /// });
    /// assert_eq!(e.to_string(), "a.toml:1:2: bad");
    /// ```
    pub fn one(error: SourceError) -> Self {
        SourceErrors(vec![error])
    }
}

/// Maps byte offsets of a text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::LineIndex;
    /// let index = LineIndex::new("ab\ncd");
    /// assert_eq!(index.position(4), (2, 2));
    /// ```
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// 1-based (line, column) of a byte offset; columns count characters, not bytes.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::LineIndex;
    /// let index = LineIndex::new("名字 = 1\nx");
    /// assert_eq!(index.position("名字 = ".len()), (1, 6));
    /// ```
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line, column)
    }

    /// An error at a byte offset of this text.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::LineIndex;
    /// let e = LineIndex::new("a\nb").error("f.toml", 2, "no");
    /// assert_eq!(e.to_string(), "f.toml:2:1: no");
    /// ```
    pub fn error(
        &self,
        source_name: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> SourceError {
        let (line, column) = self.position(offset);
        SourceError {
            source_name: source_name.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}
