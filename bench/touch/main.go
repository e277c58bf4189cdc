// Command touch is the benchmarks' measure of what any provider must do
// beyond the floor's work with the state it returns: write it once into fresh
// memory (appended in 32 KiB chunks, as an encoder would) and copy it once
// more into another fresh buffer (gRPC's marshal copy). The collector is off,
// so that only the memory is measured. It prints one JSON line with the bytes
// and its own CPU time across those two steps, so that the provider can be
// compared with an ideal one on the same machine in the same run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("bytes", 0, "bytes of state to write and copy")
	flag.Parse()
	if *n < 0 {
		fmt.Fprintln(os.Stderr, "touch: -bytes must not be negative")
		os.Exit(2)
	}
	debug.SetGCPercent(-1)
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte(i%255 + 1)
	}
	cpu0, sys0 := cpuTime()
	state := make([]byte, 0, *n)
	for len(state) < *n {
		state = append(state, chunk[:min(len(chunk), *n-len(state))]...)
	}
	sent := make([]byte, *n)
	copy(sent, state)
	cpu1, sys1 := cpuTime()
	runtime.KeepAlive(state)
	runtime.KeepAlive(sent)
	_ = json.NewEncoder(os.Stdout).Encode(struct {
		Bytes int   `json:"bytes"`
		CPUNS int64 `json:"cpu_ns"` // user+sys of this process while writing and copying
		SysNS int64 `json:"sys_ns"` // the kernel part: mostly page faults
	}{*n, (cpu1 - cpu0).Nanoseconds(), (sys1 - sys0).Nanoseconds()})
}

// cpuTime is this process's user+sys and sys time.
func cpuTime() (cpu, sys time.Duration) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), time.Duration(ru.Stime.Nano())
}
