package index

import (
	"hash/maphash"
	"sync"

	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// entry is one blob location in 48 bytes: the blob id, the pack's number
// (high bit set for tree blobs) and the pack entry's three lengths.
type entry struct {
	id     [32]byte
	pack   uint32
	offset uint32
	length uint32
	ulen   uint32
}

const (
	treeBit   = 1 << 31
	blockBits = 12
	blockSize = 1 << blockBits
)

// Location is where a blob is stored: a pack and the blob's entry in it.
type Location struct {
	Pack [32]byte
	pack.Entry
}

// Master maps blobs to their locations. It is built for memory: entries
// live in fixed-size blocks (no copying or slack when growing), and an
// open-addressing table of 4-byte entry numbers, at most 3/4 full, finds
// them — about 54 bytes per blob. A blob stored in several packs has one
// entry per pack. Master is safe for concurrent use.
type Master struct {
	mu      sync.RWMutex
	seed    maphash.Seed
	packs   [][32]byte
	packIdx map[[32]byte]uint32
	blocks  [][]entry
	n       int
	table   []uint32 // 0 is empty, otherwise entry number + 1
}

// NewMaster returns an empty master index.
func NewMaster() *Master {
	return &Master{seed: maphash.MakeSeed(), packIdx: make(map[[32]byte]uint32), table: make([]uint32, 1024)}
}

func (m *Master) entry(i uint32) *entry { return &m.blocks[i>>blockBits][i&(blockSize-1)] }

func (m *Master) slot(id *[32]byte) uint64 {
	return maphash.Bytes(m.seed, id[:]) & uint64(len(m.table)-1)
}

func packField(t pack.BlobType, p uint32) uint32 {
	if t == pack.TreeBlob {
		return p | treeBit
	}
	return p
}

// AddPack records the blobs of pack id. Entries already recorded at the
// same place (the same pack listed by two index files) are skipped.
func (m *Master) AddPack(id [32]byte, blobs []pack.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.packIdx[id]
	if !ok {
		p = uint32(len(m.packs))
		m.packs = append(m.packs, id)
		m.packIdx[id] = p
	}
	for _, b := range blobs {
		m.insert(packField(b.Type, p), b)
	}
}

func (m *Master) insert(pf uint32, b pack.Entry) {
	mask := uint64(len(m.table) - 1)
	s := m.slot(&b.ID)
	for ; m.table[s] != 0; s = (s + 1) & mask {
		e := m.entry(m.table[s] - 1)
		if e.id == b.ID && e.pack == pf && e.offset == b.Offset {
			return
		}
	}
	if m.n%blockSize == 0 {
		m.blocks = append(m.blocks, make([]entry, 0, blockSize))
	}
	last := len(m.blocks) - 1
	m.blocks[last] = append(m.blocks[last], entry{id: b.ID, pack: pf, offset: b.Offset, length: b.Length, ulen: b.UncompressedLength})
	m.n++
	m.table[s] = uint32(m.n)
	if uint64(m.n)*4 > uint64(len(m.table))*3 {
		m.grow()
	}
}

func (m *Master) grow() {
	m.table = make([]uint32, 2*len(m.table))
	mask := uint64(len(m.table) - 1)
	for i := range m.n {
		s := m.slot(&m.entry(uint32(i)).id)
		for m.table[s] != 0 {
			s = (s + 1) & mask
		}
		m.table[s] = uint32(i + 1)
	}
}

func (m *Master) location(e *entry) Location {
	t := pack.DataBlob
	if e.pack&treeBit != 0 {
		t = pack.TreeBlob
	}
	return Location{Pack: m.packs[e.pack&^treeBit], Entry: pack.Entry{
		Type: t, ID: e.id, Offset: e.offset, Length: e.length, UncompressedLength: e.ulen,
	}}
}

// lookup calls fn for each location of the blob until fn returns false.
func (m *Master) lookup(t pack.BlobType, id [32]byte, fn func(*entry) bool) {
	mask := uint64(len(m.table) - 1)
	for s := m.slot(&id); m.table[s] != 0; s = (s + 1) & mask {
		e := m.entry(m.table[s] - 1)
		if e.id == id && (e.pack&treeBit != 0) == (t == pack.TreeBlob) && !fn(e) {
			return
		}
	}
}

// Lookup returns the first recorded location of a blob.
func (m *Master) Lookup(t pack.BlobType, id [32]byte) (Location, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var loc Location
	found := false
	m.lookup(t, id, func(e *entry) bool {
		loc, found = m.location(e), true
		return false
	})
	return loc, found
}

// LookupAll returns every recorded location of a blob.
func (m *Master) LookupAll(t pack.BlobType, id [32]byte) []Location {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var locs []Location
	m.lookup(t, id, func(e *entry) bool {
		locs = append(locs, m.location(e))
		return true
	})
	return locs
}

// Has reports whether the blob is recorded.
func (m *Master) Has(t pack.BlobType, id [32]byte) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	found := false
	m.lookup(t, id, func(*entry) bool {
		found = true
		return false
	})
	return found
}

// Len returns the number of recorded blob locations.
func (m *Master) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.n
}

// PackCount returns the number of packs recorded.
func (m *Master) PackCount() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.packs)
}

// Each calls fn for every recorded location, in insertion order, until fn
// returns false. fn must not call back into m.
func (m *Master) Each(fn func(Location) bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for i := range m.n {
		if !fn(m.location(m.entry(uint32(i)))) {
			return
		}
	}
}

// HasPack reports whether pack id has recorded blobs.
func (m *Master) HasPack(id [32]byte) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.packIdx[id]
	return ok
}
