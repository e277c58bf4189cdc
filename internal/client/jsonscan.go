package client

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// pageDecoder reads one page of JSON without reflection (see
// decodeUsualList). Its readers start at a value's first byte and stop just
// after it; each reports false for input it cannot read exactly as
// encoding/json would, and the caller then gives the page up.
type pageDecoder struct {
	text  string // the page; strings without escapes are substrings of it
	pos   int
	depth int
	slabs
}

// maxDepth bounds nesting well below encoding/json's 10000; deeper pages are
// not usual.
const maxDepth = 512

func (d *pageDecoder) skipSpace() {
	for d.pos < len(d.text) {
		switch d.text[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// consume reads c, possibly preceded by whitespace, and the whitespace after it.
func (d *pageDecoder) consume(c byte) bool {
	d.skipSpace()
	if d.pos >= len(d.text) || d.text[d.pos] != c {
		return false
	}
	d.pos++
	d.skipSpace()
	return true
}

func (d *pageDecoder) at(c byte) bool {
	return d.pos < len(d.text) && d.text[d.pos] == c
}

// literal reads word (true, false or null) if it comes next.
func (d *pageDecoder) literal(word string) bool {
	if !strings.HasPrefix(d.text[d.pos:], word) {
		return false
	}
	d.pos += len(word)
	return true
}

// readObject reads an object, calling field for each key with the decoder at
// its value; field must read the value.
func (d *pageDecoder) readObject(field func(key string) bool) bool {
	return d.readComposite('{', '}', func() bool {
		key, ok := d.readString()
		return ok && d.consume(':') && field(key)
	})
}

// readArray reads an array, calling elem with the decoder at each element.
func (d *pageDecoder) readArray(elem func() bool) bool {
	return d.readComposite('[', ']', elem)
}

func (d *pageDecoder) readComposite(open, end byte, member func() bool) bool {
	if !d.at(open) || d.depth >= maxDepth {
		return false
	}
	d.depth++
	d.pos++
	d.skipSpace()
	if !d.at(end) {
		for {
			if !member() {
				return false
			}
			if !d.consume(',') {
				break
			}
		}
	}
	if !d.at(end) {
		return false
	}
	d.pos++
	d.depth--
	return true
}

// skipValue reads any value, checking it as encoding/json's scanner does;
// its keys, read as strings, must also be valid UTF-8.
func (d *pageDecoder) skipValue() bool {
	if d.pos >= len(d.text) {
		return false
	}
	switch c := d.text[d.pos]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		return d.readObject(func(string) bool { return d.skipValue() })
	case c == '[':
		return d.readArray(d.skipValue)
	case c == '-' || '0' <= c && c <= '9':
		return d.skipNumber()
	}
	return d.literal("true") || d.literal("false") || d.literal("null")
}

// readRaw reads any value and returns its exact text.
func (d *pageDecoder) readRaw() (string, bool) {
	start := d.pos
	ok := d.skipValue()
	return d.text[start:d.pos], ok
}

// skipNumber reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *pageDecoder) skipNumber() bool {
	i := d.pos
	if i < len(d.text) && d.text[i] == '-' {
		i++
	}
	switch {
	case i < len(d.text) && d.text[i] == '0':
		i++
	case i < len(d.text) && '1' <= d.text[i] && d.text[i] <= '9':
		i = d.digits(i)
	default:
		return false
	}
	if i < len(d.text) && d.text[i] == '.' {
		start := i + 1
		if i = d.digits(start); i == start {
			return false
		}
	}
	if i < len(d.text) && (d.text[i] == 'e' || d.text[i] == 'E') {
		i++
		if i < len(d.text) && (d.text[i] == '+' || d.text[i] == '-') {
			i++
		}
		start := i
		if i = d.digits(i); i == start {
			return false
		}
	}
	d.pos = i
	return true
}

// digits returns the index after the digits starting at i.
func (d *pageDecoder) digits(i int) int {
	for i < len(d.text) && '0' <= d.text[i] && d.text[i] <= '9' {
		i++
	}
	return i
}

// skipString reads a string, checking its escapes and control characters
// but not its UTF-8, as encoding/json's scanner does.
func (d *pageDecoder) skipString() bool {
	if !d.at('"') {
		return false
	}
	for i := d.pos + 1; i < len(d.text); {
		switch c := d.text[i]; {
		case c == '"':
			d.pos = i + 1
			return true
		case c == '\\':
			_, n := escape(d.text[i:])
			if n == 0 {
				return false
			}
			i += n
		case c < ' ':
			return false
		default:
			i++
		}
	}
	return false
}

// plain marks the ASCII bytes a string holds as they are: all but control
// characters, the quote and the backslash.
var plain = func() (plain [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\'
	}
	return plain
}()

// readString reads a string as encoding/json decodes it. Without escapes it
// is a substring of the page, so it costs no allocation. Invalid UTF-8, which
// encoding/json would replace with U+FFFD, is not read.
func (d *pageDecoder) readString() (string, bool) {
	if !d.at('"') {
		return "", false
	}
	start := d.pos + 1
	for i := start; i < len(d.text); {
		switch c := d.text[i]; {
		case plain[c]:
			i++
		case c == '"':
			d.pos = i + 1
			return d.text[start:i], true
		case c == '\\':
			return d.readEscapedString(start)
		case c < ' ':
			return "", false
		default:
			r, n := utf8.DecodeRuneInString(d.text[i:])
			if r == utf8.RuneError && n == 1 {
				return "", false
			}
			i += n
		}
	}
	return "", false
}

// readEscapedString decodes the string whose content starts at start into a
// new string.
func (d *pageDecoder) readEscapedString(start int) (string, bool) {
	var b strings.Builder
	for i := start; i < len(d.text); {
		switch c := d.text[i]; {
		case c == '"':
			d.pos = i + 1
			return b.String(), true
		case c == '\\':
			r, n := escape(d.text[i:])
			if n == 0 {
				return "", false
			}
			b.WriteRune(r)
			i += n
		case c < ' ':
			return "", false
		default:
			_, n := utf8.DecodeRuneInString(d.text[i:])
			if c >= utf8.RuneSelf && n == 1 {
				return "", false
			}
			b.WriteString(d.text[i : i+n])
			i += n
		}
	}
	return "", false
}

// escape decodes the escape sequence s starts with, returning the rune and
// its length in s, 0 if it is not one JSON allows. Like encoding/json, it
// joins a \u surrogate pair into one rune and makes a lone surrogate U+FFFD.
func escape(s string) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch s[1] {
	case '"', '\\', '/':
		return rune(s[1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hex4(s[2:])
		if r < 0 {
			return 0, 0
		}
		if !utf16.IsSurrogate(r) {
			return r, 6
		}
		if len(s) >= 12 && s[6:8] == `\u` {
			if pair := utf16.DecodeRune(r, hex4(s[8:])); pair != unicode.ReplacementChar {
				return pair, 12
			}
		}
		return unicode.ReplacementChar, 6
	}
	return 0, 0
}

// hex4 reads four hex digits, -1 if s does not start with them.
func hex4(s string) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// slabs hand out the values that items point to from a few shared arrays per
// page, instead of one allocation per field. Handed-out slices are capped at
// their length, so appending to one never overwrites another.
type slabs struct {
	strings  []string
	bools    []bool
	policies []WorkspacePolicyResult
	creators []CreatedBy
}

// take returns n zeroed elements from *slab, starting a new slab of size
// elements when it lacks room. More than size elements get their own array,
// so that the current slab's room is not lost.
func take[E any](slab *[]E, n, size int) []E {
	if n > size {
		return make([]E, n)
	}
	if cap(*slab)-len(*slab) < n {
		*slab = make([]E, 0, size)
	}
	start := len(*slab)
	*slab = (*slab)[:start+n]
	return (*slab)[start : start+n : start+n]
}

func (s *slabs) newString(v string) *string {
	p := &take(&s.strings, 1, 512)[0]
	*p = v
	return p
}

func (s *slabs) newBool(v bool) *bool {
	p := &take(&s.bools, 1, 512)[0]
	*p = v
	return p
}

func (s *slabs) copyStrings(v []string) []string {
	if len(v) == 0 {
		return []string{} // empty, not nil, as encoding/json decodes []
	}
	return append(take(&s.strings, len(v), 512)[:0], v...)
}

func (s *slabs) newPolicy() *WorkspacePolicyResult { return &take(&s.policies, 1, 128)[0] }

func (s *slabs) newCreator() *CreatedBy { return &take(&s.creators, 1, 128)[0] }
