package repo

import (
	"fmt"
	"runtime"

	"github.com/klauspost/compress/zstd"
)

// codec holds the zstd encoders (one per level in use) and the decoder.
// EncodeAll and DecodeAll are safe for concurrent use.
type codec struct {
	data *zstd.Encoder // nil: data blobs are not compressed
	meta *zstd.Encoder // trees and unpacked files
	dec  *zstd.Decoder
}

func newCodec(c Compression) (*codec, error) {
	// Trees and metadata files at restic's level: "better" made them no
	// smaller (a GOROOT backup: 78.4 MB either way) for 4 MB more encoder
	// tables and more time.
	dataLevel, metaLevel := zstd.SpeedFastest, zstd.SpeedDefault
	if c == CompressionMax {
		dataLevel, metaLevel = zstd.SpeedBestCompression, zstd.SpeedBestCompression
	}
	var cd codec
	var err error
	if c != CompressionOff {
		if cd.data, err = newEncoder(dataLevel, runtime.GOMAXPROCS(0)); err != nil {
			return nil, err
		}
	}
	// one meta encoder: trees are small
	if cd.meta, err = newEncoder(metaLevel, 1); err != nil {
		return nil, err
	}
	cd.dec, err = zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)),
		zstd.WithDecoderMaxMemory(1<<32))
	if err != nil {
		return nil, fmt.Errorf("creating zstd decoder: %w", err)
	}
	return &cd, nil
}

// newEncoder configures zstd as restic does: no frame checksum (the MAC
// covers the data) and a 512 KiB window; concurrency is how many EncodeAll
// calls run at once (each has its own tables and history).
func newEncoder(level zstd.EncoderLevel, concurrency int) (*zstd.Encoder, error) {
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(level),
		zstd.WithEncoderCRC(false),
		zstd.WithWindowSize(512*1024),
		zstd.WithEncoderConcurrency(concurrency))
	if err != nil {
		return nil, fmt.Errorf("creating zstd encoder: %w", err)
	}
	return enc, nil
}

func (c *codec) encoder(t BlobType) *zstd.Encoder {
	if t == DataBlob {
		return c.data
	}
	return c.meta
}

func (c *codec) close() {
	if c.data != nil {
		c.data.Close()
	}
	c.meta.Close()
	c.dec.Close()
}
