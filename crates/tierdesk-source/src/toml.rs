use std::cell::RefCell;
use std::fmt::Display;

use toml_edit::{Document, Item, TableLike, Value};

use crate::{LineIndex, SourceError, SourceErrors};

/// A parsed TOML document that remembers where everything came from and
/// collects the errors its readers report.
pub struct TomlSource<'a> {
    name: String,
    index: LineIndex<'a>,
    doc: Document<&'a str>,
    errors: RefCell<Vec<SourceError>>,
}

impl<'a> TomlSource<'a> {
    /// Parses `text`; a syntax error is returned at once with its position.
    ///
    /// # Errors
    /// The TOML syntax error, positioned.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let err = TomlSource::parse("p.toml", "a = \n").err().unwrap();
    /// assert!(err.to_string().starts_with("p.toml:1:"));
    /// ```
    pub fn parse(name: &str, text: &'a str) -> Result<Self, SourceErrors> {
        let index = LineIndex::new(text);
        match Document::parse(text) {
            Ok(doc) => Ok(TomlSource {
                name: name.to_owned(),
                index,
                doc,
                errors: RefCell::new(Vec::new()),
            }),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let message = e.message().trim().to_owned();
                Err(SourceErrors::one(index.error(
                    name,
                    offset,
                    format!("invalid TOML: {message}"),
                )))
            }
        }
    }

    /// The document's top-level table.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "year = 2025").unwrap();
    /// assert_eq!(src.root().require("year").and_then(|n| n.as_int()), Some(2025));
    /// ```
    pub fn root(&self) -> TableNode<'_> {
        TableNode {
            src: self,
            table: self.doc.as_table(),
            path: String::new(),
            offset: 0,
        }
    }

    /// Records an error at a byte offset.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 1").unwrap();
    /// src.error_at(4, "too small");
    /// assert_eq!(src.finish().unwrap_err().to_string(), "p.toml:1:5: too small");
    /// ```
    pub fn error_at(&self, offset: usize, message: impl Into<String>) {
        let error = self.index.error(&self.name, offset, message);
        self.errors.borrow_mut().push(error);
    }

    /// Whether any error has been recorded so far.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "").unwrap();
    /// assert!(!src.has_errors());
    /// ```
    pub fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// Ends reading: the recorded errors, sorted by position, or `Ok`.
    ///
    /// # Errors
    /// Every error the readers recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 'x'").unwrap();
    /// src.root().require("a").and_then(|n| n.as_int());
    /// assert_eq!(src.finish().unwrap_err().to_string(), "p.toml:1:5: `a` must be an integer");
    /// ```
    pub fn finish(self) -> Result<(), SourceErrors> {
        let mut errors = self.errors.into_inner();
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort_by_key(|e| (e.line, e.column));
        errors.dedup();
        Err(SourceErrors(errors))
    }
}

#[derive(Clone, Copy)]
enum NodeRef<'s> {
    Item(&'s Item),
    Value(&'s Value),
    Table(&'s toml_edit::Table),
}

/// One value in the document, with its key path, for reading and reporting.
#[derive(Clone)]
pub struct Node<'s> {
    src: &'s TomlSource<'s>,
    node: NodeRef<'s>,
    path: String,
    offset: usize,
}

/// A table (or inline table) in the document.
#[derive(Clone)]
pub struct TableNode<'s> {
    src: &'s TomlSource<'s>,
    table: &'s dyn TableLike,
    path: String,
    offset: usize,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl<'s> Node<'s> {
    fn new(src: &'s TomlSource<'s>, node: NodeRef<'s>, path: String, fallback: usize) -> Self {
        let span = match node {
            NodeRef::Item(item) => item.span(),
            NodeRef::Value(value) => value.span(),
            NodeRef::Table(table) => table.span(),
        };
        Node {
            src,
            node,
            path,
            offset: span.map_or(fallback, |s| s.start),
        }
    }

    /// The dotted key path of this value, e.g. `fault.restore.city.AAA` or `holiday[2].off[0]`.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "[a]\nb = 1").unwrap();
    /// let b = src.root().require("a").and_then(|a| a.as_table()).and_then(|t| t.require("b")).unwrap();
    /// assert_eq!(b.path(), "a.b");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Byte offset where the value starts.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 1").unwrap();
    /// assert_eq!(src.root().require("a").unwrap().offset(), 4);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Records an error at this value.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 1").unwrap();
    /// src.root().require("a").unwrap().error("no");
    /// assert_eq!(src.finish().unwrap_err().to_string(), "p.toml:1:5: no");
    /// ```
    pub fn error(&self, message: impl Into<String>) {
        self.src.error_at(self.offset, message);
    }

    fn value(&self) -> Option<&'s Value> {
        match self.node {
            NodeRef::Item(Item::Value(v)) | NodeRef::Value(v) => Some(v),
            NodeRef::Item(_) | NodeRef::Table(_) => None,
        }
    }

    fn expected(&self, what: &str) {
        self.error(format!("`{}` must be {what}", self.path));
    }

    /// The value as a string, or an error recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 'x'").unwrap();
    /// assert_eq!(src.root().require("a").unwrap().as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&'s str> {
        let s = self.value().and_then(Value::as_str);
        if s.is_none() {
            self.expected("a string");
        }
        s
    }

    /// The value as an integer, or an error recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 3").unwrap();
    /// assert_eq!(src.root().require("a").unwrap().as_int(), Some(3));
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        let i = self.value().and_then(Value::as_integer);
        if i.is_none() {
            self.expected("an integer");
        }
        i
    }

    /// The value as a boolean, or an error recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = true").unwrap();
    /// assert_eq!(src.root().require("a").unwrap().as_bool(), Some(true));
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        let b = self.value().and_then(Value::as_bool);
        if b.is_none() {
            self.expected("true or false");
        }
        b
    }

    /// The value as a table (a `[section]` or an inline `{ … }`), or an error recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = { b = 1 }").unwrap();
    /// assert!(src.root().require("a").unwrap().as_table().is_some());
    /// ```
    pub fn as_table(&self) -> Option<TableNode<'s>> {
        let table: Option<&'s dyn TableLike> = match self.node {
            NodeRef::Item(Item::Table(t)) | NodeRef::Table(t) => Some(t),
            NodeRef::Item(Item::Value(Value::InlineTable(t)))
            | NodeRef::Value(Value::InlineTable(t)) => Some(t),
            _ => None,
        };
        match table {
            Some(table) => Some(TableNode {
                src: self.src,
                table,
                path: self.path.clone(),
                offset: self.offset,
            }),
            None => {
                self.expected("a table");
                None
            }
        }
    }

    /// The value as an array (of values, or `[[tables]]`), or an error recorded.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = [1, 2]").unwrap();
    /// assert_eq!(src.root().require("a").unwrap().as_array().map(|a| a.len()), Some(2));
    /// ```
    pub fn as_array(&self) -> Option<Vec<Node<'s>>> {
        match self.node {
            NodeRef::Item(Item::ArrayOfTables(tables)) => Some(
                tables
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        Node::new(
                            self.src,
                            NodeRef::Table(t),
                            format!("{}[{i}]", self.path),
                            self.offset,
                        )
                    })
                    .collect(),
            ),
            _ => match self.value() {
                Some(Value::Array(array)) => Some(
                    array
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            Node::new(
                                self.src,
                                NodeRef::Value(v),
                                format!("{}[{i}]", self.path),
                                self.offset,
                            )
                        })
                        .collect(),
                ),
                _ => {
                    self.expected("an array");
                    None
                }
            },
        }
    }

    /// Parses the string value with `parse`; its error message is recorded at the value.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 'x'").unwrap();
    /// let n: Option<u8> = src.root().require("a").unwrap().parse_str(|s| s.parse::<u8>());
    /// assert_eq!(n, None);
    /// assert!(src.finish().unwrap_err().to_string().contains("invalid digit"));
    /// ```
    pub fn parse_str<T, E: Display>(&self, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
        let s = self.as_str()?;
        match parse(s) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(format!("`{}`: {e}", self.path));
                None
            }
        }
    }
}

