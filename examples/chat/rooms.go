package main

import (
	"slices"
	"sync"
)

// member is one connection in a room.
type member struct {
	id   string // the connection id
	name string
	room string
}

// rooms is the chat's registry: the connections of each room, and the
// name and room of each connection. It does no I/O, so the chat posts to
// connections with its lock released. A rooms is safe for concurrent use;
// the zero value is an empty registry.
type rooms struct {
	mu     sync.Mutex
	byRoom map[string]map[string]struct{} // room → connection ids; guarded by mu
	byConn map[string]member              // connection id → member; guarded by mu
}

// join puts the connection id, named name, in room.
func (r *rooms) join(id, name, room string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byConn == nil {
		r.byRoom, r.byConn = map[string]map[string]struct{}{}, map[string]member{}
	}
	r.leaveLocked(id)
	if r.byRoom[room] == nil {
		r.byRoom[room] = map[string]struct{}{}
	}
	r.byRoom[room][id] = struct{}{}
	r.byConn[id] = member{id: id, name: name, room: room}
}

// leave takes the connection id out of its room and returns what it
// was; false if it was in none.
func (r *rooms) leave(id string) (member, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.leaveLocked(id)
}

func (r *rooms) leaveLocked(id string) (member, bool) {
	m, ok := r.byConn[id]
	if !ok {
		return member{}, false
	}
	delete(r.byConn, id)
	delete(r.byRoom[m.room], id)
	if len(r.byRoom[m.room]) == 0 {
		delete(r.byRoom, m.room)
	}
	return m, true
}

// lookup returns the connection id's member record.
func (r *rooms) lookup(id string) (member, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.byConn[id]
	return m, ok
}

// members returns the connection ids in room, sorted.
func (r *rooms) members(room string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.byRoom[room]))
	for id := range r.byRoom[room] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
