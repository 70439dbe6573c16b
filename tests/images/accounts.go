package images

import (
	"fmt"
	"strings"
)

// account is a user with a group of the same name and id.
type account struct {
	name  string
	id    int
	home  string
	shell string
}

// baseAccounts are the users of every image: root and nobody.
var baseAccounts = []account{
	{name: "root", id: 0, home: "/root", shell: "/bin/sh"},
	{name: "nobody", id: 65534, home: "/nonexistent", shell: "/bin/false"},
}

// accountFiles are /etc/passwd and /etc/group listing accounts.
func accountFiles(accounts []account) []entry {
	var passwd, group strings.Builder
	for _, a := range accounts {
		fmt.Fprintf(&passwd, "%s:x:%d:%d:%s:%s:%s\n", a.name, a.id, a.id, a.name, a.home, a.shell)
		fmt.Fprintf(&group, "%s:x:%d:\n", a.name, a.id)
	}
	return []entry{
		file("etc/passwd", 0o644, []byte(passwd.String())),
		file("etc/group", 0o644, []byte(group.String())),
	}
}
