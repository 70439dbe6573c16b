package starter

import (
	"context"
	"errors"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// BackupResourceList reads the resource list of backup name from the
// record in backup storage location loc. It needs c.Locations.
func (c *Client) BackupResourceList(ctx context.Context, loc, name string) (metadata.ResourceList, error) {
	if c.Locations == nil {
		return nil, errors.New("reading backup records needs the backup storage locations")
	}
	st, err := c.Locations.Resolve(ctx, loc)
	if err != nil {
		return nil, err
	}
	records, err := st.Records()
	if err != nil {
		return nil, err
	}
	return records.GetBackupResourceList(ctx, name)
}
