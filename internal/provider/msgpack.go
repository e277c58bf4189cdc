package provider

import (
	"encoding/binary"
	"math"
)

// The msgpack encodings Terraform's state uses (see encodeState). Each
// function appends the shortest form of its value, as tftypes does; Terraform
// reads any valid form.

const (
	msgpackNil   = 0xc0
	msgpackFalse = 0xc2
	msgpackTrue  = 0xc3
)

func appendMsgpackNil(buf []byte) []byte { return append(buf, msgpackNil) }

func appendMsgpackBool(buf []byte, b bool) []byte {
	if b {
		return append(buf, msgpackTrue)
	}
	return append(buf, msgpackFalse)
}

func appendMsgpackString(buf []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		buf = append(buf, 0xa0|byte(n))
	case n <= math.MaxUint8:
		buf = append(buf, 0xd9, byte(n))
	case n <= math.MaxUint16:
		buf = binary.BigEndian.AppendUint16(append(buf, 0xda), uint16(n))
	default:
		buf = binary.BigEndian.AppendUint32(append(buf, 0xdb), uint32(n))
	}
	return append(buf, s...)
}

func appendMsgpackInt(buf []byte, n int64) []byte {
	if -32 <= n && n <= math.MaxInt8 {
		return append(buf, byte(int8(n))) // positive or negative fixint
	}
	return binary.BigEndian.AppendUint64(append(buf, 0xd3), uint64(n))
}

func appendMsgpackArrayLen(buf []byte, n int) []byte {
	return appendMsgpackLen(buf, n, 0x90, 0xdc)
}

func appendMsgpackMapLen(buf []byte, n int) []byte {
	return appendMsgpackLen(buf, n, 0x80, 0xde)
}

// appendMsgpackLen writes a container header: fix is the 4-bit form's code,
// code16 the 16-bit one; the 32-bit code follows it.
func appendMsgpackLen(buf []byte, n int, fix, code16 byte) []byte {
	switch {
	case n < 16:
		return append(buf, fix|byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(buf, code16), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(buf, code16+1), uint32(n))
	}
}
