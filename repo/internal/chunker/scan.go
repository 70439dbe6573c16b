package chunker

// Lanes searched in lockstep and the bytes each covers per round.
const (
	lanes     = 4
	laneBytes = 16 << 10
	roundSize = lanes * laneBytes
)

// scanRound searches buf[p:p+roundSize] (p >= windowSize) for the first
// position i whose window buf[i-63:i+1] has a fingerprint with d&mask == 0.
func (t *tables) scanRound(buf []byte, p int, mask uint64) (int, uint64, bool) {
	// g[k*laneBytes+windowSize+j] is byte j of lane k, and
	// g[k*laneBytes+j] the byte leaving the window there.
	g := (*[roundSize + windowSize]byte)(buf[p-windowSize : p+roundSize])
	d0 := t.hash(g[0*laneBytes : 0*laneBytes+windowSize])
	d1 := t.hash(g[1*laneBytes : 1*laneBytes+windowSize])
	d2 := t.hash(g[2*laneBytes : 2*laneBytes+windowSize])
	d3 := t.hash(g[3*laneBytes : 3*laneBytes+windowSize])
	mod, out := &t.mod, &t.out
	sh := t.shift & 63
	lane, j := 0, 0
	for j = 0; j < laneBytes; j++ {
		d0 = (d0<<8 | uint64(g[0*laneBytes+windowSize+j])) ^ mod[byte(d0>>sh)] ^ out[g[0*laneBytes+j]]
		d1 = (d1<<8 | uint64(g[1*laneBytes+windowSize+j])) ^ mod[byte(d1>>sh)] ^ out[g[1*laneBytes+j]]
		d2 = (d2<<8 | uint64(g[2*laneBytes+windowSize+j])) ^ mod[byte(d2>>sh)] ^ out[g[2*laneBytes+j]]
		d3 = (d3<<8 | uint64(g[3*laneBytes+windowSize+j])) ^ mod[byte(d3>>sh)] ^ out[g[3*laneBytes+j]]
		if d0&mask == 0 {
			return p + j, d0, true
		}
		if d1&mask == 0 {
			lane = 1
			break
		}
		if d2&mask == 0 {
			lane = 2
			break
		}
		if d3&mask == 0 {
			lane = 3
			break
		}
	}
	if j == laneBytes {
		return 0, 0, false
	}
	// Lane `lane` has a cut at j; an earlier lane may have one after j.
	hit := [lanes]uint64{d0, d1, d2, d3}
	for k := range lane {
		s := p + k*laneBytes
		if i, d, ok := t.scan(buf, s+j+1, s+laneBytes, hit[k], mask); ok {
			return i, d, true
		}
	}
	return p + lane*laneBytes + j, hit[lane], true
}

// scan searches positions from..to-1 one byte at a time; d is the
// fingerprint of the window ending at from-1 (from >= windowSize).
func (t *tables) scan(buf []byte, from, to int, d, mask uint64) (int, uint64, bool) {
	if from >= to {
		return 0, 0, false
	}
	in := buf[from:to]
	out := buf[from-windowSize : to-windowSize]
	out = out[:len(in)]
	sh := t.shift & 63
	for j, b := range in {
		d = (d<<8 | uint64(b)) ^ t.mod[byte(d>>sh)] ^ t.out[out[j]]
		if d&mask == 0 {
			return from + j, d, true
		}
	}
	return 0, 0, false
}
