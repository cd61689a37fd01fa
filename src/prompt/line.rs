//! The line being edited: characters and a cursor. It may hold a master secret, so every
//! character it lets go of is zeroed: on drop, when it grows (the old buffer), and when
//! characters are deleted (the tail they leave behind).

use zeroize::Zeroize;

/// An editable line of characters with a cursor (an index between characters).
#[derive(Default, PartialEq, Eq)]
pub struct Line {
    chars: Vec<char>,
    cursor: usize,
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The line may be a secret: never show what it holds.
        write!(
            f,
            "Line({} chars, cursor {})",
            self.chars.len(),
            self.cursor
        )
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        self.chars.zeroize();
    }
}

impl Line {
    /// An empty line.
    pub fn new() -> Line {
        Line::default()
    }

    /// The characters.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The text as a String (never for secrets: use `oxtile_password::Secret::from_chars`).
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the line is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Insert at the cursor and move past it.
    pub fn insert(&mut self, c: char) {
        if self.chars.len() == self.chars.capacity() {
            // Grow by hand so that the old buffer is zeroed, not freed with its contents.
            let mut bigger = Vec::with_capacity((self.chars.capacity() * 2).max(32));
            bigger.extend_from_slice(&self.chars);
            self.chars.zeroize();
            self.chars = bigger;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    /// Replace the whole line; the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        self.clear();
        for c in text.chars() {
            self.insert(c);
        }
    }

    /// Empty the line, zeroing what it held.
    pub fn clear(&mut self) {
        self.remove(0, self.chars.len());
    }

    /// Move the cursor one character left; false at the start.
    pub fn left(&mut self) -> bool {
        let moved = self.cursor > 0;
        self.cursor = self.cursor.saturating_sub(1);
        moved
    }

    /// Move the cursor one character right; false at the end.
    pub fn right(&mut self) -> bool {
        let moved = self.cursor < self.chars.len();
        self.cursor = (self.cursor + 1).min(self.chars.len());
        moved
    }

    /// Cursor to the start; false when already there.
    pub fn home(&mut self) -> bool {
        std::mem::replace(&mut self.cursor, 0) != 0
    }

    /// Cursor to the end; false when already there.
    pub fn end(&mut self) -> bool {
        std::mem::replace(&mut self.cursor, self.chars.len()) != self.chars.len()
    }

    /// Delete before the cursor; false at the start.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.remove(self.cursor - 1, self.cursor);
        true
    }

    /// Delete under the cursor; false at the end.
    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.chars.len() {
            return false;
        }
        self.remove(self.cursor, self.cursor + 1);
        true
    }

    /// Delete from the start to the cursor (Control-u); false when nothing was there.
    pub fn kill_to_start(&mut self) -> bool {
        let n = self.cursor;
        self.remove(0, n);
        n > 0
    }

    /// Delete the word before the cursor and the spaces after it (Control-w), as readline
    /// does; false when nothing was there.
    pub fn kill_word(&mut self) -> bool {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let n = self.cursor - start;
        self.remove(start, self.cursor);
        n > 0
    }

    /// Remove `from..to`, zeroing the slots the shortened line leaves behind.
    fn remove(&mut self, from: usize, to: usize) {
        let (from, to) = (from.min(self.chars.len()), to.min(self.chars.len()));
        if from >= to {
            return;
        }
        let n = to - from;
        self.chars.copy_within(to.., from);
        let len = self.chars.len() - n;
        self.chars[len..].zeroize();
        self.chars.truncate(len);
        if self.cursor >= to {
            self.cursor -= n;
        } else if self.cursor > from {
            self.cursor = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, cursor: usize) -> Line {
        let mut l = Line::new();
        l.set(text);
        l.cursor = cursor;
        l
    }

    #[test]
    fn inserting_moves_the_cursor_and_keeps_unicode_whole() {
        let mut l = Line::new();
        for c in "héllo ü€".chars() {
            l.insert(c);
        }
        assert_eq!(l.text(), "héllo ü€");
        assert_eq!(l.cursor(), 8);
        l.home();
        l.insert('¡');
        assert_eq!(l.text(), "¡héllo ü€");
        assert_eq!(l.cursor(), 1);
    }

    #[test]
    fn cursor_moves_stop_at_the_ends() {
        let mut l = line("ab", 1);
        assert!(l.left());
        assert!(!l.left());
        assert!(l.end());
        assert!(!l.right());
        assert!(!l.end());
        assert!(l.home());
        assert!(!l.home());
    }

    #[test]
    fn backspace_and_delete_around_the_cursor() {
        let mut l = line("abc", 1);
        assert!(l.delete());
        assert_eq!((l.text().as_str(), l.cursor()), ("ac", 1));
        assert!(l.backspace());
        assert_eq!((l.text().as_str(), l.cursor()), ("c", 0));
        assert!(!l.backspace());
        l.end();
        assert!(!l.delete());
    }

    #[test]
    fn control_u_kills_to_the_start_and_control_w_one_word() {
        let mut l = line("git commit  --amend", 12);
        assert!(l.kill_word());
        assert_eq!((l.text().as_str(), l.cursor()), ("git --amend", 4));
        assert!(l.kill_word());
        assert_eq!((l.text().as_str(), l.cursor()), ("--amend", 0));
        assert!(!l.kill_word());
        let mut l = line("abc def", 5);
        assert!(l.kill_to_start());
        assert_eq!((l.text().as_str(), l.cursor()), ("ef", 0));
        assert!(!l.kill_to_start());
    }

    #[test]
    fn debug_does_not_show_the_text() {
        let l = line("hunter2", 7);
        assert_eq!(format!("{l:?}"), "Line(7 chars, cursor 7)");
    }
}
