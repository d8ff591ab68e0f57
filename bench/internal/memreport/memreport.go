// Package memreport is the memory report bench/wsserver serves and
// bench/wsload reads.
package memreport

// Report is wsserver's answer to GET /debug/mem, which wsload reads.
// Byte counts are in bytes.
type Report struct {
	Goroutines  int    `json:"goroutines"`
	HeapInuse   uint64 `json:"heapInuse"`
	HeapAlloc   uint64 `json:"heapAlloc"`
	HeapObjects uint64 `json:"heapObjects"`
	StackInuse  uint64 `json:"stackInuse"`
	// OtherRuntime is the runtime's own bookkeeping that grows with the
	// heap: span and cache structures, GC metadata, profiling buckets.
	OtherRuntime uint64 `json:"otherRuntime"`
	Sys          uint64 `json:"sys"`
	// RSS is VmRSS from /proc/self/status; 0 if it could not be read.
	RSS uint64 `json:"rss"`
}
