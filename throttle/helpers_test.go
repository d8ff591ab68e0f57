package throttle

import (
	"time"
)

// t0 is the instant the tests start at: Wednesday 2024-02-14 12:00 UTC.
var t0 = time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)

// ShardOf exports shardOf to the external tests (package throttle_test),
// which cannot be internal: they run storetest's suite, and storetest
// imports throttle.
var ShardOf = shardOf
