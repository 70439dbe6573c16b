package workflows

import "github.com/cairn-backup/cairn/workflows/input"

// Inputs maps each workflow type a worker registers to the zero value of
// its input, the one argument it takes. Every input decodes strictly (see
// package input): a member the type does not have fails the workflow at
// once, naming it and the accepted fields, before any work or record. The
// JSON Schema in inputs.schema.json is generated from these types.
var Inputs = map[string]any{
	"Backup":            BackupInput{},
	"Restore":           RestoreInput{},
	"ScheduledBackup":   ScheduledBackupInput{},
	"Delete":            DeleteInput{},
	"DeleteRestore":     DeleteRestoreInput{},
	"Expire":            ExpireInput{},
	"RepoMaintenance":   RepoMaintenanceInput{},
	"MaintainLocation":  MaintainLocationInput{},
	"LocationValidator": LocationValidatorInput{},
}

// UnmarshalJSON decodes a BackupInput strictly.
func (in *BackupInput) UnmarshalJSON(b []byte) error {
	type fields BackupInput
	return input.Decode(b, (*fields)(in), "the Backup workflow's input")
}

// UnmarshalJSON decodes a RestoreInput strictly.
func (in *RestoreInput) UnmarshalJSON(b []byte) error {
	type fields RestoreInput
	return input.Decode(b, (*fields)(in), "the Restore workflow's input")
}

// UnmarshalJSON decodes a ScheduledBackupInput strictly.
func (in *ScheduledBackupInput) UnmarshalJSON(b []byte) error {
	type fields ScheduledBackupInput
	return input.Decode(b, (*fields)(in), "the ScheduledBackup workflow's input")
}

// UnmarshalJSON decodes a DeleteInput strictly.
func (in *DeleteInput) UnmarshalJSON(b []byte) error {
	type fields DeleteInput
	return input.Decode(b, (*fields)(in), "the Delete workflow's input")
}

// UnmarshalJSON decodes a DeleteRestoreInput strictly.
func (in *DeleteRestoreInput) UnmarshalJSON(b []byte) error {
	type fields DeleteRestoreInput
	return input.Decode(b, (*fields)(in), "the DeleteRestore workflow's input")
}

// UnmarshalJSON decodes an ExpireInput strictly.
func (in *ExpireInput) UnmarshalJSON(b []byte) error {
	type fields ExpireInput
	return input.Decode(b, (*fields)(in), "the Expire workflow's input")
}

// UnmarshalJSON decodes a RepoMaintenanceInput strictly.
func (in *RepoMaintenanceInput) UnmarshalJSON(b []byte) error {
	type fields RepoMaintenanceInput
	return input.Decode(b, (*fields)(in), "the RepoMaintenance workflow's input")
}

// UnmarshalJSON decodes a MaintainLocationInput strictly.
func (in *MaintainLocationInput) UnmarshalJSON(b []byte) error {
	type fields MaintainLocationInput
	return input.Decode(b, (*fields)(in), "the MaintainLocation workflow's input")
}

// UnmarshalJSON decodes a LocationValidatorInput strictly.
func (in *LocationValidatorInput) UnmarshalJSON(b []byte) error {
	type fields LocationValidatorInput
	return input.Decode(b, (*fields)(in), "the LocationValidator workflow's input")
}