impl<'s> TableNode<'s> {
    /// The dotted key path of this table (empty for the root).
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "").unwrap();
    /// assert_eq!(src.root().path(), "");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value under `key`, if present.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "a = 1").unwrap();
    /// assert!(src.root().get("b").is_none());
    /// assert!(src.finish().is_ok());
    /// ```
    pub fn get(&self, key: &str) -> Option<Node<'s>> {
        let item = self.table.get(key)?;
        let key_offset = self
            .table
            .key(key)
            .and_then(|k| k.span())
            .map_or(self.offset, |s| s.start);
        Some(Node::new(
            self.src,
            NodeRef::Item(item),
            join(&self.path, key),
            key_offset,
        ))
    }

    /// The value under `key`; records "missing key" when absent.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "[t]\na = 1").unwrap();
    /// let t = src.root().require("t").and_then(|n| n.as_table()).unwrap();
    /// assert!(t.require("b").is_none());
    /// assert_eq!(src.finish().unwrap_err().to_string(), "p.toml:1:1: missing key `b` in `t`");
    /// ```
    pub fn require(&self, key: &str) -> Option<Node<'s>> {
        let node = self.get(key);
        if node.is_none() {
            let within = if self.path.is_empty() {
                "the top level".to_owned()
            } else {
                format!("`{}`", self.path)
            };
            self.src
                .error_at(self.offset, format!("missing key `{key}` in {within}"));
        }
        node
    }

    /// Every key and its value, in document order.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "b = 1\na = 2").unwrap();
    /// let keys: Vec<_> = src.root().entries().into_iter().map(|(k, _)| k).collect();
    /// assert_eq!(keys, ["b", "a"]);
    /// ```
    pub fn entries(&self) -> Vec<(String, Node<'s>)> {
        self.table
            .iter()
            .filter_map(|(key, _)| self.get(key).map(|node| (key.to_owned(), node)))
            .collect()
    }

    /// Records an error for every key not in `allowed` (a typo must not be silently ignored).
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "nmae = 1").unwrap();
    /// src.root().reject_unknown(&["name"]);
    /// assert_eq!(src.finish().unwrap_err().to_string(),
    ///     "p.toml:1:1: unknown key `nmae` at the top level; expected one of: name");
    /// ```
    pub fn reject_unknown(&self, allowed: &[&str]) {
        for (key, _) in self.table.iter() {
            if !allowed.contains(&key) {
                let offset = self
                    .table
                    .key(key)
                    .and_then(|k| k.span())
                    .map_or(self.offset, |s| s.start);
                let within = if self.path.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `{}`", self.path)
                };
                self.src.error_at(
                    offset,
                    format!(
                        "unknown key `{key}` {within}; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    /// Records an error at this table.
    ///
    /// # Example
    /// ```
    /// use tierdesk_source::TomlSource;
    /// let src = TomlSource::parse("p.toml", "").unwrap();
    /// src.root().error("empty");
    /// assert!(src.has_errors());
    /// ```
    pub fn error(&self, message: impl Into<String>) {
        self.src.error_at(self.offset, message);
    }
}
