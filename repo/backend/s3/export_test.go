package s3

// SetListPageSize makes List ask for n objects per request, so that tests
// can see it follow the pages.
func SetListPageSize(b *Backend, n int32) { b.pageSize = n }
