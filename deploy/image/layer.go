package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"time"
)

// CABundle is the host's CA certificates, which the image carries as
// distroless does.
const CABundle = "/etc/ssl/certs/ca-certificates.crt"

// passwd and group are distroless's accounts: root, nobody and nonroot.
const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group  = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"
)

// Layer is the image's filesystem as an uncompressed tar archive: bin at
// /usr/local/bin/cairn, the accounts, nonroot's home, /tmp and the host's
// CA bundle when it has one. Every entry has the same time, so the same
// binary makes the same layer.
func Layer(bin []byte) ([]byte, error) {
	certs, err := os.ReadFile(CABundle)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries(bin, certs) {
		if err := write(tw, h.Header, h.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// entry is one tar header with its content.
type entry struct {
	tar.Header
	data []byte
}

// entries lists the layer, parents first.
func entries(bin, certs []byte) []entry {
	es := []entry{
		dir("etc/", 0o755, 0), file("etc/passwd", 0o644, []byte(passwd)), file("etc/group", 0o644, []byte(group)),
		dir("home/", 0o755, 0), dir("home/nonroot/", 0o700, Nonroot),
		dir("tmp/", 0o1777, 0),
		dir("usr/", 0o755, 0), dir("usr/local/", 0o755, 0), dir("usr/local/bin/", 0o755, 0),
		file(Entrypoint[1:], 0o755, bin),
	}
	if certs != nil {
		es = append(es, dir("etc/ssl/", 0o755, 0), dir("etc/ssl/certs/", 0o755, 0), file(CABundle[1:], 0o644, certs))
	}
	return es
}

func dir(name string, mode int64, owner int) entry {
	return entry{Header: tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode, Uid: owner, Gid: owner}}
}

func file(name string, mode int64, data []byte) entry {
	return entry{Header: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))}, data: data}
}

func write(tw *tar.Writer, h tar.Header, data []byte) error {
	h.ModTime = time.Unix(0, 0).UTC()
	if err := tw.WriteHeader(&h); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}
