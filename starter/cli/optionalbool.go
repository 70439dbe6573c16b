package cli

import "strconv"

// optionalBool is a flag that stays nil (Velero's "auto") until given.
type optionalBool struct{ value *bool }

func (b *optionalBool) String() string {
	if b.value == nil {
		return ""
	}
	return strconv.FormatBool(*b.value)
}

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	b.value = &v
	return nil
}

func (b *optionalBool) Type() string { return "optionalBool" }
