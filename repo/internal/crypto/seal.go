package crypto

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"
	"slices"

	"golang.org/x/crypto/poly1305" //nolint:staticcheck // restic's MAC is Poly1305-AES, built from the primitive.
)

// Seal encrypts plaintext and appends IV || ciphertext || MAC to dst, which
// must not overlap plaintext. It returns the extended slice.
func (k *Key) Seal(dst, plaintext []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(plaintext)+Extension)[:n+len(plaintext)+Extension]
	out := dst[n:]
	iv := out[:ivSize]
	newIV(iv)
	ct := out[ivSize : ivSize+len(plaintext)]
	cipher.NewCTR(k.encBlock, iv).XORKeyStream(ct, plaintext)
	var tag [macSize]byte
	mk := k.polyKey(iv)
	poly1305.Sum(&tag, ct, &mk)
	copy(out[ivSize+len(plaintext):], tag[:])
	return dst
}

// SealInPlace encrypts b[at+16:] in place, writes the IV over the 16
// reserved bytes b[at:at+16] and appends the MAC, so that b[at:] becomes
// IV || ciphertext || MAC without a copy of the plaintext. It returns the
// extended slice.
func (k *Key) SealInPlace(b []byte, at int) []byte {
	iv := b[at : at+ivSize]
	newIV(iv)
	ct := b[at+ivSize:]
	cipher.NewCTR(k.encBlock, iv).XORKeyStream(ct, ct)
	var tag [macSize]byte
	mk := k.polyKey(iv)
	poly1305.Sum(&tag, ct, &mk)
	return append(b, tag[:]...)
}

// newIV fills iv with random bytes, never all zero.
func newIV(iv []byte) {
	for {
		if _, err := rand.Read(iv); err != nil {
			panic(fmt.Sprintf("crypto/rand failed: %v", err)) // crypto/rand never fails on supported platforms.
		}
		if !isZero(iv) {
			return
		}
	}
}

// Open verifies sealed (IV || ciphertext || MAC) and appends its plaintext
// to dst, which must not overlap sealed. It returns ErrUnauthenticated when
// the MAC does not match, and decrypts nothing in that case.
func (k *Key) Open(dst, sealed []byte) ([]byte, error) {
	if err := k.verify(sealed); err != nil {
		return nil, err
	}
	ct := sealed[ivSize : len(sealed)-macSize]
	n := len(dst)
	dst = slices.Grow(dst, len(ct))[:n+len(ct)]
	cipher.NewCTR(k.encBlock, sealed[:ivSize]).XORKeyStream(dst[n:], ct)
	return dst, nil
}

// OpenInPlace verifies sealed like Open and decrypts it in place. The
// plaintext it returns is sealed[16:len(sealed)-16].
func (k *Key) OpenInPlace(sealed []byte) ([]byte, error) {
	if err := k.verify(sealed); err != nil {
		return nil, err
	}
	ct := sealed[ivSize : len(sealed)-macSize]
	cipher.NewCTR(k.encBlock, sealed[:ivSize]).XORKeyStream(ct, ct)
	return ct, nil
}

func (k *Key) verify(sealed []byte) error {
	if len(sealed) < Extension {
		return fmt.Errorf("%w: %d bytes are shorter than IV and MAC", ErrUnauthenticated, len(sealed))
	}
	iv := sealed[:ivSize]
	ct := sealed[ivSize : len(sealed)-macSize]
	mk := k.polyKey(iv)
	var want [macSize]byte
	poly1305.Sum(&want, ct, &mk)
	if subtle.ConstantTimeCompare(want[:], sealed[len(sealed)-macSize:]) != 1 {
		return ErrUnauthenticated
	}
	return nil
}

// polyKey returns the one-time Poly1305 key R || AES-128(K, IV).
func (k *Key) polyKey(iv []byte) [32]byte {
	var mk [32]byte
	copy(mk[:16], k.macR[:])
	k.macBlock.Encrypt(mk[16:], iv)
	return mk
}

// OpenReader verifies sealed like Open and returns a reader of its
// plaintext that decrypts into the caller's buffer as it is read, so no
// copy of the message is made. sealed must not change while it is read.
func (k *Key) OpenReader(sealed []byte) (io.Reader, error) {
	if err := k.verify(sealed); err != nil {
		return nil, err
	}
	ct := sealed[ivSize : len(sealed)-macSize]
	return &ctrReader{s: cipher.NewCTR(k.encBlock, sealed[:ivSize]), ct: ct}, nil
}

// ctrReader decrypts a ciphertext in CTR mode as it is read.
type ctrReader struct {
	s  cipher.Stream
	ct []byte
}

func (r *ctrReader) Read(p []byte) (int, error) {
	if len(r.ct) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.ct))
	r.s.XORKeyStream(p[:n], r.ct[:n])
	r.ct = r.ct[n:]
	return n, nil
}
