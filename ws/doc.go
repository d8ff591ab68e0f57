// Package ws serves WebSocket APIs with the managed API gateway's model:
// a route selection expression picks a route for each message, among
// $connect, $disconnect, $default and custom route keys; integrations
// get the managed service's WebSocket payload; a connections API posts to,
// reads and closes connections by id, from Go and over HTTP, across
// gateway instances.
package ws
