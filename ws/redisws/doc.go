// Package redisws keeps the state that gatekit's WebSocket APIs share
// between gateway instances in Redis: [Store] is a [ws.Store], recording
// which instance holds each connection, and [Bus] is a [ws.Bus], carrying
// commands (post to a connection, close it) to the instance that holds
// it. Both take a go-redis [redis.UniversalClient]: a single node,
// Sentinel, a Ring or a Redis Cluster.
//
// # Wiring
//
// Every instance serving one WebSocket API makes a Store and a Bus with
// the same hash tag, on the same Redis, and passes them to the ws
// server's options together with a name of its own: unique among the
// instances running, and best new at each start (a host name with a
// random suffix), since an instance that starts again under an old name
// receives the commands meant for the connections of its predecessor:
//
//	client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
//	store, err := redisws.NewStore(client, redisws.Options{HashTag: "chat-ws"})
//	…
//	bus, err := redisws.NewBus(client, redisws.Options{HashTag: "chat-ws"})
//	…
//	// pass store, bus and the instance name to the ws server's options
//
// The client needs ContextTimeoutEnabled, or [Options].Timeout could not
// bound the calls; [NewStore] and [NewBus] refuse one without it. Neither
// calls Redis or starts anything; [Bus.Subscribe] does.
//
// # Key layout
//
// Under the hash tag T ([Options].HashTag, "gatekit-ws" by default):
//
//	{T}:conn:<connection id>   a hash per connection: id, instance,
//	                           connectedAt, lastActiveAt (RFC 3339, UTC,
//	                           with nanoseconds), sourceIp, userAgent,
//	                           principalId, apiKeyId
//	{T}:ws:<instance>          the pub/sub channel of an instance
//
// The braces put every key and channel of a tag in one Cluster slot.
// [Store.Put] replaces a record (DEL, HSET and PEXPIRE in one
// MULTI/EXEC); [Store.Touch] sets lastActiveAt with a script that
// writes nothing if the record is gone, so that a late Touch cannot
// leave a partial record; [Store.Get] is one HGETALL, [Store.Delete] one
// DEL.
//
// # TTLs
//
// A record expires after the ttl given to Put, which the ws server sets
// to the connection's maximum duration: an instance deletes the records
// of the connections it closes, and this bounds how long the records of
// an instance that died without doing so are left behind. Touch does
// not extend it. Until then, such a record names a dead instance; a
// Publish to it fails with [ErrNoSubscriber] (unless an instance has
// started under the same name), which tells the caller the connection
// is gone.
//
// # Delivery, and what is lost when
//
// Commands go over Redis pub/sub, which is fire and forget: Redis hands
// a message to the connections subscribed at that moment and keeps no
// copy. A Bus subscribes one channel, its instance's, and delivers what
// it receives, one command at a time and in the order Redis received
// them, from one goroutine. [Bus.Subscribe] returns once Redis has
// confirmed the subscription, so a command published after it returns
// is delivered. Commands are JSON-encoded [ws.Command] values; a message
// that does not decode is dropped, counted ([Bus.Dropped]) and logged
// ([Options].Logger).
//
// A command is lost when:
//
//   - no instance is subscribed to the channel: the instance has not
//     started, has stopped or died, or is reconnecting to Redis.
//     [Bus.Publish] then fails with an error wrapping [ErrNoSubscriber].
//   - the subscriber's connection to Redis fails after Redis sent it the
//     command but before it was read. Publish had succeeded: a nil error
//     means Redis handed the command on, not that it arrived.
//   - the subscriber reads too slowly: go-redis buffers 1024 messages,
//     then stops reading; Redis buffers up to its
//     client-output-buffer-limit for pub/sub clients and then closes the
//     connection. deliver should hand the command on and return.
//
// go-redis notices a failed connection (a read error, or a health-check
// PING every 3 s of silence going unanswered), reconnects and subscribes
// again by itself, with no help from the Bus, which logs a warning when
// it does: commands published in between were lost, and their Publish
// calls failed with ErrNoSubscriber or [ErrUnavailable]. There is no
// retry and no acknowledgement; a caller that needs one must build it
// above the Bus.
//
// # Redis Cluster
//
// On a [redis.ClusterClient] the Bus uses sharded pub/sub (SSUBSCRIBE
// and SPUBLISH, Redis 7 or later): the channel lives on the master of
// the hash tag's slot, and SPUBLISH, sent there, counts the subscribers
// that matter. (A plain PUBLISH is broadcast to every node but counts
// only the subscribers of the node that received it, so the count would
// be meaningless.) When that slot moves (resharding, failover), Redis
// ends the subscription; the Bus subscribes again, on the slot's new
// master, retrying with backoff, and logs it; commands published in
// between are lost, as above. A ClusterClient with ReadOnly,
// RouteByLatency or RouteRandomly is refused: it would subscribe on a
// replica, which SPUBLISH does not count.
//
// # Errors
//
// Every call is bounded by [Options].Timeout (50 ms by default). Every
// error names the operation ("redisws: Get: …"). One whose cause is
// Redis not answering (refused or reset connections, timeouts, a closed
// client, LOADING, READONLY, CLUSTERDOWN and the like) wraps
// [ErrUnavailable]. When the caller's context ends first, the error
// wraps the context's error instead: Redis may be fine.
//
// # Concurrency
//
// Stores and Buses are safe for concurrent use. A Store starts no
// goroutines. A Bus starts one in Subscribe, plus the two that go-redis
// runs for a subscription (reader and health check); [Bus.Close] stops
// them and waits for the Bus's own, so for a deliver under way: deliver
// must not call Close. Closing a Bus does not close the client.
package redisws
