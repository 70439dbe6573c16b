package crypto

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// kdfCacheSize bounds the derived keys a process remembers.
const kdfCacheSize = 32

// kdfCache remembers recent scrypt derivations, so that a long-running
// worker that opens the same repositories again and again (an activity per
// volume or backup) pays for scrypt once per key file rather than every
// time. Entries are keyed by an HMAC of the password, salt and parameters;
// the process holds the repositories' master keys while they are open
// anyway, so remembering the key that unlocks them adds no exposure beyond
// its memory.
var kdfCache = struct {
	sync.Mutex
	secret [32]byte
	keys   map[[32]byte][64]byte
	order  [][32]byte
}{keys: map[[32]byte][64]byte{}}

var kdfCacheInit sync.Once

func kdfCacheKey(password string, salt []byte, p KDFParams) [32]byte {
	kdfCacheInit.Do(func() {
		_, _ = rand.Read(kdfCache.secret[:]) // never fails on Linux; a zero secret still keys correctly
	})
	m := hmac.New(sha256.New, kdfCache.secret[:])
	var params [24]byte
	binary.LittleEndian.PutUint64(params[0:], uint64(p.N))
	binary.LittleEndian.PutUint64(params[8:], uint64(p.R))
	binary.LittleEndian.PutUint64(params[16:], uint64(p.P))
	m.Write(params[:])
	m.Write(salt)
	m.Write([]byte(password))
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

func kdfCacheGet(id [32]byte) ([64]byte, bool) {
	kdfCache.Lock()
	defer kdfCache.Unlock()
	b, ok := kdfCache.keys[id]
	return b, ok
}

func kdfCachePut(id [32]byte, b [64]byte) {
	kdfCache.Lock()
	defer kdfCache.Unlock()
	if _, ok := kdfCache.keys[id]; ok {
		return
	}
	if len(kdfCache.order) >= kdfCacheSize {
		delete(kdfCache.keys, kdfCache.order[0])
		kdfCache.order = kdfCache.order[1:]
	}
	kdfCache.keys[id] = b
	kdfCache.order = append(kdfCache.order, id)
}
