package rediscache

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"

	"github.com/gatekit/gatekit/cache"
)

// sealedMark is the first byte of a sealed value. It differs from the
// first byte of every cache.Marshal encoding (its version), so that a
// Store without a key reads a sealed value as corrupt, never as an entry.
const sealedMark = 0xE1

// newAEAD returns AES-GCM under key, which prepends a random 12-byte
// nonce to what it seals.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// seal returns the sealed form of the encoded entry pt to be stored
// under the Redis key rk: sealedMark, then the nonce, ciphertext and tag.
func (s *Store) seal(rk string, pt []byte) []byte {
	out := make([]byte, 1, 1+len(pt)+s.aead.Overhead())
	out[0] = sealedMark
	return s.aead.Seal(out, nil, pt, []byte(rk))
}

// open returns the encoded entry that v, read under the Redis key rk,
// seals. Its error wraps cache.ErrCorrupt.
func (s *Store) open(rk string, v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != sealedMark {
		return nil, fmt.Errorf("%w: the value of %q is not encrypted", cache.ErrCorrupt, rk)
	}
	// v may share memory with a string of go-redis's: decrypt into a
	// buffer of our own rather than in place.
	pt, err := s.aead.Open(nil, nil, v[1:], []byte(rk))
	if err != nil {
		return nil, fmt.Errorf("%w: the value of %q does not decrypt with Options.EncryptionKey under this key", cache.ErrCorrupt, rk)
	}
	return pt, nil
}
