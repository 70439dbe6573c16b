package archiver

// SetTestHookOpen installs fn to run before each file is opened for
// reading; nil removes it. Tests using it must not run in parallel.
func SetTestHookOpen(fn func(path string)) { testHookOpen = fn }

// StreamSavers is how many savers BackupStream runs.
const StreamSavers = streamSavers
