// Package crypto implements restic's authenticated encryption: AES-256 in
// counter mode with a random 16-byte IV, authenticated by Poly1305-AES over
// the ciphertext. A sealed message is IV(16) || ciphertext || MAC(16), so
// sealing adds exactly Extension bytes. Opening verifies the MAC before it
// decrypts anything.
//
// The package also derives user keys from passwords with scrypt, as restic's
// key files require.
package crypto
