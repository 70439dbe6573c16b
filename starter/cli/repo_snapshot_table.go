package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-backup/cairn/repo"
)

// printSnapshotTable prints sns oldest first in restic's table: ID, time,
// host, tags, the reasons a snapshot is kept (when reasons is not nil),
// paths and size, then "N snapshots". compact leaves out reasons and
// paths, as restic's --compact does.
func printSnapshotTable(w io.Writer, sns []*repo.Snapshot, reasons map[repo.ID][]string, compact bool) {
	list := slices.Clone(sns)
	slices.SortStableFunc(list, func(a, b *repo.Snapshot) int { return a.Time.Compare(b.Time) })
	header, rows := snapshotRows(list, reasons, compact)
	widths := columnWidths(header, rows)
	line := strings.Repeat("-", sum(widths)+2*(len(widths)-1))
	printTableRow(w, header, widths)
	fmt.Fprintln(w, line)
	spaced := !compact && slices.ContainsFunc(list, func(sn *repo.Snapshot) bool { return len(sn.Paths) > 1 })
	for i, row := range rows {
		if spaced && i > 0 {
			fmt.Fprintln(w)
		}
		printTableRow(w, row, widths)
	}
	fmt.Fprintln(w, line)
	fmt.Fprintf(w, "%d snapshots\n", len(list))
}

// snapshotRows returns the header and one row per snapshot; a cell may
// hold several lines.
func snapshotRows(list []*repo.Snapshot, reasons map[repo.ID][]string, compact bool) ([]string, [][]string) {
	sized := slices.ContainsFunc(list, func(sn *repo.Snapshot) bool { return sn.Summary != nil })
	header := []string{"ID", "Time", "Host      ", "Tags      ", "Reasons", "Paths", "Size"}
	if compact {
		header = []string{"ID", "Time", "Host", "Tags  ", "", "", "Size"}
	}
	keep := []bool{true, true, true, true, !compact && reasons != nil, !compact, sized}
	var rows [][]string
	for _, sn := range list {
		tags := strings.Join(sn.Tags, ",")
		if compact {
			tags = strings.Join(sn.Tags, "\n")
		}
		size := ""
		if sn.Summary != nil {
			size = humanBytes(sn.Summary.TotalBytesProcessed)
		}
		rows = append(rows, []string{sn.ID().Str(), sn.Time.Local().Format(time.DateTime), sn.Hostname, tags,
			strings.Join(reasons[sn.ID()], "\n"), strings.Join(sn.Paths, "\n"), size})
	}
	return pick(header, keep), pickRows(rows, keep)
}

func pick(cells []string, keep []bool) []string {
	var out []string
	for i, c := range cells {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out
}

func pickRows(rows [][]string, keep []bool) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = pick(r, keep)
	}
	return out
}

// columnWidths is the widest line of each column, header included.
func columnWidths(header []string, rows [][]string) []int {
	widths := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			for l := range strings.SplitSeq(cell, "\n") {
				widths[i] = max(widths[i], utf8.RuneCountInString(l))
			}
		}
	}
	return widths
}

// printTableRow prints a row's cells padded to widths and two spaces
// apart, over as many lines as its tallest cell.
func printTableRow(w io.Writer, cells []string, widths []int) {
	split := make([][]string, len(cells))
	height := 1
	for i, c := range cells {
		split[i] = strings.Split(c, "\n")
		height = max(height, len(split[i]))
	}
	for n := range height {
		var b strings.Builder
		for i, lines := range split {
			if i > 0 {
				b.WriteString("  ")
			}
			v := ""
			if n < len(lines) {
				v = lines[n]
			}
			b.WriteString(v + strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(v))))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}
