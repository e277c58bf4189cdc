package cerbysim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Field is one key of an Object with its value kept as raw JSON.
type Field struct {
	Key   string
	Value json.RawMessage
}

// Object is a JSON object that keeps its keys in order and its values exactly
// as written, so a workspace can hold every shape the API is known to send
// (a field as a string in one account and an object in the next, nulls,
// unknown extra keys) and serve it back byte for byte.
type Object struct {
	Fields []Field
}

// Get returns the raw value of key, if present.
func (o *Object) Get(key string) (json.RawMessage, bool) {
	for _, f := range o.Fields {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// String returns the value of key when it is a JSON string, else "".
func (o *Object) String(key string) string {
	raw, ok := o.Get(key)
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// Bool returns the value of key when it is a JSON boolean, else false.
func (o *Object) Bool(key string) bool {
	raw, _ := o.Get(key)
	return bytes.Equal(raw, []byte("true"))
}

// Strings returns the value of key when it is an array of strings, else nil.
func (o *Object) Strings(key string) []string {
	raw, ok := o.Get(key)
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	return list
}

// Set replaces the value of key with value encoded as JSON, or appends the
// key when absent.
func (o *Object) Set(key string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("value of %q: %w", key, err)
	}
	o.SetRaw(key, raw)
	return nil
}

// SetRaw is Set for a value that is already JSON.
func (o *Object) SetRaw(key string, raw json.RawMessage) {
	for i := range o.Fields {
		if o.Fields[i].Key == key {
			o.Fields[i].Value = raw
			return
		}
	}
	o.Fields = append(o.Fields, Field{Key: key, Value: raw})
}

// Delete removes key if present.
func (o *Object) Delete(key string) {
	for i := range o.Fields {
		if o.Fields[i].Key == key {
			o.Fields = append(o.Fields[:i], o.Fields[i+1:]...)
			return
		}
	}
}

// MarshalJSON writes the keys in their stored order.
func (o Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range o.Fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, err := json.Marshal(f.Key)
		if err != nil {
			return nil, err
		}
		buf.Write(key)
		buf.WriteByte(':')
		if err := json.Compact(&buf, f.Value); err != nil {
			return nil, fmt.Errorf("value of %q: %w", f.Key, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads an object keeping key order; a duplicate key keeps its
// last value, as encoding/json does.
func (o *Object) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("expected a JSON object")
	}
	o.Fields = nil
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return fmt.Errorf("value of %q: %w", key, err)
		}
		o.SetRaw(key, value)
	}
	_, err := dec.Token()
	return err
}
