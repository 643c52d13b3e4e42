//! Where each value of a JSON Feed starts, for findings' lines and columns:
//! serde_json gives values but not their places.

use std::collections::HashMap;

/// Where each value of a well-formed JSON text starts, by JSON Pointer
/// (`/items/0/id`), as (line, column).
pub(super) struct Places {
    offsets: HashMap<String, (u32, u32)>,
}

impl Places {
    pub(super) fn index(text: &str) -> Places {
        let mut places = Places {
            offsets: HashMap::new(),
        };
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            column: 1,
        };
        scanner.value(String::new(), 0, &mut places.offsets);
        places
    }

    pub(super) fn at(&self, path: &str) -> (u32, u32) {
        self.offsets.get(path).copied().unwrap_or((1, 1))
    }
}

struct Scanner<'t> {
    bytes: &'t [u8],
    pos: usize,
    line: u32,
    column: u32,
}

impl Scanner<'_> {
    fn bump(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.pos)?;
        self.pos += 1;
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            self.column += 1;
        }
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.bump();
        }
    }

    fn string(&mut self) -> String {
        let start = self.pos + 1;
        self.bump();
        while let Some(byte) = self.bump() {
            match byte {
                b'\\' => {
                    self.bump();
                }
                b'"' => break,
                _ => {}
            }
        }
        let raw = &self.bytes[start..self.pos.saturating_sub(1).max(start)];
        serde_json::from_slice(&[b"\"", raw, b"\""].concat()).unwrap_or_default()
    }

    fn value(&mut self, path: String, depth: usize, offsets: &mut HashMap<String, (u32, u32)>) {
        self.whitespace();
        offsets.insert(path.clone(), (self.line, self.column));
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.whitespace();
                    match self.peek() {
                        Some(b'"') => {
                            let key = self.string();
                            self.whitespace();
                            self.bump(); // ':'
                            let child =
                                format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                            self.value_or_skip(child, depth, offsets);
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        Some(b'}') | None => {
                            self.bump();
                            break;
                        }
                        Some(_) => {
                            self.bump();
                        }
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut index = 0;
                loop {
                    self.whitespace();
                    match self.peek() {
                        Some(b']') | None => {
                            self.bump();
                            break;
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        Some(_) => {
                            self.value_or_skip(format!("{path}/{index}"), depth, offsets);
                            index += 1;
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.bump();
                }
            }
        }
    }

    /// Below the depth findings point at, values are only skipped.
    fn value_or_skip(
        &mut self,
        path: String,
        depth: usize,
        offsets: &mut HashMap<String, (u32, u32)>,
    ) {
        if depth < 3 {
            self.value(path, depth + 1, offsets);
        } else {
            let mut ignored = HashMap::new();
            self.value(path, depth + 1, &mut ignored);
        }
    }
}
